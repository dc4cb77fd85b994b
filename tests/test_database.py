"""The SQLite file: pragmas, real transactions, and environment errors named for the user."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.engine import Database, make_engine
from db.errors import DatabaseProblem
from db.migrate import open_database
from db.models import StationInfo
from station import onboarding
from station.onboarding import StationDetails


def test_pragmas(database: Database) -> None:
    with database.read() as session:
        values = {name: session.execute(text(f"PRAGMA {name}")).scalar()
                  for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")}
    assert values == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 5000}


def test_transactions_really_begin_and_savepoints_work(database: Database, staff_id: int) -> None:
    with database.write() as session:
        assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
        raw = session.connection().connection.driver_connection
        assert raw.in_transaction  # BEGIN was emitted by us, not left to pysqlite
        nested = session.begin_nested()
        session.get(StationInfo, 1).name = "改了又撤回"  # type: ignore[union-attr]
        session.flush()
        nested.rollback()
        assert session.get(StationInfo, 1).name == "测试小区党群服务站"  # type: ignore[union-attr]


def test_a_write_waits_for_another_writer_then_says_locked(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    open_database(path, data_dir / "backups").close()
    impatient = Database(path, make_engine(path, busy_timeout_ms=50))
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another copy of the program is writing
        with pytest.raises(DatabaseProblem) as caught, impatient.write() as session:
            onboarding.set_up(session, StationDetails("站", "", ""), "李红")
        other.execute("ROLLBACK")
    assert "正被另一个程序使用" in caught.value.message
    with impatient.read() as session:
        assert session.scalar(select(func.count()).select_from(StationInfo)) == 0
    impatient.close()


def test_a_file_that_is_not_a_database(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(DatabaseProblem, match="不是工作台的数据文件"):
        open_database(path, data_dir / "backups")
    assert path.read_bytes().startswith(b"this is a spreadsheet")


def test_an_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "missing" / "deeper"
    with pytest.raises(DatabaseProblem, match="无法打开数据文件"):
        open_database(folder / "station.sqlite3", tmp_path / "backups")


def test_a_full_disk_is_named(database: Database, staff_id: int) -> None:
    with database.read() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar()
    with pytest.raises(DatabaseProblem, match="磁盘空间已满"), database.write() as session:
        # Cap the file at its current size: the next large write fails as on a full disk.
        session.execute(text(f"PRAGMA max_page_count = {pages}"))
        session.execute(text("CREATE TABLE filler (x BLOB)"))
        session.execute(text("INSERT INTO filler VALUES (zeroblob(10000000))"))
    with database.read() as session:
        assert session.execute(text("SELECT name FROM sqlite_master WHERE name = 'filler'")).first() is None
