"""The program's log file (data folder/logs/station.log)."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Sequence
from pathlib import Path

from station.paths import logs_dir

LOG_FILE = "station.log"


def configure(data_dir: Path) -> Path:
    """Send log records to a rotating file in the data folder; returns its path."""
    folder = logs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return path


def note(data_dir: Path, lines: Sequence[str], name: str = "station.cli") -> None:
    """Add ``lines`` to the log file now, without keeping it open: the command line's notes.

    The command line does not configure the program's log; a window running meanwhile keeps its own.
    """
    if not lines:
        return
    folder = logs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / LOG_FILE, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        for line in lines:
            logger.warning(line)
    finally:
        logger.removeHandler(handler)
        handler.close()
