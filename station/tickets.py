"""Issue tickets (问题工单): the 四单 workflow, "事事有回音、件件有着落".

- 清单: every household is known (the residents tab);
- 点单: problems are found by inspection rounds (安全隐患拉网式排查, 矛盾纠纷全覆盖排查,
  困难群体逐个式排查) or reported at the desk, by phone, by the 12345 hotline, or come from
  a meeting's resolution;
- 分单: each is classified, settled on the spot (现场办结) or handed on to whoever can
  settle it (已转办) and followed;
- 订单: the result is fed back to the reporter and they are visited again (回访, with a
  satisfaction rating; 不满意 opens it again), and the month's tickets are published.

A ticket keeps its current state; every step is also a ``TicketEvent`` (who, when,
from which state to which) that is never changed. Nothing is deleted: a ticket closed
by mistake is opened again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Subquery, and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Building,
    Household,
    InspectionCheck,
    InspectionRound,
    Matter,
    Resident,
    Staff,
    Ticket,
    TicketEvent,
    Unit,
)
from station import audit, settings
from station.errors import NotFound, ValidationError
from station.access import require_role
from station.validation import clean, clean_text, parse_date
from station.vocab import STAFF_ROLES

SOURCES = ("居民来访", "电话反映", "排查发现", "议事决议", "12345转办")
FROM_MEETING, FROM_INSPECTION = "议事决议", "排查发现"
CATEGORIES = tuple(settings.DEFAULT_TICKET_DAYS)
PRIORITIES = ("一般", "紧急")
ACCEPTED, HANDLING, SETTLED_ON_SPOT, HANDED_ON, DONE, FOLLOWED_UP = STATES = (
    "已受理", "处理中", "现场办结", "已转办", "已办结", "已回访")
CLOSED = (SETTLED_ON_SPOT, DONE, FOLLOWED_UP)
AWAITING_FOLLOW_UP = (SETTLED_ON_SPOT, DONE)
SATISFACTION = ("满意", "基本满意", "不满意")
UNSATISFIED = "不满意"
HAND_TO = ("物业公司", "业委会", "社区居委会", "网格员", "街道城管", "供电所", "自来水公司", "派出所")
INSPECTION_KINDS = ("安全隐患拉网式排查", "矛盾纠纷全覆盖排查", "困难群体逐个式排查")
INSPECTION_CATEGORY = {"安全隐患拉网式排查": "安全隐患", "矛盾纠纷全覆盖排查": "矛盾纠纷", "困难群体逐个式排查": "困难帮扶"}

# Which states a ticket may move to from each state (分单, 订单); anything else is refused.
ALLOWED: dict[str, tuple[str, ...]] = {
    ACCEPTED: (HANDLING, SETTLED_ON_SPOT, HANDED_ON),
    HANDLING: (SETTLED_ON_SPOT, HANDED_ON, DONE),
    HANDED_ON: (HANDLING, DONE),
    SETTLED_ON_SPOT: (FOLLOWED_UP, HANDLING),
    DONE: (FOLLOWED_UP, HANDLING),
    FOLLOWED_UP: (HANDLING,),
}
# What the desk can do next in each state, in the buttons' words (for a refusal's message).
NEXT_STEPS: dict[str, str] = {
    ACCEPTED: "开始处理、现场办结、转办", HANDLING: "现场办结、转办、办结", HANDED_ON: "收回处理、办结",
    SETTLED_ON_SPOT: "回访、重新办理", DONE: "回访、重新办理", FOLLOWED_UP: "重新办理",
}
EVENT_LABELS = {"accepted": "受理", "start": "开始处理", "on_spot": "现场办结", "hand_over": "转办",
                "take_back": "收回处理", "finish": "办结", "follow_up": "回访", "reopen": "重新办理"}


def ticket_number(ticket_id: int) -> str:
    """GD000123: the number a ticket is known by on the phone and on the notice."""
    return f"GD{ticket_id:06d}"


def _acting(session: Session, staff_id: int, doing: str) -> Staff:
    return require_role(session, staff_id, STAFF_ROLES, doing)


def _moment(text: str, field_name: str, errors: dict[str, str], now: dt.datetime) -> dt.datetime:
    """"2026-12-01 09:30", "2026-12-01" (at the current time of day) or "" (now); never in the future."""
    value = clean(text)
    if not value:
        return now
    day_text, _, time_text = value.partition(" ")
    try:
        day = parse_date(day_text, today=now.date(), example=f"{now:%Y-%m-%d}")
    except ValueError as problem:
        errors[field_name] = str(problem)
        return now
    moment = now.time().replace(second=0, microsecond=0)
    if time_text.strip():
        try:
            hours, minutes = (int(part) for part in time_text.strip().replace("：", ":").split(":"))
            moment = dt.time(hours, minutes)
        except ValueError:
            errors[field_name] = "时间格式不对，例如 2026-12-01 09:30"
            return now
    at = dt.datetime.combine(day, moment)
    if at > now:
        errors[field_name] = "时间不能晚于现在"
    return at


def due_date(session: Session, category: str, priority: str, accepted: dt.date) -> dt.date:
    """The last day to settle a ticket: the category's time limit (an urgent one's is shorter)."""
    days = int(settings.get(session, settings.TICKET_DAYS).get(category, 7))
    if priority == "紧急":
        days = min(days, int(settings.get(session, settings.URGENT_DAYS)))
    return accepted + dt.timedelta(days=days)


# ------------------------------------------------------------------ taking a report (受理)


@dataclass
class TicketInput:
    """What the desk types for a new ticket."""

    title: str
    category: str = "其他"
    source: str = "居民来访"
    priority: str = "一般"
    reporter_id: int | None = None
    building_id: int | None = None
    unit_id: int | None = None
    place: str = ""
    description: str = ""
    accepted_at: str = ""
    matter_id: int | None = None
    check_id: int | None = field(default=None, repr=False)


def open_ticket(session: Session, staff_id: int, data: TicketInput, now: dt.datetime | None = None) -> int:
    """受理: a problem reported or found becomes a ticket with its time limit. Returns its id."""
    _acting(session, staff_id, "受理工单")
    now = (now or dt.datetime.now()).replace(microsecond=0)
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title:
        errors["title"] = "请简要写明反映的问题，例如 3栋门口路灯不亮"
    elif len(title) > 100:
        errors["title"] = "问题不超过100个字，详细情况请写在说明里"
    if data.source not in SOURCES:
        errors["source"] = "请选择来源"
    if data.category not in CATEGORIES:
        errors["category"] = "请选择类别"
    if data.priority not in PRIORITIES:
        errors["priority"] = "请选择缓急"
    reporter = session.get(Resident, data.reporter_id) if data.reporter_id is not None else None
    if data.reporter_id is not None and reporter is None:
        errors["reporter"] = "找不到这位居民"
    building = session.get(Building, data.building_id) if data.building_id is not None else None
    if data.building_id is not None and building is None:
        errors["place"] = "找不到这个楼栋"
    unit = session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if data.unit_id is not None and (unit is None or unit.building_id != data.building_id):
        errors["place"] = "这个单元不在所选楼栋"
    place = clean_text(data.place)
    if len(place) > 100:
        errors["place"] = "地点不超过100个字"
    if building is None and not place and "place" not in errors:
        errors["place"] = "请选择楼栋，或写明公共区域，例如 北门停车场"
    if data.source == FROM_MEETING and data.matter_id is None:
        errors["source"] = "议事决议转来的工单要选择是哪一个议题"
    if data.matter_id is not None and session.get(Matter, data.matter_id) is None:
        errors["source"] = "找不到这个议题"
    accepted_at = _moment(data.accepted_at, "accepted_at", errors, now)
    if errors:
        raise ValidationError(errors)
    ticket = Ticket(source=data.source, title=title, description=clean_text(data.description), category=data.category,
                    priority=data.priority, reporter_id=data.reporter_id, building_id=data.building_id,
                    unit_id=data.unit_id, place=place, state=ACCEPTED, accepted_at=accepted_at,
                    due_on=due_date(session, data.category, data.priority, accepted_at.date()),
                    matter_id=data.matter_id, check_id=data.check_id, recorded_by=staff_id)
    session.add(ticket)
    session.flush()
    who = f"，反映人：{reporter.name}" if reporter is not None else ""
    session.add(TicketEvent(ticket_id=ticket.id, kind="accepted", to_state=ACCEPTED, at=accepted_at,
                            note=f"{data.source}{who}", staff_id=staff_id))
    audit.record(session, staff_id, "create", "ticket", ticket.id, f"受理工单{ticket_number(ticket.id)}：{title}",
                 after={"title": title, "category": data.category, "source": data.source,
                        "reporter_id": data.reporter_id, "due_on": ticket.due_on})
    return ticket.id


# ------------------------------------------------------------------ moving it on (分单, 订单)


def _ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("找不到这张工单")
    return ticket


def _move(session: Session, staff_id: int, ticket: Ticket, to_state: str, kind: str, note: str,
          at: dt.datetime, to_whom: str = "") -> None:
    if to_state not in ALLOWED[ticket.state]:
        raise ValidationError(f"工单{ticket_number(ticket.id)}现在是“{ticket.state}”，"
                              f"不能{EVENT_LABELS[kind]}（现在可以：{NEXT_STEPS[ticket.state]}）")
    last = session.scalar(select(func.max(TicketEvent.at)).where(TicketEvent.ticket_id == ticket.id))
    if last is not None and at < last:
        raise ValidationError({"at": f"时间不能早于上一步（{last:%Y-%m-%d %H:%M}）"})
    before = ticket.state
    session.add(TicketEvent(ticket_id=ticket.id, kind=kind, from_state=before, to_state=to_state, note=note,
                            to_whom=to_whom, at=at, staff_id=staff_id))
    ticket.state = to_state
    audit.record(session, staff_id, kind, "ticket", ticket.id,
                 f"工单{ticket_number(ticket.id)}：{before} → {to_state}" + (f"（{note}）" if note else ""),
                 before={"state": before}, after={"state": to_state, "note": note, "to_whom": to_whom})


def _when(at: dt.datetime | None) -> dt.datetime:
    return (at or dt.datetime.now()).replace(microsecond=0)


def start(session: Session, staff_id: int, ticket_id: int, note: str = "", at: dt.datetime | None = None) -> None:
    """开始处理 (or 收回处理 a ticket that was handed on)."""
    _acting(session, staff_id, "处理工单")
    ticket = _ticket(session, ticket_id)
    if ticket.state in CLOSED:
        raise ValidationError(f"工单{ticket_number(ticket.id)}已经办结：如需再办，请用“重新办理”并写明原因")
    _move(session, staff_id, ticket, HANDLING, "take_back" if ticket.state == HANDED_ON else "start",
          clean_text(note), _when(at))


def _result(result: str) -> str:
    text = clean_text(result)
    if not text:
        raise ValidationError({"result": "请写明办理结果，例如 已更换路灯，恢复照明"})
    return text


def settle_on_spot(session: Session, staff_id: int, ticket_id: int, result: str,
                   at: dt.datetime | None = None) -> None:
    """现场办结: settled at once, on the spot (现场受理、现场协调)."""
    _acting(session, staff_id, "办结工单")
    ticket = _ticket(session, ticket_id)
    text = _result(result)
    moment = _when(at)
    _move(session, staff_id, ticket, SETTLED_ON_SPOT, "on_spot", text, moment)
    ticket.result, ticket.closed_at = text, moment


def hand_over(session: Session, staff_id: int, ticket_id: int, to_whom: str, note: str = "",
              at: dt.datetime | None = None) -> None:
    """转办: handed to a department, the property company or the owners' committee, and followed."""
    _acting(session, staff_id, "转办工单")
    ticket = _ticket(session, ticket_id)
    whom = clean(to_whom)
    if not whom:
        raise ValidationError({"to_whom": "请写明转给谁办理，例如 物业公司"})
    if len(whom) > 100:
        raise ValidationError({"to_whom": "不超过100个字"})
    _move(session, staff_id, ticket, HANDED_ON, "hand_over", clean_text(note), _when(at), to_whom=whom)
    ticket.handed_to = whom


