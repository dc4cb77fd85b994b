"""The home tab's figures (首页) and the monthly station summary for the community (月度工作报表).

What needs doing today (points waiting for approval, tickets overdue and 回访 due, care visits overdue,
low stock, this week's activities and meetings, matters waiting for a meeting), this month's figures
beside the same month a year before, and the last twelve months of points, hours and tickets.
Each figure is a handful of GROUP BY queries, whatever the size of the compound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    Attendance,
    Decision,
    Matter,
    Meeting,
    PointReview,
    Redemption,
    RedemptionCancel,
    Resident,
    Ticket,
    TicketEvent,
)
from station import meetings, points, shop, tickets, volunteer


@dataclass(frozen=True)
class TodayCounts:
    """The counts at the top of the home tab; each opens its list."""

    pending_points: int
    tickets_overdue: int
    follow_ups_due: int
    visits_overdue: int
    low_stock: int
    activities_this_week: int
    meetings_this_week: int
    matters_waiting: int


def _week(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time())
    return start, start + dt.timedelta(days=7)


def today_counts(session: Session, today: dt.date | None = None) -> TodayCounts:
    today = today or dt.date.today()
    counts = tickets.counts(session, today)
    start, end = _week(today)
    overdue_visits = sum(1 for row in volunteer.care_overview(session, today) if row.overdue_days)
    low = sum(1 for row in shop.shelf(session, today=today)
              if row.kind == "goods" and row.low_stock is not None and (row.stock or 0) <= row.low_stock)
    activities = session.scalar(select(func.count()).select_from(Activity).where(
        Activity.starts_at >= start, Activity.starts_at < end, Activity.cancelled.is_(False))) or 0
    held = session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.held_at >= start, Meeting.held_at < end, Meeting.cancelled.is_(False))) or 0
    waiting = session.scalar(select(func.count()).select_from(Matter).where(Matter.state == meetings.WAITING)) or 0
    return TodayCounts(points.pending_count(session), counts.overdue, counts.follow_up_due, overdue_visits, low,
                       int(activities), int(held), int(waiting))


# ------------------------------------------------------------------ a month's figures


@dataclass(frozen=True)
class Figure:
    """One figure of the month, with a stable code for the community's spreadsheet."""

    code: str
    label: str
    unit: str
    value: float
    year_ago: float

    @property
    def shown(self) -> str:
        return _number(self.value, self.unit)

    @property
    def shown_year_ago(self) -> str:
        return _number(self.year_ago, self.unit)


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f}%" if value >= 0 else "—"
    if unit == "小时":
        return f"{value:.1f}"
    return f"{int(value):,}"


FIGURES = (("points_awarded", "审核通过的积分", "分"), ("points_redeemed", "积分超市兑换", "分"),
           ("volunteer_hours", "志愿服务时长", "小时"), ("volunteers", "参加志愿服务的人数", "人"),
           ("tickets_opened", "受理民生事项", "件"), ("tickets_closed", "办结民生事项", "件"),
           ("tickets_on_time_rate", "按时办结率", "%"), ("matters_decided", "议定的议题", "个"),
           ("meetings_held", "召开议事会议", "次"), ("residents_moved_in", "迁入居民", "人"),
           ("residents_moved_out", "迁出居民", "人"))


def _bounds(month: str) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    first, last = points.month_bounds(month)
    return first, last, dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1),
                                                                                  dt.time())


def _ticket_figures(session: Session, start: dt.datetime, end: dt.datetime) -> tuple[int, int, int]:
    """Tickets taken, settled and settled on time in the month, as ``tickets.month_figures`` counts them
    (from the history: the last settling of each ticket in the month), without its per-category detail."""
    opened = session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.accepted_at >= start, Ticket.accepted_at < end)) or 0
    settled = tickets.settled_in(start, end)
    closed, on_time = session.execute(
        select(func.count(), func.count().filter(func.date(TicketEvent.at) <= Ticket.due_on))
        .select_from(settled).join(TicketEvent, TicketEvent.id == settled.c.event_id)
        .join(Ticket, Ticket.id == settled.c.ticket_id)).one()
    return int(opened), int(closed or 0), int(on_time or 0)


