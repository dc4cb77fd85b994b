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


# ------------------------------------------------------------------ files only their owner can read

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_OPEN_BITS = 0o077  # any permission for the group or for others


def private_umask() -> int | None:
    """Make every file and folder the program creates from now on private to its owner (umask 077).

    Covers what SQLite makes beside the database (-wal, -shm), backups, logs and exports. Returns the
    previous umask, or None where there is none (Windows: the data folder is in the user's own profile).
    """
    if os.name != "posix":
        return None
    return os.umask(0o077)


def secure_data_dir(data_dir: Path) -> list[str]:
    """Create the data folder private (0700), and make private what is in it: sub-folders 0700, files 0600.

    Returns what was tightened, one line each ("/path: 0755 → 0700"), for the log; [] when all was private
    already. On Windows the folder is only created: it lives in the user's own profile, and chmod does not
    apply there. Symbolic links are not followed.

    Raises:
        OSError: the folder cannot be created.
    """
    data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if os.name != "posix":
        return []
    changed: list[str] = []

    def tighten(path: Path, private: int) -> None:
        try:
            mode = path.lstat().st_mode & 0o7777
            if mode & _OPEN_BITS:
                path.chmod(private)
                changed.append(f"{path}: {mode:04o} → {private:04o}")
        except OSError:
            pass  # gone meanwhile, or not ours: what can be tightened is

    tighten(data_dir, PRIVATE_DIR)
    for folder, folders, files in os.walk(data_dir):
        here = Path(folder)
        for name in folders:
            if not (here / name).is_symlink():
                tighten(here / name, PRIVATE_DIR)
        for name in files:
            if not (here / name).is_symlink():
                tighten(here / name, PRIVATE_FILE)
    return changed
