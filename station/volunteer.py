"""Volunteer hours (志愿时长): teams, activities, attendance, hours into points, care visits, reports.

Hours become points at the station's rate (积分细则's 志愿服务 item), pending
the audit group like every entry. When attendance changes, the entry it
earned is reversed and a new one recorded; nothing is edited.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    Attendance,
    Building,
    Household,
    PointEntry,
    PointItem,
    PointReview,
    Resident,
    TeamMember,
    Unit,
    VolunteerTeam,
)
from station import audit, points, settings
from station.compound import address
from station.errors import NotFound, ValidationError
from station.access import require_role
from station.validation import clean, clean_text, mask_name, parse_date
from station.vocab import PARTY_CATEGORIES, STAFF_ROLES

# Kinds of activity, in the articles' words; a station may type its own.
KINDS = ("环境整治", "关爱走访", "安全巡逻", "政策宣传", "节庆活动", "文体活动", "便民服务", "其他")
CARE_VISIT = "关爱走访"
VOLUNTEER_CATEGORY = "志愿服务"

_TIME = re.compile(r"(\d{1,2})[:：.](\d{2})")
_HOURS = re.compile(r"\d{1,2}(\.\d{1,2})?")
EARLY_SIGN_IN = dt.timedelta(hours=2)  # people may sign in this long before an activity starts


# ------------------------------------------------------------------ hours and points


def parse_time(text: str, field: str) -> dt.time:
    found = _TIME.fullmatch(clean(text))
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise ValidationError({field: "时间格式不对，例如 09:30"})
    return dt.time(int(found.group(1)), int(found.group(2)))


def span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """Start and end on ``day``; an end before the start is on the next day (a night patrol 22:00–02:00)."""
    starts = dt.datetime.combine(day, start)
    ends = dt.datetime.combine(day, end)
    if ends <= starts:
        ends += dt.timedelta(days=1)
    return starts, ends


def minutes_between(starts: dt.datetime, ends: dt.datetime) -> int:
    return max(0, int((ends - starts).total_seconds() // 60))


def hours_text(minutes: int) -> str:
    """150 -> "2.5"; 60 -> "1"."""
    hours = minutes / 60
    return f"{hours:.1f}".rstrip("0").rstrip(".") if hours % 1 else str(int(hours))


def points_for(minutes: int, rate: float, rounding: str, cap: int) -> int:
    """Points for the minutes served: hours × rate, rounded as the station chose, at most ``cap``."""
    raw = minutes / 60 * rate
    if rounding == "up":
        value = math.ceil(raw - 1e-9)
    elif rounding == "nearest":
        value = math.floor(raw + 0.5 + 1e-9)
    else:
        value = math.floor(raw + 1e-9)
    return max(0, min(value, cap))


def parse_hours(text: str) -> int:
    """Hours typed as 2, 2.5 or 1:30 -> minutes."""
    value = clean(text)
    found = _TIME.fullmatch(value)
    if found:
        minutes = int(found.group(1)) * 60 + int(found.group(2))
    elif _HOURS.fullmatch(value):
        minutes = round(float(value) * 60)
    else:
        raise ValidationError({"hours": "时长请填小时数，例如 2 或 2.5"})
    if not 0 < minutes <= 24 * 60:
        raise ValidationError({"hours": "时长应大于0，不超过24小时"})
    return minutes


def volunteer_item(session: Session) -> PointItem:
    """The catalogue item hours are recorded under: 志愿服务's per-hour item (its name says 小时).

    The points per hour come from the settings (设置 → 志愿时长换算), not from the item's own value;
    the item's monthly cap holds.
    """
    item = session.scalar(
        select(PointItem).where(PointItem.category == VOLUNTEER_CATEGORY, PointItem.active.is_(True),
                                PointItem.points > 0, PointItem.name.like("%小时%"))
        .order_by(PointItem.sort_key, PointItem.id).limit(1)
    )
    if item is None:
        raise ValidationError("积分细则中没有在用的“志愿服务（每小时）”项目：请在积分细则中启用或添加（类别“志愿服务”，"
                              "名称含“小时”），志愿时长才能换算积分")
    return item


# ------------------------------------------------------------------ teams (志愿服务队)


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    leader_id: int | None
    leader: str
    members: int
    note: str
    active: bool


def teams(session: Session, active_only: bool = False) -> list[TeamView]:
    counts = dict(session.execute(
        select(TeamMember.team_id, func.count()).where(TeamMember.left_on.is_(None)).group_by(TeamMember.team_id)
    ).all())
    stmt = select(VolunteerTeam, Resident.name).outerjoin(Resident, Resident.id == VolunteerTeam.leader_id)
    if active_only:
        stmt = stmt.where(VolunteerTeam.active.is_(True))
    return [TeamView(t.id, t.name, t.leader_id, leader or "", int(counts.get(t.id, 0)), t.note, t.active)
            for t, leader in session.execute(stmt.order_by(VolunteerTeam.id))]


def save_team(session: Session, staff_id: int, name: str, leader_id: int | None, note: str = "",
              team_id: int | None = None, active: bool = True) -> int:
    """Create a team, or change one (name, leader, note, in use). The leader becomes a member."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    name = clean(name)
    if not name:
        raise ValidationError({"name": "请填写服务队名称"})
    if len(name) > 30:
        raise ValidationError({"name": "名称不超过30个字"})
    if session.scalar(select(VolunteerTeam.id).where(VolunteerTeam.name == name, VolunteerTeam.id != (team_id or 0))):
        raise ValidationError({"name": f"已经有“{name}”了"})
    if leader_id is not None and session.get(Resident, leader_id) is None:
        raise NotFound("找不到这位队长")
    if team_id is None:
        team = VolunteerTeam(name=name, leader_id=leader_id, note=clean_text(note), active=True)
        session.add(team)
        session.flush()
        audit.record(session, staff_id, "create", "volunteer_team", team.id, f"新建志愿服务队：{name}",
                     after={"name": name, "leader_id": leader_id})
    else:
        found = session.get(VolunteerTeam, team_id)
        if found is None:
            raise NotFound("找不到这个服务队")
        team = found
        before = {"name": team.name, "leader_id": team.leader_id, "note": team.note, "active": team.active}
        team.name, team.leader_id, team.note, team.active = name, leader_id, clean_text(note), active
        audit.record(session, staff_id, "update", "volunteer_team", team.id, f"修改志愿服务队：{name}",
                     before=before, after={"name": name, "leader_id": leader_id, "note": team.note, "active": active})
    if leader_id is not None:
        join_team(session, staff_id, team.id, leader_id)
    return team.id