def finish(session: Session, staff_id: int, ticket_id: int, result: str, at: dt.datetime | None = None) -> None:
    """办结: done; the result is what the reporter will hear and the notice will show."""
    _acting(session, staff_id, "办结工单")
    ticket = _ticket(session, ticket_id)
    text = _result(result)
    moment = _when(at)
    _move(session, staff_id, ticket, DONE, "finish", text, moment)
    ticket.result, ticket.closed_at = text, moment


def follow_up(session: Session, staff_id: int, ticket_id: int, satisfaction: str, note: str = "",
              at: dt.datetime | None = None) -> None:
    """回访: the result fed back to the reporter, with their rating; 不满意 opens the ticket again."""
    _acting(session, staff_id, "回访")
    ticket = _ticket(session, ticket_id)
    if satisfaction not in SATISFACTION:
        raise ValidationError({"satisfaction": "请选择满意、基本满意或不满意"})
    text = clean_text(note)
    if satisfaction == UNSATISFIED and not text:
        raise ValidationError({"note": "不满意时请写明居民的意见，工单会重新办理"})
    if ticket.state not in AWAITING_FOLLOW_UP:
        raise ValidationError(f"工单{ticket_number(ticket.id)}现在是“{ticket.state}”：办结以后才能回访")
    moment = _when(at)
    if satisfaction == UNSATISFIED:
        _move(session, staff_id, ticket, HANDLING, "follow_up", f"回访：不满意，重新办理。{text}", moment)
        ticket.closed_at, ticket.satisfaction = None, UNSATISFIED
    else:
        _move(session, staff_id, ticket, FOLLOWED_UP, "follow_up", f"回访：{satisfaction}" + (f"。{text}" if text else ""),
              moment)
        ticket.satisfaction = satisfaction


