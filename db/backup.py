"""Copies of the database file made with SQLite's online backup API, checked after writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path


class BackupFailed(Exception):
    """The copy could not be made or did not pass the integrity check."""


def backup_file(source: Path, target: Path) -> Path:
    """Copy the SQLite file ``source`` to ``target`` (which must not exist) and check it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupFailed(f"{target} exists already")
    try:
        with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(
            sqlite3.connect(target)
        ) as dst:
            src.backup(dst)
            # A backup is a plain file: keep it out of WAL mode so it is self-contained.
            dst.execute("PRAGMA journal_mode = DELETE")
            result = dst.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise BackupFailed(str(error)) from error
    if result is None or result[0] != "ok":
        target.unlink(missing_ok=True)
        raise BackupFailed(f"integrity check of {target.name}: {result}")
    return target


def timestamped_name(label: str, now: dt.datetime | None = None) -> str:
    """A backup file name such as ``station-20261122-093000-before-upgrade.sqlite3``."""
    now = now or dt.datetime.now()
    return f"station-{now:%Y%m%d-%H%M%S}-{label}.sqlite3"