def join_team(session: Session, staff_id: int, team_id: int, resident_id: int, today: dt.date | None = None) -> None:
    """Add a resident to a team (again, if they had left)."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    today = today or dt.date.today()
    member = session.scalar(select(TeamMember).where(TeamMember.team_id == team_id,
                                                     TeamMember.resident_id == resident_id))
    if member is not None and member.left_on is None:
        return
    resident = session.get(Resident, resident_id)
    team = session.get(VolunteerTeam, team_id)
    if resident is None or team is None:
        raise NotFound("找不到这位居民或这个服务队")
    if member is None:
        session.add(TeamMember(team_id=team_id, resident_id=resident_id, joined_on=today))
    else:
        member.joined_on, member.left_on = today, None
    audit.record(session, staff_id, "join_team", "volunteer_team", team_id, f"{resident.name}加入{team.name}")


def leave_team(session: Session, staff_id: int, team_id: int, resident_id: int, today: dt.date | None = None) -> None:
    """Mark a member as having left; their hours stay theirs."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    member = session.scalar(select(TeamMember).where(TeamMember.team_id == team_id,
                                                     TeamMember.resident_id == resident_id,
                                                     TeamMember.left_on.is_(None)))
    if member is None:
        raise NotFound("这位居民不在这个服务队里")
    member.left_on = today or dt.date.today()
    resident, team = session.get(Resident, resident_id), session.get(VolunteerTeam, team_id)
    audit.record(session, staff_id, "leave_team", "volunteer_team", team_id,
                 f"{resident.name if resident else ''}退出{team.name if team else ''}")


def members(session: Session, team_id: int) -> list[tuple[int, str, str]]:
    """(resident id, name, address) of a team's current members."""
    rows = session.execute(
        select(Resident.id, Resident.name, Building.number, Unit.number, Household.room)
        .join(TeamMember, TeamMember.resident_id == Resident.id)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(TeamMember.team_id == team_id, TeamMember.left_on.is_(None))
        .order_by(Resident.name_pinyin)
    )
    return [(rid, name, address(b, u, r)) for rid, name, b, u, r in rows]


# ------------------------------------------------------------------ activities (志愿活动)


@dataclass
class ActivityInput:
    """What the activity dialog sends, as typed."""

    title: str
    kind: str
    date: str
    start: str
    end: str
    place: str = ""
    organiser: str = ""
    team_id: int | None = None
    planned_headcount: str = ""
    description: str = ""
    points_cap: str = ""
    visited_id: int | None = None


@dataclass(frozen=True)
class CleanActivity:
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    organiser: str
    team_id: int | None
    planned_headcount: int | None
    description: str
    points_cap: int | None
    visited_id: int | None


def _optional_int(text: str, field: str, low: int, high: int, label: str, errors: dict[str, str]) -> int | None:
    value = clean(text)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = f"{label}请填整数"
        return None
    if not low <= number <= high:
        errors[field] = f"{label}应在{low}至{high}之间"
    return number


