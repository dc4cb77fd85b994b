"""Triggers by which the database itself refuses to lose records.

Residents, households, buildings, units and staff are never deleted (a
resident who moves out is marked); the audit log is append-only.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from db.models import APPEND_ONLY_TABLES, NO_DELETE_TABLES, Base


def guard_statements() -> list[str]:
    """CREATE TRIGGER statements for every guarded table."""
    statements = []
    for table in NO_DELETE_TABLES + APPEND_ONLY_TABLES:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS no_delete_{table} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: records are never deleted'); END"
        )
    for table in APPEND_ONLY_TABLES:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS no_update_{table} BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: entries are never changed'); END"
        )
    return statements


for _statement in guard_statements():
    event.listen(Base.metadata, "after_create", DDL(_statement))  # type: ignore[no-untyped-call]