def _values(session: Session, month: str) -> dict[str, float]:
    first, last, start, end = _bounds(month)
    awarded = session.scalar(select(func.coalesce(func.sum(PointReview.points), 0)).where(
        PointReview.decision == "approved", PointReview.kind != "redemption", PointReview.points > 0,
        PointReview.deed_date >= first, PointReview.deed_date <= last)) or 0
    cancelled = select(RedemptionCancel.redemption_id)
    redeemed = session.scalar(select(func.coalesce(func.sum(Redemption.points), 0)).where(
        Redemption.redeemed_at >= start, Redemption.redeemed_at < end, Redemption.id.not_in(cancelled))) or 0
    minutes, people = session.execute(
        select(func.coalesce(func.sum(Attendance.minutes), 0), func.count(func.distinct(Attendance.resident_id)))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.withdrawn.is_(False), Activity.cancelled.is_(False), Activity.starts_at >= start,
               Activity.starts_at < end)).one()
    opened, closed, on_time = _ticket_figures(session, start, end)
    decided = session.scalar(select(func.count(func.distinct(Decision.matter_id))).join(
        Meeting, Meeting.id == Decision.meeting_id).where(Decision.passed.is_(True), Meeting.held_at >= start,
                                                          Meeting.held_at < end)) or 0
    held = session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.held_at >= start, Meeting.held_at < end, Meeting.cancelled.is_(False),
        Meeting.id.in_(select(Decision.meeting_id)))) or 0
    moved_in = session.scalar(select(func.count()).select_from(Resident).where(
        Resident.moved_in_on >= first, Resident.moved_in_on <= last)) or 0
    moved_out = session.scalar(select(func.count()).select_from(Resident).where(
        Resident.moved_out_on >= first, Resident.moved_out_on <= last)) or 0
    return {"points_awarded": float(awarded), "points_redeemed": float(redeemed),
            "volunteer_hours": float(minutes) / 60, "volunteers": float(people),
            "tickets_opened": float(opened), "tickets_closed": float(closed),
            "tickets_on_time_rate": on_time * 100 / closed if closed else -1.0,
            "matters_decided": float(decided), "meetings_held": float(held),
            "residents_moved_in": float(moved_in), "residents_moved_out": float(moved_out)}


def year_before(month: str) -> str:
    """2026-11 -> 2025-11."""
    year, number = month.split("-")
    return f"{int(year) - 1}-{number}"


def month_figures(session: Session, month: str) -> list[Figure]:
    """The month's figures, each beside the same month a year before."""
    month = points.parse_month(month)
    now, before = _values(session, month), _values(session, year_before(month))
    return [Figure(code, label, unit, now[code], before[code]) for code, label, unit in FIGURES]


@dataclass(frozen=True)
class Series:
    label: str
    unit: str
    months: list[str]
    values: list[float] = field(default_factory=list)


def last_twelve_months(session: Session, today: dt.date | None = None) -> list[Series]:
    """Points awarded, volunteer hours and tickets taken, month by month for the last twelve months."""
    today = today or dt.date.today()
    back = today.year * 12 + today.month - 1 - 11
    months = points.months_between(dt.date(back // 12, back % 12 + 1, 1), today)[-12:]
    first = points.month_bounds(months[0])[0]
    start = dt.datetime.combine(first, dt.time())
    awarded = {key: value for key, value in session.execute(
        select(func.substr(PointReview.deed_date, 1, 7), func.sum(PointReview.points)).where(
            PointReview.decision == "approved", PointReview.kind != "redemption", PointReview.points > 0,
            PointReview.deed_date >= first).group_by(func.substr(PointReview.deed_date, 1, 7)))}
    minutes = {key: value for key, value in session.execute(
        select(func.substr(Activity.starts_at, 1, 7), func.sum(Attendance.minutes))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(and_(Attendance.withdrawn.is_(False), Activity.cancelled.is_(False), Activity.starts_at >= start))
        .group_by(func.substr(Activity.starts_at, 1, 7)))}
    taken = {key: value for key, value in session.execute(
        select(func.substr(Ticket.accepted_at, 1, 7), func.count()).where(Ticket.accepted_at >= start)
        .group_by(func.substr(Ticket.accepted_at, 1, 7)))}
    return [Series("积分", "分", months, [float(awarded.get(m, 0) or 0) for m in months]),
            Series("志愿时长", "小时", months, [float(minutes.get(m, 0) or 0) / 60 for m in months]),
            Series("民生事项", "件", months, [float(taken.get(m, 0) or 0) for m in months])]


# ------------------------------------------------------------------ the monthly summary's lists


@dataclass(frozen=True)
class DecidedMatter:
    held_on: dt.date
    meeting: str
    title: str
    resolution: str
    responsible: str
    state: str


def matters_decided(session: Session, month: str) -> list[DecidedMatter]:
    """The resolutions passed at the month's meetings (the newest decision per matter and meeting)."""
    _first, _last, start, end = _bounds(month)
    latest = (select(func.max(Decision.id)).join(Meeting, Meeting.id == Decision.meeting_id)
              .where(Meeting.held_at >= start, Meeting.held_at < end)
              .group_by(Decision.meeting_id, Decision.matter_id))
    rows = session.execute(
        select(Meeting.held_at, Meeting.title, Matter.title, Decision.resolution, Decision.responsible, Matter.state)
        .join(Meeting, Meeting.id == Decision.meeting_id).join(Matter, Matter.id == Decision.matter_id)
        .where(Decision.id.in_(latest), Decision.passed.is_(True)).order_by(Meeting.held_at, Decision.id))
    return [DecidedMatter(held.date(), meeting, title, resolution, responsible, state)
            for held, meeting, title, resolution, responsible, state in rows]


def tickets_settled(session: Session, month: str) -> list[tickets.TicketRow]:
    """The tickets closed in the month (and closed still), in the order they were closed."""
    _first, last, start, end = _bounds(month)
    ids = list(session.scalars(select(Ticket.id).where(Ticket.closed_at >= start, Ticket.closed_at < end)))
    rows = tickets.tickets(session, tickets.TicketQuery(), today=last, limit=100000, ids=ids)
    return sorted(rows, key=lambda row: (row.closed_at or dt.datetime.max, row.id))