def _check_activity(session: Session, data: ActivityInput) -> CleanActivity:
    errors: dict[str, str] = {}
    title, kind = clean_text(data.title), clean(data.kind)
    if not title:
        errors["title"] = "请填写活动名称"
    elif len(title) > 60:
        errors["title"] = "活动名称不超过60个字"
    if not kind:
        errors["kind"] = "请选择活动类别"
    elif len(kind) > 20:
        errors["kind"] = "类别不超过20个字"
    day = None
    try:
        day = parse_date(data.date, allow_future=True, example=f"{dt.date.today():%Y-%m-%d}")
    except ValueError as problem:
        errors["date"] = str(problem)
    start = end = None
    try:
        start = parse_time(data.start, "start")
    except ValidationError as problem:
        errors.update(problem.errors)
    try:
        end = parse_time(data.end, "end")
    except ValidationError as problem:
        errors.update(problem.errors)
    headcount = _optional_int(data.planned_headcount, "planned_headcount", 1, 10000, "计划人数", errors)
    cap = _optional_int(data.points_cap, "points_cap", 1, 100, "积分上限", errors)
    if data.team_id is not None and session.get(VolunteerTeam, data.team_id) is None:
        errors["team"] = "找不到这个服务队"
    if data.visited_id is not None and session.get(Resident, data.visited_id) is None:
        errors["visited"] = "找不到被走访的居民"
    if errors:
        raise ValidationError(errors)
    assert day is not None and start is not None and end is not None
    if start == end:
        raise ValidationError({"end": "结束时间与开始时间相同"})
    starts_at, ends_at = span(day, start, end)
    if ends_at - starts_at > dt.timedelta(hours=16):
        raise ValidationError({"end": "一次活动不超过16小时，请检查开始和结束时间"})
    return CleanActivity(title, kind, starts_at, ends_at, clean_text(data.place)[:100], clean(data.organiser)[:50],
                         data.team_id, headcount, clean_text(data.description), cap, data.visited_id)


def _activity_snapshot(activity: Activity) -> dict[str, object]:
    return {"title": activity.title, "kind": activity.kind, "starts_at": activity.starts_at,
            "ends_at": activity.ends_at, "place": activity.place, "organiser": activity.organiser,
            "team_id": activity.team_id, "planned_headcount": activity.planned_headcount,
            "points_cap": activity.points_cap, "visited_id": activity.visited_id}


def add_activity(session: Session, staff_id: int, data: ActivityInput) -> int:
    """Create an activity (新建活动)."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    clean_data = _check_activity(session, data)
    activity = Activity(created_by=staff_id, **vars(clean_data))
    session.add(activity)
    session.flush()
    audit.record(session, staff_id, "create", "activity", activity.id,
                 f"新建活动：{activity.title}（{activity.starts_at:%Y-%m-%d %H:%M}）", after=_activity_snapshot(activity))
    return activity.id


def _get_activity(session: Session, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("找不到这个活动")
    return activity


def update_activity(session: Session, staff_id: int, activity_id: int, data: ActivityInput,
                    today: dt.date | None = None) -> None:
    """Change an activity. Attendance counted from its times follows new times (points re-recorded)."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    activity = _get_activity(session, activity_id)
    clean_data = _check_activity(session, data)
    before = _activity_snapshot(activity)
    old_minutes = minutes_between(activity.starts_at, activity.ends_at)
    for key, value in vars(clean_data).items():
        setattr(activity, key, value)
    after = _activity_snapshot(activity)
    if before == after:
        return
    audit.record(session, staff_id, "update", "activity", activity_id, f"修改活动：{activity.title}",
                 before=before, after=after)
    new_minutes = minutes_between(activity.starts_at, activity.ends_at)
    moved = before["starts_at"].date() != activity.starts_at.date()  # type: ignore[attr-defined]
    for attendance in _attending(session, activity_id):
        from_times = attendance.signed_out_at is None and not attendance.adjust_reason
        if from_times and attendance.minutes == old_minutes and new_minutes != old_minutes:
            _recount(session, staff_id, attendance, activity, new_minutes, "活动时间修改", today)
        elif attendance.minutes and (moved or before["points_cap"] != after["points_cap"]):
            # Points are dated on the activity's day and capped by it: re-record them.
            _recount(session, staff_id, attendance, activity, min(attendance.minutes, new_minutes),
                     "活动日期或积分上限修改", today)


