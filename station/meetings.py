"""Discussion meetings (说事议事): matters heard, graded and escalated; meetings, votes and resolutions.

The work follows the stations' own words: 多点听事 (居民提事, 党员问事), 分级议事
(邻里小事 a party member leads, 单元琐事 the building party group, 小区公事 the
branch, 复杂难事 上报提级 to the community), 每月议事 (the "three heads" first,
then the 红六方 round table) and 合力办事 (a resolution is carried out and
published): "每月一会、每事必议、每议必果、每果必行".

A matter keeps its current level and state, and every step is also a
``MatterEvent`` that is never changed. A decision is never changed either: a
corrected vote count is a new decision, and the newest one counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    AgendaItem,
    Ballot,
    Building,
    Decision,
    Household,
    Matter,
    MatterEvent,
    Meeting,
    MeetingAttendee,
    Resident,
    Staff,
    Unit,
)
from station import audit
from station.compound import normalize_number, room_code
from station.errors import NotFound, ValidationError
from station.access import require_role
from station.validation import clean, clean_text, parse_date
from station.vocab import STAFF_ROLES

# ------------------------------------------------------------------ vocabularies

SOURCES = ("居民提事", "党员问事")
LEVELS = ("邻里小事", "单元琐事", "小区公事", "复杂难事")
COMPLEX = "复杂难事"
# Who leads the discussion at each level (分级议事).
LEADS = {"邻里小事": "党员牵头议", "单元琐事": "党小组协调议", "小区公事": "党支部组织议", "复杂难事": "上报提级议"}
WAITING, DISCUSSED, IN_HAND, DONE, ESCALATED = STATES = ("待议", "已议", "办理中", "已办结", "已上报")
CATEGORIES = ("环境卫生", "停车秩序", "物业服务", "设施维修", "邻里关系", "安全隐患", "公共收益", "加装电梯", "其他")
MEETING_KINDS = ("三长初议", "红六方圆桌会", "民情恳谈会", "事务协调会", "工作听证会", "成效评议会", "业主大会")
# The six parties of the round table (红六方圆桌会).
PARTIES = ("网格党支部", "业委会", "物业公司", "网格员", "共建单位", "职能部门")
RESIDENT_PARTY = "居民"
VOTE_RULES = {"majority": "到会人数过半数同意", "two_thirds": "到会人数三分之二以上同意",
              "households": "全体住户过半数同意"}
CHOICES = {"for": "赞成", "against": "反对", "abstain": "弃权"}
EVENT_LABELS = {"raised": "提出", "level": "调整层级", "escalated": "上报提级", "agenda": "列入议程",
                "rolled": "转入本次会议", "withdrawn": "撤出议程", "decided": "议定", "done": "办结",
                "reopened": "重新办理"}

_ROOM_SPLIT = re.compile(r"[\s,，、;；]+")


def _acting(session: Session, staff_id: int, doing: str) -> Staff:
    return require_role(session, staff_id, STAFF_ROLES, doing)


def _event(session: Session, staff_id: int, matter: Matter, kind: str, on_date: dt.date, note: str = "",
           to_whom: str = "", meeting_id: int | None = None) -> None:
    session.add(MatterEvent(matter_id=matter.id, kind=kind, level=matter.level, state=matter.state, note=note,
                            to_whom=to_whom, on_date=on_date, meeting_id=meeting_id, staff_id=staff_id))


def _day(text: str, field: str, errors: dict[str, str], today: dt.date, allow_future: bool = False,
         required: bool = True) -> dt.date | None:
    if not clean(text):
        if required:
            errors[field] = "请填写日期"
        return None
    try:
        return parse_date(text, today=today, allow_future=allow_future, example=f"{today:%Y-%m-%d}")
    except ValueError as problem:
        errors[field] = str(problem)
        return None


# ------------------------------------------------------------------ matters (议题)


@dataclass
class MatterInput:
    """What the matter dialog sends, as typed."""

    title: str
    raised_by: int | None
    source: str = "居民提事"
    category: str = "其他"
    level: str = "邻里小事"
    building_id: int | None = None
    unit_id: int | None = None
    description: str = ""
    raised_on: str = ""


def raise_matter(session: Session, staff_id: int, data: MatterInput, today: dt.date | None = None) -> int:
    """Register a matter (登记议题: 居民提事 or 党员问事); it waits for a meeting (待议)."""
    _acting(session, staff_id, "登记议题")
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title:
        errors["title"] = "请写明议题，例如 3栋楼道堆放杂物"
    elif len(title) > 100:
        errors["title"] = "议题不超过100个字，详细情况请写在说明里"
    raiser = session.get(Resident, data.raised_by) if data.raised_by is not None else None
    if raiser is None:
        errors["raised_by"] = "请选择提出人（输入姓名后按回车）"
    elif raiser.moved_out_on is not None:
        errors["raised_by"] = f"{raiser.name}已迁出，不能再提出议题"
    if data.source not in SOURCES:
        errors["source"] = "请选择居民提事或党员问事"
    elif data.source == "党员问事" and raiser is not None and not raiser.party_category:
        errors["source"] = f"{raiser.name}不是党员：请选“居民提事”"
    if data.category not in CATEGORIES:
        errors["category"] = "请选择类别"
    if data.level not in LEVELS:
        errors["level"] = "请选择层级"
    building = session.get(Building, data.building_id) if data.building_id is not None else None
    unit = session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if data.building_id is not None and building is None:
        errors["place"] = "找不到这个楼栋"
    if data.unit_id is not None and (unit is None or unit.building_id != data.building_id):
        errors["place"] = "这个单元不在所选楼栋"
    raised_on = _day(data.raised_on, "raised_on", errors, today) if clean(data.raised_on) else today
    if raiser is not None and raised_on is not None and raiser.moved_in_on and raised_on < raiser.moved_in_on:
        errors["raised_on"] = f"{raiser.name}{raiser.moved_in_on:%Y-%m-%d}才迁入"
    if errors:
        raise ValidationError(errors)
    assert raiser is not None and raised_on is not None
    matter = Matter(title=title, description=clean_text(data.description), source=data.source, raised_by=raiser.id,
                    raised_on=raised_on, building_id=data.building_id, unit_id=data.unit_id,
                    category=data.category, level=data.level, state=WAITING, recorded_by=staff_id)
    session.add(matter)
    session.flush()
    _event(session, staff_id, matter, "raised", raised_on, f"{data.source}：{raiser.name}")
    audit.record(session, staff_id, "create", "matter", matter.id, f"登记议题：{title}（{data.level}）",
                 after={"title": title, "source": data.source, "raised_by": raiser.id, "category": data.category,
                        "level": data.level, "building_id": data.building_id, "unit_id": data.unit_id})
    return matter.id


def _matter(session: Session, matter_id: int) -> Matter:
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFound("找不到这个议题")
    return matter


def change_level(session: Session, staff_id: int, matter_id: int, level: str, reason: str,
                 today: dt.date | None = None) -> None:
    """Raise or lower a matter's level (调整层级) with a reason.

    A matter sent back by the community (已上报) and lowered waits for the station's meeting again.
    """
    _acting(session, staff_id, "调整议题层级")
    today = today or dt.date.today()
    matter = _matter(session, matter_id)
    if matter.state == DONE:
        raise ValidationError("这个议题已经办结，不能再调整层级；如需再议请先“重新办理”")
    if level not in LEVELS:
        raise ValidationError({"level": "请选择层级"})
    if level == matter.level:
        raise ValidationError({"level": f"这个议题已经是{level}"})
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明调整层级的原因"})
    before = {"level": matter.level, "state": matter.state}
    old = matter.level
    matter.level = level
    if matter.state == ESCALATED and level != COMPLEX:
        matter.state = WAITING  # the community sent it back to be settled here
    _event(session, staff_id, matter, "level", today, f"{old} → {level}：{reason}")
    audit.record(session, staff_id, "update", "matter", matter.id, f"调整议题层级：{matter.title}，{old} → {level}",
                 before=before, after={"level": level, "state": matter.state, "reason": reason})


def escalate(session: Session, staff_id: int, matter_id: int, to_whom: str, on_date: str = "", reason: str = "",
             today: dt.date | None = None) -> None:
    """上报提级: a complex matter goes to the community (or the street), recorded with the date and to whom."""
    _acting(session, staff_id, "上报议题")
    today = today or dt.date.today()
    matter = _matter(session, matter_id)
    if matter.state == DONE:
        raise ValidationError("这个议题已经办结，不用再上报")
    if matter.state == ESCALATED:
        raise ValidationError("这个议题已经上报了")
    errors: dict[str, str] = {}
    to_whom = clean(to_whom)
    if not to_whom:
        errors["to_whom"] = "请写明上报给谁，例如 幸福社区党委"
    elif len(to_whom) > 100:
        errors["to_whom"] = "不超过100个字"
    day = _day(on_date, "on_date", errors, today) if clean(on_date) else today
    if day is not None and day < matter.raised_on:
        errors["on_date"] = f"上报日期不能早于提出日期（{matter.raised_on:%Y-%m-%d}）"
    if errors:
        raise ValidationError(errors)
    assert day is not None
    before = {"level": matter.level, "state": matter.state}
    matter.level, matter.state = COMPLEX, ESCALATED
    _event(session, staff_id, matter, "escalated", day, clean_text(reason), to_whom=to_whom)
    audit.record(session, staff_id, "escalate", "matter", matter.id, f"上报提级：{matter.title} → {to_whom}",
                 before=before, after={"level": COMPLEX, "state": ESCALATED, "to_whom": to_whom, "on_date": day})


def finish(session: Session, staff_id: int, matter_id: int, result: str, on_date: str = "",
           today: dt.date | None = None) -> None:
    """办结: the matter is settled; how it was settled is recorded (and published on the notice)."""
    _acting(session, staff_id, "办结议题")
    today = today or dt.date.today()
    matter = _matter(session, matter_id)
    if matter.state == DONE:
        raise ValidationError("这个议题已经办结了")
    errors: dict[str, str] = {}
    result = clean_text(result)
    if not result:
        errors["result"] = "请写明办理结果，例如 杂物已清理，楼道畅通"
    day = _day(on_date, "on_date", errors, today) if clean(on_date) else today
    if day is not None and day < matter.raised_on:
        errors["on_date"] = f"办结日期不能早于提出日期（{matter.raised_on:%Y-%m-%d}）"
    if errors:
        raise ValidationError(errors)
    assert day is not None
    before = {"state": matter.state, "result": matter.result}
    matter.state, matter.result = DONE, result
    _event(session, staff_id, matter, "done", day, result)
    audit.record(session, staff_id, "finish", "matter", matter.id, f"议题办结：{matter.title}", before=before,
                 after={"state": DONE, "result": result, "on_date": day})


def reopen(session: Session, staff_id: int, matter_id: int, reason: str, today: dt.date | None = None) -> None:
    """重新办理: a matter closed by mistake, or not really settled, is opened again — never edited."""
    _acting(session, staff_id, "重新办理议题")
    today = today or dt.date.today()
    matter = _matter(session, matter_id)
    if matter.state != DONE:
        raise ValidationError("只有已办结的议题才需要重新办理")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明重新办理的原因"})
    matter.state = IN_HAND if matter.responsible else WAITING
    _event(session, staff_id, matter, "reopened", today, reason)
    audit.record(session, staff_id, "reopen", "matter", matter.id, f"议题重新办理：{matter.title}",
                 before={"state": DONE}, after={"state": matter.state, "reason": reason})


@dataclass(frozen=True)
class MatterRow:
    id: int
    raised_on: dt.date
    title: str
    description: str
    category: str
    level: str
    state: str
    source: str
    raiser: str
    raiser_id: int
    place: str
    responsible: str
    deadline: dt.date | None
    result: str
    overdue: bool
    building_id: int | None = None
    unit_id: int | None = None

    @property
    def lead(self) -> str:
        return LEADS[self.level]


def _place(building: str | None, unit: str | None) -> str:
    if building is None:
        return "全小区"
    return f"{building}栋{unit}单元" if unit is not None else f"{building}栋"


def matters(session: Session, state: str | None = None, level: str | None = None, text: str = "",
            ids: Sequence[int] | None = None, today: dt.date | None = None, limit: int = 5000) -> list[MatterRow]:
    """Matters, newest first, filtered by state, level and a word of the title, category or raiser."""
    today = today or dt.date.today()
    stmt = (select(Matter, Resident.name, Building.number, Unit.number)
            .join(Resident, Resident.id == Matter.raised_by)
            .outerjoin(Building, Building.id == Matter.building_id)
            .outerjoin(Unit, Unit.id == Matter.unit_id)
            .order_by(Matter.raised_on.desc(), Matter.id.desc()).limit(limit))
    if state:
        stmt = stmt.where(Matter.state == state)
    if level:
        stmt = stmt.where(Matter.level == level)
    if ids is not None:
        stmt = stmt.where(Matter.id.in_(list(ids)))
    word = clean(text)
    if word:
        like = f"%{word}%"
        stmt = stmt.where(Matter.title.like(like) | Matter.category.like(like) | Resident.name.like(like)
                          | Matter.responsible.like(like))
    return [MatterRow(m.id, m.raised_on, m.title, m.description, m.category, m.level, m.state, m.source, name,
                      m.raised_by, _place(building, unit), m.responsible, m.deadline, m.result,
                      m.state == IN_HAND and m.deadline is not None and m.deadline < today, m.building_id,
                      m.unit_id)
            for m, name, building, unit in session.execute(stmt)]


def state_counts(session: Session) -> dict[str, int]:
    """How many matters are in each state (the board's filter shows them)."""
    counts = {state: count for state, count in session.execute(select(Matter.state, func.count())
                                                                  .group_by(Matter.state))}
    return {state: int(counts.get(state, 0)) for state in STATES}


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    on_date: dt.date
    what: str
    level: str
    state: str
    note: str
    to_whom: str
    meeting: str
    staff: str


def history(session: Session, matter_id: int) -> list[EventRow]:
    """A matter's whole history, oldest first: who did what, when, at which level."""
    _matter(session, matter_id)
    rows = session.execute(
        select(MatterEvent, Staff.name, Meeting.title, Meeting.held_at)
        .join(Staff, Staff.id == MatterEvent.staff_id)
        .outerjoin(Meeting, Meeting.id == MatterEvent.meeting_id)
        .where(MatterEvent.matter_id == matter_id).order_by(MatterEvent.id))
    return [EventRow(e.at, e.on_date, EVENT_LABELS.get(e.kind, e.kind), e.level, e.state, e.note, e.to_whom,
                     f"{held:%Y-%m-%d} {title}" if title else "", staff)
            for e, staff, title, held in rows]


# ------------------------------------------------------------------ meetings (议事会议)


@dataclass
class MeetingInput:
    """What the meeting dialog sends, as typed."""

    kind: str
    date: str
    time: str = "09:00"
    title: str = ""
    place: str = ""
    host: str = ""
    vote_rule: str = "majority"
    quorum: str = ""
    note: str = ""


def default_rule(kind: str) -> str:
    """An owners' meeting (业主大会) decides by households; the others by those present."""
    return "households" if kind == "业主大会" else "majority"


def _check_meeting(data: MeetingInput, today: dt.date) -> dict[str, object]:
    errors: dict[str, str] = {}
    if data.kind not in MEETING_KINDS:
        errors["kind"] = "请选择会议类别"
    day = _day(data.date, "date", errors, today, allow_future=True)
    moment: dt.time | None = None
    found = re.fullmatch(r"(\d{1,2})[:：.](\d{2})", clean(data.time) or "09:00")
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        errors["time"] = "时间格式不对，例如 09:30"
    else:
        moment = dt.time(int(found.group(1)), int(found.group(2)))
    title = clean_text(data.title)
    if len(title) > 100:
        errors["title"] = "会议名称不超过100个字"
    if data.vote_rule not in VOTE_RULES:
        errors["vote_rule"] = "请选择表决规则"
    quorum: int | None = None
    if clean(data.quorum):
        try:
            quorum = int(clean(data.quorum))
        except ValueError:
            errors["quorum"] = "法定人数请填整数，不限请留空"
        else:
            if not 1 <= quorum <= 100000:
                errors["quorum"] = "法定人数应在1至100000之间"
    if errors:
        raise ValidationError(errors)
    assert day is not None and moment is not None
    if not title:
        title = f"{day.year}年{day.month}月{data.kind}"
    return {"kind": data.kind, "title": title, "held_at": dt.datetime.combine(day, moment),
            "place": clean_text(data.place)[:100], "host": clean(data.host)[:50], "vote_rule": data.vote_rule,
            "quorum": quorum, "note": clean_text(data.note)}


def _meeting(session: Session, meeting_id: int, changing: bool = True) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("找不到这次会议")
    if changing and meeting.cancelled:
        raise ValidationError("这次会议已经取消了")
    return meeting


def save_meeting(session: Session, staff_id: int, data: MeetingInput, meeting_id: int | None = None,
                 today: dt.date | None = None) -> int:
    """Plan a meeting (新建会议), or change one; the rule cannot change once something has been voted."""
    _acting(session, staff_id, "安排议事会议")
    values = _check_meeting(data, today or dt.date.today())
    if meeting_id is None:
        meeting = Meeting(created_by=staff_id, **values)
        session.add(meeting)
        session.flush()
        audit.record(session, staff_id, "create", "meeting", meeting.id, f"新建议事会议：{meeting.title}",
                     after=values)
        return meeting.id
    meeting = _meeting(session, meeting_id)
    decided = session.scalar(select(func.count()).select_from(Decision).where(Decision.meeting_id == meeting_id))
    if decided and (values["vote_rule"] != meeting.vote_rule or values["quorum"] != meeting.quorum):
        raise ValidationError({"vote_rule": "这次会议已经表决过，表决规则和法定人数不能再改"})
    if decided and values["held_at"] != meeting.held_at:
        raise ValidationError({"date": "这次会议已经形成决议，会议时间不能再改"})
    before = {key: getattr(meeting, key) for key in values}
    for key, value in values.items():
        setattr(meeting, key, value)
    audit.record(session, staff_id, "update", "meeting", meeting.id, f"修改议事会议：{meeting.title}", before=before,
                 after=values)
    return meeting.id


def cancel_meeting(session: Session, staff_id: int, meeting_id: int, reason: str) -> None:
    """取消会议: only before anything is decided; its matters wait for the next meeting."""
    _acting(session, staff_id, "取消议事会议")
    meeting = _meeting(session, meeting_id)
    if session.scalar(select(Decision.id).where(Decision.meeting_id == meeting_id).limit(1)) is not None:
        raise ValidationError("这次会议已经形成决议，不能取消")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明取消的原因"})
    meeting.cancelled = True
    audit.record(session, staff_id, "cancel", "meeting", meeting.id, f"取消议事会议：{meeting.title}：{reason}")


def _agenda_item(session: Session, meeting_id: int, matter_id: int) -> AgendaItem | None:
    return session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                   AgendaItem.matter_id == matter_id))


