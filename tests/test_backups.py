"""Backups: made and checked, thinned over a simulated year, copied to a stick, restored; faults told in Chinese."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from pathlib import Path

import pytest

from db.engine import Database
from db.migrate import open_database
from station import backups, compound, residents
from station.backups import BackupError, ThinPolicy
from station.compound import HouseholdInput
from station.residents import ResidentInput

NOW = dt.datetime(2026, 12, 2, 10, 0)


def _resident(db: Database, staff: int, name: str) -> int:
    with db.write() as session:
        room = str(101 + len(residents.ResidentFinder().find(session, residents.ResidentQuery())))
        household = compound.add_household(session, staff, HouseholdInput("3", "2", room))
        return residents.add_resident(session, staff, ResidentInput(name, household, "男", "1956-03-02", relation="户主"))


def _names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM residents")}


def test_a_backup_is_a_checked_copy_listed_with_its_counts(database: Database, staff_id: int, data_dir: Path) -> None:
    _resident(database, staff_id, "张三明")
    made = backups.make_backup(database.path, data_dir / "backups", "auto", NOW)
    assert made.path.name == "station-20261202-100000-auto.sqlite3" and made.kind == "自动"
    assert backups.problems(made.path) == []
    assert backups.counts(made.path)["居民"] == 1
    assert [info.path for info in backups.list_backups(data_dir / "backups")] == [made.path]
    assert _names(made.path) == {"张三明"}


def test_restore_puts_the_backup_back_and_keeps_the_file_as_it_was(data_dir: Path, staff_id: int,
                                                                    database: Database) -> None:
    _resident(database, staff_id, "张三明")
    made = backups.make_backup(database.path, data_dir / "backups", "auto", NOW)
    _resident(database, staff_id, "李四")
    database.close()
    restored = backups.restore(database.path, made, data_dir / "backups", NOW + dt.timedelta(minutes=5))
    assert _names(database.path) == {"张三明"}
    assert restored.saved_as is not None and _names(restored.saved_as.path) == {"张三明", "李四"}
    assert "已把数据恢复到 2026-12-02 10:00 的备份（居民1，" in restored.summary
    reopened = open_database(database.path, data_dir / "backups")  # the program opens it as usual
    reopened.close()


def test_a_damaged_file_is_found_and_a_damaged_backup_is_not_restored(tmp_path: Path, database: Database,
                                                                      staff_id: int, data_dir: Path) -> None:
    for n in range(30):
        _resident(database, staff_id, "张三明" + "甲乙丙丁戊己庚辛壬癸"[n % 10] * (1 + n // 10))
    good = backups.make_backup(database.path, data_dir / "backups", "auto", NOW)
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):  # scribble over every page after the first
        data[offset:offset + 200] = b"\xff" * 200
    damaged.write_bytes(bytes(data))
    assert backups.problems(damaged)
    with pytest.raises(backups.DamagedData, match="数据文件检查没有通过"):
        backups.make_backup(damaged, tmp_path / "copies", "start")
    assert not list((tmp_path / "copies").glob("*.sqlite3"))  # a copy of a damaged file is not kept
    copy = data_dir / "backups" / "station-20261202-110000-auto.sqlite3"
    copy.write_bytes(bytes(data))
    bad = backups.parse(copy)
    assert bad is not None
    with pytest.raises(BackupError, match="已损坏"):
        backups.restore(database.path, bad, data_dir / "backups")
    assert backups.newest_good(data_dir / "backups") == good  # the newer one is damaged


def _year_of_backups(folder: Path) -> list[dt.datetime]:
    folder.mkdir(parents=True, exist_ok=True)
    times = [NOW - dt.timedelta(hours=6 * n) for n in range(4 * 400)]  # four a day for 400 days
    for moment in times:
        (folder / f"station-{moment:%Y%m%d-%H%M%S}-auto.sqlite3").write_bytes(b"")
    (folder / "station-20250101-090000-manual.sqlite3").write_bytes(b"")
    (folder / "station-20250301-090000-before-upgrade-0003.sqlite3").write_bytes(b"")
    return times


def test_thinning_a_simulated_year_keeps_recent_daily_weekly_monthly(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    _year_of_backups(folder)
    removed = backups.thin(folder, NOW, ThinPolicy(keep_all_days=2, daily_days=14, weekly_weeks=8,
                                                   monthly_months=12))
    kept = backups.list_backups(folder)
    automatic = [info.made_at for info in kept if info.automatic]
    recent = [t for t in automatic if NOW - t < dt.timedelta(days=2)]
    assert len(recent) == 8  # every one of the last two days
    daily = [t for t in automatic if dt.timedelta(days=2) <= NOW - t < dt.timedelta(days=16)]
    assert len({t.date() for t in daily}) == len(daily) and 14 <= len(daily) <= 15  # one a day
    weekly = [t for t in automatic if dt.timedelta(days=16) <= NOW - t < dt.timedelta(days=16 + 56)]
    assert len({t.isocalendar()[:2] for t in weekly}) == len(weekly) and 8 <= len(weekly) <= 9
    monthly = [t for t in automatic if NOW - t >= dt.timedelta(days=16 + 56)]
    assert len({(t.year, t.month) for t in monthly}) == len(monthly)
    assert min(monthly) >= dt.datetime(2025, 11, 1)  # nothing older than twelve months back
    assert {info.kind for info in kept if not info.automatic} == {"手动", "升级前"}  # never thinned
    assert len(removed) == 1600 - len(automatic)
    assert backups.thin(folder, NOW) == []  # thinning again removes nothing more


@pytest.mark.parametrize(("error", "said"), [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘（或U盘）已满"),
    (PermissionError(errno.EACCES, "Permission denied"), "无法写入这个文件夹"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "无法写入这个文件夹"),
    (OSError(errno.EIO, "Input/output error"), "U盘在复制时被拔出"),
])
def test_a_failed_backup_is_told_in_chinese_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch, database: Database,
                                                              staff_id: int, data_dir: Path, error: Exception,
                                                              said: str) -> None:
    _resident(database, staff_id, "张三明")

    def fail(source: Path, target: Path, full_check: bool = True) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"half a copy")
        raise error

    monkeypatch.setattr("station.backups.backup_file", fail)
    with pytest.raises(BackupError, match=said):
        backups.make_backup(database.path, data_dir / "backups", "auto", NOW)
    assert backups.list_backups(data_dir / "backups") == []
    assert backups.problems(database.path) == [] and _names(database.path) == {"张三明"}


def test_copy_to_a_stick_that_is_not_there_is_refused(database: Database, staff_id: int, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="U盘是否插好"):
        backups.copy_to(database.path, tmp_path / "no-stick")
    stick = tmp_path / "stick"
    stick.mkdir()
    made = backups.copy_to(database.path, stick, NOW)
    assert made.kind == "手动" and backups.problems(made.path) == []


def test_the_starts_full_check_also_finds_broken_links_between_records(database: Database, staff_id: int,
                                                                       tmp_path: Path) -> None:
    _resident(database, staff_id, "张三明")
    database.close()
    with sqlite3.connect(database.path) as conn:  # a resident of a household that is not there
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE residents SET household_id = 9999")
    assert backups.problems(database.path)
    with pytest.raises(backups.DamagedData):
        backups.make_backup(database.path, tmp_path / "copies", "start", full_check=True)


def test_a_restore_over_a_damaged_file_that_fails_puts_the_damaged_file_back(
        monkeypatch: pytest.MonkeyPatch, database: Database, staff_id: int, data_dir: Path) -> None:
    _resident(database, staff_id, "张三明")
    good = backups.make_backup(database.path, data_dir / "backups", "auto", NOW)
    database.close()
    data = bytearray(database.path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):
        data[offset:offset + 200] = b"\xff" * 200
    database.path.write_bytes(bytes(data))

    def stick_pulled_out(backup: Path, target: Path) -> None:
        sqlite3.connect(target).close()  # the empty file SQLite makes before it fails
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("station.backups.restore_file", stick_pulled_out)
    with pytest.raises(BackupError, match="恢复失败"):
        backups.restore(database.path, good, data_dir / "backups", NOW)
    assert database.path.read_bytes() == bytes(data)  # the damaged file as it was, not an empty one
    assert not list(data_dir.glob("*-damaged-*.sqlite3"))