def cancel_activity(session: Session, staff_id: int, activity_id: int, reason: str,
                    today: dt.date | None = None) -> None:
    """Cancel an activity (取消): its attendance is withdrawn and any points it earned reversed."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    activity = _get_activity(session, activity_id)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明取消原因"})
    if activity.cancelled:
        raise ValidationError("这个活动已经取消了")
    for attendance in _attending(session, activity_id):
        _withdraw(session, staff_id, attendance, f"活动取消：{reason}", today)
    activity.cancelled = True
    audit.record(session, staff_id, "cancel", "activity", activity_id, f"取消活动：{activity.title}（{reason}）")


def copy_forward(session: Session, staff_id: int, activity_id: int, weeks: int = 1, times: int = 1) -> list[int]:
    """Copy a recurring activity (每周五大扫除) ``times`` times, ``weeks`` apart. Returns the new ids."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    activity = _get_activity(session, activity_id)
    if not 1 <= times <= 52 or not 1 <= weeks <= 52:
        raise ValidationError("复制次数和间隔周数应在1至52之间")
    if activity.visited_id is not None:
        raise ValidationError("关爱走访不能复制：每次走访请在“关爱走访”中登记")
    if activity.cancelled:
        raise ValidationError("这个活动已经取消了，不能复制")
    for n in range(1, times + 1):
        shift = dt.timedelta(weeks=weeks * n)
        if session.scalar(select(Activity.id).where(Activity.title == activity.title,
                                                    Activity.starts_at == activity.starts_at + shift,
                                                    Activity.cancelled.is_(False))):
            raise ValidationError(f"{activity.starts_at + shift:%Y-%m-%d}已经有“{activity.title}”了")
    made = []
    for n in range(1, times + 1):
        shift = dt.timedelta(weeks=weeks * n)
        copy = Activity(
            title=activity.title, kind=activity.kind, starts_at=activity.starts_at + shift,
            ends_at=activity.ends_at + shift, place=activity.place, organiser=activity.organiser,
            team_id=activity.team_id, planned_headcount=activity.planned_headcount,
            description=activity.description, points_cap=activity.points_cap, visited_id=activity.visited_id,
            created_by=staff_id,
        )
        session.add(copy)
        session.flush()
        made.append(copy.id)
    audit.record(session, staff_id, "copy", "activity", activity_id,
                 f"复制活动：{activity.title}，每{weeks}周一次，共{times}次", after={"copies": made})
    return made


# ------------------------------------------------------------------ attendance (签到)


def _attending(session: Session, activity_id: int) -> list[Attendance]:
    return list(session.scalars(select(Attendance).where(Attendance.activity_id == activity_id,
                                                         Attendance.withdrawn.is_(False))))


def _cap(session: Session, activity: Activity) -> int:
    return int(activity.points_cap or settings.get(session, settings.ACTIVITY_CAP))


def _award(session: Session, staff_id: int, attendance: Attendance, activity: Activity,
           today: dt.date | None) -> None:
    """Record the points the attendance's minutes earn (nothing for none)."""
    attendance.entry_id = None
    if attendance.withdrawn or attendance.minutes <= 0:
        return
    value = points_for(attendance.minutes, settings.get(session, settings.POINTS_PER_HOUR),
                       settings.get(session, settings.ROUNDING), _cap(session, activity))
    if value <= 0:
        return
    note = f"志愿服务：{activity.title}（{activity.starts_at:%Y-%m-%d}）{hours_text(attendance.minutes)}小时"
    attendance.entry_id = points.record_points(session, staff_id, attendance.resident_id,
                                               volunteer_item(session).id, value, activity.starts_at.date(), note,
                                               today)


def _take_back(session: Session, staff_id: int, attendance: Attendance, reason: str, today: dt.date | None) -> None:
    """Reverse the points entry the attendance earned, if it still counts or may count."""
    if attendance.entry_id is None:
        return
    status = session.scalar(select(PointReview.decision).where(PointReview.entry_id == attendance.entry_id))
    reversed_already = session.scalar(select(PointEntry.id).where(PointEntry.reverses_id == attendance.entry_id))
    if status != "rejected" and reversed_already is None:
        points.reverse(session, staff_id, attendance.entry_id, reason, today, allow_pending=True)
    attendance.entry_id = None


def _recount(session: Session, staff_id: int, attendance: Attendance, activity: Activity, minutes: int,
             reason: str, today: dt.date | None) -> None:
    _take_back(session, staff_id, attendance, reason, today)
    attendance.minutes = minutes
    _award(session, staff_id, attendance, activity, today)


def _attendance_for(session: Session, activity: Activity, resident_id: int, staff_id: int) -> tuple[Attendance, bool]:
    """The resident's attendance at the activity: existing, withdrawn (brought back) or new. True if new."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("找不到这位居民")
    if resident.moved_out_on is not None and resident.moved_out_on <= activity.starts_at.date():
        raise ValidationError(f"{resident.name}已于{resident.moved_out_on:%Y-%m-%d}迁出")
    if activity.cancelled:
        raise ValidationError("这个活动已经取消了")
    attendance = session.scalar(select(Attendance).where(Attendance.activity_id == activity.id,
                                                         Attendance.resident_id == resident_id))
    if attendance is None:
        attendance = Attendance(activity_id=activity.id, resident_id=resident_id, recorded_by=staff_id, minutes=0,
                                adjust_reason="", withdrawn=False)
        session.add(attendance)
        return attendance, True
    if attendance.withdrawn:
        attendance.withdrawn = False
        attendance.signed_in_at = attendance.signed_out_at = None
        attendance.minutes = 0
        attendance.adjust_reason = ""
        return attendance, True
    return attendance, False


def sign_in(session: Session, staff_id: int, activity_id: int, resident_id: int,
            at: dt.datetime | None = None) -> int:
    """Sign a resident in at the desk (签到). Returns the attendance id."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    activity = _get_activity(session, activity_id)
    attendance, new = _attendance_for(session, activity, resident_id, staff_id)
    resident = session.get(Resident, resident_id)
    assert resident is not None
    if not new:
        done = attendance.signed_out_at is not None or attendance.minutes > 0
        raise ValidationError(f"{resident.name}已经签到{'并签退' if done else ''}了")
    when = (at or dt.datetime.now()).replace(second=0, microsecond=0)
    if not activity.starts_at - EARLY_SIGN_IN <= when <= activity.ends_at:
        raise ValidationError(f"现在不在活动时间内（{activity.starts_at:%Y-%m-%d %H:%M}开始）：签到只在活动当时；"
                              "活动结束后请用“补录时长”")
    attendance.signed_in_at = when
    session.flush()
    audit.record(session, staff_id, "sign_in", "attendance", attendance.id,
                 f"{resident.name}签到：{activity.title}（{attendance.signed_in_at:%H:%M}）")
    return attendance.id


