"""The audit log (操作记录): every change, who made it and when, in the change's own transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ArchivedAuditEntry, AuditEntry, Staff
from station.access import AUDIT_LOG, require_role

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
    "confirm": "输入密码确认",
    "logout": "退出登录",
    "restore": "从备份恢复",
    "backup_copy": "备份到",
    "export": "导出",
    "print": "打印",
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
    "inspection_check": "排查登记", "roster": "花名册", "backup": "备份", "document": "打印与导出",
}


@dataclass(frozen=True)
class LogRow:
    """One row of 操作记录; ``undone`` marks a row of a period a restore undid (恢复前)."""

    id: int
    at: dt.datetime
    staff: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: str
    after: str
    undone: bool = False


@dataclass(frozen=True)
class LogQuery:
    staff_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    text: str = ""


# How the fields kept in the log are named to the administrator (修改前 / 修改后).
FIELD_LABELS = {
    "name": "名称", "gender": "性别", "birth_date": "出生日期", "id_number": "身份证号", "phone": "电话",
    "household": "住户", "household_id": "住户编号", "relation": "与户主关系", "party_category": "党员类别",
    "roles": "职务", "care_tags": "关怀标签", "moved_in_on": "入住日期", "note": "备注", "moved_out_on": "迁出日期",
    "moved_out_reason": "迁出原因", "address": "住址", "liaison": "联户党员", "number": "编号", "role": "角色",
    "active": "在用", "community": "社区", "street": "街道", "staff": "工作人员", "leader_id": "队长编号",
    "copies": "份数", "starts_at": "开始时间", "ends_at": "结束时间", "kind": "类别", "organiser": "组织者",
    "place": "地点", "planned_headcount": "计划人数", "points_cap": "积分上限", "team_id": "服务队编号",
    "title": "标题", "visited_id": "走访对象编号", "deed_date": "日期", "item": "项目", "points": "积分",
    "reason": "原因", "resident_id": "居民编号", "reversal_id": "冲正记录编号", "contact": "联系人",
    "services": "服务内容", "category": "类别", "low_stock": "库存预警", "merchant_id": "商户编号",
    "monthly_quota": "每月限兑", "price": "所需积分", "unit": "单位", "donor": "捐赠人", "quantity": "数量",
    "source": "来源", "items": "物品", "month": "月份", "households": "户数", "period": "评定期",
    "minutes": "记录", "building_id": "楼栋编号", "deadline": "期限", "level": "层级", "on_date": "日期",
    "raised_by": "提出人", "resolution": "决议", "responsible": "负责人", "result": "结果", "state": "状态",
    "to_whom": "转给", "unit_id": "单元编号", "held_at": "召开时间", "host": "主持人", "quorum": "应到人数",
    "vote_rule": "表决规则", "due_on": "期限", "reporter_id": "反映人编号", "checked_by": "排查人",
    "checked_on": "排查日期", "file": "文件", "created": "新增", "updated": "更新", "monthly_cap": "每月上限",
    "undone": "撤销的操作记录（条）", "rows": "行数", "columns": "列", "folder": "文件夹", "people": "人数",
    "full_id_numbers": "完整身份证号", "os_user": "电脑用户",
}


def _value(item: Any) -> str:
    if item is True:
        return "是"
    if item is False:
        return "否"
    if isinstance(item, list):
        return "、".join(str(part) for part in item) or "（空）"
    return _text(item)


def _shown(value: str | None) -> str:
    if not value:
        return ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if isinstance(data, dict):
        return "；".join(f"{FIELD_LABELS.get(key, key)}：{_value(item)}" for key, item in data.items())
    return str(data)


def _conditions(table: type[AuditEntry] | type[ArchivedAuditEntry], query: LogQuery) -> list[Any]:
    """The query's filters on the log or on its archive (both have the same columns)."""
    conditions: list[Any] = []
    if query.entity:
        conditions.append(table.entity == query.entity)
    if query.entity_id is not None:
        conditions.append(table.entity_id == query.entity_id)
    if query.action:
        conditions.append(table.action == query.action)
    if query.first is not None:
        conditions.append(table.at >= dt.datetime.combine(query.first, dt.time()))
    if query.last is not None:
        conditions.append(table.at < dt.datetime.combine(query.last + dt.timedelta(days=1), dt.time()))
    if query.text.strip():
        conditions.append(table.summary.like(f"%{query.text.strip()}%"))
    return conditions


