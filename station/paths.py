"""Where the station's data lives: the user's data folder, never next to the program."""

from __future__ import annotations

import os
from pathlib import Path

from station import APP_NAME

DATA_DIR_ENV = "STATION_DESK_DATA_DIR"
DATABASE_FILE = "station.sqlite3"


def default_data_dir() -> Path:
    """The user's data folder, e.g. ~/.local/share/StationDesk or %LOCALAPPDATA%\\StationDesk."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(argument: str | None) -> Path:
    """--data-dir first, then the environment variable, then the default."""
    chosen = argument or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILE


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