def sign_out(session: Session, staff_id: int, attendance_id: int, at: dt.datetime | None = None,
             today: dt.date | None = None) -> int:
    """Sign out (签退): the minutes present within the activity's time count, and earn points. Returns them."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    attendance = _get_attendance(session, attendance_id)
    activity = _get_activity(session, attendance.activity_id)
    if attendance.signed_in_at is None:
        raise ValidationError("没有签到时间：请直接填写时长")
    if attendance.signed_out_at is not None:
        raise ValidationError("已经签退了；时长不对请用“调整时长”")
    out = (at or dt.datetime.now()).replace(second=0, microsecond=0)
    if out <= attendance.signed_in_at:
        raise ValidationError("签退时间应晚于签到时间")
    attendance.signed_out_at = out
    # Only the time within the activity counts: not an early arrival, not a forgotten sign-out.
    minutes = minutes_between(max(attendance.signed_in_at, activity.starts_at), min(out, activity.ends_at))
    _recount(session, staff_id, attendance, activity, minutes, "签退", today)
    audit.record(session, staff_id, "sign_out", "attendance", attendance.id,
                 f"签退：{activity.title}，{hours_text(minutes)}小时")
    return minutes


def record_hours(session: Session, staff_id: int, activity_id: int, resident_id: int, hours: str = "",
                 reason: str = "", today: dt.date | None = None) -> int:
    """Enter someone's hours after the fact (补录). Empty hours: the activity's own length."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    activity = _get_activity(session, activity_id)
    if activity.starts_at > dt.datetime.combine(today or dt.date.today(), dt.time.max):
        raise ValidationError("活动还没有开始，不能补录时长")
    default = minutes_between(activity.starts_at, activity.ends_at)
    minutes = _within_activity(parse_hours(hours), activity) if clean(hours) else default
    reason = clean_text(reason)
    if minutes != default and not reason:
        raise ValidationError({"reason": "时长与活动时间不同，请写明原因"})
    attendance, new = _attendance_for(session, activity, resident_id, staff_id)
    if not new:
        resident = session.get(Resident, resident_id)
        raise ValidationError(f"{resident.name if resident else ''}已经在名单里了；时长不对请用“调整时长”")
    attendance.adjust_reason = reason
    session.flush()
    _recount(session, staff_id, attendance, activity, minutes, "补录", today)
    audit.record(session, staff_id, "record_hours", "attendance", attendance.id,
                 f"补录时长：{activity.title}，{hours_text(minutes)}小时" + (f"（{reason}）" if reason else ""))
    return attendance.id


def _within_activity(minutes: int, activity: Activity) -> int:
    """Hours typed for one person cannot exceed the activity's own length."""
    length = minutes_between(activity.starts_at, activity.ends_at)
    if minutes > length:
        raise ValidationError({"hours": f"不能超过活动时长{hours_text(length)}小时；活动时间不对请先修改活动"})
    return minutes


def _get_attendance(session: Session, attendance_id: int) -> Attendance:
    attendance = session.get(Attendance, attendance_id)
    if attendance is None or attendance.withdrawn:
        raise NotFound("找不到这条签到记录")
    return attendance


def adjust_hours(session: Session, staff_id: int, attendance_id: int, hours: str, reason: str,
                 today: dt.date | None = None) -> None:
    """Correct someone's hours with a reason (调整时长): the old points are reversed, new ones recorded."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    attendance = _get_attendance(session, attendance_id)
    activity = _get_activity(session, attendance.activity_id)
    minutes = _within_activity(parse_hours(hours), activity)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明调整原因"})
    if minutes == attendance.minutes:
        return
    before = attendance.minutes
    attendance.adjust_reason = reason
    _recount(session, staff_id, attendance, activity, minutes, f"调整时长：{reason}", today)
    audit.record(session, staff_id, "adjust_hours", "attendance", attendance_id,
                 f"调整时长：{hours_text(before)}→{hours_text(minutes)}小时（{reason}）",
                 before={"minutes": before}, after={"minutes": minutes, "reason": reason})


def _withdraw(session: Session, staff_id: int, attendance: Attendance, reason: str, today: dt.date | None) -> None:
    _take_back(session, staff_id, attendance, reason, today)
    attendance.withdrawn = True
    attendance.adjust_reason = reason


def withdraw(session: Session, staff_id: int, attendance_id: int, reason: str, today: dt.date | None = None) -> None:
    """Take back a wrong sign-in (撤销签到): kept, marked, its points reversed."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    attendance = _get_attendance(session, attendance_id)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤销原因"})
    _withdraw(session, staff_id, attendance, reason, today)
    audit.record(session, staff_id, "withdraw", "attendance", attendance_id, f"撤销签到：{reason}")