def _put_on_agenda(session: Session, staff_id: int, meeting: Meeting, matter: Matter, kind: str) -> bool:
    item = _agenda_item(session, meeting.id, matter.id)
    if item is not None and not item.withdrawn:
        return False
    position = (session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
                or 0) + 1
    if item is None:
        session.add(AgendaItem(meeting_id=meeting.id, matter_id=matter.id, position=position))
    else:
        item.withdrawn, item.position = False, position
    note = f"列入{meeting.title}" if kind == "agenda" else f"上次未议结，转入{meeting.title}"
    _event(session, staff_id, matter, kind, meeting.held_at.date(), note, meeting_id=meeting.id)
    return True


def add_to_agenda(session: Session, staff_id: int, meeting_id: int, matter_ids: Iterable[int]) -> int:
    """列入议程: put matters on a meeting's agenda; how many were added."""
    _acting(session, staff_id, "安排议程")
    meeting = _meeting(session, meeting_id)
    added = 0
    for matter_id in matter_ids:
        matter = _matter(session, matter_id)
        if matter.state == DONE:
            raise ValidationError(f"“{matter.title}”已经办结，不用再议")
        if matter.state == ESCALATED:
            raise ValidationError(f"“{matter.title}”已上报提级，由上级组织议事；社区退回后可调整层级再议")
        if matter.raised_on > meeting.held_at.date():
            raise ValidationError(f"“{matter.title}”在会议之后才提出")
        added += _put_on_agenda(session, staff_id, meeting, matter, "agenda")
    if added:
        audit.record(session, staff_id, "agenda", "meeting", meeting.id, f"列入议程：{added}个议题")
    return added


