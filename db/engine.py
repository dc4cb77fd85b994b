"""The SQLite engine and the session scopes every staff action runs in."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from db.errors import translate_errors

BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Pragmas and real transactions for pysqlite.

    Python's sqlite3 module (before 3.12's autocommit attribute) neither emits
    BEGIN before SELECT or DDL nor keeps SAVEPOINTs working. SQLAlchemy's SQLite
    dialect notes give the fix: turn off the driver's own transaction handling
    and emit BEGIN ourselves. Writes use BEGIN IMMEDIATE, so a second writer
    waits at the start (busy timeout) instead of failing half-way through.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on the SQLite file at ``path`` (created if missing)."""
    # hide_parameters: an error's text (which may reach the log) never carries the values of a statement
    # (a password hash, a resident's phone or ID number).
    engine = create_engine(f"sqlite+pysqlite:///{path}", future=True, hide_parameters=True)
    _configure_sqlite(engine, busy_timeout_ms)
    return engine


class Database:
    """One open station database file.

    ``write()`` scopes one staff action: one transaction that commits all of it
    (audit row included) or nothing. ``read()`` scopes a query.
    """

    def __init__(self, path: Path, engine: Engine | None = None) -> None:
        self.path = Path(path)
        self.engine = engine if engine is not None else make_engine(self.path)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed when the block ends."""
        with translate_errors(), self._write.begin() as session:
            yield session

    @contextlib.contextmanager
    def trial(self) -> Iterator[Session]:
        """A write transaction that is always rolled back: shows what an action would do."""
        with translate_errors(), self._write() as session:
            session.begin()
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading, rolled back when the block ends."""
        with translate_errors(), self._read() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
