"""Triggers by which the database itself refuses to lose or bend records.

Residents, households, buildings, units, staff and the rest are never
deleted (a resident who moves out is marked); ledgers and the audit log are
append-only; a review copies its entry exactly; a closed month takes no entries.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from db.models import APPEND_ONLY_TABLES, NO_DELETE_TABLES, Base

# A review repeats its entry's resident, household, points and date; the copy must be exact.
REVIEW_COPY_CHECK = (
    "CREATE TRIGGER IF NOT EXISTS point_reviews_copy_entry BEFORE INSERT ON point_reviews "
    "WHEN NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.id = NEW.entry_id "
    "AND e.resident_id IS NEW.resident_id AND e.household_id = NEW.household_id "
    "AND e.points = NEW.points AND e.deed_date = NEW.deed_date AND e.kind = NEW.kind) "
    "BEGIN SELECT RAISE(ABORT, 'point_reviews: the copy differs from its entry'); END"
)

# A closed month (一月一评) takes no new entries, whoever writes them.
CLOSED_MONTH_CHECK = (
    "CREATE TRIGGER IF NOT EXISTS point_entries_open_month BEFORE INSERT ON point_entries "
    "WHEN EXISTS (SELECT 1 FROM point_months WHERE month = substr(NEW.deed_date, 1, 7)) "
    "BEGIN SELECT RAISE(ABORT, 'point_entries: the month is closed'); END"
)


# Stock never goes below zero, whoever writes the movement.
STOCK_CHECK = (
    "CREATE TRIGGER IF NOT EXISTS stock_moves_not_below_zero BEFORE INSERT ON stock_moves "
    "WHEN (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE item_id = NEW.item_id) + NEW.quantity < 0 "
    "BEGIN SELECT RAISE(ABORT, 'stock_moves: stock would go below zero'); END"
)


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
    statements.append(CLOSED_MONTH_CHECK)
    statements.append(STOCK_CHECK)
    return statements


for _statement in guard_statements():
    event.listen(Base.metadata, "after_create", DDL(_statement))  # type: ignore[no-untyped-call]