def reopen(session: Session, staff_id: int, ticket_id: int, reason: str, at: dt.datetime | None = None) -> None:
    """重新办理: a ticket closed by mistake, or not really settled, is opened again — never edited."""
    _acting(session, staff_id, "重新办理工单")
    ticket = _ticket(session, ticket_id)
    text = clean_text(reason)
    if not text:
        raise ValidationError({"reason": "请写明重新办理的原因"})
    if ticket.state not in CLOSED:
        raise ValidationError(f"工单{ticket_number(ticket.id)}还没有办结，不用重新办理")
    _move(session, staff_id, ticket, HANDLING, "reopen", text, _when(at))
    ticket.closed_at = None
    ticket.satisfaction = ""


# ------------------------------------------------------------------ lists and figures


@dataclass(frozen=True)
class TicketQuery:
    state: str | None = None
    category: str | None = None
    building_id: int | None = None
    open_only: bool = False  # not closed yet (未办结)
    overdue: bool = False  # open past its time limit
    follow_up: bool = False  # closed, waiting for its 回访, due
    text: str = ""
    month: str | None = None  # accepted in this month ("2026-11")


@dataclass(frozen=True)
class TicketRow:
    id: int
    number: str
    accepted_at: dt.datetime
    title: str
    category: str
    priority: str
    source: str
    state: str
    place: str
    reporter: str
    reporter_id: int | None
    handed_to: str
    due_on: dt.date
    closed_at: dt.datetime | None
    result: str
    satisfaction: str
    overdue: bool
    follow_up_on: dt.date | None  # when its 回访 is due (closed, not yet visited)
    follow_up_due: bool  # that day has come