def roll_forward(session: Session, staff_id: int, meeting_id: int) -> int:
    """每事必议: every matter still waiting (待议) by the meeting's day goes onto its agenda.

    Matters left undecided at an earlier meeting are marked as rolled forward
    (转入本次会议); the others are simply put on. Returns how many were added.
    """
    _acting(session, staff_id, "安排议程")
    meeting = _meeting(session, meeting_id)
    on_agenda = select(AgendaItem.matter_id).where(AgendaItem.meeting_id == meeting_id,
                                                   AgendaItem.withdrawn.is_(False))
    waiting = list(session.scalars(
        select(Matter).where(Matter.state == WAITING, Matter.raised_on <= meeting.held_at.date(),
                             Matter.id.not_in(on_agenda)).order_by(Matter.raised_on, Matter.id)))
    earlier = set(session.scalars(
        select(AgendaItem.matter_id).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.matter_id.in_([m.id for m in waiting]), AgendaItem.withdrawn.is_(False),
               Meeting.cancelled.is_(False), Meeting.held_at < meeting.held_at)))
    for matter in waiting:
        _put_on_agenda(session, staff_id, meeting, matter, "rolled" if matter.id in earlier else "agenda")
    if waiting:
        audit.record(session, staff_id, "agenda", "meeting", meeting.id,
                     f"待议议题列入议程：{len(waiting)}个（其中上次未议结{len(earlier)}个）")
    return len(waiting)


