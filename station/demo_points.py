"""A year of points for the demo compound: entries across the catalogue, reviews, closed months, ratings.

Entries respect the catalogue's monthly caps and the residents' move-out
dates, so every screen and notice shows something that could be true.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from db.models import PointEntry, PointItem, PointReview, Resident, StarPeriod
from station import audit, points, staff, volunteer
from station.errors import ValidationError
from station.vocab import AUDITOR, CLERK, HEAD

DEMO_CLERK = "王秀兰"
DEMO_AUDITORS = ("李建国", "赵敏")
DEMO_PASSWORD = "xingfuli"
"""Every demo account's password (幸福里 in pinyin), named in the README: the demo is made up."""
REJECT_REASONS = ("无活动签到记录", "同一事项重复登记", "不属于积分细则范围")
HOURS_REJECT_REASONS = ("签到名单与活动照片不符", "当天已按“参加每周五大扫除”记分，不重复记")
REVERSE_REASONS = ("记错了人，应记在同户家属名下", "活动当天未到场，核实后冲正")


def demo_accounts(session: Session, admin_id: int) -> tuple[list[int], list[int]]:
    """(recorders, auditors): the admin and a desk clerk record; two auditors review."""
    names = {account.name: account.id for account in staff.accounts(session)}
    clerk = names.get(DEMO_CLERK) or staff.add(session, admin_id, DEMO_CLERK, CLERK, DEMO_PASSWORD, one_time=False)
    auditors = [names.get(name) or staff.add(session, admin_id, name, AUDITOR, DEMO_PASSWORD, one_time=False)
                for name in DEMO_AUDITORS]
    return [admin_id, clerk], auditors


