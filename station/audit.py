"""The audit log (操作记录): every change, who made it and when, in the change's own transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Staff

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "move_out": "迁出",
    "undo_move_out": "撤销迁出",
    "set_up": "初始设置",
    "demo": "载入示例小区",
}


def record(
    session: Session,
    staff_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit row to the session (committed with the change it records)."""
    entry = AuditEntry(
        at=dt.datetime.now().replace(microsecond=0),
        staff_id=staff_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
        after=None if after is None else json.dumps(after, ensure_ascii=False, default=str),
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryItem:
    """One entry of a record's change history, ready to show."""

    at: dt.datetime
    staff: str
    action: str
    summary: str
    changes: tuple[Change, ...]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    return str(value)


def history(session: Session, entity: str, entity_id: int, labels: dict[str, str],
            shown: dict[str, Callable[[str], str]] | None = None) -> list[HistoryItem]:
    """A record's history, newest first, with field-by-field changes labelled in Chinese.

    ``shown`` gives, per field, how a value is shown (masking a phone number).
    """
    shown = shown or {}
    rows = session.execute(
        select(AuditEntry, Staff.name)
        .outerjoin(Staff, Staff.id == AuditEntry.staff_id)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
    ).all()
    items = []
    for entry, staff_name in rows:
        before = json.loads(entry.before) if entry.before else {}
        after = json.loads(entry.after) if entry.after else {}
        def show(key: str, value: Any) -> str:
            return _text(shown[key](value) if key in shown and value else value)

        changes = tuple(
            Change(labels.get(key, key), show(key, before.get(key)), show(key, after.get(key)))
            for key in labels
            if (key in before or key in after) and before.get(key) != after.get(key)
        )
        items.append(
            HistoryItem(
                at=entry.at,
                staff=staff_name or "系统",
                action=ACTION_LABELS.get(entry.action, entry.action),
                summary=entry.summary,
                changes=changes,
            )
        )
    return items