def withdraw_from_agenda(session: Session, staff_id: int, meeting_id: int, matter_id: int, reason: str) -> None:
    """撤出议程: a matter taken off before it is decided; it waits for the next meeting."""
    _acting(session, staff_id, "安排议程")
    meeting = _meeting(session, meeting_id)
    item = _agenda_item(session, meeting_id, matter_id)
    if item is None or item.withdrawn:
        raise ValidationError("这个议题不在本次会议议程上")
    if _latest_decision(session, meeting_id, matter_id) is not None:
        raise ValidationError("这个议题已经形成决议，不能撤出议程")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤出议程的原因"})
    item.withdrawn = True
    matter = _matter(session, matter_id)
    _event(session, staff_id, matter, "withdrawn", meeting.held_at.date(), reason, meeting_id=meeting_id)
    audit.record(session, staff_id, "withdraw", "meeting", meeting_id, f"撤出议程：{matter.title}：{reason}")


def save_minutes(session: Session, staff_id: int, meeting_id: int, matter_id: int, minutes: str) -> None:
    """会议记录: what was said about one matter (the archive's minutes show it in full)."""
    _acting(session, staff_id, "记录会议")
    _meeting(session, meeting_id)
    item = _agenda_item(session, meeting_id, matter_id)
    if item is None or item.withdrawn:
        raise ValidationError("这个议题不在本次会议议程上")
    text = clean_text(minutes)
    if len(text) > 5000:
        raise ValidationError({"minutes": "一个议题的记录不超过5000字"})
    if text == item.minutes:
        return
    before = {"minutes": item.minutes}
    item.minutes = text
    audit.record(session, staff_id, "update", "agenda_item", item.id, "修改会议记录", before=before,
                 after={"minutes": text})


