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
    "login": "登录",
    "login_failed": "密码错误",
    "set_password": "设置密码",
    "cancel": "取消/撤销",
    "reverse": "冲正",
    "redeem": "兑换",
    "decide": "议定",
    "escalate": "上报提级",
    "finish": "办结",
    "reopen": "重新办理",
    "on_spot": "现场办结",
    "hand_over": "转办/领取",
    "follow_up": "回访",
    "start": "开始处理",
    "take_back": "收回处理",
    "view": "查看",
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


# ------------------------------------------------------------------ the audit log viewer (操作记录, administrators)

ENTITY_LABELS = {
    "resident": "居民", "household": "住户", "building": "楼栋", "unit": "单元", "staff": "工作人员",
    "setting": "设置", "station": "服务站", "point_item": "积分细则", "point_entry": "积分", "point_month": "月度评审",
    "star_period": "星级评定", "activity": "志愿活动", "attendance": "签到", "volunteer_team": "服务队",
    "merchant": "联盟商户", "shop_item": "货架物品", "stock_move": "库存", "redemption": "兑换", "voucher": "奖券",
    "matter": "议题", "meeting": "议事会议", "agenda_item": "会议记录", "ticket": "工单", "inspection": "排查",
    "inspection_check": "排查登记", "roster": "花名册",
}


@dataclass(frozen=True)
class LogRow:
    id: int
    at: dt.datetime
    staff: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: str
    after: str


@dataclass(frozen=True)
class LogQuery:
    staff_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    text: str = ""


def _shown(value: str | None) -> str:
    if not value:
        return ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if isinstance(data, dict):
        return "；".join(f"{key}：{_text(item)}" for key, item in data.items())
    return str(data)


def entries(session: Session, acting_id: int, query: LogQuery = LogQuery(), limit: int = 2000) -> list[LogRow]:
    """The audit log, newest first, filtered by who, what kind of record (and which), action, dates and a word.

    Only an administrator may read it (it shows what everyone did, before and after).

    Raises:
        ValidationError: the acting account is not an active administrator.
    """
    from station.staff import require_role
    from station.vocab import ADMIN

    require_role(session, acting_id, (ADMIN,), "查看操作记录")
    stmt = (select(AuditEntry, Staff.name).outerjoin(Staff, Staff.id == AuditEntry.staff_id)
            .order_by(AuditEntry.id.desc()).limit(limit))
    if query.staff_id is not None:
        stmt = stmt.where(AuditEntry.staff_id == query.staff_id)
    if query.entity:
        stmt = stmt.where(AuditEntry.entity == query.entity)
    if query.entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == query.entity_id)
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.first is not None:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(query.first, dt.time()))
    if query.last is not None:
        stmt = stmt.where(AuditEntry.at < dt.datetime.combine(query.last + dt.timedelta(days=1), dt.time()))
    if query.text.strip():
        stmt = stmt.where(AuditEntry.summary.like(f"%{query.text.strip()}%"))
    return [LogRow(entry.id, entry.at, name or "系统", ACTION_LABELS.get(entry.action, entry.action),
                   ENTITY_LABELS.get(entry.entity, entry.entity), entry.entity_id, entry.summary,
                   _shown(entry.before), _shown(entry.after))
            for entry, name in session.execute(stmt)]


def actions_used(session: Session) -> list[str]:
    """The actions the log holds (for the viewer's filter)."""
    return sorted(str(action) for action in session.scalars(select(AuditEntry.action).distinct()))