def entries(session: Session, acting_id: int, query: LogQuery = LogQuery(), limit: int = 2000) -> list[LogRow]:
    """The audit log, newest first, filtered by who, what kind of record (and which), action, dates and a word.

    The rows of a period a restore undid come with them, marked ``undone`` (恢复前). Only an
    administrator may read the log (it shows what everyone did, before and after).

    Raises:
        ValidationError: the acting account is not an active administrator.
    """
    require_role(session, acting_id, AUDIT_LOG, "查看操作记录")
    stmt = (select(AuditEntry, Staff.name).outerjoin(Staff, Staff.id == AuditEntry.staff_id)
            .order_by(AuditEntry.id.desc()).limit(limit))
    archived = select(ArchivedAuditEntry).order_by(ArchivedAuditEntry.at.desc(),
                                                  ArchivedAuditEntry.id.desc()).limit(limit)
    if query.staff_id is not None:
        stmt = stmt.where(AuditEntry.staff_id == query.staff_id)
        name = session.scalar(select(Staff.name).where(Staff.id == query.staff_id))
        archived = archived.where(ArchivedAuditEntry.staff_name == (name or ""))
    stmt = stmt.where(*_conditions(AuditEntry, query))
    archived = archived.where(*_conditions(ArchivedAuditEntry, query))
    rows = [LogRow(entry.id, entry.at, name or "系统", ACTION_LABELS.get(entry.action, entry.action),
                   ENTITY_LABELS.get(entry.entity, entry.entity), entry.entity_id, entry.summary,
                   _shown(entry.before), _shown(entry.after))
            for entry, name in session.execute(stmt)]
    rows += [LogRow(-entry.id, entry.at, entry.staff_name or "系统", ACTION_LABELS.get(entry.action, entry.action),
                    ENTITY_LABELS.get(entry.entity, entry.entity), entry.entity_id, entry.summary,
                    _shown(entry.before), _shown(entry.after), undone=True)
             for entry in session.scalars(archived)]
    rows.sort(key=lambda row: (row.at, row.undone is False, abs(row.id)), reverse=True)
    return rows[:limit]


@dataclass(frozen=True)
class UndoneEntry:
    """An audit row of the file a restore replaces, kept in the restored file (恢复前)."""

    original_id: int
    at: dt.datetime
    staff_name: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: str | None
    after: str | None


def record_restore(session: Session, staff_id: int | None, summary: str,
                   undone: list[UndoneEntry]) -> AuditEntry:
    """The restore's own row in the restored file, and under it every row of the period it undid.

    ``staff_id`` is the administrator who restored, when the restored file knows them (else None, and
    ``summary`` names them).
    """
    entry = record(session, staff_id, "restore", "backup", None, summary, after={"undone": len(undone)})
    session.flush()
    session.add_all(ArchivedAuditEntry(restore_id=entry.id, original_id=row.original_id, at=row.at,
                                       staff_name=row.staff_name, action=row.action, entity=row.entity,
                                       entity_id=row.entity_id, summary=row.summary, before=row.before,
                                       after=row.after)
                    for row in undone)
    return entry


def actions_used(session: Session) -> list[str]:
    """The actions the log holds (for the viewer's filter)."""
    kept = set(session.scalars(select(AuditEntry.action).distinct()))
    kept |= set(session.scalars(select(ArchivedAuditEntry.action).distinct()))
    return sorted(str(action) for action in kept)
