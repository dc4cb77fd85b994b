"""Schema creation and upgrades: new files stamped, old files backed up and upgraded, newer ones refused."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.engine import make_engine
from db.guards import guard_statements
from db.migrate import HEAD_REVISION, DatabaseTooNew, open_database, script_head, upgrade_schema
from db.models import Base
from station import residents
from station.residents import ResidentQuery

STORED_0001 = Path(__file__).parent / "data" / "station-0001.sqlite3"


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_head_revision_constant_matches_the_scripts() -> None:
    assert HEAD_REVISION == script_head()


def test_a_new_file_is_created_and_stamped(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    open_database(path, data_dir / "backups").close()
    assert query(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert not (data_dir / "backups").exists()  # nothing to back up in a new file


def test_migrations_from_scratch_build_exactly_the_models(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    engine = make_engine(migrated)
    upgrade_schema(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()
    created = tmp_path / "created.sqlite3"
    open_database(created, tmp_path / "backups").close()
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    assert query(migrated, triggers) == query(created, triggers)
    assert len(query(created, triggers)) == len(guard_statements())


def test_a_stored_old_file_is_backed_up_and_upgraded(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    shutil.copy(STORED_0001, path)
    database = open_database(path, data_dir / "backups")
    try:
        with database.read() as session:
            ids = residents.find_ids(session, ResidentQuery(text="zsm"))
            form = residents.load_form(session, ids[0])
        assert (form.name, form.address, form.care_tags, form.roles) == ("张三明", "3栋2单元501", (), ("楼栋长",))
        assert query(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
        assert query(path, "SELECT count(*) FROM residents") == [(2,)]
        assert query(path, "SELECT liaison_id FROM households") == [(None,)]
        # the guards survive the table rebuilds of the upgrade
        assert len(query(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'")) == len(guard_statements())
    finally:
        database.close()
    backups = list((data_dir / "backups").glob("*before-upgrade-0001.sqlite3"))
    assert len(backups) == 1
    assert query(backups[0], "SELECT version_num FROM alembic_version") == [("0001",)]
    assert query(backups[0], "PRAGMA integrity_check") == [("ok",)]


def test_a_file_from_a_newer_program_is_refused_and_untouched(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    shutil.copy(STORED_0001, path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as caught:
        open_database(path, data_dir / "backups")
    assert "更新版本" in caught.value.message and "0099" in caught.value.message
    assert path.read_bytes() == before
    assert not (data_dir / "backups").exists()


def test_a_foreign_sqlite_file_is_refused(data_dir: Path) -> None:
    path = data_dir / "station.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(Exception, match="不是工作台的数据文件"):
        open_database(path, data_dir / "backups")
