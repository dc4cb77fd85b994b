"""The points system (积分制): rule catalogue, ledger, audit approval, monthly close, star families.

Points are events: every award or deduction is a ledger entry (一事一记) that
is never changed; a wrong one is reversed by a new entry. An entry counts
once the points audit group (积分审核小组) approved it, and never by the
person who recorded it. A closed month (一月一评) takes no new entries. Every
half-year households are rated into star families; the rating is stored.

Balances are sums of approved entries, computed in SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from sqlalchemy import ColumnElement, Integer, Select, and_, case, cast, func, insert, or_, select, true
from sqlalchemy.orm import Session, aliased

from db.models import (
    AuditEntry,
    Building,
    Household,
    PointEntry,
    PointItem,
    PointMonth,
    PointReview,
    Resident,
    Staff,
    StarPeriod,
    StarRating,
    Unit,
)
from station import access, audit, settings
from station.access import require_role
from station.compound import address, room_code
from station.errors import NotFound, ValidationError
from station.validation import clean, clean_text, parse_date
from station.vocab import ADMIN, AUDITOR, HEAD, STAFF_ROLES

PENDING, APPROVED, REJECTED = "待审核", "已通过", "已驳回"
STATUSES = (PENDING, APPROVED, REJECTED)
_DECISION = {"approved": APPROVED, "rejected": REJECTED}
WHOLE_HOUSEHOLD = "全户"

# ------------------------------------------------------------------ periods

_MONTH = re.compile(r"(\d{4})[-./年](\d{1,2})月?")
_HALF_YEAR = re.compile(r"(\d{4})-?[Hh]([12])")


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> str:
    """"2026-11", "2026.11" or "2026年11月" -> "2026-11"."""
    found = _MONTH.fullmatch(clean(text))
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError({"month": "月份格式不对，例如 2026-11"})
    return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a month such as "2026-11"."""
    year, number = (int(part) for part in parse_month(month).split("-"))
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def parse_half_year(text: str) -> str:
    """"2026-H2" (or "2026H2") -> "2026-H2"."""
    found = _HALF_YEAR.fullmatch(clean(text))
    if not found:
        raise ValidationError({"period": "半年格式不对，例如 2026-H1（上半年）或 2026-H2（下半年）"})
    return f"{found.group(1)}-H{found.group(2)}"