# ------------------------------------------------------------------ lists


@dataclass(frozen=True)
class ActivityRow:
    id: int
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    organiser: str
    team: str
    planned: int | None
    people: int
    minutes: int
    cancelled: bool
    visited: str

    @property
    def when(self) -> str:
        """2026-11-20 22:00–次日02:00 (formatted by hand: strftime is slow for a year of rows)."""
        start, end = self.starts_at, self.ends_at
        until = f"{end.hour:02d}:{end.minute:02d}"
        if end.date() != start.date():
            until = "次日" + until
        return f"{start.year}-{start.month:02d}-{start.day:02d} {start.hour:02d}:{start.minute:02d}–{until}"


_ROW_COLUMNS = (Activity.id, Activity.title, Activity.kind, Activity.starts_at, Activity.ends_at, Activity.place,
                Activity.organiser, Activity.team_id, Activity.planned_headcount, Activity.cancelled,
                Activity.visited_id)


def _activity_rows(session: Session, stmt: Select[Any]) -> list[ActivityRow]:
    """Rows for the activities ``stmt`` selects (its columns are replaced by the ones a row needs)."""
    found = session.execute(stmt.with_only_columns(*_ROW_COLUMNS)).all()
    ids = [row.id for row in found]
    figures = {aid: (int(people), int(minutes or 0)) for aid, people, minutes in session.execute(
        select(Attendance.activity_id, func.count(), func.sum(Attendance.minutes))
        .where(Attendance.activity_id.in_(ids), Attendance.withdrawn.is_(False))
        .group_by(Attendance.activity_id))}
    team_names = dict(session.execute(select(VolunteerTeam.id, VolunteerTeam.name)).all())
    visited_ids = {row.visited_id for row in found if row.visited_id}
    visited = dict(session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(visited_ids))).all())
    return [ActivityRow(a.id, a.title, a.kind, a.starts_at, a.ends_at, a.place, a.organiser,
                        team_names.get(a.team_id, "") if a.team_id else "", a.planned_headcount,
                        *figures.get(a.id, (0, 0)), a.cancelled, visited.get(a.visited_id, "") if a.visited_id else "")
            for a in found]


