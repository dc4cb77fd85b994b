"""Issue tickets on a large compound: 50,000 tickets, the overdue list and counts, the month's figures.

    python benchmarks/bench_tickets.py     # 10,000 households, 30,000 residents, 50,000 tickets

Adds (once) about three years of tickets at a large compound's scale — every category and source, most
closed (on time or late) and visited, the latest weeks open, some past their limit — with their history,
by raw inserts in one transaction, like bench_points' ledger.

Target (issue: tickets): open the 问题工单 tab with the overdue filter under 200 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import stamp, timed  # noqa: E402
from benchmarks.generate_compound import generate  # noqa: E402

from db.migrate import open_database  # noqa: E402
from station import onboarding, settings, tickets  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402
from station.tickets import TicketQuery  # noqa: E402

TARGET_MS = 200



def fill_tickets(path: Path, now: dt.datetime, count: int = 50_000, seed: int = 11) -> None:
    """Add ``count`` tickets over the years up to ``now`` with their events: raw inserts, one transaction.

    Only when there are none yet.
    """
    with contextlib.closing(sqlite3.connect(path)) as conn:
        have = conn.execute("SELECT count(*) FROM tickets").fetchone()[0]
        if have:
            print(f"{have:,} tickets there already")
            return
        started = time.perf_counter()
        rng = random.Random(seed)
        staff = conn.execute("SELECT id FROM staff ORDER BY id LIMIT 1").fetchone()[0]
        people = conn.execute(
            "SELECT r.id, u.building_id, u.id FROM residents r JOIN households h ON h.id = r.household_id "
            "JOIN units u ON u.id = h.unit_id WHERE r.moved_out_on IS NULL").fetchall()
        span = dt.timedelta(days=3 * 365)
        first = now - span
        categories = list(settings.DEFAULT_TICKET_DAYS.items())
        ticket_rows, event_rows = [], []
        for ticket_id in range(1, count + 1):
            accepted = first + span * (ticket_id / count) + dt.timedelta(minutes=rng.randint(0, 600))
            accepted = min(accepted, now - dt.timedelta(minutes=5)).replace(microsecond=0)
            category, days = rng.choice(categories)
            due = accepted.date() + dt.timedelta(days=days)
            reporter, building, unit = rng.choice(people)
            source = rng.choice(tickets.SOURCES)
            events = [("accepted", "", "已受理", accepted, source)]
            state, closed, satisfaction, handed = "已受理", None, "", ""
            took = dt.timedelta(hours=24 * days * rng.choice((0.2, 0.5, 0.8, 0.95, 1.2, 2.0)))
            done = accepted + took
            if done < now and rng.random() < 0.97:
                if rng.random() < 0.3:
                    events.append(("hand_over", "已受理", "已转办", accepted + took / 3, "请按时限办理"))
                    handed, before = "物业公司", "已转办"
                else:
                    events.append(("start", "已受理", "处理中", accepted + took / 3, ""))
                    before = "处理中"
                events.append(("finish", before, "已办结", done, "已办好"))
                state, closed = "已办结", done
                visit = done + dt.timedelta(days=rng.randint(2, 6))
                if visit < now:
                    satisfaction = rng.choice(("满意", "满意", "基本满意"))
                    events.append(("follow_up", "已办结", "已回访", visit, f"回访：{satisfaction}"))
                    state = "已回访"
            elif rng.random() < 0.5:
                events.append(("start", "已受理", "处理中", accepted + dt.timedelta(hours=2), ""))
                state = "处理中"
            ticket_rows.append((ticket_id, source, f"工单{ticket_id}", "", category, "一般", reporter, building, unit, "",
                                state, stamp(accepted), due.isoformat(), handed, "已办好" if closed else "",
                                stamp(closed) if closed else None, satisfaction, staff, stamp(accepted)))
            for kind, before, after, at, note in events:
                event_rows.append((ticket_id, kind, before, after, note, "", stamp(at.replace(microsecond=0)), staff,
                                   stamp(accepted)))
        conn.executemany(
            "INSERT INTO tickets (id, source, title, description, category, priority, reporter_id, building_id, "
            "unit_id, place, state, accepted_at, due_on, handed_to, result, closed_at, satisfaction, recorded_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ticket_rows)
        conn.executemany(
            "INSERT INTO ticket_events (ticket_id, kind, from_state, to_state, note, to_whom, at, staff_id, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
        conn.commit()
        print(f"added {count:,} tickets and {len(event_rows):,} history lines in {time.perf_counter() - started:.1f} s")



def time_tab(data_dir: Path, runs: int) -> None:
    """Time the 问题工单 tab: created, shown offscreen with the overdue filter and drawn."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.tickets_tab import OVERDUE, TicketsTab

    app = QApplication.instance() or QApplication([])
    database = open_database(database_path(data_dir), backups_dir(data_dir))
    try:
        with database.read() as session:
            acting = onboarding.acting_staff(session)
        assert acting is not None
        opened, rows = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            tab = TicketsTab(database, acting[0], None)
            tab.tickets.show_view(OVERDUE)  # chosen before it is shown: one read, as the status bar's link does
            tab.resize(1280, 800)
            tab.show()
            app.processEvents()
            opened.append(time.perf_counter() - started)
            rows = tab.tickets.model.rowCount()
            tab.close()
            tab.deleteLater()
            app.processEvents()
        took = statistics.median(opened) * 1000
        print(f"问题工单 tab opened on 逾期 ({rows:,} tickets): {took:.0f} ms (target < {TARGET_MS} ms)"
              + ("  SLOW" if took > TARGET_MS else ""))
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "out" / "large")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-tab", action="store_true", help="skip timing the UI tab")
    args = parser.parse_args()
    now = dt.datetime.now().replace(microsecond=0)
    today = now.date()

    path = generate(args.data_dir, args.households, args.residents)
    database = open_database(database_path(args.data_dir), backups_dir(args.data_dir))  # migrates an older file
    database.close()
    fill_tickets(path, now, args.tickets)
    database = open_database(database_path(args.data_dir), backups_dir(args.data_dir))

    def page(name: str, action: Callable[..., object]) -> None:
        def run() -> object:
            with database.read() as session:
                return action(session)

        took, result = timed(run, args.runs)
        size = len(result) if isinstance(result, list) else ""
        print(f"  {name}: {took * 1000:.1f} ms" + (f" ({size} rows)" if size != "" else ""))

    with database.read() as session:
        print(f"compound: {session.connection().exec_driver_sql('SELECT count(*) FROM tickets').scalar():,} tickets")
    print("ticket services (median of", args.runs, "runs):")
    page("counts for the status bar (open, overdue, 回访 due)", lambda s: [tickets.counts(s, today)])
    page("the overdue list", lambda s: tickets.tickets(s, TicketQuery(overdue=True), today=today))
    page("the 回访-due list", lambda s: tickets.tickets(s, TicketQuery(follow_up=True), today=today))
    page("all tickets, newest 2,000", lambda s: tickets.tickets(s, TicketQuery(), today=today))
    page("a word search", lambda s: tickets.tickets(s, TicketQuery(text="工单4999"), today=today))
    page("this month's figures by category", lambda s: tickets.month_figures(s, f"{today:%Y-%m}"))
    database.close()
    if not args.no_tab:
        time_tab(args.data_dir, args.runs)


if __name__ == "__main__":
    main()
