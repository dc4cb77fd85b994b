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
    statements.append(REVIEW_COPY_CHECK)
    return statements


# A review repeats its entry's resident, household, points and date; the copy must be exact.
REVIEW_COPY_CHECK = (
    "CREATE TRIGGER IF NOT EXISTS point_reviews_copy_entry BEFORE INSERT ON point_reviews "
    "WHEN NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.id = NEW.entry_id "
    "AND e.resident_id IS NEW.resident_id AND e.household_id = NEW.household_id "
    "AND e.points = NEW.points AND e.deed_date = NEW.deed_date) "
    "BEGIN SELECT RAISE(ABORT, 'point_reviews: the copy differs from its entry'); END"
)


for _statement in guard_statements():
    event.listen(Base.metadata, "after_create", DDL(_statement))  # type: ignore[no-untyped-call]
