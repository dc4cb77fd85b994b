"""Backups on a large compound: how long a checked backup takes, and whether the window stays responsive.

    python benchmarks/bench_backup.py     # the large compound of the other benchmarks (made on first use)

Run bench_points.py and bench_tickets.py first for the full-size file (a million ledger entries, 50,000
tickets); on a bare compound it measures the smaller file. It prints the file's size, the time of one
backup (online backup API plus integrity check), the time of the start-up check, and — while the window's
BackupKeeper makes a backup in its thread — the longest pause between 10 ms ticks of the window's event loop.

Target (issue: safety of the records): a backup of the large compound under 5 s, not blocking the window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_compound import generate  # noqa: E402

from db.migrate import open_database  # noqa: E402
from station import backups  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402

TARGET_S = 5.0


def time_backups(path: Path, runs: int) -> None:
    for full, what in ((False, "automatic backup (copy + quick_check)"),
                       (True, "start's backup (copy + integrity_check, in the background)")):
        times = []
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(runs if not full else 1):
                started = time.perf_counter()
                made = backups.make_backup(path, Path(folder), "bench", full_check=full)
                times.append(time.perf_counter() - started)
                made.path.unlink()
        took = statistics.median(times)
        aim = f"; target < {TARGET_S:.0f} s" if not full else ""
        print(f"{what}: {took:.2f} s (median of {len(times)}{aim})" + ("  SLOW" if took > TARGET_S and not full else ""))
    started = time.perf_counter()
    found = backups.problems(path)
    print(f"start-up check (quick_check + foreign_key_check): {time.perf_counter() - started:.2f} s"
          f" ({'ok' if not found else found[:2]})")


def time_responsiveness(data_dir: Path) -> None:
    """Ticks of the window's event loop every 10 ms while the keeper backs up in its thread."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.backups import BackupKeeper

    app = QApplication.instance() or QApplication([])
    database = open_database(database_path(data_dir), backups_dir(data_dir))
    with tempfile.TemporaryDirectory() as folder:
        keeper = BackupKeeper(database, Path(folder))
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start(10)
        done: list[float] = []
        keeper.finished.connect(lambda _text, _ok: done.append(time.perf_counter()))
        started = time.perf_counter()
        keeper.backup_in_background("bench", full_check=True)  # the longest: the start's
        while not done and time.perf_counter() - started < 120:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        keeper.wait()
        keeper.deleteLater()
        app.processEvents()
    database.close()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    print(f"while backing up in the background ({done[0] - started:.2f} s): {len(ticks)} ticks of 10 ms, "
          f"longest pause {max(gaps) * 1000:.0f} ms, median {statistics.median(gaps) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "out" / "large")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = generate(args.data_dir, args.households, args.residents)
    open_database(path, backups_dir(args.data_dir)).close()  # upgraded to the current schema first
    print(f"data file: {path.stat().st_size / 1048576:.0f} MB")
    time_backups(path, args.runs)
    time_responsiveness(args.data_dir)


if __name__ == "__main__":
    main()