def activities(session: Session, upcoming: bool, text: str = "", now: dt.datetime | None = None,
               first: dt.date | None = None, last: dt.date | None = None, limit: int = 1000,
               visits: bool | None = None) -> list[ActivityRow]:
    """Today's and coming activities (soonest first) or earlier ones (latest first), optionally matching a word.

    ``visits``: True only care visits (关爱走访), False all but them, None everything.
    """
    now = now or dt.datetime.now()
    # Today's activities stay with the coming ones all day: the desk still signs people out after the end.
    today = dt.datetime.combine(now.date(), dt.time())
    stmt = select(Activity)
    if visits is not None:
        stmt = stmt.where(Activity.visited_id.is_not(None) if visits else Activity.visited_id.is_(None))
    if upcoming:
        stmt = stmt.where(Activity.ends_at >= today).order_by(Activity.starts_at, Activity.id)
    else:
        stmt = stmt.where(Activity.ends_at < today).order_by(Activity.starts_at.desc(), Activity.id.desc())
    if first is not None:
        stmt = stmt.where(Activity.starts_at >= dt.datetime.combine(first, dt.time()))
    if last is not None:
        stmt = stmt.where(Activity.starts_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    for term in clean(text).split():
        stmt = stmt.where(or_(Activity.title.like(f"%{term}%"), Activity.kind.like(f"%{term}%"),
                              Activity.place.like(f"%{term}%"), Activity.organiser.like(f"%{term}%")))
    return _activity_rows(session, stmt.limit(limit))


def activity(session: Session, activity_id: int) -> ActivityRow:
    rows = _activity_rows(session, select(Activity).where(Activity.id == activity_id))
    if not rows:
        raise NotFound("找不到这个活动")
    return rows[0]


def activity_form(session: Session, activity_id: int) -> ActivityInput:
    """The activity as the dialog shows it for changing."""
    a = _get_activity(session, activity_id)
    return ActivityInput(a.title, a.kind, f"{a.starts_at:%Y-%m-%d}", f"{a.starts_at:%H:%M}", f"{a.ends_at:%H:%M}",
                         a.place, a.organiser, a.team_id, str(a.planned_headcount or ""), a.description,
                         str(a.points_cap or ""), a.visited_id)


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    resident_id: int
    name: str
    address: str
    signed_in_at: dt.datetime | None
    signed_out_at: dt.datetime | None
    minutes: int
    points: int | None
    points_status: str
    reason: str
    withdrawn: bool
    capped: bool = False  # earned points, but the month's 志愿服务 cap was reached

    @property
    def on_site(self) -> bool:
        """Signed in and not yet out."""
        return self.signed_in_at is not None and self.signed_out_at is None and not self.withdrawn


def attendance(session: Session, activity_id: int) -> list[AttendanceRow]:
    """Everyone at an activity: in the order they came, withdrawn sign-ins last."""
    rows = session.execute(
        select(Attendance, Resident.name, Building.number, Unit.number, Household.room, PointEntry.points,
               PointReview.decision)
        .join(Resident, Resident.id == Attendance.resident_id)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .outerjoin(PointEntry, PointEntry.id == Attendance.entry_id)
        .outerjoin(PointReview, PointReview.entry_id == Attendance.entry_id)
        .where(Attendance.activity_id == activity_id)
        .order_by(Attendance.withdrawn, Attendance.signed_in_at.is_(None), Attendance.signed_in_at, Attendance.id)
    )
    rate, rounding = settings.get(session, settings.POINTS_PER_HOUR), settings.get(session, settings.ROUNDING)
    cap = _cap(session, _get_activity(session, activity_id))
    result = []
    for att, name, b, u, r, value, decision in rows:
        if att.entry_id is None:
            status = ""
        else:
            status = points.PENDING if decision is None else (points.APPROVED if decision == "approved"
                                                               else points.REJECTED)
        capped = (att.entry_id is None and not att.withdrawn and att.minutes > 0
                  and points_for(att.minutes, rate, rounding, cap) > 0)
        result.append(AttendanceRow(att.id, att.resident_id, name, address(b, u, r), att.signed_in_at,
                                    att.signed_out_at, att.minutes, value, status, att.adjust_reason, att.withdrawn,
                                    capped))
    return result


# ------------------------------------------------------------------ care visits (关爱走访)


@dataclass(frozen=True)
class CareRow:
    resident_id: int
    name: str
    address: str
    tags: str
    every_days: int
    last_visit: dt.date | None
    due_on: dt.date
    overdue_days: int  # 0 when not overdue


def care_overview(session: Session, today: dt.date | None = None) -> list[CareRow]:
    """Residents needing care visits, most overdue first (never visited: counted from moving in)."""
    today = today or dt.date.today()
    intervals: dict[str, int] = settings.get(session, settings.VISIT_DAYS)
    # A visit counts once someone actually went: a visitor's hours are on it.
    last_visits = dict(session.execute(
        select(Activity.visited_id, func.max(Activity.starts_at))
        .join(Attendance, Attendance.activity_id == Activity.id)
        .where(Activity.visited_id.is_not(None), Activity.cancelled.is_(False),
               Activity.starts_at <= dt.datetime.combine(today, dt.time.max),
               Attendance.withdrawn.is_(False), Attendance.minutes > 0)
        .group_by(Activity.visited_id)).all())
    rows = session.execute(
        select(Resident.id, Resident.name, Resident.care_tags, Resident.moved_in_on, Resident.created_at,
               Building.number, Unit.number, Household.room)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Resident.care_tags != "", Resident.moved_out_on.is_(None))
    )
    result = []
    for rid, name, tags, moved_in, created, b, u, r in rows:
        days = [intervals[tag] for tag in tags.split(",") if tag in intervals]
        if not days:
            continue
        every = min(days)
        last = last_visits.get(rid)
        last_day = last.date() if last else None
        # Never visited: due one interval after moving in (or after being registered).
        since = last_day or moved_in or created.date()
        due = since + dt.timedelta(days=every)
        result.append(CareRow(rid, name, address(b, u, r), tags.replace(",", "、"), every, last_day, due,
                              max(0, (today - due).days)))
    return sorted(result, key=lambda row: (-row.overdue_days, row.due_on, row.address))


def log_visit(session: Session, staff_id: int, visited_id: int, date: str, start: str, end: str,
              visitor_ids: Sequence[int], note: str = "", today: dt.date | None = None) -> int:
    """Log a care visit (关爱走访) as an activity; the visitors' hours count like any activity's."""
    require_role(session, staff_id, STAFF_ROLES, "登记志愿服务")
    resident = session.get(Resident, visited_id)
    if resident is None:
        raise NotFound("找不到被走访的居民")
    if not visitor_ids:
        raise ValidationError({"visitors": "请至少选择一位走访人"})
    if visited_id in visitor_ids:
        raise ValidationError({"visitors": f"{resident.name}是被走访的人，不能同时是走访人"})
    activity_id = add_activity(session, staff_id, ActivityInput(
        title=f"走访{resident.name}", kind=CARE_VISIT, date=date, start=start, end=end,
        place=_address_of(session, resident), description=note, visited_id=visited_id))
    for visitor in visitor_ids:
        record_hours(session, staff_id, activity_id, visitor, today=today)
    return activity_id


