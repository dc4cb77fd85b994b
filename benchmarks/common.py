"""What the benchmarks share: timing a call over several runs, and datetimes written as SQLAlchemy stores them."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable


def timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    """The median time of ``runs`` calls of ``action`` in seconds, and what the last call returned."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def stamp(moment: dt.datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (for raw inserts)."""
    return f"{moment:%Y-%m-%d %H:%M:%S}.000000"
