"""The home tab (首页) on a large compound: its counts, the month's figures, twelve months of charts.

    python benchmarks/bench_home.py     # run bench_points.py and bench_tickets.py first for the full size

Target (issue: the home tab): open it under 300 ms at 10,000 households, 1,000,000 ledger entries and
50,000 tickets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import timed  # noqa: E402
from benchmarks.generate_compound import generate  # noqa: E402

from db.migrate import open_database  # noqa: E402
from station import home, onboarding, points  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402

TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "out" / "large")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    generate(args.data_dir, 10_000, 30_000)
    database = open_database(database_path(args.data_dir), backups_dir(args.data_dir))
    today = dt.date.today()
    with database.read() as session:
        sql = session.connection().exec_driver_sql
        print(f"compound: {sql('SELECT count(*) FROM households').scalar():,} households, "
              f"{sql('SELECT count(*) FROM point_entries').scalar():,} ledger entries, "
              f"{sql('SELECT count(*) FROM tickets').scalar():,} tickets")
    for name, action in (("today's counts", lambda s: home.today_counts(s, today)),
                         ("this month's figures and a year before", lambda s: home.month_figures(
                             s, points.month_of(today))),
                         ("twelve months of charts", lambda s: home.last_twelve_months(s, today))):
        def run(action=action) -> object:  # type: ignore[no-untyped-def]
            with database.read() as session:
                return action(session)

        took, _result = timed(run, args.runs)
        print(f"  {name}: {took * 1000:.0f} ms")

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.home_tab import HomeTab

    app = QApplication.instance() or QApplication([])
    with database.read() as session:
        acting = onboarding.acting_staff(session)
    assert acting is not None
    shown, charted = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        tab = HomeTab(database, acting[0])
        tab.resize(1280, 800)
        tab.show()
        while tab.counts is None:  # the counts and the month's figures, read once the tab has painted
            app.processEvents()
        app.processEvents()  # … and drawn
        shown.append(time.perf_counter() - started)
        while tab.charts[0].series is None:  # then the twelve months' charts
            app.processEvents()
        app.processEvents()
        charted.append(time.perf_counter() - started)
        tab.close()
        tab.deleteLater()
        app.processEvents()
    took = statistics.median(shown) * 1000
    print(f"首页 shown with its counts and figures: {took:.0f} ms (median of {args.runs}; target < {TARGET_MS} ms)"
          + ("  SLOW" if took > TARGET_MS else ""))
    print(f"  … and its twelve months' charts filled in: {statistics.median(charted) * 1000:.0f} ms")
    database.close()


if __name__ == "__main__":
    main()
