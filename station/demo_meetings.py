"""A year of 说事议事 for the demo compound, written through the meeting services day by day.

Every month residents and party members raise matters at every level; some
邻里小事 are settled by a party member within days, some are raised a level,
a few 复杂难事 are escalated to the community (one sent back later). On the
25th the monthly 红六方圆桌会 takes every waiting matter (those left over from
the month before roll forward), with the six parties and residents present,
minutes, a paper vote and the resolutions; most pass and are carried out by
their deadline, a few fail and wait for the next month, a few run late. Once
a quarter a 民情恳谈会 is held as well, and in the middle of the year an
owners' meeting (业主大会) votes by household on a lift for building 3. This
month's round table is still to come, its agenda already set.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Building, Household, Matter, Resident, Unit
from station import meetings, onboarding
from station.compound import room_code
from station.demo_calendar import Calendar
from station.demo_points import demo_months
from station.meetings import DecisionInput, MatterInput, MeetingInput

# (title with {b} building and {u} unit, category, level, where: "unit" / "building" / "compound",
#  resolution, responsible, how it was settled)
MATTERS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("{b}栋{u}单元楼道堆放杂物", "环境卫生", "邻里小事", "unit", "单元长牵头、党员志愿者协助，一周内清理楼道杂物",
     "单元长", "杂物已清理，楼道畅通"),
    ("{b}栋楼上漏水影响楼下", "邻里关系", "邻里小事", "building", "党员中心户上门协调，双方约定时间维修防水",
     "楼栋长", "防水已维修，两家握手言和"),
    ("{b}栋{u}单元门禁损坏", "设施维修", "邻里小事", "unit", "物业公司三日内更换门禁", "物业公司",
     "门禁已更换"),
    ("{b}栋宠物狗夜间扰民", "邻里关系", "邻里小事", "building", "党员上门劝导，养犬户夜间关好门窗、文明养犬",
     "楼栋长", "养犬户已整改，邻居满意"),
    ("{b}栋{u}单元楼道灯不亮", "设施维修", "单元琐事", "unit", "物业公司更换楼道声控灯", "物业公司",
     "已更换声控灯8盏"),
    ("{b}栋{u}单元楼道内电动车充电", "安全隐患", "单元琐事", "unit",
     "楼栋党小组逐户劝导，电动车统一到充电棚充电", "楼栋长", "楼道内已无电动车充电"),
    ("{b}栋外墙瓷砖脱落", "安全隐患", "单元琐事", "building", "物业公司设置警示区并维修外墙", "物业公司",
     "外墙已修复，警示区撤除"),
    ("小区停车位不够、车辆乱停", "停车秩序", "小区公事", "compound", "施划停车位，消防通道禁止停车，物业公司每日巡查",
     "物业公司", "新增停车位30个，消防通道畅通"),
    ("垃圾分类投放点设置", "环境卫生", "小区公事", "compound", "每栋设置分类投放点，志愿者定时督导",
     "网格党支部", "6个投放点已启用"),
    ("公共收益使用公开", "公共收益", "小区公事", "compound", "业委会每季度在公示栏公开公共收益收支", "业委会",
     "第一次季度收支已公示"),
    ("小区健身器材老化", "设施维修", "小区公事", "compound", "用公共收益更换健身器材", "业委会",
     "健身器材已更换并验收"),
    ("禁止电动自行车、蓄电池入楼入户", "安全隐患", "小区公事", "compound",
     "签订承诺书，增设充电桩，物业公司和志愿者联合巡查", "物业公司", "全小区签订承诺书，新增充电桩40个"),
    ("小区周边道路积水", "设施维修", "复杂难事", "compound", "", "", ""),
    ("小区外商铺油烟扰民", "环境卫生", "复杂难事", "compound", "", "", ""),
)
LIFT = "3栋加装电梯"
PARTY_PEOPLE = (("网格党支部", "支部书记"), ("业委会", "业委会主任"), ("物业公司", "物业项目经理"),
                ("网格员", "网格员小刘"), ("共建单位", "共建单位党员代表"), ("职能部门", "街道城管科"))
PLACE = "党群服务站议事厅"
HOST = "小区党支部书记"


@dataclass(frozen=True)
class _Person:
    id: int
    party: bool
    building_id: int
    building: str
    unit_id: int
    unit: str
    moved_in: dt.date | None


def _people(session: Session) -> list[_Person]:
    rows = session.execute(
        select(Resident.id, Resident.party_category, Building.id, Building.number, Unit.id, Unit.number,
               Resident.moved_in_on)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Resident.moved_out_on.is_(None), Resident.birth_date < dt.date(2006, 1, 1))
        .order_by(Resident.id))
    return [_Person(rid, bool(party), bid, b, uid, u, moved_in) for rid, party, bid, b, uid, u, moved_in in rows]


def generate_meetings(session: Session, staff_id: int, today: dt.date, seed: int = 2026) -> int:
    """A year of matters and monthly meetings up to ``today``; returns how many matters were raised."""
    rng = random.Random(seed)
    people = _people(session)
    if not people:
        return 0
    party_members = [p for p in people if p.party] or people
    details = onboarding.details(session)
    community = f"{details.community}党委" if details and details.community else "社区党委"
    street = details.street if details and details.street else "街道办事处"
    calendar = Calendar()
    raised: list[int] = []
    plans: dict[int, tuple[str, str, str]] = {}  # matter -> (resolution, responsible, result)
    returned: list[int] = []

    def raise_one(day: dt.date, template: tuple[str, str, str, str, str, str, str]) -> None:
        title, category, level, where, resolution, responsible, result = template
        pool = [p for p in (party_members if rng.random() < 0.35 else people)
                if p.moved_in is None or p.moved_in <= day] or people
        who = rng.choice(pool)
        matter = meetings.raise_matter(session, staff_id, MatterInput(
            title.format(b=who.building, u=who.unit), who.id, "党员问事" if who.party and rng.random() < 0.6
            else "居民提事", category, level, None if where == "compound" else who.building_id,
            who.unit_id if where == "unit" else None, "", f"{day:%Y-%m-%d}"), today=day)
        raised.append(matter)
        plans[matter] = (resolution, responsible, result)
        later = day + dt.timedelta(days=rng.randint(1, 4))
        if level == "复杂难事":
            calendar.on(later, lambda: meetings.escalate(
                session, staff_id, matter, community if rng.random() < 0.7 else street, f"{later:%Y-%m-%d}",
                "涉及小区以外的单位，需要上级协调", today=later))
            back = later + dt.timedelta(days=40)
            if not returned and back <= today:  # the first one comes back, to be settled in the compound
                returned.append(matter)
                plans[matter] = ("配合社区疏通周边排水管网，物业公司雨季前清理雨水井", "物业公司", "雨水井已清理，积水消除")
                calendar.on(back, lambda: meetings.change_level(
                    session, staff_id, matter, "小区公事", "社区已协调市政部门，退回小区配合办理", today=back))
        elif level == "邻里小事" and rng.random() < 0.35:
            calendar.on(later, lambda: meetings.finish(session, staff_id, matter, f"党员牵头议：{result}",
                                                       f"{later:%Y-%m-%d}", today=later))
        elif level == "邻里小事" and rng.random() < 0.2:
            calendar.on(later, lambda: meetings.change_level(session, staff_id, matter, "单元琐事",
                                                             "涉及整个单元，由楼栋党小组协调", today=later))

    def hold(day: dt.date, kind: str) -> None:
        meeting = meetings.save_meeting(session, staff_id, MeetingInput(
            kind, f"{day:%Y-%m-%d}", "19:00" if kind == "红六方圆桌会" else "15:00", "", PLACE, HOST,
            meetings.default_rule(kind), "7" if kind == "红六方圆桌会" else ""), today=day)
        meetings.roll_forward(session, staff_id, meeting)
        if day > today:
            return  # still to come: the agenda is set, nobody has come yet
        for party, name in PARTY_PEOPLE if kind == "红六方圆桌会" else PARTY_PEOPLE[:3]:
            meetings.add_party_attendee(session, staff_id, meeting, party, name)
        for person in rng.sample(people, min(len(people), rng.randint(4, 9))):
            meetings.add_resident_attendee(session, staff_id, meeting, person.id)
        present = len(meetings.attendees(session, meeting))
        for item in meetings.agenda(session, meeting, today=day):
            matter = item.matter
            resolution, responsible, result = plans.get(matter.id, ("", "", ""))
            if not resolution or rng.random() < 0.08:
                continue  # not reached this time: it rolls on
            meetings.save_minutes(session, staff_id, meeting, matter.id,
                                  f"{matter.raiser}介绍了情况；{responsible}表示同意承办；各方就办理时限和方式达成一致。")
            fails = rng.random() < 0.12
            votes_for = rng.randint(1, present // 2) if fails else rng.randint(present // 2 + 1, present)
            against = rng.randint(0, present - votes_for)
            deadline = day + dt.timedelta(days=rng.choice((7, 15, 30)))
            meetings.record_decision(session, staff_id, DecisionInput(
                meeting, matter.id, resolution, responsible, f"{deadline:%Y-%m-%d}", votes_for=str(votes_for),
                votes_against=str(against), votes_abstain=str(present - votes_for - against)), today=day)
            if not fails:
                done = max(deadline + dt.timedelta(days=rng.randint(-5, 8)), day + dt.timedelta(days=1))
                if rng.random() < 0.9 and done <= today:  # the rest are still in hand, some past their deadline
                    calendar.on(done, functools.partial(meetings.finish, session, staff_id, matter.id, result,
                                                        f"{done:%Y-%m-%d}", today=done))

    months = demo_months(today)
    for month in months:
        year, number = (int(part) for part in month.split("-"))
        current = (year, number) == (today.year, today.month)
        for _n in range(rng.randint(3, 5)):
            day = dt.date(year, number, rng.randint(1, min(18, today.day) if current else 18))
            if day <= today:
                template = rng.choice(MATTERS)
                calendar.on(day, functools.partial(raise_one, day, template))
        meeting_day = dt.date(year, number, 25)
        calendar.on(meeting_day, functools.partial(hold, meeting_day, "红六方圆桌会"))
        if number % 3 == 0 and meeting_day <= today:
            calendar.on(dt.date(year, number, 10), functools.partial(hold, dt.date(year, number, 10), "民情恳谈会"))
    owners_day = dt.date.fromisoformat(f"{months[len(months) // 2]}-20")
    calendar.on(owners_day - dt.timedelta(days=12), lambda: _lift(session, staff_id, owners_day, people, rng, calendar))
    calendar.run()
    return len(raised)


def _lift(session: Session, staff_id: int, day: dt.date, people: list[_Person], rng: random.Random,
          calendar: Calendar) -> None:
    """加装电梯 in building 3: a 小区公事 decided by the building's households at an owners' meeting."""
    three = [p for p in people if p.building == "3"] or people
    raiser = rng.choice(three)
    raised_on = day - dt.timedelta(days=12)
    matter = meetings.raise_matter(session, staff_id, MatterInput(
        LIFT if raiser.building == "3" else f"{raiser.building}栋加装电梯", raiser.id, "居民提事", "加装电梯",
        "小区公事", raiser.building_id, None, "老人上下楼困难，希望加装电梯；需本栋住户表决", f"{raised_on:%Y-%m-%d}"),
        today=raised_on)

    def owners_meeting() -> None:
        meeting = meetings.save_meeting(session, staff_id, MeetingInput(
            "业主大会", f"{day:%Y-%m-%d}", "15:00", f"{raiser.building}栋加装电梯业主表决", PLACE, "业委会主任",
            "households"), today=day)
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        meetings.add_party_attendee(session, staff_id, meeting, "业委会", "业委会主任")
        for person in rng.sample(three, min(len(three), 8)):
            meetings.add_resident_attendee(session, staff_id, meeting, person.id)
        target = session.get(Matter, matter)
        assert target is not None
        households = meetings.eligible_households(session, target)
        codes = {household_id: code for household_id, code in _codes(session, households)}
        rng.shuffle(households)
        voting = households[: max(1, len(households) * 4 // 5)]
        cut_for, cut_against = len(households) * 3 // 5, len(households) * 3 // 5 + max(1, len(voting) // 8)
        meetings.save_minutes(session, staff_id, meeting, matter, "业委会介绍了加装电梯方案和费用分摊办法，"
                              "低楼层住户提出采光和噪音顾虑，施工方作了说明。")
        meetings.record_decision(session, staff_id, DecisionInput(
            meeting, matter, "同意加装电梯，按楼层分摊费用，由业委会向社区和住建部门申报", "业委会",
            f"{day + dt.timedelta(days=90):%Y-%m-%d}", by_household=True,
            rooms_for=" ".join(codes[h] for h in voting[:cut_for]),
            rooms_against=" ".join(codes[h] for h in voting[cut_for:cut_against]),
            rooms_abstain=" ".join(codes[h] for h in voting[cut_against:])), today=day)

    calendar.on(day, owners_meeting)


def _codes(session: Session, household_ids: list[int]) -> list[tuple[int, str]]:
    rows = session.execute(select(Household.id, Building.number, Unit.number, Household.room)
                           .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                           .where(Household.id.in_(household_ids)))
    return [(household_id, room_code(b, u, r)) for household_id, b, u, r in rows]