# ------------------------------------------------------------------ attendance (参会人员)


def add_resident_attendee(session: Session, staff_id: int, meeting_id: int, resident_id: int,
                          party: str = RESIDENT_PARTY) -> int:
    """A resident at the meeting (a resident, or a resident who stands for one of the 红六方)."""
    _acting(session, staff_id, "登记参会人员")
    meeting = _meeting(session, meeting_id)
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("找不到这位居民")
    if party != RESIDENT_PARTY and party not in PARTIES:
        raise ValidationError({"party": "请选择参会身份"})
    there = session.scalar(select(MeetingAttendee.id).where(
        MeetingAttendee.meeting_id == meeting_id, MeetingAttendee.resident_id == resident_id,
        MeetingAttendee.withdrawn.is_(False)))
    if there is not None:
        raise ValidationError(f"{resident.name}已经登记参会了")
    attendee = MeetingAttendee(meeting_id=meeting_id, resident_id=resident_id, party=party, name=resident.name,
                               recorded_by=staff_id)
    session.add(attendee)
    session.flush()
    audit.record(session, staff_id, "attend", "meeting", meeting.id, f"参会：{resident.name}（{party}）")
    return attendee.id


def add_party_attendee(session: Session, staff_id: int, meeting_id: int, party: str, name: str) -> int:
    """Someone for a party of the round table (物业公司 王经理) who is not a resident."""
    _acting(session, staff_id, "登记参会人员")
    meeting = _meeting(session, meeting_id)
    errors: dict[str, str] = {}
    if party not in PARTIES:
        errors["party"] = "请选择是哪一方（网格党支部、业委会、物业公司……）"
    name = clean(name)
    if not name:
        errors["name"] = "请填写参会人姓名或职务，例如 王经理"
    elif len(name) > 50:
        errors["name"] = "不超过50个字"
    if errors:
        raise ValidationError(errors)
    attendee = MeetingAttendee(meeting_id=meeting_id, party=party, name=name, recorded_by=staff_id)
    session.add(attendee)
    session.flush()
    audit.record(session, staff_id, "attend", "meeting", meeting.id, f"参会：{party} {name}")
    return attendee.id


def withdraw_attendee(session: Session, staff_id: int, attendee_id: int) -> None:
    """A wrongly signed-in attendee is marked withdrawn (the row stays)."""
    _acting(session, staff_id, "登记参会人员")
    attendee = session.get(MeetingAttendee, attendee_id)
    if attendee is None or attendee.withdrawn:
        raise NotFound("找不到这条参会记录")
    _meeting(session, attendee.meeting_id)
    attendee.withdrawn = True
    audit.record(session, staff_id, "withdraw", "meeting", attendee.meeting_id, f"撤销参会登记：{attendee.name}")


@dataclass(frozen=True)
class AttendeeRow:
    id: int
    name: str
    party: str
    resident_id: int | None
    address: str
    phone: str


def attendees(session: Session, meeting_id: int) -> list[AttendeeRow]:
    """Who came, in the order they were signed in (withdrawn sign-ins left out)."""
    rows = session.execute(
        select(MeetingAttendee, Building.number, Unit.number, Household.room, Resident.phone)
        .outerjoin(Resident, Resident.id == MeetingAttendee.resident_id)
        .outerjoin(Household, Household.id == Resident.household_id)
        .outerjoin(Unit, Unit.id == Household.unit_id)
        .outerjoin(Building, Building.id == Unit.building_id)
        .where(MeetingAttendee.meeting_id == meeting_id, MeetingAttendee.withdrawn.is_(False))
        .order_by(MeetingAttendee.id))
    return [AttendeeRow(a.id, a.name, a.party, a.resident_id,
                        f"{building}栋{unit}单元{room}" if building is not None else "", phone or "")
            for a, building, unit, room, phone in rows]


