"""Opening a station database: create and stamp a new file, back up and upgrade an old one.

Runs before the window opens. A file written by a newer program is refused
and left untouched.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

import db.guards  # noqa: F401  (registers the guard triggers on the metadata)
from db.backup import backup_file, timestamped_name
from db.engine import Database, make_engine
from db.errors import DatabaseProblem, translate_errors
from db.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Knowing it here lets a start-up
# on an up-to-date file skip importing Alembic; tests check it matches.
HEAD_REVISION = "0011"


class DatabaseTooNew(DatabaseProblem):
    """The file was written by a newer version of the program."""


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision id the migrations know."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def script_head() -> str:
    """The head revision according to the migration scripts."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(path: Path) -> str | None:
    """The revision stamped in the file, or None for a new, empty file."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseProblem("这个文件不是工作台的数据文件，没有打开它，文件也没有被改动。")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def _run_with_foreign_keys_off(engine: Engine, work: Callable[[Connection], object]) -> None:
    """Run ``work(connection)`` in one transaction with foreign keys off.

    Batch migrations rebuild tables, which foreign keys would block; the
    pragma cannot change inside a transaction, so it is set on the raw
    connection first and the keys are checked before commit.
    """
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                work(connection)
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def create_schema(engine: Engine) -> None:
    """Create every table of a new file and stamp it with the head revision."""
    from alembic import command

    def work(connection: Connection) -> None:
        Base.metadata.create_all(connection)
        command.stamp(_alembic_config(connection), "head")

    _run_with_foreign_keys_off(engine, work)


def upgrade_schema(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target`` in one transaction."""
    from alembic import command

    _run_with_foreign_keys_off(engine, lambda connection: command.upgrade(_alembic_config(connection), target))


def open_database(path: Path, backup_dir: Path) -> Database:
    """Open (creating or upgrading as needed) the station database at ``path``.

    Raises:
        DatabaseTooNew: the file comes from a newer program; it is not touched.
        DatabaseProblem: the file cannot be opened, read or backed up.
    """
    path = Path(path)
    with translate_errors():
        revision = current_revision(path) if path.exists() else None
    if revision is not None and revision != HEAD_REVISION and revision not in known_revisions():
        raise DatabaseTooNew(
            f"这个数据文件来自更新版本的工作台（数据版本 {revision}），当前程序无法打开它。"
            "请安装最新版本的工作台。文件没有被改动。"
        )
    engine = make_engine(path)
    try:
        with translate_errors():
            if revision is None and not inspect(engine).get_table_names():
                create_schema(engine)
            elif revision != HEAD_REVISION:
                try:
                    backup_file(path, backup_dir / timestamped_name(f"before-upgrade-{revision}"))
                except Exception as error:
                    raise DatabaseProblem(
                        "升级数据文件前无法先做备份，为安全起见没有升级。请检查磁盘空间。", str(error)
                    ) from error
                upgrade_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine)