def half_year_bounds(session: Session, period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a rating half-year; it starts in the month the settings name."""
    period = parse_half_year(period)
    start_month = settings.get(session, settings.HALF_YEAR_START)
    year, half = int(period[:4]), int(period[-1])
    first = dt.date(*_add_months(year, start_month, 6 * (half - 1)), 1)
    following = dt.date(*_add_months(first.year, first.month, 6), 1)
    return first, following - dt.timedelta(days=1)


def half_year_of(session: Session, day: dt.date) -> str:
    start_month = settings.get(session, settings.HALF_YEAR_START)
    months = (day.year * 12 + day.month - 1) - (day.year * 12 + start_month - 1)
    year = day.year + months // 12
    return f"{year}-H{1 if months % 12 < 6 else 2}"


def half_year_label(session: Session, period: str) -> str:
    """2026年上半年（2026年1月至2026年6月）: a rated half-year with the dates it was rated on."""
    stored = session.get(StarPeriod, period)
    first, last = (stored.starts_on, stored.ends_on) if stored else half_year_bounds(session, period)
    name = "上半年" if period.endswith("H1") else "下半年"
    return f"{period[:4]}年{name}（{first.year}年{first.month}月至{last.year}年{last.month}月）"


def months_between(first: dt.date, last: dt.date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = _add_months(year, month, 1)
    return months


# ------------------------------------------------------------------ catalogue (积分细则)


@dataclass(frozen=True)
class ItemView:
    id: int
    category: str
    name: str
    points: int
    monthly_cap: int | None
    active: bool
    note: str
    entries: int = 0
    scope: str = "person"

    @property
    def label(self) -> str:
        return f"{self.name}（{self.points:+d}分）"

    @property
    def for_households(self) -> bool:
        return self.scope == "household"


@dataclass
class ItemInput:
    """What the catalogue dialog sends, as typed."""

    category: str
    name: str
    points: str
    monthly_cap: str = ""
    note: str = ""
    for_households: bool = False


def catalogue(session: Session, include_retired: bool = True) -> list[ItemView]:
    """The rule catalogue in order: awards first, then deductions, by category."""
    counts = dict(session.execute(
        select(PointEntry.item_id, func.count()).where(PointEntry.kind == "deed").group_by(PointEntry.item_id)
    ).all())
    stmt = select(PointItem).order_by(PointItem.sort_key, PointItem.id)
    if not include_retired:
        stmt = stmt.where(PointItem.active.is_(True))
    return [
        ItemView(i.id, i.category, i.name, i.points, i.monthly_cap, i.active, i.note, counts.get(i.id, 0), i.scope)
        for i in session.scalars(stmt)
    ]


def categories(session: Session) -> list[str]:
    seen: dict[str, None] = {}
    for category in session.scalars(select(PointItem.category).order_by(PointItem.sort_key, PointItem.id)):
        seen.setdefault(category, None)
    return list(seen)


def _check_item(session: Session, data: ItemInput, item_id: int | None) -> tuple[str, str, int, int | None, str]:
    errors = {}
    category, name = clean(data.category), clean(data.name)
    if not category:
        errors["category"] = "请填写类别"
    elif len(category) > 30:
        errors["category"] = "类别不超过30个字"
    if not name:
        errors["name"] = "请填写项目名称"
    elif len(name) > 60:
        errors["name"] = "项目名称不超过60个字"
    elif session.scalar(select(PointItem.id).where(
            PointItem.category == category, PointItem.name == name, PointItem.id != (item_id or 0))):
        errors["name"] = "这个类别里已经有同名项目了"
    points = 0
    try:
        points = int(clean(data.points).replace("+", ""))
        if points == 0 or abs(points) > 1000:
            errors["points"] = "分值不能为0，也不超过1000分；减分项填负数，例如 -5"
    except ValueError:
        errors["points"] = "分值请填整数，减分项填负数，例如 -5"
    cap: int | None = None
    if clean(data.monthly_cap):
        try:
            cap = int(clean(data.monthly_cap))
            if cap <= 0:
                errors["monthly_cap"] = "每月上限应大于0；不限请留空"
            elif points and cap < abs(points):
                errors["monthly_cap"] = "每月上限不能小于一次的分值"
        except ValueError:
            errors["monthly_cap"] = "每月上限请填整数；不限请留空"
    note = clean_text(data.note)
    if len(note) > 200:
        errors["note"] = "说明不超过200个字"
    signs = set(session.scalars(select(PointItem.points > 0).where(PointItem.category == category,
                                                                   PointItem.id != (item_id or 0))))
    if points and len(signs) == 1 and (points > 0) not in signs:
        errors["points"] = ("这个类别是加分项，分值应为正数" if True in signs
                            else "这个类别是减分项，分值应为负数，例如 -5")
    if errors:
        raise ValidationError(errors)
    return category, name, points, cap, note


def _sort_key_for(session: Session, category: str, points: int) -> int:
    """New items go to the end of their category; a new category after the last of its kind
    (awards before deductions)."""
    in_category = session.scalar(select(func.max(PointItem.sort_key)).where(PointItem.category == category))
    if in_category is not None:
        return int(in_category)
    same_kind = session.scalar(select(func.max(PointItem.sort_key)).where((PointItem.points > 0) == (points > 0)))
    if same_kind is not None:
        return int(same_kind) + 1
    return int(session.scalar(select(func.max(PointItem.sort_key))) or 0) + (10 if points < 0 else 0)


def _item_snapshot(item: PointItem) -> dict[str, Any]:
    return {"category": item.category, "name": item.name, "points": item.points,
            "monthly_cap": item.monthly_cap, "active": item.active, "note": item.note, "scope": item.scope}


ITEM_LABELS = {"category": "类别", "name": "项目", "points": "分值", "monthly_cap": "每月上限",
               "active": "启用", "note": "说明", "scope": "记给"}
SCOPES = {"person": "个人", "household": "全户"}


def add_item(session: Session, staff_id: int, data: ItemInput) -> int:
    """Add an item to the catalogue (新增积分项目). Only an administrator changes the catalogue."""
    require_role(session, staff_id, access.CATALOGUE, "修改积分细则")
    category, name, points, cap, note = _check_item(session, data, None)
    item = PointItem(category=category, name=name, points=points, monthly_cap=cap, note=note,
                     sort_key=_sort_key_for(session, category, points), active=True,
                     scope="household" if data.for_households else "person")
    session.add(item)
    session.flush()
    audit.record(session, staff_id, "create", "point_item", item.id, f"新增积分项目：{category}·{name}",
                 after=_item_snapshot(item))
    return item.id


def update_item(session: Session, staff_id: int, item_id: int, data: ItemInput) -> bool:
    """Change an item. Entries already recorded keep the points they were given."""
    item = session.get(PointItem, item_id)
    if item is None:
        raise NotFound("找不到这个积分项目")
    require_role(session, staff_id, access.CATALOGUE, "修改积分细则")
    category, name, points, cap, note = _check_item(session, data, item_id)
    before = _item_snapshot(item)
    if category != item.category:
        item.sort_key = _sort_key_for(session, category, points)
    item.category, item.name, item.points, item.monthly_cap, item.note = category, name, points, cap, note
    item.scope = "household" if data.for_households else "person"
    after = _item_snapshot(item)
    if before == after:
        return False
    audit.record(session, staff_id, "update", "point_item", item_id, f"修改积分项目：{category}·{name}",
                 before=before, after=after)
    return True


def set_item_active(session: Session, staff_id: int, item_id: int, active: bool) -> None:
    """Retire (停用) or bring back (启用) an item; its entries stay."""
    require_role(session, staff_id, access.CATALOGUE, "修改积分细则")
    item = session.get(PointItem, item_id)
    if item is None:
        raise NotFound("找不到这个积分项目")
    if item.active == active:
        return
    before = _item_snapshot(item)
    item.active = active
    audit.record(session, staff_id, "update", "point_item", item_id,
                 f"{'启用' if active else '停用'}积分项目：{item.category}·{item.name}",
                 before=before, after=_item_snapshot(item))


def default_catalogue() -> dict[str, Any]:
    text = resources.files("resources").joinpath("points/default_catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_default_catalogue(session: Session, staff_id: int) -> int:
    """Fill an empty catalogue with the shipped one (默认积分细则). Returns the number of items."""
    if session.scalar(select(PointItem.id).limit(1)) is not None:
        raise ValidationError("积分细则已经有内容了：默认细则只能载入到空的细则中")
    data = default_catalogue()
    rows = []
    for position, category in enumerate(data["categories"]):
        for item in category["items"]:
            # Names as typed ones are kept (NFKC: full-width brackets become half-width), so a
            # station adding an item of the same name is told it exists.
            rows.append({"category": clean(category["name"]), "name": clean(item["name"]), "points": item["points"],
                         "monthly_cap": item.get("monthly_cap"), "note": item.get("note", ""),
                         "scope": item.get("scope", "person"), "active": True, "sort_key": (position + 1) * 10})
    session.execute(insert(PointItem), rows)
    audit.record(session, staff_id, "create", "point_item", None,
                 f"载入默认积分细则：{len(data['categories'])}类、{len(rows)}项")
    return len(rows)


# ------------------------------------------------------------------ recording (一事一记)


@dataclass
class EntryInput:
    """What the record dialog sends. A resident, or a whole household (``resident_id`` None)."""

    item_id: int | None
    resident_id: int | None = None
    household_id: int | None = None
    deed_date: str = ""
    note: str = ""


def is_closed(session: Session, month: str) -> bool:
    return session.get(PointMonth, month) is not None


def _check_open(session: Session, day: dt.date, field: str) -> None:
    if is_closed(session, month_of(day)):
        raise ValidationError({field: f"{month_label(month_of(day))}已评审结账，不能再记分；"
                                      "更正请记在本月，并在说明中写明原记录"})


def _cap_used(session: Session, item_id: int, resident_id: int | None, household_id: int,
              day: dt.date) -> int:
    """Points already given from one item to one resident (or household) in the deed's month.

    Deeds of that month count while pending or approved; a rejected one or one
    reversed (whenever) does not. A reversal dated this month of an older deed does not free room.
    """
    first, last = month_bounds(month_of(day))
    who = (PointEntry.resident_id == resident_id if resident_id is not None
           else and_(PointEntry.resident_id.is_(None), PointEntry.household_id == household_id))
    used = session.scalar(
        select(func.coalesce(func.sum(func.abs(PointEntry.points)), 0))
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointEntry.kind == "deed", PointEntry.item_id == item_id, who,
               PointEntry.deed_date.between(first, last),
               or_(PointReview.decision.is_(None), PointReview.decision != "rejected"),
               ~_reversed(PointEntry.id))
    )
    return int(used or 0)


def _reversed(entry_id: Any) -> ColumnElement[bool]:
    """The entry has a reversal that counts or may count (not rejected)."""
    reversal = aliased(PointEntry)
    review = aliased(PointReview)
    return (
        select(reversal.id).outerjoin(review, review.entry_id == reversal.id)
        .where(reversal.reverses_id == entry_id, or_(review.decision.is_(None), review.decision != "rejected"))
        .exists()
    )


def _who(session: Session, data: EntryInput, day: dt.date | None, errors: dict[str, str]) -> tuple[
        int | None, int, str]:
    """(resident id, household id, name) of the one getting the points."""
    if data.resident_id is not None:
        resident = session.get(Resident, data.resident_id)
        if resident is None:
            raise NotFound("找不到这位居民")
        if resident.moved_out_on is not None and (day is None or resident.moved_out_on <= day):
            errors["who"] = f"{resident.name}已于{resident.moved_out_on:%Y-%m-%d}迁出，不能再记分"
        return resident.id, resident.household_id, resident.name
    if data.household_id is not None:
        household = session.get(Household, data.household_id)
        if household is None:
            raise NotFound("这户不存在")
        unit = household.unit
        label = f"{address(unit.building.number, unit.number, household.room)}全户"
        living = session.scalar(select(Resident.id).where(Resident.household_id == household.id,
                                                          Resident.moved_out_on.is_(None)).limit(1))
        if living is None:
            errors["who"] = f"{label[:-2]}现在没有人居住，不能记全户积分"
        return None, household.id, label
    errors["who"] = "请先选择居民或住户"
    return None, 0, ""


def record(session: Session, staff_id: int, data: EntryInput, today: dt.date | None = None) -> int:
    """Record one deed (记分): it waits for the audit group as 待审核. Returns the entry id."""
    require_role(session, staff_id, STAFF_ROLES, "记分")
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    day: dt.date | None = None
    try:
        day = parse_date(data.deed_date, today, example=f"{today:%Y-%m-%d}")
    except ValueError as problem:
        errors["deed_date"] = str(problem)
    resident_id, household_id, name = _who(session, data, day, errors)
    item = session.get(PointItem, data.item_id) if data.item_id is not None else None
    if item is None:
        errors["item"] = "请选择积分项目"
    elif not item.active:
        errors["item"] = f"“{item.name}”已停用，请选择其他项目"
    note = clean_text(data.note)
    if len(note) > 200:
        errors["note"] = "说明不超过200个字"
    if item is not None and item.scope == "household" and resident_id is not None:
        # 门前三包, 基础积分: the household's, whichever member was picked.
        resident_id, (_, household_id, name) = None, _who(
            session, EntryInput(data.item_id, None, household_id), day, errors)
    if errors:
        raise ValidationError(errors)
    assert item is not None and day is not None
    _check_open(session, day, "deed_date")
    if item.monthly_cap is not None:
        used = _cap_used(session, item.id, resident_id, household_id, day)
        if used + abs(item.points) > item.monthly_cap:
            raise ValidationError({"item": f"“{item.name}”每月最多{item.monthly_cap}分，"
                                           f"{name}{month_label(month_of(day))}已记{used}分"})
    entry = PointEntry(kind="deed", resident_id=resident_id, household_id=household_id, item_id=item.id,
                       points=item.points, deed_date=day, note=note, recorded_by=staff_id)
    session.add(entry)
    session.flush()
    audit.record(session, staff_id, "create", "point_entry", entry.id,
                 f"记分：{name} {item.name} {item.points:+d}分",
                 after={"resident_id": resident_id, "household_id": household_id, "item": item.name,
                        "points": item.points, "deed_date": day, "note": note})
    return entry.id


def _status(session: Session, entry_id: int) -> str:
    decision = session.scalar(select(PointReview.decision).where(PointReview.entry_id == entry_id))
    return PENDING if decision is None else _DECISION[decision]


def reverse(session: Session, staff_id: int, entry_id: int, reason: str, today: dt.date | None = None,
            allow_pending: bool = False) -> int:
    """Reverse an approved entry (冲正) by a new, opposite entry in the open month.

    The reversal waits for approval like any entry. A pending entry is
    rejected by the audit group instead, except when a record it came from
    changed (``allow_pending``: attendance corrected); then the auditors see
    both, and the reversal counts only once its entry does. Returns the reversal's id.
    """
    require_role(session, staff_id, STAFF_ROLES, "冲正")
    today = today or dt.date.today()
    entry = session.get(PointEntry, entry_id)
    if entry is None:
        raise NotFound("找不到这条积分记录")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明冲正原因"})
    if len(reason) > 200:
        raise ValidationError({"reason": "原因不超过200个字"})
    if entry.kind == "reversal":
        raise ValidationError("这是一条冲正记录，不能再冲正")
    status = _status(session, entry_id)
    if status == PENDING and not allow_pending:
        raise ValidationError("这条记录还在待审核：请审核人直接驳回，不必冲正")
    if status == REJECTED:
        raise ValidationError("这条记录已被驳回，本来就不计分")
    if session.scalar(select(_reversed(entry_id))):
        raise ValidationError("这条记录已经冲正过了（或冲正正在待审核）")
    _check_open(session, today, "reason")
    reversal = PointEntry(kind="reversal", resident_id=entry.resident_id, household_id=entry.household_id,
                          item_id=entry.item_id, points=-entry.points, deed_date=today,
                          note=f"冲正第{entry_id}号记录：{reason}", reverses_id=entry_id, recorded_by=staff_id)
    session.add(reversal)
    session.flush()
    audit.record(session, staff_id, "reverse", "point_entry", entry_id,
                 f"冲正第{entry_id}号记录（{entry.points:+d}分）：{reason}",
                 after={"reversal_id": reversal.id, "points": -entry.points, "reason": reason})
    return reversal.id


# ------------------------------------------------------------------ approval (积分审核)


def review(session: Session, staff_id: int, entry_ids: Iterable[int], approve: bool, reason: str = "") -> int:
    """Approve (通过) or reject (驳回) pending entries, all or none. Returns how many.

    Only an active 积分审核员 may; never for an entry they recorded themselves.
    """
    reviewer = require_role(session, staff_id, access.APPROVE_POINTS, "审核积分")
    ids = sorted(set(entry_ids))
    if not ids:
        raise ValidationError("请先选择要审核的记录")
    reason = clean_text(reason)
    if not approve and not reason:
        raise ValidationError({"reason": "驳回请写明原因"})
    if len(reason) > 200:
        raise ValidationError({"reason": "原因不超过200个字"})
    if not approve:
        ids = sorted(set(ids) | _pending_reversals_of(session, ids))
    found = session.execute(
        select(PointEntry.id, PointEntry.recorded_by, PointReview.id, PointEntry.resident_id,
               PointEntry.household_id, PointEntry.points, PointEntry.deed_date, PointEntry.kind)
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointEntry.id.in_(ids))
    ).all()
    if len(found) != len(ids):
        raise NotFound("有记录找不到了，请刷新后再审核")
    if approve:
        _check_reversed_entries_count(session, ids)
    done = [row[0] for row in found if row[2] is not None]
    if done:
        raise ValidationError(f"有{len(done)}条记录已经审核过了（可能在另一台电脑上），请刷新后再审核")
    own = [row[0] for row in found if row[1] == reviewer.id]
    if own:
        raise ValidationError(f"有{len(own)}条记录是{reviewer.name}本人录入的：自己录入的积分须由其他审核人审核")
    decision = "approved" if approve else "rejected"
    now = dt.datetime.now().replace(microsecond=0)
    session.execute(insert(PointReview), [
        {"entry_id": entry_id, "decision": decision, "reason": reason, "reviewed_by": reviewer.id,
         "reviewed_at": now, "resident_id": resident_id, "household_id": household_id, "points": value,
         "deed_date": day, "kind": kind}
        for entry_id, _by, _review, resident_id, household_id, value, day, kind in found
    ])
    label = "审核通过" if approve else f"审核驳回：{reason}"
    session.execute(insert(AuditEntry), [
        {"at": now, "staff_id": reviewer.id, "action": decision, "entity": "point_entry", "entity_id": entry_id,
         "summary": label, "before": None, "after": None} for entry_id in ids
    ])
    return len(ids)


def _pending_reversals_of(session: Session, ids: Sequence[int]) -> set[int]:
    """Pending reversals of these entries: rejecting an entry rejects them too (they would count alone)."""
    rows = session.scalars(
        select(PointEntry.id).outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointEntry.reverses_id.in_(list(ids)), PointReview.id.is_(None))
    )
    return set(rows)


def _check_reversed_entries_count(session: Session, ids: Sequence[int]) -> None:
    """A reversal is approved only with or after the entry it reverses."""
    batch = set(ids)
    rows = session.execute(
        select(PointEntry.id, PointEntry.reverses_id, PointReview.decision)
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.reverses_id)
        .where(PointEntry.id.in_(list(ids)), PointEntry.reverses_id.is_not(None))
    ).all()
    for entry_id, original, decision in rows:
        if decision == "rejected" or (decision is None and original not in batch):
            raise ValidationError(f"第{entry_id}号是第{original}号记录的冲正，原记录"
                                  f"{'已被驳回' if decision else '还在待审核'}：请先审核原记录，或两条一起审核")


def record_points(session: Session, staff_id: int, resident_id: int, item_id: int, value: int, day: dt.date,
                  note: str, today: dt.date | None = None) -> int | None:
    """Record an entry whose points were worked out elsewhere (hours of volunteering), pending as usual.

    The item's monthly cap still holds: the points are cut to what is left of
    it (None when nothing is). A deed in a closed month is dated in the open one.
    """
    require_role(session, staff_id, STAFF_ROLES, "记分")
    resident = session.get(Resident, resident_id)
    item = session.get(PointItem, item_id)
    if resident is None or item is None:
        raise NotFound("找不到这位居民或这个积分项目")
    if is_closed(session, month_of(day)):
        note = f"{note}（原日期{day:%Y-%m-%d}所在月份已结账）"
        day = today or dt.date.today()
    if item.monthly_cap is not None:
        value = min(value, item.monthly_cap - _cap_used(session, item.id, resident_id, resident.household_id, day))
    if value <= 0:
        return None
    entry = PointEntry(kind="deed", resident_id=resident_id, household_id=resident.household_id, item_id=item_id,
                       points=value, deed_date=day, note=clean_text(note)[:200], recorded_by=staff_id)
    session.add(entry)
    session.flush()
    audit.record(session, staff_id, "create", "point_entry", entry.id, f"记分：{resident.name} {item.name} {value:+d}分",
                 after={"resident_id": resident_id, "item": item.name, "points": value, "deed_date": day,
                        "note": entry.note})
    return entry.id


def pending_count(session: Session) -> int:
    """Entries waiting for the audit group: every entry has one review at most."""
    entries = session.scalar(select(func.count()).select_from(PointEntry)) or 0
    reviewed = session.scalar(select(func.count()).select_from(PointReview)) or 0
    return int(entries - reviewed)


def _pending_since(session: Session) -> dt.date | None:
    """The first day of the earliest month that may hold pending entries (None: there are no entries).

    A month is closed only when nothing in it waits, and takes no entries after,
    so pending entries are never older than the first open month.
    """
    oldest = session.scalar(select(func.min(PointEntry.deed_date)))
    if oldest is None:
        return None
    closed = set(session.scalars(select(PointMonth.month).where(PointMonth.month >= month_of(oldest))))
    year, month = oldest.year, oldest.month
    while f"{year:04d}-{month:02d}" in closed:
        year, month = _add_months(year, month, 1)
    return dt.date(year, month, 1)


# ------------------------------------------------------------------ balances


Level = Literal["resident", "household", "unit", "building"]


def balances_statement(level: Level, ids: Sequence[int] | None = None, first: dt.date | None = None,
                       last: dt.date | None = None, earned: bool = False) -> Select[Any]:
    """The GROUP BY behind ``balances`` (the benchmark runs it raw to compare).

    Sums approved reviews (which carry their entry's points) from a covering
    index; units and buildings add up their households' sums. ``earned``
    leaves out points spent in the points supermarket (兑换), for ratings and notices.
    """
    key: Any = PointReview.resident_id if level == "resident" else PointReview.household_id
    stmt = select(key, func.sum(PointReview.points)).where(PointReview.decision == "approved")
    if earned:
        stmt = stmt.where(PointReview.kind != "redemption")
    if level == "resident":
        stmt = stmt.where(PointReview.resident_id.is_not(None))
    if ids is not None and level in ("resident", "household"):
        stmt = stmt.where(key.in_(list(ids)))
    if first is not None:
        stmt = stmt.where(PointReview.deed_date >= first)
    if last is not None:
        stmt = stmt.where(PointReview.deed_date <= last)
    stmt = stmt.group_by(key)
    if level in ("resident", "household"):
        return stmt
    households = stmt.subquery()
    place: Any = Household.unit_id if level == "unit" else Unit.building_id
    rolled = select(place, func.sum(households.c[1])).join(Household, Household.id == households.c[0])
    if level == "building":
        rolled = rolled.join(Unit, Unit.id == Household.unit_id)
    if ids is not None:
        rolled = rolled.where(place.in_(list(ids)))
    return rolled.group_by(place)


def balances(session: Session, level: Level, ids: Sequence[int] | None = None,
             first: dt.date | None = None, last: dt.date | None = None, earned: bool = False) -> dict[int, int]:
    """Approved points per resident, household, unit or building, optionally within dates.

    One GROUP BY in SQL. Whole-household entries count for the household, not for a resident.
    By default what can be spent (points redeemed taken off); ``earned``: what was earned.
    """
    stmt = balances_statement(level, ids, first, last, earned)
    return {k: int(total) for k, total in session.connection().execute(stmt)}


def resident_balance_column() -> ColumnElement[int]:
    """A resident's approved points as a correlated subquery (to sort the residents table by)."""
    return (
        select(func.coalesce(func.sum(PointReview.points), 0))
        .where(PointReview.decision == "approved", PointReview.resident_id == Resident.id)
        .correlate(Resident)
        .scalar_subquery()
    )


# ------------------------------------------------------------------ the ledger (积分台账)


@dataclass(frozen=True)
class LedgerQuery:
    month: str = ""
    status: str = ""
    building_id: int | None = None
    resident_id: int | None = None
    household_id: int | None = None
    text: str = ""
    limit: int = 2000
    pending_since: dt.date | None = None  # set by ``ledger`` for the pending list




@dataclass(frozen=True)
class LedgerRow:
    id: int
    kind: str
    deed_date: dt.date
    name: str
    address: str
    category: str
    item: str
    points: int
    status: str
    recorded_by_id: int
    recorded_by: str
    reviewed_by: str
    review_reason: str
    note: str
    reverses_id: int | None
    reversed_by_id: int | None  # a reversal not rejected: pending or approved
    reversal_approved: bool = False

    @property
    def can_reverse(self) -> bool:
        return self.kind == "deed" and self.status == APPROVED and self.reversed_by_id is None

    @property
    def counts(self) -> bool:
        """Approved and not reversed by an approved reversal."""
        return self.status == APPROVED and not self.reversal_approved


def _ledger_select(query: LedgerQuery) -> Select[Any]:
    recorder, reviewer = aliased(Staff), aliased(Staff)
    reversal, reversal_review = aliased(PointEntry), aliased(PointReview)
    # The reversal that counts or may count (a rejected one leaves the entry as it was).
    reversed_by = (
        select(reversal.id).outerjoin(reversal_review, reversal_review.entry_id == reversal.id)
        .where(reversal.reverses_id == PointEntry.id,
               or_(reversal_review.decision.is_(None), reversal_review.decision != "rejected"))
        .order_by(reversal.id.desc()).limit(1).correlate(PointEntry).scalar_subquery()
    )
    columns: list[Any] = [
        PointEntry.id, PointEntry.kind, PointEntry.deed_date, Resident.name, Building.number, Unit.number,
        Household.room, PointItem.category, PointItem.name, PointEntry.points, PointReview.decision,
        PointEntry.recorded_by, recorder.name, reviewer.name, PointReview.reason, PointEntry.note,
        PointEntry.reverses_id, reversed_by,
    ]
    stmt = (
        select(*columns)
        .join(Household, Household.id == PointEntry.household_id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .outerjoin(PointItem, PointItem.id == PointEntry.item_id)  # a redemption has no item
        .join(recorder, recorder.id == PointEntry.recorded_by)
        .outerjoin(Resident, Resident.id == PointEntry.resident_id)
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .outerjoin(reviewer, reviewer.id == PointReview.reviewed_by)
    )
    if query.month:
        first, last = month_bounds(query.month)
        stmt = stmt.where(PointEntry.deed_date.between(first, last))
    if query.status == PENDING:
        stmt = stmt.where(PointReview.id.is_(None))
        if query.pending_since is not None:
            stmt = stmt.where(PointEntry.deed_date >= query.pending_since)
    elif query.status == APPROVED:
        stmt = stmt.where(PointReview.decision == "approved")
    elif query.status == REJECTED:
        stmt = stmt.where(PointReview.decision == "rejected")
    if query.resident_id is not None:
        stmt = stmt.where(PointEntry.resident_id == query.resident_id)
    if query.household_id is not None:
        stmt = stmt.where(PointEntry.household_id == query.household_id)
    if query.building_id is not None:
        stmt = stmt.where(Unit.building_id == query.building_id)
    for term in clean(query.text).split():
        matches: list[ColumnElement[bool]] = [Resident.name.like(f"%{term}%"), PointItem.name.like(f"%{term}%"),
                                              PointItem.category.like(f"%{term}%")]
        if term.isascii() and term.isalpha():
            matches.append((" " + Resident.name_pinyin).like(f"% {term.lower()}%"))
        stmt = stmt.where(or_(*matches))
    return stmt


def ledger(session: Session, query: LedgerQuery) -> list[LedgerRow]:
    """Ledger entries matching the query, newest deed first (at most ``query.limit``)."""
    if query.status == PENDING and query.pending_since is None:
        since = _pending_since(session)
        if since is None:
            return []
        query = dataclasses.replace(query, pending_since=since)
    stmt = _ledger_select(query).order_by(PointEntry.deed_date.desc(), PointEntry.id.desc()).limit(query.limit)
    rows = []
    found = session.execute(stmt).all()
    reversals = [row[-1] for row in found if row[-1] is not None]
    approved_reversals = set(session.scalars(select(PointReview.entry_id).where(
        PointReview.entry_id.in_(reversals), PointReview.decision == "approved"))) if reversals else set()
    for (entry_id, kind, day, name, building, unit, room, category, item, points, decision, recorded_by_id,
         recorded_by, reviewed_by, reason, note, reverses_id, reversed_by) in found:
        rows.append(LedgerRow(
            id=entry_id, kind=kind, deed_date=day, name=name or WHOLE_HOUSEHOLD,
            address=address(building, unit, room), category=category or "积分兑换",
            item=item or ("撤销兑换" if points > 0 else "兑换"), points=points,
            status=PENDING if decision is None else _DECISION[decision], recorded_by_id=recorded_by_id,
            recorded_by=recorded_by, reviewed_by=reviewed_by or "", review_reason=reason or "", note=note,
            reverses_id=reverses_id, reversed_by_id=reversed_by, reversal_approved=reversed_by in approved_reversals,
        ))
    return rows


def ledger_summary(session: Session, query: LedgerQuery) -> tuple[int, int]:
    """How many entries match the query, and the approved points among them (reversals net out)."""
    stmt = _ledger_select(query).with_only_columns(
        func.count(PointEntry.id),
        func.coalesce(func.sum(case((PointReview.decision == "approved", PointEntry.points), else_=0)), 0))
    count, total = session.execute(stmt).one()
    return int(count), int(total)


def ledger_months(session: Session, today: dt.date | None = None) -> list[str]:
    """Every month from the first entry (or the last twelve) up to this one, newest first."""
    today = today or dt.date.today()
    oldest = session.scalar(select(func.min(PointEntry.deed_date)))
    start = dt.date(*_add_months(today.year, today.month, -11), 1)
    if oldest is not None and oldest < start:
        start = oldest
    return list(reversed(months_between(start, today)))


# ------------------------------------------------------------------ monthly close (一月一评)


@dataclass(frozen=True)
class MonthView:
    month: str
    entries: int
    pending: int
    awarded: int  # approved points added
    deducted: int  # approved points taken (a positive number)
    closed_at: dt.datetime | None
    closed_by: str

    @property
    def label(self) -> str:
        return month_label(self.month)


def months(session: Session, today: dt.date | None = None, count: int = 12) -> list[MonthView]:
    """The last ``count`` months up to this one and every older month still open, newest first,
    with their figures and state (an open month has to be closed before its half-year is rated)."""
    today = today or dt.date.today()
    recent = [f"{y:04d}-{m:02d}" for y, m in (_add_months(today.year, today.month, -i) for i in range(count))]
    since = _pending_since(session)
    older = []
    if since is not None and month_of(since) < recent[-1]:
        closed_before = set(session.scalars(select(PointMonth.month).where(PointMonth.month < recent[-1])))
        older = [m for m in reversed(months_between(since, month_bounds(recent[-1])[0] - dt.timedelta(days=1)))
                 if m not in closed_before]
    wanted = recent + older
    first, _ = month_bounds(wanted[-1])
    # Dates are stored as 'YYYY-MM-DD': the month is the first seven characters (cheaper than strftime).
    entry_month = func.substr(PointEntry.deed_date, 1, 7)
    counts: dict[str, int] = {month: int(count) for month, count in session.execute(
        select(entry_month, func.count()).where(PointEntry.deed_date >= first).group_by(entry_month))}
    review_month = func.substr(PointReview.deed_date, 1, 7)
    approved = and_(PointReview.decision == "approved", PointReview.kind != "redemption")
    figures = {row[0]: row[1:] for row in session.execute(
        select(review_month, func.count(),
               func.sum(case((and_(approved, PointReview.points > 0), PointReview.points), else_=0)),
               func.sum(case((and_(approved, PointReview.points < 0), -PointReview.points), else_=0)))
        .where(PointReview.deed_date >= first)
        .group_by(review_month)
    )}
    closed = {month: (at, name) for month, at, name in session.execute(
        select(PointMonth.month, PointMonth.closed_at, Staff.name).join(Staff, Staff.id == PointMonth.closed_by)
        .where(PointMonth.month.in_(wanted)))}
    views = []
    for month in wanted:
        entries = int(counts.get(month, 0))
        reviewed, awarded, deducted = figures.get(month, (0, 0, 0))
        at, name = closed.get(month, (None, ""))
        views.append(MonthView(month, entries, entries - int(reviewed), int(awarded or 0), int(deducted or 0),
                               at, name))
    return views


def close_month(session: Session, staff_id: int, month: str, today: dt.date | None = None) -> None:
    """Close a reviewed month (月度评审结账): it takes no new entries from now on."""
    today = today or dt.date.today()
    account = require_role(session, staff_id, access.CLOSE_MONTH, "月度结账")
    month = parse_month(month)
    first, last = month_bounds(month)
    if last >= today:
        raise ValidationError(f"{month_label(month)}还没有过完，月底之后才能结账")
    if is_closed(session, month):
        raise ValidationError(f"{month_label(month)}已经结账了")
    pending = session.scalar(
        select(func.count()).select_from(PointEntry)
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointEntry.deed_date.between(first, last), PointReview.id.is_(None))
    )
    if pending:
        raise ValidationError(f"{month_label(month)}还有{pending}条积分待审核，审核完才能结账")
    session.add(PointMonth(month=month, closed_by=account.id))
    audit.record(session, account.id, "close_month", "point_month", None, f"{month_label(month)}积分评审结账",
                 after={"month": month})


# ------------------------------------------------------------------ households, heads, stars


def heads(session: Session, household_ids: Iterable[int]) -> dict[int, str]:
    """The name shown for each household: its head (户主), else its first member still living there.

    A household where nobody lives any more has none.
    """
    ids = list(household_ids)
    names: dict[int, str] = {}
    rows = session.execute(
        select(Resident.household_id, Resident.name)
        .where(Resident.household_id.in_(ids) if len(ids) < 900 else true(), Resident.moved_out_on.is_(None))
        .order_by(Resident.household_id, Resident.relation != HEAD, Resident.id)
    )
    wanted = set(ids)
    for household_id, name in rows:
        if household_id in wanted:
            names.setdefault(household_id, name)
    return names


def star_for(points: int, levels: Sequence[settings.StarLevel]) -> settings.StarLevel | None:
    """The highest level whose threshold the points reach (≥60 三星, ≥80 四星, ≥100 五星)."""
    reached = [level for level in levels if points >= level.points]
    return max(reached, key=lambda level: level.points) if reached else None


def star_label(stars: int | None) -> str:
    return {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星", 6: "六星", 7: "七星", 8: "八星",
            9: "九星"}.get(stars or 0, "")


@dataclass(frozen=True)
class RatingRow:
    household_id: int
    address: str
    room_code: str
    building: str
    head: str
    points: int
    stars: int
    voucher: int


def _places(session: Session, household_ids: Iterable[int] | None = None) -> dict[int, tuple[str, str, str]]:
    stmt = (select(Household.id, Building.number, Unit.number, Household.room)
            .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id))
    if household_ids is not None:
        stmt = stmt.where(Household.id.in_(list(household_ids)))
    return {hid: (b, u, r) for hid, b, u, r in session.execute(stmt)}


def _rating_rows(session: Session, found: Sequence[tuple[int, int, int, int]]) -> list[RatingRow]:
    """Rows for (household, points, stars, voucher), best first, then by place."""
    ids = [row[0] for row in found]
    places = _places(session, ids) if len(ids) < 900 else _places(session)
    names = heads(session, ids)
    rows = [RatingRow(hid, address(*places[hid]), room_code(*places[hid]), places[hid][0], names.get(hid, ""),
                      points, stars, voucher) for hid, points, stars, voucher in found]
    return sorted(rows, key=lambda r: (-r.stars, -r.points, r.room_code))


def rating_preview(session: Session, period: str) -> list[RatingRow]:
    """The households a half-year would rate now, from approved points (not stored)."""
    first, last = half_year_bounds(session, period)
    levels = settings.star_levels(session)
    found = []
    for household_id, points in balances(session, "household", first=first, last=last, earned=True).items():
        level = star_for(points, levels)
        if level is not None:
            found.append((household_id, points, level.stars, level.voucher))
    return _rating_rows(session, found)


@dataclass(frozen=True)
class PeriodView:
    period: str
    label: str
    first: dt.date
    last: dt.date
    rated_at: dt.datetime | None
    rated_by: str
    households: int


def periods(session: Session, today: dt.date | None = None, count: int = 4) -> list[PeriodView]:
    """The current half-year and the ones before it, newest first, with their rating state."""
    today = today or dt.date.today()
    current = half_year_of(session, today)
    wanted = []
    year, half = int(current[:4]), int(current[-1])
    for _ in range(count):
        wanted.append(f"{year}-H{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    rated = {p.period: p for p in session.scalars(select(StarPeriod).where(StarPeriod.period.in_(wanted)))}
    counts = dict(session.execute(select(StarRating.period, func.count()).group_by(StarRating.period)).all())
    views = []
    for period in wanted:
        stored = rated.get(period)
        if stored is not None:
            first, last = stored.starts_on, stored.ends_on
            rater = session.get(Staff, stored.rated_by)
        else:
            first, last = half_year_bounds(session, period)
        views.append(PeriodView(period, half_year_label(session, period), first, last,
                                stored.rated_at if stored else None,
                                rater.name if stored and rater else "", int(counts.get(period, 0))))
    return views


def rate_half_year(session: Session, staff_id: int, period: str, today: dt.date | None = None) -> int:
    """Rate a half-year's star families (半年评星) and store the result. Returns how many were rated.

    The half-year must be over and each of its months closed, so the rating
    rests on reviewed points; once stored it does not change.
    """
    today = today or dt.date.today()
    account = require_role(session, staff_id, access.RATE_STARS, "评定星级家庭")
    period = parse_half_year(period)
    first, last = half_year_bounds(session, period)
    if last >= today:
        raise ValidationError(f"{half_year_label(session, period)}还没有结束，结束后才能评星")
    if session.get(StarPeriod, period) is not None:
        raise ValidationError(f"{half_year_label(session, period)}已经评过星了，结果已保存")
    open_months = [m for m in months_between(first, last) if not is_closed(session, m)]
    if open_months:
        named = "、".join(month_label(m) for m in open_months)
        raise ValidationError(f"还有月份没有评审结账：{named}。请先在“月度评审”中结账")
    levels = settings.star_levels(session)
    rows = rating_preview(session, period)
    session.add(StarPeriod(period=period, starts_on=first, ends_on=last, rated_by=account.id,
                           thresholds=json.dumps([vars(level) for level in levels])))
    session.flush()
    if rows:
        session.execute(insert(StarRating), [
            {"period": period, "household_id": r.household_id, "points": r.points, "stars": r.stars,
             "voucher": r.voucher} for r in rows
        ])
    by_stars = {stars: sum(1 for r in rows if r.stars == stars) for stars in sorted({r.stars for r in rows})}
    summary = "、".join(f"{star_label(s)}家庭{n}户" for s, n in sorted(by_stars.items(), reverse=True)) or "无"
    audit.record(session, account.id, "rate", "star_period", None,
                 f"{half_year_label(session, period)}评定星级家庭：{summary}",
                 after={"period": period, "households": len(rows)})
    return len(rows)


def ratings(session: Session, period: str) -> list[RatingRow]:
    """A rated half-year's star families as stored."""
    found = session.execute(
        select(StarRating.household_id, StarRating.points, StarRating.stars, StarRating.voucher)
        .where(StarRating.period == parse_half_year(period))
    ).all()
    return _rating_rows(session, [(hid, points, stars, voucher) for hid, points, stars, voucher in found])


def latest_rated_period(session: Session, before: dt.date | None = None) -> str | None:
    stmt = select(StarPeriod.period).order_by(StarPeriod.ends_on.desc()).limit(1)
    if before is not None:
        stmt = stmt.where(StarPeriod.ends_on <= before)
    return session.scalar(stmt)


def current_stars(session: Session, household_ids: Iterable[int] | None = None,
                  before: dt.date | None = None) -> dict[int, int]:
    """Stars each household holds from the latest rated half-year (ended by ``before``)."""
    period = latest_rated_period(session, before)
    if period is None:
        return {}
    stmt = select(StarRating.household_id, StarRating.stars).where(StarRating.period == period)
    if household_ids is not None:
        stmt = stmt.where(StarRating.household_id.in_(list(household_ids)))
    return {hid: stars for hid, stars in session.execute(stmt)}


# ------------------------------------------------------------------ "居民+支部" dual points


@dataclass(frozen=True)
class RollupRow:
    """Points rolled up to one leader's area: a unit (单元长), a building (楼栋长) or the branch (支部)."""

    level: str
    place: str
    leaders: str
    by_month: tuple[int, ...]  # 12 months
    total: int


def _leaders(session: Session) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Names of 单元长 per unit and 楼栋长 per building, among residents living there."""
    by_unit: dict[int, list[str]] = {}
    by_building: dict[int, list[str]] = {}
    rows = session.execute(
        select(Resident.name, Resident.roles, Household.unit_id, Unit.building_id)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .where(Resident.moved_out_on.is_(None), or_(Resident.roles.like("%单元长%"), Resident.roles.like("%楼栋长%")))
        .order_by(Resident.id)
    )
    for name, roles, unit_id, building_id in rows:
        if "单元长" in roles:
            by_unit.setdefault(unit_id, []).append(name)
        if "楼栋长" in roles:
            by_building.setdefault(building_id, []).append(name)
    return by_unit, by_building


def dual_points(session: Session, year: int) -> list[RollupRow]:
    """Residents' approved points of a year, month by month, summed to units, buildings and the branch.

    Rows: each building, followed by its units, then the branch (小区党支部) total.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    month_expr = cast(func.substr(PointReview.deed_date, 6, 2), Integer)
    by_household = (
        select(PointReview.household_id.label("household_id"), month_expr.label("month"),
               func.sum(PointReview.points).label("total"))
        .where(PointReview.decision == "approved", PointReview.kind != "redemption",
               PointReview.deed_date.between(first, last))
        .group_by(PointReview.household_id, month_expr)
        .subquery()
    )
    sums: dict[int, list[int]] = {}
    for unit_id, month, total in session.execute(
        select(Household.unit_id, by_household.c.month, func.sum(by_household.c.total))
        .join(Household, Household.id == by_household.c.household_id)
        .group_by(Household.unit_id, by_household.c.month)
    ):
        sums.setdefault(unit_id, [0] * 12)[int(month) - 1] += int(total)
    unit_leaders, building_leaders = _leaders(session)
    rows: list[RollupRow] = []
    branch = [0] * 12
    buildings = session.scalars(select(Building).order_by(Building.sort_key, Building.number)).all()
    for building in buildings:
        unit_rows = []
        building_sum = [0] * 12
        for unit in building.units:
            by_month = sums.get(unit.id, [0] * 12)
            building_sum = [a + b for a, b in zip(building_sum, by_month)]
            unit_rows.append(RollupRow("单元", f"{building.number}栋{unit.number}单元",
                                       "、".join(unit_leaders.get(unit.id, [])), tuple(by_month), sum(by_month)))
        branch = [a + b for a, b in zip(branch, building_sum)]
        rows.append(RollupRow("楼栋", f"{building.number}栋", "、".join(building_leaders.get(building.id, [])),
                              tuple(building_sum), sum(building_sum)))
        rows.extend(unit_rows)
    rows.append(RollupRow("支部", "小区党支部", "", tuple(branch), sum(branch)))
    return rows


# ------------------------------------------------------------------ one resident's points


@dataclass(frozen=True)
class ResidentPoints:
    balance: int
    pending: int
    entries: list[LedgerRow]


def resident_points(session: Session, resident_id: int, limit: int = 500) -> ResidentPoints:
    """A resident's approved balance, pending points and ledger (for the resident view)."""
    entries = ledger(session, LedgerQuery(resident_id=resident_id, limit=limit))
    balance = balances(session, "resident", [resident_id]).get(resident_id, 0)
    pending = sum(e.points for e in entries if e.status == PENDING)
    return ResidentPoints(balance, pending, entries)


def household_summary(session: Session, household_id: int, today: dt.date | None = None) -> str:
    """One line for the household view: all-time and this half-year's approved points, and its stars."""
    today = today or dt.date.today()
    first, last = half_year_bounds(session, half_year_of(session, today))
    total = balances(session, "household", [household_id]).get(household_id, 0)
    half = balances(session, "household", [household_id], first, last, earned=True).get(household_id, 0)
    stars = current_stars(session, [household_id]).get(household_id)
    star_text = f"；{star_label(stars)}家庭" if stars else ""
    return f"共 {total} 分，本半年 {half} 分{star_text}"