def _address_of(session: Session, resident: Resident) -> str:
    household = session.get(Household, resident.household_id)
    assert household is not None
    return address(household.unit.building.number, household.unit.number, household.room)


# ------------------------------------------------------------------ reports


def _counted(first: dt.date, last: dt.date) -> list[ColumnElement[bool]]:
    return [Attendance.withdrawn.is_(False), Activity.cancelled.is_(False),
            Activity.starts_at >= dt.datetime.combine(first, dt.time()),
            Activity.starts_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time())]


def person_hours(session: Session, resident_id: int, year: int) -> list[int]:
    """Minutes served in each month of a year (12 numbers)."""
    by_month = [0] * 12
    for number, minutes in session.execute(
        select(func.substr(Activity.starts_at, 6, 2), func.sum(Attendance.minutes))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.resident_id == resident_id, *_counted(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .group_by(func.substr(Activity.starts_at, 6, 2))
    ):
        by_month[int(number) - 1] = int(minutes or 0)
    return by_month


@dataclass(frozen=True)
class HoursRow:
    label: str
    people: int
    activities: int
    minutes: int


def party_hours(session: Session, year: int) -> list[HoursRow]:
    """Party members' service hours by category, 在职党员 (双报到) first."""
    order = ("在职党员",) + tuple(c for c in PARTY_CATEGORIES if c != "在职党员")
    found = {category: (int(people), int(count), int(minutes or 0)) for category, people, count, minutes in session.execute(
        select(Resident.party_category, func.count(func.distinct(Attendance.resident_id)),
               func.count(func.distinct(Attendance.activity_id)), func.sum(Attendance.minutes))
        .join(Attendance, Attendance.resident_id == Resident.id)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Resident.party_category.is_not(None), *_counted(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .group_by(Resident.party_category))}
    return [HoursRow(category, *found.get(category, (0, 0, 0))) for category in order]


def team_hours(session: Session, year: int) -> list[HoursRow]:
    """Each team's activities and hours in a year."""
    found = {team_id: (int(people), int(count), int(minutes or 0)) for team_id, people, count, minutes in session.execute(
        select(Activity.team_id, func.count(func.distinct(Attendance.resident_id)),
               func.count(func.distinct(Activity.id)), func.sum(Attendance.minutes))
        .join(Attendance, Attendance.activity_id == Activity.id)
        .where(Activity.team_id.is_not(None), *_counted(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        .group_by(Activity.team_id))}
    return [HoursRow(team.name, *found.get(team.id, (0, 0, 0))) for team in teams(session)]


@dataclass(frozen=True)
class ServiceLine:
    day: dt.date
    title: str
    kind: str
    minutes: int


@dataclass(frozen=True)
class Certificate:
    """What the 志愿服务时长证明 shows: a person's full name (a certificate is personal) and service."""

    resident_id: int
    name: str
    gender: str
    address: str
    party_category: str
    teams: tuple[str, ...]
    first: dt.date
    last: dt.date
    lines: tuple[ServiceLine, ...]

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.lines)


def certificate(session: Session, resident_id: int, first: dt.date, last: dt.date) -> Certificate:
    """The resident's service from ``first`` to ``last`` as the certificate prints it.

    The certificate leaves the station: a care visit (关爱走访) is printed as 关爱走访 with its date and
    hours, never with its title (「走访孙秋婷」) that names the person visited, and any other resident's
    name typed into an activity's title is masked (张*明).
    """
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("找不到这位居民")
    if last < first:
        raise ValidationError("结束日期不能早于开始日期")
    rows = session.execute(
        select(Activity.starts_at, Activity.title, Activity.kind, Activity.visited_id, Attendance.minutes)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.resident_id == resident_id, Attendance.minutes > 0, *_counted(first, last))
        .order_by(Activity.starts_at)).all()
    others = sorted({name for name in session.scalars(select(Resident.name).distinct())
                     if len(name) >= 2 and name not in resident.name}, key=len, reverse=True) if rows else []

    def shown(title: str, kind: str, visited_id: int | None) -> str:
        if visited_id is not None or kind == CARE_VISIT:
            return CARE_VISIT
        for name in others:
            if name in title:
                title = title.replace(name, mask_name(name))
        return title

    lines = tuple(ServiceLine(starts.date(), shown(title, kind, visited_id), kind, int(minutes))
                  for starts, title, kind, visited_id, minutes in rows)
    team_names = tuple(session.scalars(
        select(VolunteerTeam.name).join(TeamMember, TeamMember.team_id == VolunteerTeam.id)
        .where(TeamMember.resident_id == resident_id, TeamMember.left_on.is_(None))))
    return Certificate(resident.id, resident.name, resident.gender, _address_of(session, resident),
                       resident.party_category or "", team_names, first, last, lines)

