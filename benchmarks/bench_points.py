"""Points on a large compound: balances, a residents-tab page with points, the monthly notice.

    python benchmarks/bench_points.py            # 10,000 households, 30,000 residents, 1,000,000 entries

Targets (issue: points): balances for all households within 1.5x of the same GROUP BY in raw
sqlite3; a residents-tab page with points under 50 ms; the monthly notice for 3,000 households
under 3 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import timed  # noqa: E402
from benchmarks.generate_compound import generate  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from db.migrate import open_database  # noqa: E402
from station import points, residents, staff  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402
from station.residents import ResidentQuery  # noqa: E402
from station.vocab import AUDITOR  # noqa: E402

PAGE = 64  # rows the residents table reads at a time


def fill_ledger(path: Path, wanted: int, today: dt.date, seed: int = 7) -> None:
    """Add made-up entries (and their reviews) until the ledger holds ``wanted``: raw inserts, one transaction.

    Three years of deeds; all but the last month reviewed (2 % rejected); the last month half pending.
    """
    with contextlib.closing(sqlite3.connect(path)) as conn:
        have = conn.execute("SELECT count(*) FROM point_entries").fetchone()[0]
        if have >= wanted:
            print(f"ledger has {have:,} entries already")
            return
        started = time.perf_counter()
        rng = random.Random(seed)
        people = conn.execute("SELECT id, household_id FROM residents WHERE moved_out_on IS NULL").fetchall()
        items = conn.execute("SELECT id, points FROM point_items WHERE active").fetchall()
        recorder = conn.execute("SELECT id FROM staff WHERE role = '管理员' ORDER BY id").fetchone()[0]
        auditor = conn.execute("SELECT id FROM staff WHERE role = ?", (AUDITOR,)).fetchone()[0]
        next_id = (conn.execute("SELECT max(id) FROM point_entries").fetchone()[0] or 0) + 1
        first = today - dt.timedelta(days=3 * 365)
        span = (today - first).days
        recent = today - dt.timedelta(days=30)
        entries, reviews = [], []
        for entry_id in range(next_id, next_id + wanted - have):
            resident, household = rng.choice(people)
            item, value = rng.choice(items)
            day = first + dt.timedelta(days=rng.randrange(span))
            entries.append((entry_id, "deed", resident, household, item, value, day.isoformat(), "", recorder,
                            f"{day.isoformat()} 10:00:00"))
            if day < recent or rng.random() < 0.5:
                decision = "rejected" if rng.random() < 0.02 else "approved"
                reviews.append((entry_id, decision, "", auditor, f"{day.isoformat()} 16:00:00", resident, household,
                                value, day.isoformat()))
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO point_entries (id, kind, resident_id, household_id, item_id, points, deed_date, note, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)
        conn.executemany(
            "INSERT INTO point_reviews (entry_id, decision, reason, reviewed_by, reviewed_at, resident_id, household_id, "
            "points, deed_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reviews)
        conn.commit()
        conn.execute("ANALYZE")
        print(f"added {len(entries):,} entries and {len(reviews):,} reviews in {time.perf_counter() - started:.1f} s")



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "out" / "large")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--notice-households", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = dt.date.today()

    path = generate(args.data_dir, args.households, args.residents)
    database = open_database(database_path(args.data_dir), backups_dir(args.data_dir))
    with database.write() as session:
        if not staff.accounts(session, AUDITOR):
            admin = staff.accounts(session)[0].id
            staff.add(session, admin, "李建国", AUDITOR)
    fill_ledger(path, args.entries, today)

    with database.read() as session:
        entries = session.connection().exec_driver_sql("SELECT count(*) FROM point_entries").scalar()
        households = session.connection().exec_driver_sql("SELECT count(*) FROM households").scalar()
    print(f"compound: {households:,} households, {entries:,} ledger entries")

    # 1. Balances of every household: the service against the same statement in raw sqlite3.
    statement = points.balances_statement("household")
    sql = str(statement.compile(database.engine, compile_kwargs={"literal_binds": True}))

    def service() -> dict[int, int]:
        with database.read() as session:
            return points.balances(session, "household")

    def raw() -> list[tuple[int, int]]:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return conn.execute(sql).fetchall()

    service_time, by_household = timed(service, args.runs)
    raw_time, raw_rows = timed(raw, args.runs)
    assert isinstance(by_household, dict) and isinstance(raw_rows, list) and len(by_household) == len(raw_rows)
    print(f"balances of {len(by_household):,} households: {service_time * 1000:.0f} ms "
          f"(raw sqlite3 {raw_time * 1000:.0f} ms, ratio {service_time / raw_time:.2f}; target ≤ 1.5)")

    # 2. A residents-tab page: the rows (with their points) of 64 residents, as the table reads them.
    with database.read() as session:
        ids = residents.find_ids(session, ResidentQuery())
    rng = random.Random(3)
    starts = [rng.randrange(0, len(ids) - PAGE) for _ in range(args.runs * 4)]
    page_times = []
    for start in starts:
        began = time.perf_counter()
        with database.read() as session:
            residents.rows(session, ids[start:start + PAGE])
        page_times.append(time.perf_counter() - began)
    print(f"residents-tab page of {PAGE} with points: median {statistics.median(page_times) * 1000:.1f} ms, "
          f"worst {max(page_times) * 1000:.1f} ms (target < 50 ms)")

    def by_points() -> list[int]:
        with database.read() as session:
            return residents.find_ids(session, ResidentQuery(sort="points", descending=True))

    sort_time, _ = timed(by_points, max(1, args.runs // 2))
    print(f"residents sorted by points ({len(ids):,}): {sort_time * 1000:.0f} ms")

    # The points tab's pages on this ledger.
    def page(name: str, action: Callable[[Session], object]) -> None:
        def run() -> object:
            with database.read() as session:
                return action(session)

        took, result = timed(run, max(1, args.runs // 2))
        size = len(result) if isinstance(result, (list, dict)) else result
        print(f"  {name}: {took * 1000:.0f} ms ({size})")

    print("points tab:")
    last_month = points.month_of(today.replace(day=1) - dt.timedelta(days=1))
    page("ledger, one month (2,000 newest rows)",
         lambda s: points.ledger(s, points.LedgerQuery(month=last_month)))
    page("ledger count and total, one month", lambda s: points.ledger_summary(s, points.LedgerQuery(month=last_month)))
    page("pending list", lambda s: points.ledger(s, points.LedgerQuery(status=points.PENDING, limit=5000)))
    page("pending count", lambda s: points.pending_count(s))
    page("months overview", lambda s: points.months(s, today))
    page("dual points, a year", lambda s: points.dual_points(s, today.year))
    page("half-year rating preview", lambda s: points.rating_preview(s, points.half_year_of(s, today)))

    # 3. The monthly notice (一栋一表) for about 3,000 households.
    from station import compound, reports

    with database.read() as session:
        tree = compound.tree(session)
    chosen, counted = [], 0
    for node in tree:
        if counted >= args.notice_households:
            break
        chosen.append(node.id)
        counted += sum(unit.households for unit in node.units)
    month = points.month_of(today.replace(day=1) - dt.timedelta(days=1))
    with tempfile.TemporaryDirectory() as folder:
        def notice() -> Path:
            with database.read() as session:
                return reports.make(session, "points-monthly", month, Path(folder) / "notice.pdf",
                                    today=today, building_ids=chosen)

        notice_time, written = timed(notice, max(1, args.runs // 2))
        assert isinstance(written, Path)
        size = written.stat().st_size
    print(f"monthly notice {month} for {counted:,} households ({len(chosen)} buildings): "
          f"{notice_time:.2f} s, {size / 1024:.0f} KB (target < 3 s)")
    database.close()


if __name__ == "__main__":
    main()