# ------------------------------------------------------------------ votes and decisions (表决与决议)


@dataclass(frozen=True)
class Tally:
    """A vote's result under a rule: whether enough were there (quorum) and whether it passed."""

    quorum_met: bool
    passed: bool
    needed: int  # the fewest votes for that pass


def tally(rule: str, votes_for: int, present: int, eligible: int | None = None, quorum: int | None = None) -> Tally:
    """Apply a vote rule.

    - majority: more than half of those present (exactly half is not enough);
    - two_thirds: two-thirds of those present or more (exactly two-thirds passes);
    - households: more than half of all households entitled to vote (业主大会).

    With a quorum, fewer present than the quorum makes the vote invalid: it does not pass.
    """
    quorum_met = present >= (quorum or 1)
    if rule == "majority":
        needed = present // 2 + 1
    elif rule == "two_thirds":
        needed = -(-2 * present // 3)
    elif rule == "households":
        if not eligible:
            raise ValidationError({"eligible": "按全体住户表决，需要有应参加表决的住户"})
        needed = eligible // 2 + 1
    else:
        raise ValidationError({"vote_rule": "不认识这个表决规则"})
    return Tally(quorum_met, quorum_met and present > 0 and votes_for >= needed, needed)


@dataclass
class DecisionInput:
    """What the decision dialog sends, as typed.

    A vote is entered from the paper count (``votes_*`` and ``present``) or, with
    ``by_household``, as the rooms (3-2-501) that voted each way.
    """

    meeting_id: int
    matter_id: int
    resolution: str
    responsible: str = ""
    deadline: str = ""
    voted: bool = True
    by_household: bool = False
    votes_for: str = ""
    votes_against: str = ""
    votes_abstain: str = ""
    present: str = ""
    rooms_for: str = ""
    rooms_against: str = ""
    rooms_abstain: str = ""
    correction: str = ""


def eligible_households(session: Session, matter: Matter) -> list[int]:
    """The households entitled to vote on a matter: those somebody lives in, in its building if it has one."""
    living = select(Resident.household_id).where(Resident.moved_out_on.is_(None))
    stmt = select(Household.id).join(Unit, Unit.id == Household.unit_id).where(Household.id.in_(living))
    if matter.unit_id is not None:
        stmt = stmt.where(Household.unit_id == matter.unit_id)
    elif matter.building_id is not None:
        stmt = stmt.where(Unit.building_id == matter.building_id)
    return list(session.scalars(stmt))


def _household_codes(session: Session) -> dict[str, int]:
    rows = session.execute(select(Household.id, Building.number, Unit.number, Household.room)
                           .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id))
    return {room_code(b, u, r): household_id for household_id, b, u, r in rows}


def room_list(text: str) -> list[str]:
    """The rooms typed for a household vote, as 3-2-501 codes (any separator, full-width dashes too)."""
    codes = []
    for part in _ROOM_SPLIT.split(clean(text).replace("－", "-").replace("—", "-")):
        if part:
            pieces = part.split("-")
            codes.append("-".join(normalize_number(piece) for piece in pieces) if len(pieces) == 3 else part)
    return codes


def _count(text: str, field: str, label: str, errors: dict[str, str]) -> int:
    value = clean(text)
    if not value:
        return 0
    try:
        number = int(value)
    except ValueError:
        errors[field] = f"{label}请填整数"
        return 0
    if not 0 <= number <= 100000:
        errors[field] = f"{label}应在0至100000之间"
    return number


def _latest_decision(session: Session, meeting_id: int, matter_id: int) -> Decision | None:
    return session.scalar(select(Decision).where(Decision.meeting_id == meeting_id, Decision.matter_id == matter_id)
                          .order_by(Decision.id.desc()).limit(1))


