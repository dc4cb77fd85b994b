"""Exports leave a trace: every list or spreadsheet that leaves the program writes one 操作记录 row.

A file that leaves the desk (a roster, the rows an import rejected, the monthly summary) carries
residents' data out of reach of the program's rights. Whoever writes one records it with
:func:`record_export`, in the same transaction as the rest of the action: who, which file (its name
only, never the folder it went to), how many rows and which columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEntry
from station import audit


def record_export(session: Session, staff_id: int | None, title: str, path: Path | str, rows: int,
                  columns: Sequence[str], *, unit: str = "行", **extra: Any) -> AuditEntry:
    """One 操作记录 row for an export, in the caller's transaction.

    The summary reads 「导出居民名单：居民名单.xlsx，794人，列：姓名、性别、…」; ``after`` keeps the file
    name, the row count and the columns, and whatever ``extra`` adds (``full_id_numbers=True``).
    ``unit`` names what a row is (人, 行, 项指标).
    """
    name = Path(path).name
    shown = [column for column in columns if column]
    summary = f"{title}：{name}，{rows}{unit}，列：{'、'.join(shown) or '（无）'}"
    after: dict[str, Any] = {"file": name, "rows": rows, "columns": shown, **extra}
    return audit.record(session, staff_id, "export", "document", None, summary, after=after)


def workbook_rows(path: Path) -> dict[str, int]:
    """The data rows (below the header row) of each sheet of a written .xlsx, by sheet name."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: max((sheet.max_row or 1) - 1, 0) for sheet in book.worksheets}
    finally:
        book.close()


__all__ = ["record_export", "workbook_rows"]