def _copy(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields a review repeats."""
    copied = {key: entry[key] for key in ("resident_id", "household_id", "points", "deed_date")}
    copied["kind"] = entry.get("kind", "deed")
    return copied


def _caps_used(session: Session) -> dict[tuple[int, int, str], int]:
    """Points already in the ledger per (resident, or minus the household), item and month: the caps hold
    across what was recorded before (pending or approved; rejected ones free their room)."""
    rows = session.execute(
        select(PointEntry.resident_id, PointEntry.household_id, PointEntry.item_id,
               func.substr(PointEntry.deed_date, 1, 7), func.sum(func.abs(PointEntry.points)))
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointEntry.kind == "deed", or_(PointReview.decision.is_(None), PointReview.decision != "rejected"))
        .group_by(PointEntry.resident_id, PointEntry.household_id, PointEntry.item_id,
                  func.substr(PointEntry.deed_date, 1, 7)))
    used: dict[tuple[int, int, str], int] = {}
    for resident_id, household_id, item_id, month, total in rows:
        key = (-household_id if resident_id is None else resident_id, item_id, month)
        used[key] = used.get(key, 0) + int(total)
    return used


def _waiting(session: Session) -> list[dict[str, Any]]:
    """Every entry without a decision, oldest first."""
    rows = session.execute(
        select(PointEntry.id, PointEntry.resident_id, PointEntry.household_id, PointEntry.points,
               PointEntry.deed_date, PointEntry.recorded_by, PointEntry.recorded_at, PointEntry.note)
        .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
        .where(PointReview.id.is_(None)).order_by(PointEntry.id))
    return [dict(row._mapping) for row in rows]


def demo_months(today: dt.date) -> list[str]:
    """The demo's year: the months from a year before ``today`` to ``today``'s."""
    first_month = points.month_of(dt.date(today.year - 1, today.month, 1) if today.month < 12
                                  else dt.date(today.year, 1, 1))
    return points.months_between(points.month_bounds(first_month)[0], today)


def generate_points(session: Session, admin_id: int, today: dt.date, seed: int = 2026) -> int:
    """Twelve months of entries up to ``today``: past months reviewed, this month partly pending.
    Returns the number of entries made. ``close_and_rate`` closes the months afterwards.

    Entries already in the ledger (the volunteer year's hours) count against the caps and are
    reviewed with the rest, by an auditor who did not record them.
    """
    rng = random.Random(seed)
    now = min(dt.datetime.now().replace(microsecond=0), dt.datetime.combine(today, dt.time(23, 59)))
    recorders, auditors = demo_accounts(session, admin_id)
    items = session.scalars(select(PointItem).where(PointItem.active.is_(True))).all()
    base = next(i for i in items if i.category == "基础积分")
    honours = [i for i in items if "最美" in i.name]
    # Hours of volunteering earn their points from attendance (demo_volunteer), never at random.
    try:
        hourly: PointItem | None = volunteer.volunteer_item(session)
    except ValidationError:
        hourly = None
    awards = [i for i in items if i.points > 0 and i is not base and i not in honours and i is not hourly]
    deductions = [i for i in items if i.points < 0]
    people = session.execute(
        select(Resident.id, Resident.household_id, Resident.relation, Resident.moved_out_on, Resident.birth_date,
               Resident.roles)
    ).all()
    adults = [p for p in people if p.birth_date is None or (today - p.birth_date).days > 14 * 365]
    # Some residents take part often, most now and then, many not at all.
    zeal = {p.id: rng.choice((0, 0, 0, 0, 0, 0.3, 0.5, 1, 2.5)) + (1.5 if p.roles else 0) for p in adults}
    heads = [p for p in people if p.relation == HEAD and p.moved_out_on is None]

    months = demo_months(today)
    current = points.month_of(today)
    next_id = int(session.scalar(select(func.max(PointEntry.id))) or 0) + 1
    entries: list[dict[str, Any]] = []
    used = _caps_used(session)

    def add(resident: Any, item: PointItem, day: dt.date, note: str = "") -> dict[str, Any] | None:
        nonlocal next_id
        if resident.moved_out_on is not None and resident.moved_out_on <= day:
            return None
        whole = item.scope == "household"  # 门前三包, 基础积分: the household's
        key = (-resident.household_id if whole else resident.id, item.id, points.month_of(day))
        if item.monthly_cap is not None and used.get(key, 0) + abs(item.points) > item.monthly_cap:
            return None
        used[key] = used.get(key, 0) + abs(item.points)
        recorded_at = min(dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60))), now)
        row = {"id": next_id, "kind": "deed", "resident_id": None if whole else resident.id,
               "household_id": resident.household_id, "item_id": item.id, "points": item.points, "deed_date": day,
               "note": note, "reverses_id": None, "recorded_by": rng.choice(recorders), "recorded_at": recorded_at}
        next_id += 1
        entries.append(row)
        return row

    for month in months:
        first, last = points.month_bounds(month)
        last = min(last, today)
        span = (last - first).days + 1
        if first.month in (1, 7):
            for head in heads:
                add(head, base, first, "半年基础积分")
        for person in adults:
            for _ in range(int(zeal[person.id] * rng.random() * 2 + 0.5)):
                add(person, rng.choice(awards), first + dt.timedelta(days=rng.randrange(span)))
            if rng.random() < 0.01:
                add(person, rng.choice(deductions), first + dt.timedelta(days=rng.randrange(span)),
                    "经楼栋长核实")
        # A few honours a year (最美居民, 最美志愿者), for the most active.
        if honours and first.month in (6, 12):
            for person in sorted(adults, key=lambda p: -zeal[p.id])[:3]:
                add(person, honours[0], last, "年度评选")
    if entries:
        session.execute(insert(PointEntry).execution_options(render_nulls=True), entries)

    # Reviews of every entry waiting (these and any recorded before, such as the hours of volunteering):
    # earlier months all decided, this month about a third still waiting.
    own = {row["id"]: row for row in entries}
    reviews: list[dict[str, Any]] = []
    approved: list[dict[str, Any]] = []
    for row in _waiting(session):
        in_current = points.month_of(row["deed_date"]) == current
        if in_current and rng.random() < 0.65:
            continue
        reviewer = rng.choice([a for a in auditors if a != row["recorded_by"]])
        rejected = rng.random() < 0.02
        reasons = HOURS_REJECT_REASONS if row["note"].startswith("志愿服务：") else REJECT_REASONS
        reviewed_at = min(row["recorded_at"] + dt.timedelta(days=rng.randrange(1, 4)), now)
        reviews.append({"entry_id": row["id"], "decision": "rejected" if rejected else "approved",
                        "reason": rng.choice(reasons) if rejected else "", "reviewed_by": reviewer,
                        "reviewed_at": reviewed_at,
                        **_copy(row)})
        if not rejected and not in_current and row["id"] in own:
            approved.append(own[row["id"]])

    # A few approved entries were wrong and are reversed in a later month (reversals approved too).
    reversals = []
    for row in rng.sample(approved, k=min(len(approved), max(1, len(approved) // 150))):
        day = row["deed_date"] + dt.timedelta(days=rng.randrange(20, 40))
        if day >= today - dt.timedelta(days=2):
            continue
        reversal = {**row, "id": next_id, "kind": "reversal", "points": -row["points"], "deed_date": day,
                    "note": f"冲正第{row['id']}号记录：{rng.choice(REVERSE_REASONS)}", "reverses_id": row["id"],
                    "recorded_at": dt.datetime.combine(day, dt.time(10, 0))}
        next_id += 1
        reversals.append(reversal)
        if points.month_of(day) != current:
            reviewer = rng.choice([a for a in auditors if a != reversal["recorded_by"]])
            reviews.append({"entry_id": reversal["id"], "decision": "approved", "reason": "",
                            "reviewed_by": reviewer, "reviewed_at": reversal["recorded_at"] + dt.timedelta(days=1),
                            **_copy(reversal)})
    if reversals:
        session.execute(insert(PointEntry).execution_options(render_nulls=True), reversals)
    if reviews:
        session.execute(insert(PointReview).execution_options(render_nulls=True), reviews)

    audit.record(session, admin_id, "demo", "point_entry", None,
                 f"示例积分：{len(entries) + len(reversals)}条记录，{len(reviews)}条审核")
    return len(entries) + len(reversals)


def close_and_rate(session: Session, admin_id: int, today: dt.date) -> str | None:
    """Every finished month of the demo's year closed by an auditor, then the latest ended half-year
    rated. Returns that half-year ("2026-H1"), or None when it is not within the year."""
    _recorders, auditors = demo_accounts(session, admin_id)
    months = demo_months(today)
    current = points.month_of(today)
    for month in months:
        if month != current and not points.is_closed(session, month):
            points.close_month(session, auditors[0], month, today)
    period = points.half_year_of(session, today)
    year, half = int(period[:4]), int(period[-1])
    previous = f"{year}-H1" if half == 2 else f"{year - 1}-H2"
    first, _ = points.half_year_bounds(session, previous)
    if points.month_of(first) not in months:
        return None
    if session.get(StarPeriod, previous) is None:
        points.rate_half_year(session, auditors[0], previous, today)
    return previous