def record_decision(session: Session, staff_id: int, data: DecisionInput, today: dt.date | None = None) -> int:
    """议定: the meeting's resolution on a matter, with its vote if voted; the matter moves on.

    Passed, with someone to carry it out: 办理中 (合力办事); passed with nothing to
    carry out: 已议; not passed or no quorum: back to 待议 for the next meeting.
    A second decision for the same matter at the same meeting corrects the first
    and needs a reason.
    """
    _acting(session, staff_id, "记录表决结果")
    today = today or dt.date.today()
    meeting = _meeting(session, data.meeting_id)
    matter = _matter(session, data.matter_id)
    item = _agenda_item(session, meeting.id, matter.id)
    if item is None or item.withdrawn:
        raise ValidationError("这个议题不在本次会议议程上")
    if meeting.held_at.date() > today:
        raise ValidationError(f"会议定在{meeting.held_at:%Y-%m-%d}，开过会才能记录决议")
    if matter.state == DONE:
        raise ValidationError("这个议题已经办结，不能再记录决议；如需再议请先“重新办理”")
    if matter.state == ESCALATED:
        raise ValidationError("这个议题已经上报提级，由上级组织议事，本次会议不能再记录决议；"
                              "社区退回后调整层级，再在会上议定")
    earlier = _latest_decision(session, meeting.id, matter.id)
    errors: dict[str, str] = {}
    resolution = clean_text(data.resolution)
    if not resolution:
        errors["resolution"] = "请写明决议内容，例如 由物业公司本月底前清理楼道杂物"
    responsible = clean(data.responsible)
    if len(responsible) > 100:
        errors["responsible"] = "责任方不超过100个字"
    deadline = _day(data.deadline, "deadline", errors, today, allow_future=True, required=False)
    if deadline is not None and deadline < meeting.held_at.date():
        errors["deadline"] = "完成时限不能早于会议日期"
    correction = clean_text(data.correction)
    if earlier is not None and not correction:
        errors["correction"] = "这个议题本次会议已有决议：更正时请写明更正原因"
    votes = [0, 0, 0]
    present = 0
    eligible: int | None = None
    ballots: dict[int, str] = {}
    if data.voted:
        households = eligible_households(session, matter)
        if meeting.vote_rule == "households" or data.by_household:
            eligible = len(households)
        if data.by_household:
            codes = _household_codes(session)
            allowed = set(households)
            for choice, field, text in (("for", "rooms_for", data.rooms_for),
                                        ("against", "rooms_against", data.rooms_against),
                                        ("abstain", "rooms_abstain", data.rooms_abstain)):
                for code in room_list(text):
                    household_id = codes.get(code)
                    if household_id is None:
                        errors[field] = f"没有{code}这一户（房号请写成 3-2-501）"
                    elif household_id not in allowed:
                        errors[field] = f"{code}不在应参加表决的住户里（没有人居住，或不在本议题涉及的楼栋）"
                    elif household_id in ballots:
                        errors[field] = f"{code}表决了不止一次"
                    else:
                        ballots[household_id] = choice
            votes = [sum(1 for c in ballots.values() if c == choice) for choice in CHOICES]
            present = len(ballots)
            if not ballots and not errors:
                errors["rooms_for"] = "请填写表决的住户房号"
        else:
            votes = [_count(data.votes_for, "votes_for", "赞成票", errors),
                     _count(data.votes_against, "votes_against", "反对票", errors),
                     _count(data.votes_abstain, "votes_abstain", "弃权票", errors)]
            if meeting.vote_rule == "households":
                present = sum(votes)
                if eligible is not None and present > eligible:
                    errors["votes_for"] = f"表决的住户（{present}户）多于应参加表决的住户（{eligible}户）"
            else:
                there = len(attendees(session, meeting.id))
                present = _count(data.present, "present", "到会人数", errors) if clean(data.present) else there
                if present == 0 and "present" not in errors:
                    errors["present"] = "请填写到会人数（或先登记参会人员）"
                elif sum(votes) > present:
                    errors["votes_for"] = f"赞成、反对、弃权合计{sum(votes)}票，多于到会的{present}人"
            if sum(votes) == 0 and not errors:
                errors["votes_for"] = "请填写表决票数；没有表决的决议请取消“表决”"
    if errors:
        raise ValidationError(errors)
    outcome = tally(meeting.vote_rule, votes[0], present, eligible, meeting.quorum) if data.voted else None
    passed = outcome.passed if outcome is not None else True
    decision = Decision(
        meeting_id=meeting.id, matter_id=matter.id, resolution=resolution, responsible=responsible,
        deadline=deadline, voted=data.voted, by_household=data.voted and data.by_household,
        votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2], present=present, eligible=eligible,
        rule=meeting.vote_rule, quorum=meeting.quorum, quorum_met=outcome.quorum_met if outcome else True,
        passed=passed, correction=correction, recorded_by=staff_id)
    session.add(decision)
    session.flush()
    for household_id, choice in ballots.items():
        session.add(Ballot(decision_id=decision.id, household_id=household_id, choice=choice))
    before = {"state": matter.state, "responsible": matter.responsible, "deadline": matter.deadline}
    if passed:
        matter.state = IN_HAND if responsible else DISCUSSED
        matter.responsible, matter.deadline = responsible, deadline
    else:  # nothing to carry out: nobody is responsible until a meeting passes it
        matter.state = WAITING
        matter.responsible, matter.deadline = "", None
    view = decision_view(decision)
    note = f"{'更正：' + correction + '；' if correction else ''}{resolution}（{view.result}）"
    _event(session, staff_id, matter, "decided", meeting.held_at.date(), note, meeting_id=meeting.id)
    audit.record(session, staff_id, "decide", "matter", matter.id, f"议定：{matter.title}（{view.result}）",
                 before=before, after={"state": matter.state, "responsible": responsible, "deadline": deadline,
                                       "resolution": resolution, "result": view.result})
    return decision.id


@dataclass(frozen=True)
class DecisionView:
    id: int
    resolution: str
    responsible: str
    deadline: dt.date | None
    voted: bool
    by_household: bool
    votes_for: int
    votes_against: int
    votes_abstain: int
    present: int
    eligible: int | None
    rule: str
    quorum: int | None
    quorum_met: bool
    passed: bool
    correction: str

    @property
    def by_households(self) -> bool:
        """Counted in households (户) rather than people and votes."""
        return self.by_household or self.rule == "households"

    @property
    def counts(self) -> str:
        """赞成12票、反对2票、弃权1票."""
        unit = "户" if self.by_households else "票"
        return (f"赞成{self.votes_for}{unit}、反对{self.votes_against}{unit}、弃权{self.votes_abstain}{unit}"
                if self.voted else "")

    @property
    def _turnout(self) -> str:
        """到会9人 / 实际表决40户."""
        return f"实际表决{self.present}户" if self.by_households else f"到会{self.present}人"

    @property
    def _short_of_quorum(self) -> str:
        return f"不足法定人数{self.quorum}{'户' if self.by_households else '人'}，表决无效"

    @property
    def result(self) -> str:
        """通过 / 未通过 / 到会6人，不足法定人数7人，表决无效 / 议定（未表决）."""
        if not self.voted:
            return "议定（未表决）"
        if not self.quorum_met:
            return f"{self._turnout}，{self._short_of_quorum}"
        return "通过" if self.passed else "未通过"

    @property
    def summary(self) -> str:
        """The whole line: 应参加表决120户，实际表决95户，赞成70户、反对20户、弃权5户，通过（…）."""
        if not self.voted:
            return self.result
        base = f"应参加表决{self.eligible}户，{self._turnout}" if self.by_households else self._turnout
        outcome = self.result if self.quorum_met else self._short_of_quorum
        return f"{base}，{self.counts}，{outcome}（{VOTE_RULES[self.rule]}）"


