"""Files only their owner can read: the data folder 0700, the database, backups, logs and exports 0600."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.migrate import open_database
from station import backups, logs, onboarding, paths
from station.__main__ import main
from station.onboarding import StationDetails

pytestmark = pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX; on Windows the data "
                                "folder is in the user's own profile")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private_umask() -> Iterator[None]:
    """The program's umask (077) for the test, the test process's own back after it."""
    kept = paths.private_umask()
    assert kept is not None
    try:
        yield
    finally:
        os.umask(kept)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A usual umask (022), as before the program sets its own: new files 0644, new folders 0755."""
    kept = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(kept)


def test_an_open_folder_and_its_content_are_tightened(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "data"
    (folder / "backups").mkdir(parents=True)
    (folder / "logs" / "old").mkdir(parents=True)
    files = [folder / "station.sqlite3", folder / "station.sqlite3-wal", folder / "backups" / "station-1.sqlite3",
             folder / "logs" / "station.log", folder / "logs" / "old" / "station.log.1"]
    for path in files:
        path.write_bytes(b"x")
    (folder / "private.txt").write_bytes(b"x")
    (folder / "private.txt").chmod(0o600)
    (folder / "readonly.txt").write_bytes(b"x")
    (folder / "readonly.txt").chmod(0o400)
    (tmp_path / "elsewhere.txt").write_bytes(b"x")
    (folder / "link").symlink_to(tmp_path / "elsewhere.txt")
    assert mode(folder) == 0o755 and mode(files[0]) == 0o644

    changed = paths.secure_data_dir(folder)

    folders = [folder, folder / "backups", folder / "logs", folder / "logs" / "old"]
    assert all(mode(path) == 0o700 for path in folders)
    assert all(mode(path) == 0o600 for path in files)
    assert sorted(changed) == sorted([f"{path}: 0755 → 0700" for path in folders]
                                     + [f"{path}: 0644 → 0600" for path in files])
    # what was private already is left as it is; a link is not followed out of the folder
    assert mode(folder / "private.txt") == 0o600 and mode(folder / "readonly.txt") == 0o400
    assert mode(tmp_path / "elsewhere.txt") == 0o644
    assert paths.secure_data_dir(folder) == []


def test_a_new_data_folder_is_made_private(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "new" / "StationDesk"
    assert paths.secure_data_dir(folder) == []
    assert mode(folder) == 0o700


def test_under_the_programs_umask_the_database_backups_and_logs_are_private(tmp_path: Path,
                                                                            private_umask: None) -> None:
    folder = tmp_path / "data"
    paths.secure_data_dir(folder)
    database = open_database(paths.database_path(folder), paths.backups_dir(folder))
    try:
        with database.write() as session:
            onboarding.set_up(session, StationDetails("测试小区党群服务站", "测试社区", "测试街道"), "李红")
        made = [paths.database_path(folder), folder / "station.sqlite3-wal", folder / "station.sqlite3-shm"]
        assert all(path.exists() and mode(path) == 0o600 for path in made), [oct(mode(p)) for p in made]
        copy = backups.make_backup(paths.database_path(folder), paths.backups_dir(folder), "manual",
                                   dt.datetime(2026, 11, 22, 9, 30))
        assert mode(copy.path) == 0o600 and mode(paths.backups_dir(folder)) == 0o700
        log_file = logs.configure(folder)
        logs.note(folder, ["a note"])
        assert mode(log_file) == 0o600 and mode(paths.logs_dir(folder)) == 0o700
    finally:
        database.close()
    assert paths.secure_data_dir(folder) == []  # nothing the program made was open


def test_the_command_line_tightens_an_open_folder_and_notes_it_in_the_log(
        data_dir: Path, household_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.chmod(0o755)
    paths.database_path(data_dir).chmod(0o644)
    monkeypatch.chdir(tmp_path)
    kept = os.umask(0o022)
    try:
        assert main(["--data-dir", str(data_dir), "report", "points-monthly", "--period", "2026-11",
                     "--date", "2026-11-22", "--out", "notice.pdf"]) == 0
        assert os.umask(0o022) == 0o077  # main() set the program's umask
    finally:
        os.umask(kept)
    assert mode(data_dir) == 0o700 and mode(paths.database_path(data_dir)) == 0o600
    assert mode(tmp_path / "notice.pdf") == 0o600  # made under the program's umask
    log = (paths.logs_dir(data_dir) / logs.LOG_FILE).read_text(encoding="utf-8")
    assert f"made private: {data_dir}: 0755 → 0700" in log
    assert f"made private: {paths.database_path(data_dir)}: 0644 → 0600" in log
    assert mode(paths.logs_dir(data_dir) / logs.LOG_FILE) == 0o600