def _follow_up_cutoff(session: Session, today: dt.date) -> dt.datetime:
    """Tickets closed before this moment are due their 回访 today."""
    days = int(settings.get(session, settings.FOLLOW_UP_DAYS))
    return dt.datetime.combine(today - dt.timedelta(days=days) + dt.timedelta(days=1), dt.time())


def _conditions(session: Session, query: TicketQuery, today: dt.date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.state:
        conditions.append(Ticket.state == query.state)
    if query.category:
        conditions.append(Ticket.category == query.category)
    if query.building_id is not None:
        conditions.append(Ticket.building_id == query.building_id)
    if query.open_only:
        conditions.append(Ticket.closed_at.is_(None))
    if query.overdue:
        conditions += [Ticket.closed_at.is_(None), Ticket.due_on < today]
    if query.follow_up:
        conditions += [Ticket.state.in_(AWAITING_FOLLOW_UP), Ticket.closed_at < _follow_up_cutoff(session, today)]
    if query.month:
        year, month = (int(part) for part in query.month.split("-"))
        first = dt.datetime(year, month, 1)
        conditions += [Ticket.accepted_at >= first,
                       Ticket.accepted_at < dt.datetime(year + month // 12, month % 12 + 1, 1)]
    word = clean(query.text)
    if word:
        like = f"%{word}%"
        alternatives: list[ColumnElement[bool]] = [
            Ticket.title.like(like), Ticket.place.like(like), Ticket.handed_to.like(like),
            Ticket.reporter_id.in_(select(Resident.id).where(Resident.name.like(like)))]
        if word.upper().startswith("GD") and word[2:].isdigit():
            alternatives.append(Ticket.id == int(word[2:]))
        conditions.append(or_(*alternatives))
    return conditions


def tickets(session: Session, query: TicketQuery = TicketQuery(), today: dt.date | None = None,
            limit: int = 2000, ids: Sequence[int] | None = None) -> list[TicketRow]:
    """Tickets, the overdue first and then the newest, as the tab lists them."""
    today = today or dt.date.today()
    days = int(settings.get(session, settings.FOLLOW_UP_DAYS))
    overdue = and_(Ticket.closed_at.is_(None), Ticket.due_on < today)
    # Columns, not entities: a list of thousands is read as plain rows (ORM objects cost twice the time).
    stmt = (select(Ticket.id, Ticket.accepted_at, Ticket.title, Ticket.category, Ticket.priority, Ticket.source,
                   Ticket.state, Ticket.place, Ticket.reporter_id, Ticket.handed_to, Ticket.due_on, Ticket.closed_at,
                   Ticket.result, Ticket.satisfaction, Resident.name, Building.number, Unit.number)
            .outerjoin(Resident, Resident.id == Ticket.reporter_id)
            .outerjoin(Building, Building.id == Ticket.building_id)
            .outerjoin(Unit, Unit.id == Ticket.unit_id)
            .where(*_conditions(session, query, today))
            .order_by(overdue.desc(), Ticket.accepted_at.desc(), Ticket.id.desc()).limit(limit))
    if ids is not None:
        stmt = stmt.where(Ticket.id.in_(list(ids)))
    rows = []
    for (ticket_id, accepted_at, title, category, priority, source, state, place, reporter_id, handed_to, due_on,
         closed_at, result, satisfaction, reporter, building, unit) in session.execute(stmt):
        where = (f"{building}栋" + (f"{unit}单元" if unit else "")) if building else ""
        shown = "　".join(part for part in (where, place) if part)
        follow = (closed_at.date() + dt.timedelta(days=days)
                  if state in AWAITING_FOLLOW_UP and closed_at is not None else None)
        rows.append(TicketRow(ticket_id, ticket_number(ticket_id), accepted_at, title, category, priority, source, state,
                              shown, reporter or "", reporter_id, handed_to, due_on, closed_at, result, satisfaction,
                              closed_at is None and due_on < today, follow, follow is not None and follow <= today))
    return rows


@dataclass(frozen=True)
class Counts:
    """What the status bar and the tab's filters show."""

    open: int
    overdue: int
    follow_up_due: int


def counts(session: Session, today: dt.date | None = None) -> Counts:
    """Open tickets, those past their time limit, and 回访 due (two small index reads)."""
    today = today or dt.date.today()
    open_count, overdue = session.execute(
        select(func.count(), func.count().filter(Ticket.due_on < today)).where(Ticket.closed_at.is_(None))).one()
    follow = session.scalar(select(func.count()).where(Ticket.state.in_(AWAITING_FOLLOW_UP),
                                                       Ticket.closed_at < _follow_up_cutoff(session, today)))
    return Counts(int(open_count), int(overdue or 0), int(follow or 0))


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    what: str
    from_state: str
    to_state: str
    note: str
    to_whom: str
    staff: str


def history(session: Session, ticket_id: int) -> list[EventRow]:
    """A ticket's whole history (its timeline), oldest first."""
    _ticket(session, ticket_id)
    rows = session.execute(select(TicketEvent, Staff.name).join(Staff, Staff.id == TicketEvent.staff_id)
                           .where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.at, TicketEvent.id))
    return [EventRow(e.at, EVENT_LABELS.get(e.kind, e.kind), e.from_state, e.to_state, e.note, e.to_whom, name)
            for e, name in rows]


@dataclass(frozen=True)
class CategoryFigures:
    """One category's month (or the total, category "合计")."""

    category: str
    accepted: int
    closed: int
    on_time: int
    open_at_end: int
    satisfied: int  # 满意 or 基本满意 among those visited in the month
    visited: int

    @property
    def on_time_rate(self) -> float | None:
        """Tickets closed in the month by their time limit, of all closed in the month; None when none closed."""
        return self.on_time / self.closed if self.closed else None


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def settled_in(start: dt.datetime, end: dt.datetime) -> Subquery:
    """(ticket_id, event_id) of each ticket's last settling (现场办结 or 办结) in [start, end).

    History only grows, so the highest event id is the latest.
    """
    return (select(TicketEvent.ticket_id, func.max(TicketEvent.id).label("event_id"))
            .where(TicketEvent.to_state.in_((SETTLED_ON_SPOT, DONE)), TicketEvent.at >= start, TicketEvent.at < end)
            .group_by(TicketEvent.ticket_id).subquery())


def month_figures(session: Session, month: str) -> list[CategoryFigures]:
    """The month's tickets by category (and a total last): accepted, closed and on time, still open, satisfaction.

    Read from the tickets' history, so a month's figures stay as they were printed when a ticket is opened
    again later. A ticket counts as closed in a month when it was settled (现场办结 or 办结) in it — once,
    even if settled twice — and on time when that last settling of the month was by the end of its last day.
    "Still open" is its state at the end of the month.
    """
    year, number = (int(part) for part in month.split("-"))
    first = dt.datetime(year, number, 1)
    following = dt.datetime(year + number // 12, number % 12 + 1, 1)
    in_month = and_(Ticket.accepted_at >= first, Ticket.accepted_at < following)
    accepted: dict[str, int] = {category: int(n) for category, n in session.execute(
        select(Ticket.category, func.count()).where(in_month).group_by(Ticket.category))}
    settled = settled_in(first, following)
    closed = {category: (int(c or 0), int(t or 0)) for category, c, t in session.execute(
        select(Ticket.category, func.count(), func.count().filter(func.date(TicketEvent.at) <= Ticket.due_on))
        .select_from(settled).join(TicketEvent, TicketEvent.id == settled.c.event_id)
        .join(Ticket, Ticket.id == settled.c.ticket_id).group_by(Ticket.category))}
    # open at the end of the month: accepted by then, and its last step by then left it open (one whose latest
    # closing came before the month began has stayed closed since: its history need not be read)
    state_then = (select(TicketEvent.to_state).where(TicketEvent.ticket_id == Ticket.id, TicketEvent.at < following)
                  .order_by(TicketEvent.id.desc()).limit(1).correlate(Ticket).scalar_subquery())
    still_open: dict[str, int] = {category: int(n) for category, n in session.execute(
        select(Ticket.category, func.count())
        .where(Ticket.accepted_at < following, or_(Ticket.closed_at.is_(None), Ticket.closed_at >= first),
               state_then.not_in(CLOSED))
        .group_by(Ticket.category))}
    visits = {category: (int(s or 0), int(v or 0)) for category, s, v in session.execute(
        select(Ticket.category, func.count().filter(TicketEvent.to_state == FOLLOWED_UP), func.count())
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.kind == "follow_up", TicketEvent.at >= first, TicketEvent.at < following)
        .group_by(Ticket.category))}
    figures = [CategoryFigures(category, accepted.get(category, 0), *closed.get(category, (0, 0)),
                               still_open.get(category, 0), *visits.get(category, (0, 0)))
               for category in CATEGORIES]
    total = CategoryFigures("合计", *(sum(getattr(f, name) for f in figures) for name in (
        "accepted", "closed", "on_time", "open_at_end", "satisfied", "visited")))
    return [*figures, total]


# ------------------------------------------------------------------ inspections (点单)


def start_round(session: Session, staff_id: int, kind: str, started_on: str = "", title: str = "",
                building_ids: Sequence[int] | None = None, today: dt.date | None = None) -> int:
    """排查: a round with a checklist of every building (or those given)."""
    _acting(session, staff_id, "开展排查")
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if kind not in INSPECTION_KINDS:
        errors["kind"] = "请选择排查类别"
    day = today
    if clean(started_on):
        try:
            day = parse_date(started_on, today=today, allow_future=True, example=f"{today:%Y-%m-%d}")
        except ValueError as problem:
            errors["started_on"] = str(problem)
    stmt = select(Building.id).order_by(Building.sort_key, Building.number)
    if building_ids is not None:
        stmt = stmt.where(Building.id.in_(list(building_ids)))
    buildings = list(session.scalars(stmt))
    if not buildings:
        errors["buildings"] = "小区里还没有楼栋" if building_ids is None else "请选择要排查的楼栋"
    if errors:
        raise ValidationError(errors)
    name = clean_text(title)[:100] or f"{day.year}年{day.month}月{kind}"
    found = InspectionRound(kind=kind, title=name, started_on=day, created_by=staff_id)
    session.add(found)
    session.flush()
    for building_id in buildings:
        session.add(InspectionCheck(round_id=found.id, building_id=building_id))
    audit.record(session, staff_id, "create", "inspection", found.id, f"开展排查：{name}（{len(buildings)}栋）")
    return found.id


def check_building(session: Session, staff_id: int, check_id: int, checked_by: str, note: str = "",
                   on: str = "", today: dt.date | None = None) -> None:
    """A building gone through (已排查): when, by whom (楼栋长, 网格员…), what was seen."""
    _acting(session, staff_id, "登记排查")
    today = today or dt.date.today()
    check = session.get(InspectionCheck, check_id)
    if check is None:
        raise NotFound("找不到这一栋的排查记录")
    errors: dict[str, str] = {}
    who = clean(checked_by)
    if not who:
        errors["checked_by"] = "请写明排查人，例如 楼栋长张三明、网格员小刘"
    day = today
    if clean(on):
        try:
            day = parse_date(on, today=today, example=f"{today:%Y-%m-%d}")
        except ValueError as problem:
            errors["on"] = str(problem)
    started = session.get(InspectionRound, check.round_id)
    if started is not None and day < started.started_on:
        errors["on"] = f"排查从{started.started_on:%Y-%m-%d}开始"
    if errors:
        raise ValidationError(errors)
    before = {"checked_on": check.checked_on, "checked_by": check.checked_by, "note": check.note}
    check.checked_on, check.checked_by, check.note = day, who[:50], clean_text(note)
    audit.record(session, staff_id, "update", "inspection_check", check.id, f"登记排查：{who}", before=before,
                 after={"checked_on": day, "checked_by": who, "note": check.note})


def record_finding(session: Session, staff_id: int, check_id: int, data: TicketInput,
                   now: dt.datetime | None = None) -> int:
    """A finding of the round becomes a ticket in one step (source 排查发现, the building of the check)."""
    check = session.get(InspectionCheck, check_id)
    if check is None:
        raise NotFound("找不到这一栋的排查记录")
    data.source, data.check_id, data.building_id = FROM_INSPECTION, check_id, check.building_id
    unit = session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if unit is None or unit.building_id != check.building_id:
        data.unit_id = None
    return open_ticket(session, staff_id, data, now)


@dataclass(frozen=True)
class RoundRow:
    id: int
    kind: str
    title: str
    started_on: dt.date
    buildings: int
    checked: int
    findings: int
    open_findings: int


def rounds(session: Session) -> list[RoundRow]:
    """Inspection rounds, the latest first, with how far they have got."""
    checks = (select(InspectionCheck.round_id, func.count().label("n"),
                     func.count(InspectionCheck.checked_on).label("done"))
              .group_by(InspectionCheck.round_id).subquery())
    findings = (select(InspectionCheck.round_id, func.count(Ticket.id).label("n"),
                       func.count(Ticket.id).filter(Ticket.closed_at.is_(None)).label("open"))
                .join(Ticket, Ticket.check_id == InspectionCheck.id).group_by(InspectionCheck.round_id).subquery())
    stmt = (select(InspectionRound, checks.c.n, checks.c.done, findings.c.n, findings.c.open)
            .outerjoin(checks, checks.c.round_id == InspectionRound.id)
            .outerjoin(findings, findings.c.round_id == InspectionRound.id)
            .order_by(InspectionRound.started_on.desc(), InspectionRound.id.desc()))
    return [RoundRow(r.id, r.kind, r.title, r.started_on, n or 0, done or 0, found or 0, still or 0)
            for r, n, done, found, still in session.execute(stmt)]


@dataclass(frozen=True)
class CheckRow:
    id: int
    building_id: int
    building: str
    checked_on: dt.date | None
    checked_by: str
    note: str
    findings: int
    open_findings: int


def checklist(session: Session, round_id: int) -> list[CheckRow]:
    """The round's buildings in order, each with when it was checked and its findings."""
    findings = (select(Ticket.check_id, func.count().label("n"),
                       func.count().filter(Ticket.closed_at.is_(None)).label("open"))
                .where(Ticket.check_id.is_not(None)).group_by(Ticket.check_id).subquery())
    stmt = (select(InspectionCheck, Building.number, findings.c.n, findings.c.open)
            .join(Building, Building.id == InspectionCheck.building_id)
            .outerjoin(findings, findings.c.check_id == InspectionCheck.id)
            .where(InspectionCheck.round_id == round_id).order_by(Building.sort_key, Building.number))
    return [CheckRow(c.id, c.building_id, number, c.checked_on, c.checked_by, c.note, n or 0, still or 0)
            for c, number, n, still in session.execute(stmt)]


def reporter_place(session: Session, resident_id: int) -> tuple[int, int] | None:
    """(building id, unit id) of where a reporter lives: the desk's first guess for the ticket's place."""
    found = session.execute(select(Unit.building_id, Unit.id).join(Household, Household.unit_id == Unit.id)
                            .join(Resident, Resident.household_id == Household.id)
                            .where(Resident.id == resident_id)).first()
    return (int(found[0]), int(found[1])) if found else None