def decision_view(decision: Decision) -> DecisionView:
    return DecisionView(decision.id, decision.resolution, decision.responsible, decision.deadline, decision.voted,
                        decision.by_household, decision.votes_for, decision.votes_against, decision.votes_abstain,
                        decision.present, decision.eligible, decision.rule, decision.quorum, decision.quorum_met,
                        decision.passed, decision.correction)


# ------------------------------------------------------------------ what the tab and the prints show


@dataclass(frozen=True)
class MeetingRow:
    id: int
    held_at: dt.datetime
    kind: str
    title: str
    place: str
    host: str
    vote_rule: str
    quorum: int | None
    note: str
    cancelled: bool
    matters: int
    decided: int
    people: int

    @property
    def when(self) -> str:
        return f"{self.held_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """2026-11-15红六方圆桌会: names the meeting in a file name and a page header."""
        return f"{self.held_at:%Y-%m-%d}{self.kind}"

    @property
    def rule_text(self) -> str:
        quorum = f"，法定人数{self.quorum}{'户' if self.vote_rule == 'households' else '人'}" if self.quorum else ""
        return VOTE_RULES[self.vote_rule] + quorum


def meetings(session: Session, ids: Sequence[int] | None = None, text: str = "", limit: int = 2000) -> list[MeetingRow]:
    """Meetings, the latest first, with how many matters are on the agenda, decided, and who came."""
    on_agenda = (select(AgendaItem.meeting_id, func.count().label("n")).where(AgendaItem.withdrawn.is_(False))
                 .group_by(AgendaItem.meeting_id).subquery())
    decided = (select(Decision.meeting_id, func.count(func.distinct(Decision.matter_id)).label("n"))
               .group_by(Decision.meeting_id).subquery())
    people = (select(MeetingAttendee.meeting_id, func.count().label("n"))
              .where(MeetingAttendee.withdrawn.is_(False)).group_by(MeetingAttendee.meeting_id).subquery())
    stmt = (select(Meeting, on_agenda.c.n, decided.c.n, people.c.n)
            .outerjoin(on_agenda, on_agenda.c.meeting_id == Meeting.id)
            .outerjoin(decided, decided.c.meeting_id == Meeting.id)
            .outerjoin(people, people.c.meeting_id == Meeting.id)
            .order_by(Meeting.held_at.desc(), Meeting.id.desc()).limit(limit))
    if ids is not None:
        stmt = stmt.where(Meeting.id.in_(list(ids)))
    word = clean(text)
    if word:
        stmt = stmt.where(Meeting.title.like(f"%{word}%") | Meeting.kind.like(f"%{word}%")
                          | Meeting.place.like(f"%{word}%"))
    return [MeetingRow(m.id, m.held_at, m.kind, m.title, m.place, m.host, m.vote_rule, m.quorum, m.note,
                       m.cancelled, n_matters or 0, n_decided or 0, n_people or 0)
            for m, n_matters, n_decided, n_people in session.execute(stmt)]


def meeting(session: Session, meeting_id: int) -> MeetingRow:
    found = meetings(session, ids=[meeting_id])
    if not found:
        raise NotFound("找不到这次会议")
    return found[0]


@dataclass(frozen=True)
class AgendaRow:
    matter: MatterRow
    minutes: str
    decision: DecisionView | None


def agenda(session: Session, meeting_id: int, today: dt.date | None = None) -> list[AgendaRow]:
    """The meeting's agenda in order, each matter with its minutes and this meeting's (newest) decision."""
    items = list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                          AgendaItem.withdrawn.is_(False))
                                 .order_by(AgendaItem.position, AgendaItem.id)))
    found = {row.id: row for row in matters(session, ids=[item.matter_id for item in items], today=today)}
    latest: dict[int, Decision] = {}
    for decision in session.scalars(select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.id)):
        latest[decision.matter_id] = decision
    return [AgendaRow(found[item.matter_id], item.minutes,
                      decision_view(latest[item.matter_id]) if item.matter_id in latest else None)
            for item in items]


def decisions(session: Session, meeting_id: int, matter_id: int) -> list[DecisionView]:
    """Every decision a meeting recorded on a matter, oldest first: the last counts, the others were corrected."""
    return [decision_view(d) for d in session.scalars(
        select(Decision).where(Decision.meeting_id == meeting_id, Decision.matter_id == matter_id)
        .order_by(Decision.id))]


def ballots(session: Session, decision_id: int) -> dict[str, list[str]]:
    """For a decision counted by household: the rooms (3-2-501) that voted each way."""
    rows = session.execute(select(Ballot.choice, Building.number, Unit.number, Household.room)
                           .join(Household, Household.id == Ballot.household_id)
                           .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                           .where(Ballot.decision_id == decision_id)
                           .order_by(Building.sort_key, Unit.sort_key, Household.room_sort))
    found: dict[str, list[str]] = {choice: [] for choice in CHOICES}
    for choice, building, unit, room in rows:
        found[choice].append(room_code(building, unit, room))
    return found
