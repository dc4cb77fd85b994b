"""A year of volunteering for the demo compound: teams, activities, attendance, care visits and their points.

The year is planned first, then recorded the way the desk records it. The
last day and everything still to come go through the volunteer services
(新建活动, 签到, 签退, 补录, 关爱走访, 取消, 复制); the earlier days are
written as bulk inserts that repeat, row for row, what those services write
(activity, attendance, pending points entry, audit line) — recording an
attendance through the services takes about 10 ms, and a year has thousands.
tests/test_demo_volunteer.py records part of the year both ways and compares.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import (
    Activity,
    Attendance,
    AuditEntry,
    Base,
    Building,
    Household,
    PointEntry,
    PointMonth,
    PointReview,
    Resident,
    TeamMember,
    Unit,
    VolunteerTeam,
)
from station import audit, points, settings, volunteer
from station.compound import address
from station.demo_points import demo_accounts
from station.validation import clean, clean_text
from station.volunteer import ActivityInput

# Gregorian dates of 春节, 元宵, 端午, 中秋 and 重阳 (lunar festivals move every year).
LUNAR_FESTIVALS = {
    2024: ("02-10", "02-24", "06-10", "09-17", "10-11"),
    2025: ("01-29", "02-12", "05-31", "10-06", "10-29"),
    2026: ("02-17", "03-03", "06-19", "09-25", "10-18"),
    2027: ("02-06", "02-20", "06-09", "09-15", "10-08"),
    2028: ("01-26", "02-09", "05-28", "10-03", "10-26"),
    2029: ("02-13", "02-27", "06-16", "09-22", "10-16"),
    2030: ("02-03", "02-17", "06-05", "09-12", "10-05"),
}
_ROUGH_FESTIVALS = ("02-10", "02-24", "06-10", "09-20", "10-15")

PARTY_TEAM = "红色志愿服务队（党员）"
CLEAN_TEAM = "“管得宽”环境卫生志愿队"
PATROL_TEAM = "平安巡逻队"
CARE_TEAM = "邻里关爱服务队"
PUBLICITY_TEAM = "政策宣传队"
ARTS_TEAM = "文体队"
TEAM_NOTES = {
    PARTY_TEAM: "党员“双报到”：在职党员到小区报到，亮身份、领岗位，带头参加志愿服务",
    CLEAN_TEAM: "每周五大扫除；清理绿化带白色垃圾、楼道牛皮癣，劝导楼道堆物",
    PATROL_TEAM: "晚间和节假日巡逻，排查电动车入楼、飞线充电、消防通道堵塞",
    CARE_TEAM: "结对走访独居老人、困难群体；每月便民服务日",
    PUBLICITY_TEAM: "在广场、楼栋和微信群宣传反诈、医保、垃圾分类等政策",
    ARTS_TEAM: "书香阅读、广场舞排练、节日文艺演出",
}

CLEAN_UPS = (("清理绿化带白色垃圾", "小区中心花园及绿化带"), ("清理楼道牛皮癣", "各楼栋楼道"),
             ("楼道堆物清理", "各楼栋楼道"), ("清扫北门停车场", "北门停车场"), ("清理地下车库", "地下车库"))
PARTY_DAYS = (("清理楼道小广告", "环境整治"), ("排查电动车飞线充电", "安全巡逻"),
              ("帮助老人学用智能手机", "便民服务"), ("清理绿化带白色垃圾", "环境整治"), ("义务修理小家电", "便民服务"))
PUBLICITY = {1: "春节前燃气安全宣传", 2: "电动自行车安全充电宣传", 3: "“3·15”消费维权宣传", 4: "反诈宣传进楼栋",
             5: "垃圾分类宣传", 6: "防汛防溺水安全宣传", 7: "反诈宣传：识别刷单返利诈骗", 8: "夏季用电安全宣传",
             9: "城乡居民医保缴费政策宣传", 10: "医保政策宣讲：城乡居民医保缴费", 11: "反诈宣传：防范养老诈骗",
             12: "城乡居民医保缴费提醒"}
TALKS = {1: ("健康知识讲座：冬季心脑血管疾病预防", "便民服务"), 2: ("智能手机使用课堂", "便民服务"),
         3: ("法律知识讲座：赡养与遗嘱", "政策宣传"), 4: ("急救知识讲座：心肺复苏和AED使用", "便民服务"),
         5: ("家庭教育讲座", "政策宣传"), 6: ("夏季食品安全讲座", "便民服务"), 7: ("老年人防跌倒讲座", "便民服务"),
         8: ("心理健康讲座", "便民服务"), 9: ("医保政策讲座：异地就医备案", "政策宣传"),
         10: ("中医养生讲座", "便民服务"), 11: ("防范电信网络诈骗讲座", "政策宣传"), 12: ("消防安全知识讲座", "政策宣传")}
VISIT_NOTES = ("了解生活情况，帮忙打扫卫生", "量血压，提醒按时服药", "送米面油，聊家常", "检查燃气、用电安全",
               "帮忙代缴水电费", "陪同聊天，老人精神状态良好", "了解就医需求，联系社区医生", "送去慰问品")
SHORT_REASONS = ("提前离开", "中途到场", "临时有事，只参加了前半程")
RAIN = "下雨改期"


@dataclass(frozen=True)
class Person:
    """A resident as the planner sees them."""

    id: int
    household_id: int
    name: str
    gender: str
    age: int
    party: str
    roles: str
    care_tags: str
    building: str
    address: str
    moved_in_on: dt.date | None
    moved_out_on: dt.date | None

    def here_on(self, day: dt.date) -> bool:
        """Living in the compound on ``day`` (the services refuse anyone moved out by then)."""
        return (self.moved_out_on is None or self.moved_out_on > day) and (
            self.moved_in_on is None or self.moved_in_on <= day)

    @property
    def working(self) -> bool:
        """At work on weekday daytimes: 在职党员 and most people under 55."""
        return self.party == "在职党员" or self.age < 55


@dataclass
class Member:
    resident_id: int
    joined_on: dt.date
    zeal: float  # how often they come


@dataclass
class Team:
    id: int
    name: str
    leader_id: int
    members: list[Member]


@dataclass(frozen=True)
class Service:
    """One person's hours at an activity: signed in and out at the desk, or entered afterwards (补录)."""

    resident_id: int
    signed_in: dt.datetime | None = None
    signed_out: dt.datetime | None = None
    hours: str = ""  # "" for the activity's own length
    reason: str = ""


@dataclass
class Planned:
    """An activity of the year, with who served and how their hours were taken."""

    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = ""
    organiser: str = ""
    team_id: int | None = None
    planned: int | None = None
    description: str = ""
    points_cap: int | None = None
    visited_id: int | None = None
    desk: bool = False  # signed in and out at the desk; else hours entered afterwards
    people: list[Service] = field(default_factory=list)
    cancel_reason: str = ""
    staff_id: int = 0
    created_at: dt.datetime = dt.datetime(2000, 1, 1)
    logged_at: dt.datetime = dt.datetime(2000, 1, 1)  # when hours entered afterwards were entered

    @property
    def minutes(self) -> int:
        return volunteer.minutes_between(self.starts_at, self.ends_at)


def _people(session: Session, today: dt.date) -> dict[int, Person]:
    rows = session.execute(
        select(Resident.id, Resident.household_id, Resident.name, Resident.gender, Resident.birth_date,
               Resident.party_category, Resident.roles, Resident.care_tags, Resident.moved_in_on,
               Resident.moved_out_on, Building.number, Unit.number, Household.room)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id).order_by(Resident.id))
    found = {}
    for rid, hid, name, gender, birth, party, roles, tags, moved_in, moved_out, b, u, room in rows:
        age = (today - birth).days // 365 if birth else 40
        found[rid] = Person(rid, hid, name, gender, age, party or "", roles, tags, b, address(b, u, room),
                            moved_in, moved_out)
    return found


def _weighted_sample(rng: random.Random, weights: dict[int, float], count: int) -> list[int]:
    """``count`` ids drawn without replacement, likelier the heavier (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1 / w), rid) for rid, w in weights.items() if w > 0), reverse=True)
    return [rid for _key, rid in keyed[:count]]


def _fit(team: str, p: Person) -> float:
    """How likely a resident is to join a team."""
    roles = 2.0 if p.roles else 0.0
    if team == CLEAN_TEAM:
        return (3.0 if 50 <= p.age <= 78 else 1.0) + roles
    if team == PATROL_TEAM:
        return (3.0 if p.gender == "男" and 35 <= p.age <= 70 else 0.4) + ("网格员" in p.roles or "楼栋长" in p.roles) * 2
    if team == CARE_TEAM:
        return (3.0 if p.gender == "女" and 40 <= p.age <= 72 else 0.8) + (1.0 if p.party else 0.0) + roles / 2
    if team == PUBLICITY_TEAM:
        return (2.0 if 25 <= p.age <= 65 else 0.5) + (3.0 if "网格员" in p.roles else 0.0) + (1.0 if p.party else 0.0)
    return 3.0 if p.gender == "女" and 45 <= p.age <= 75 else 0.7  # 文体队


def _make_teams(session: Session, admin_id: int, rng: random.Random, people: dict[int, Person], first: dt.date,
                today: dt.date) -> dict[str, Team]:
    """The six teams: created and given a leader through the services, members joined on their days."""
    living = [p for p in people.values() if p.moved_out_on is None and 18 <= p.age <= 80]
    party = [p for p in living if p.party]
    leaders: set[int] = set()
    teams: dict[str, Team] = {}
    for name, note in TEAM_NOTES.items():
        if name == PARTY_TEAM:
            # Every party member living here, 在职党员 (双报到) first; 楼栋长 and 单元长 make up a small team.
            chosen = [p.id for p in sorted(party, key=lambda p: (p.party != "在职党员", rng.random()))][:40]
            if len(chosen) < 8:
                extra = {p.id: 1.0 for p in living if p.roles and p.id not in chosen}
                extra = extra or {p.id: 1.0 for p in living if p.id not in chosen}
                chosen += _weighted_sample(rng, extra, 8 - len(chosen))
        else:
            share = {CLEAN_TEAM: 0.04, PATROL_TEAM: 0.03, CARE_TEAM: 0.035, PUBLICITY_TEAM: 0.025}.get(name, 0.03)
            size = max(8, min(40, round(len(living) * share)))
            chosen = _weighted_sample(rng, {p.id: _fit(name, p) for p in living}, size)

        def standing(rid: int) -> tuple[int, float]:
            p = people[rid]
            return (2 * bool(p.party) + 2 * ("楼栋长" in p.roles) + ("单元长" in p.roles) + ("网格员" in p.roles)
                    + ("党员中心户" in p.roles), rng.random())

        leader = max((rid for rid in chosen if rid not in leaders), key=standing, default=chosen[0])
        leaders.add(leader)
        founded = first - dt.timedelta(days=rng.randrange(120, 700))
        members = []
        for rid in chosen:
            if rid == leader:
                joined = founded
            elif rng.random() < 0.8:
                joined = founded + dt.timedelta(days=rng.randrange(0, 90))
            else:  # new members during the year
                joined = min(first + dt.timedelta(days=rng.randrange(0, 300)), today - dt.timedelta(days=7))
            moved_in = people[rid].moved_in_on
            members.append(Member(rid, max(joined, moved_in) if moved_in else joined,
                                  0.97 if rid == leader else rng.choice((0.35, 0.55, 0.7, 0.85, 0.95))))
        team_id = volunteer.save_team(session, admin_id, name, None, note)
        team_name = str(session.scalar(select(VolunteerTeam.name).where(VolunteerTeam.id == team_id)))
        # What volunteer.join_team writes for each member, on the day they joined (in bulk: it is slow).
        in_order = sorted(members, key=lambda m: (m.joined_on, m.resident_id))
        session.execute(insert(TeamMember), [
            {"team_id": team_id, "resident_id": m.resident_id, "joined_on": m.joined_on, "left_on": None}
            for m in in_order])
        session.execute(insert(AuditEntry), [
            _audit_row(dt.datetime.combine(m.joined_on, dt.time(9)), admin_id, "join_team", "volunteer_team",
                       team_id, f"{people[m.resident_id].name}加入{team_name}") for m in in_order])
        volunteer.save_team(session, admin_id, name, leader, note, team_id=team_id)
        teams[name] = Team(team_id, name, leader, members)
    return teams


class Planner:
    """Plans the year's activities and who served at each (all the chance is here, none in the recording)."""

    def __init__(self, rng: random.Random, people: dict[int, Person], teams: dict[str, Team],
                 recorders: Sequence[int], first: dt.date, today: dt.date, now: dt.datetime,
                 visit_days: dict[str, int]) -> None:
        self.rng, self.people, self.teams, self.recorders = rng, people, teams, recorders
        self.visit_days = visit_days
        self.first, self.today, self.now = first, today, now
        self.adults = [p for p in people.values() if 18 <= p.age <= 78]
        # Residents in no team of the activity come along now and then, mostly the same willing few;
        # a bigger compound has more of them.
        self.helpers = rng.sample(self.adults, min(len(self.adults), max(10, len(self.adults) // 8)))
        self.scale = max(1.0, len(self.adults) / 600)

    # -------------------------------------------------------------- who comes

    def crew(self, team: str, day: dt.date, share: float = 1.0, daytime: bool = False) -> list[int]:
        """Team members who come on ``day`` (fewer working people on weekday daytimes)."""
        weekday_daytime = daytime and day.weekday() < 5
        came = []
        for member in self.teams[team].members:
            if member.joined_on > day or not self.people[member.resident_id].here_on(day):
                continue
            chance = member.zeal * share * (0.15 if weekday_daytime and self.people[member.resident_id].working
                                            else 1.0)
            if self.rng.random() < chance:
                came.append(member.resident_id)
        return came

    def others(self, day: dt.date, most: int, taken: Sequence[int]) -> list[int]:
        """A few residents besides the team: mostly the same willing helpers, now and then anyone."""
        count = self.rng.randint(0, max(0, round(most * self.scale)))
        crowd = self.helpers if self.rng.random() < 0.8 else self.adults
        pool = [p.id for p in self.rng.sample(crowd, min(len(crowd), count * 3 + 3))
                if p.here_on(day) and p.id not in taken]
        return pool[:count]

    def desk(self, plan: Planned, ids: Sequence[int]) -> None:
        """Sign-in and sign-out times at the desk: around the start and end, a few leaving early."""
        for rid in ids:
            came = plan.starts_at + dt.timedelta(minutes=self.rng.randint(-15, 10))
            if self.rng.random() < 0.1:
                left = came + dt.timedelta(minutes=max(20, int(plan.minutes * self.rng.uniform(0.4, 0.8))))
            else:
                left = plan.ends_at + dt.timedelta(minutes=self.rng.randint(-20, 10))
            plan.people.append(Service(rid, came, max(left, came + dt.timedelta(minutes=30))))

    def later(self, plan: Planned, ids: Sequence[int]) -> None:
        """Hours entered afterwards: the activity's length, a few shorter with a reason."""
        for rid in ids:
            if plan.minutes >= 90 and self.rng.random() < 0.08:
                minutes = plan.minutes - 30 * self.rng.randint(1, min(2, (plan.minutes - 60) // 30 + 1))
                plan.people.append(Service(rid, hours=volunteer.hours_text(minutes),
                                           reason=self.rng.choice(SHORT_REASONS)))
            else:
                plan.people.append(Service(rid))

    # -------------------------------------------------------------- what happens

    def activity(self, title: str, kind: str, day: dt.date, start: str, end: str, place: str,
                 team: str | None, planned: int | None, desk: bool, people: Sequence[int],
                 organiser: str = "", points_cap: int | None = None, description: str = "") -> Planned:
        starts, ends = volunteer.span(day, volunteer.parse_time(start, "start"), volunteer.parse_time(end, "end"))
        leader = self.people[self.teams[team].leader_id].name if team else ""
        plan = Planned(title, kind, starts, ends, place, organiser or leader, self.teams[team].id if team else None,
                       planned, description, points_cap, desk=desk, staff_id=self._recorder())
        plan.created_at = min(starts - dt.timedelta(days=self.rng.randint(2, 7), hours=self.rng.randint(0, 6)),
                              self.now)
        plan.logged_at = min(dt.datetime.combine(ends.date() + dt.timedelta(days=1), dt.time(9))
                             + dt.timedelta(minutes=self.rng.randrange(240)), self.now)
        unique = list(dict.fromkeys(people))
        (self.desk if desk else self.later)(plan, unique)
        return plan

    def _recorder(self) -> int:
        return self.recorders[1] if len(self.recorders) > 1 and self.rng.random() < 0.8 else self.recorders[0]

    def festivals(self, year: int) -> dict[dt.date, Callable[[dt.date], Planned]]:
        spring, lantern, dragon, moon, ninth = (dt.date.fromisoformat(f"{year}-{md}")
                                                for md in LUNAR_FESTIVALS.get(year, _ROUGH_FESTIVALS))
        may = dt.date(year, 5, 15)
        neighbours = may + dt.timedelta(days=(5 - may.weekday()) % 7)  # 幸福邻里节: third Saturday of May

        def big(title: str, kind: str, start: str, end: str, place: str, team: str, planned: int,
                share: float = 0.5, cap: int | None = None) -> Callable[[dt.date], Planned]:
            def make(day: dt.date) -> Planned:
                people = self.crew(team, day, 0.9, daytime=True)
                for other in self.teams:
                    if other != team:
                        people += self.crew(other, day, share * 0.4, daytime=True)
                people += self.others(day, 5, people)
                return self.activity(title, kind, day, start, end, place, team, planned, True, people,
                                     "社区党委、党群服务站", cap)
            return make

        def small(title: str, kind: str, start: str, end: str, place: str, team: str,
                  planned: int) -> Callable[[dt.date], Planned]:
            def make(day: dt.date) -> Planned:
                people = self.crew(team, day, 0.8, daytime=True) + self.others(day, 1, [])
                return self.activity(title, kind, day, start, end, place, team, planned, False, people)
            return make

        return {
            spring - dt.timedelta(days=7): big("迎新春写春联、送福字", "节庆活动", "09:00", "11:30", "党群服务站",
                                               ARTS_TEAM, 20),
            spring - dt.timedelta(days=1): small("除夕夜烟花爆竹安全巡逻", "安全巡逻", "20:00", "00:30",
                                                 "小区各楼栋及出入口", PATROL_TEAM, 8),
            lantern: big("元宵节猜灯谜、煮元宵", "节庆活动", "18:30", "20:30", "小区中心花园", ARTS_TEAM, 30),
            dt.date(year, 3, 5): big("学雷锋志愿服务日：义诊、义剪、家电维修", "便民服务", "08:30", "11:30",
                                     "小区中心花园", PARTY_TEAM, 25),
            dt.date(year, 4, 15): small("全民国家安全教育日宣传", "政策宣传", "09:00", "11:00", "3栋前广场",
                                        PUBLICITY_TEAM, 6),
            neighbours: big("幸福邻里节：邻里百家宴、跳蚤市场", "节庆活动", "09:00", "12:00", "小区中心花园",
                            PARTY_TEAM, 50, share=1.0, cap=3),
            dragon - dt.timedelta(days=1): big("端午节包粽子、送独居老人", "节庆活动", "09:00", "11:30",
                                               "党群服务站", CARE_TEAM, 20),
            dt.date(year, 6, 26): small("6·26国际禁毒日宣传", "政策宣传", "09:00", "11:00", "小区北门",
                                        PUBLICITY_TEAM, 6),
            dt.date(year, 7, 1): big("七一主题党日：重温入党誓词", "节庆活动", "09:00", "11:00", "党群服务站",
                                     PARTY_TEAM, 30, share=0.2),
            moon - dt.timedelta(days=1): big("中秋节“我们的节日”邻里联欢会", "节庆活动", "19:00", "21:00",
                                             "小区中心花园", ARTS_TEAM, 40, cap=2),
            ninth: big("重阳节敬老活动：为高龄老人送长寿面", "节庆活动", "09:00", "11:00", "党群服务站",
                       CARE_TEAM, 20),
            dt.date(year, 11, 9): small("119消防宣传：消防安全进楼栋", "政策宣传", "14:30", "16:30", "3栋前广场",
                                        PATROL_TEAM, 8),
            dt.date(year, 12, 4): small("12·4国家宪法日宣传", "政策宣传", "09:30", "11:30", "小区北门",
                                        PUBLICITY_TEAM, 6),
            dt.date(year, 12, 21): big("冬至包饺子、送温暖", "节庆活动", "09:00", "11:30", "党群服务站",
                                       CARE_TEAM, 20),
        }

    def day(self, day: dt.date, festival: Callable[[dt.date], Planned] | None) -> list[Planned]:
        """The regular activities of one day, and its festival."""
        rng, plans = self.rng, []
        weekday, week = day.weekday(), day.isocalendar()[1]
        if festival is not None:
            plans.append(festival(day))
        if weekday == 4:  # 每周五大扫除
            task, place = CLEAN_UPS[week % len(CLEAN_UPS)]
            start, end = ("07:30", "09:30") if 5 <= day.month <= 9 else ("08:30", "10:30")
            people = self.crew(CLEAN_TEAM, day, daytime=True) + self.crew(PARTY_TEAM, day, 0.25, daytime=True)
            people += self.others(day, 3, people)
            plans.append(self.activity(f"每周五大扫除：{task}", "环境整治", day, start, end, place, CLEAN_TEAM,
                                       len(self.teams[CLEAN_TEAM].members), True, people))
        if weekday == 1:
            people = self.crew(PATROL_TEAM, day, 0.45)
            plans.append(self.activity("晚间平安巡逻", "安全巡逻", day, "19:00", "21:00", "小区各楼栋、地下车库及出入口",
                                       PATROL_TEAM, 6, False, people))
        if weekday == 5 and week % 2 == 0:  # across midnight
            people = self.crew(PATROL_TEAM, day, 0.35) + self.crew(PARTY_TEAM, day, 0.06)
            plans.append(self.activity("夜间平安巡逻", "安全巡逻", day, "20:00", "00:30", "小区各楼栋及出入口",
                                       PATROL_TEAM, 6, False, people,
                                       description="重点查看电动车入楼、飞线充电和消防通道"))
        if weekday == 5 and 8 <= day.day <= 14:
            task, kind = PARTY_DAYS[day.month % len(PARTY_DAYS)]
            people = self.crew(PARTY_TEAM, day, 0.8) + self.others(day, 2, [])
            plans.append(self.activity(f"党员志愿服务日：{task}", kind, day, "09:00", "11:00", "党群服务站",
                                       PARTY_TEAM, 20, True, people))
        if weekday == 5 and 15 <= day.day <= 21 and festival is None:
            people = self.crew(CARE_TEAM, day, 0.7) + self.others(day, 2, [])
            plans.append(self.activity("便民服务日：义诊、义剪、磨剪刀", "便民服务", day, "09:00", "11:30",
                                       "小区中心花园", CARE_TEAM, 12, True, people))
        if weekday == 2 and 15 <= day.day <= 21:
            topic = PUBLICITY[day.month]
            place = rng.choice(("3栋前广场", "小区北门", "党群服务站门口"))
            people = self.crew(PUBLICITY_TEAM, day, 0.8, daytime=True) + self.crew(PARTY_TEAM, day, 0.15,
                                                                                     daytime=True)
            plans.append(self.activity(topic, "政策宣传", day, "14:30", "16:30", place, PUBLICITY_TEAM, 8, False,
                                       people, description="发放宣传册，现场解答居民问题"))
        if weekday == 3 and (day + dt.timedelta(days=7)).month != day.month:  # the month's last Thursday
            title, kind = TALKS[day.month]
            people = self.crew(PUBLICITY_TEAM, day, 0.3, daytime=True) + self.others(day, 1, [])
            plans.append(self.activity(title, kind, day, "09:30", "11:00", "党群服务站会议室", PUBLICITY_TEAM, 3,
                                       True, people, description="志愿者负责签到、引导和场地布置"))
        if weekday == 6 and day.day <= 7:
            people = self.crew(ARTS_TEAM, day, 0.6)
            plans.append(self.activity("书香阅读分享会", "文体活动", day, "15:00", "16:30", "党群服务站阅览室",
                                       ARTS_TEAM, 10, True, people))
        if weekday == 1 and 15 <= day.day <= 21:
            people = self.crew(ARTS_TEAM, day, 0.7)
            plans.append(self.activity("广场舞队排练", "文体活动", day, "19:30", "21:00", "健身广场", ARTS_TEAM, 15,
                                       False, people))
        return plans

    def visits(self, last: dt.date) -> list[Planned]:
        """Care visits (关爱走访) to everyone tagged, at the station's intervals; a few have fallen behind."""
        rng = self.rng
        intervals = self.visit_days
        cared = [p for p in self.people.values() if p.care_tags and p.moved_out_on is None]
        carers = self.teams[CARE_TEAM].members
        behind = set(rng.sample([p.id for p in cared], k=max(1, len(cared) // 4) if len(cared) >= 2 else 0))
        plans = []
        for person in cared:
            every = min(intervals[tag] for tag in person.care_tags.split(",") if tag in intervals)
            visitors = [m.resident_id for m in carers if self.people[m.resident_id].household_id != person.household_id]
            near = [rid for rid in visitors if self.people[rid].building == person.building]
            pair = rng.sample(near, min(2, len(near))) if len(near) >= 2 else rng.sample(visitors, 2)
            stop = last - dt.timedelta(days=every + rng.randint(2, 20)) if person.id in behind else last
            day = max(self.first, person.moved_in_on or self.first) + dt.timedelta(days=rng.randrange(every))
            while day <= stop:
                start = rng.choice(("09:00", "09:30", "10:00", "15:00", "15:30", "16:00"))
                length = rng.choice((30, 45, 60, 60, 60, 90))
                starts = dt.datetime.combine(day, volunteer.parse_time(start, "start"))
                ends = starts + dt.timedelta(minutes=length)
                came = [rid for rid in pair[:1 + (rng.random() < 0.5)] if self.people[rid].here_on(day)]
                if ends <= self.now and came:
                    plan = Planned(f"走访{person.name}", volunteer.CARE_VISIT, starts, ends, person.address,
                                   description=rng.choice(VISIT_NOTES), visited_id=person.id,
                                   staff_id=self._recorder(), people=[Service(rid) for rid in came])
                    plan.created_at = plan.logged_at = min(ends + dt.timedelta(hours=rng.randint(1, 30)), self.now)
                    plans.append(plan)
                day += dt.timedelta(days=every - rng.choice((0, 0, 0, 1)) * (1 if every < 14 else 3))
        return plans

    def year(self, last: dt.date) -> list[Planned]:
        """Every activity from ``first`` to ``last``, soonest first; two rained-off clean-ups moved a day."""
        festivals: dict[dt.date, Callable[[dt.date], Planned]] = {}
        for year in range(self.first.year, last.year + 1):
            festivals.update(self.festivals(year))
        plans: list[Planned] = []
        day = self.first
        while day <= last:
            plans += self.day(day, festivals.get(day))
            day += dt.timedelta(days=1)
        plans += self.visits(self.today)
        # Rained off (下雨改期): two clean-ups at least a month back, done the next day instead.
        rained = [p for p in plans if p.title.startswith("每周五大扫除")
                  and p.starts_at.date() < self.today - dt.timedelta(days=30)]
        summer = [p for p in rained if 6 <= p.starts_at.month <= 9] or rained
        for plan in self.rng.sample(summer, min(2, len(summer))):
            again = Planned(f"{plan.title}（周五下雨改期）", plan.kind, plan.starts_at + dt.timedelta(days=1),
                            plan.ends_at + dt.timedelta(days=1), plan.place, plan.organiser, plan.team_id,
                            plan.planned, plan.description, plan.points_cap, desk=True, staff_id=plan.staff_id,
                            created_at=plan.starts_at - dt.timedelta(hours=2), people=[
                                Service(s.resident_id, s.signed_in and s.signed_in + dt.timedelta(days=1),
                                        s.signed_out and s.signed_out + dt.timedelta(days=1))
                                for s in plan.people
                                if self.people[s.resident_id].here_on(plan.starts_at.date() + dt.timedelta(days=1))])
            plan.people, plan.cancel_reason = [], RAIN
            plans.append(again)
        return sorted(plans, key=lambda p: (p.starts_at, p.title))


# ------------------------------------------------------------------ recording


def _audit_row(at: dt.datetime, staff_id: int, action: str, entity: str, entity_id: int, summary: str,
               after: dict[str, Any] | None = None) -> dict[str, Any]:
    """An audit line as ``audit.record`` writes it."""
    return {"at": at, "staff_id": staff_id, "action": action, "entity": entity, "entity_id": entity_id,
            "summary": summary, "before": None,
            "after": None if after is None else json.dumps(after, ensure_ascii=False, default=str)}


class Replica:
    """Writes what the volunteer services write, row for row, as bulk inserts.

    Mirrors ``add_activity``, ``sign_in``, ``sign_out``, ``record_hours`` (so
    ``log_visit``) and, for the points, ``_award`` and ``points.record_points``
    with the monthly cap. Times are the plan's rather than the clock's.
    """

    def __init__(self, session: Session, people: dict[int, Person], today: dt.date) -> None:
        self.session, self.people, self.today = session, people, today
        self.rate: float = settings.get(session, settings.POINTS_PER_HOUR)
        self.rounding: str = settings.get(session, settings.ROUNDING)
        self.default_cap = int(settings.get(session, settings.ACTIVITY_CAP))
        self.item = volunteer.volunteer_item(session)
        self.closed = set(session.scalars(select(PointMonth.month)))
        self.used = self._used()
        self.activities: list[dict[str, Any]] = []
        self.attendances: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.next_activity = int(session.scalar(select(func.max(Activity.id))) or 0) + 1
        self.next_attendance = int(session.scalar(select(func.max(Attendance.id))) or 0) + 1
        self.next_entry = int(session.scalar(select(func.max(PointEntry.id))) or 0) + 1

    def _used(self) -> dict[tuple[int, str], int]:
        """Points of the item already given to each resident in each month, as ``points._cap_used`` counts them."""
        reversal, review = aliased(PointEntry), aliased(PointReview)
        reversed_ = (select(reversal.id).outerjoin(review, review.entry_id == reversal.id)
                     .where(reversal.reverses_id == PointEntry.id,
                            or_(review.decision.is_(None), review.decision != "rejected")).exists())
        rows = self.session.execute(
            select(PointEntry.resident_id, func.substr(PointEntry.deed_date, 1, 7), func.sum(func.abs(PointEntry.points)))
            .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
            .where(PointEntry.kind == "deed", PointEntry.item_id == self.item.id, PointEntry.resident_id.is_not(None),
                   or_(PointReview.decision.is_(None), PointReview.decision != "rejected"), ~reversed_)
            .group_by(PointEntry.resident_id, func.substr(PointEntry.deed_date, 1, 7)))
        return {(int(rid), str(month)): int(total) for rid, month, total in rows}

    def add(self, plan: Planned, now: dt.datetime) -> int:
        """The activity, and the hours of those who served (as far as ``now``)."""
        activity_id, self.next_activity = self.next_activity, self.next_activity + 1
        row = {"id": activity_id, "title": clean_text(plan.title), "kind": clean(plan.kind),
               "starts_at": plan.starts_at, "ends_at": plan.ends_at, "place": clean_text(plan.place)[:100],
               "organiser": clean(plan.organiser)[:50], "team_id": plan.team_id,
               "planned_headcount": plan.planned, "description": clean_text(plan.description),
               "points_cap": plan.points_cap, "visited_id": plan.visited_id, "cancelled": False,
               "created_by": plan.staff_id, "created_at": plan.created_at}
        self.activities.append(row)
        snapshot = {key: row[key] for key in ("title", "kind", "starts_at", "ends_at", "place", "organiser",
                                               "team_id", "planned_headcount", "points_cap", "visited_id")}
        self.audits.append(_audit_row(plan.created_at, plan.staff_id, "create", "activity", activity_id,
                                      f"新建活动：{row['title']}（{plan.starts_at:%Y-%m-%d %H:%M}）", snapshot))
        staff = plan.staff_id
        if plan.desk:
            signed = sorted((s for s in plan.people if s.signed_in is not None and s.signed_in <= now),
                            key=lambda s: (s.signed_in, s.resident_id))
            rows = {}
            for service in signed:
                assert service.signed_in is not None
                attendance = self._attendance(row, service.resident_id, staff, service.signed_in)
                attendance["signed_in_at"] = service.signed_in.replace(second=0, microsecond=0)
                rows[service.resident_id] = attendance
                self.audits.append(_audit_row(service.signed_in, staff, "sign_in", "attendance", attendance["id"],
                                              f"{self.people[service.resident_id].name}签到："
                                              f"{row['title']}（{attendance['signed_in_at']:%H:%M}）"))
            for service in sorted(signed, key=_out_order):
                if service.signed_out is None or service.signed_out > now:
                    continue
                attendance = rows[service.resident_id]
                out = service.signed_out.replace(second=0, microsecond=0)
                attendance["signed_out_at"] = out
                attendance["minutes"] = volunteer.minutes_between(max(attendance["signed_in_at"], plan.starts_at),
                                                                  min(out, plan.ends_at))
                attendance["entry_id"] = self._award(row, attendance, staff, service.signed_out)
                self.audits.append(_audit_row(service.signed_out, staff, "sign_out", "attendance", attendance["id"],
                                              f"签退：{row['title']}，{volunteer.hours_text(attendance['minutes'])}小时"))
        elif plan.ends_at <= now:
            for service in plan.people:
                minutes = volunteer.parse_hours(service.hours) if clean(service.hours) else plan.minutes
                reason = clean_text(service.reason)
                if minutes != plan.minutes and not reason:
                    raise ValueError("hours differing from the activity's need a reason")
                attendance = self._attendance(row, service.resident_id, staff, plan.logged_at)
                attendance["adjust_reason"] = reason
                attendance["minutes"] = minutes
                attendance["entry_id"] = self._award(row, attendance, staff, plan.logged_at)
                self.audits.append(_audit_row(
                    plan.logged_at, staff, "record_hours", "attendance", attendance["id"],
                    f"补录时长：{row['title']}，{volunteer.hours_text(minutes)}小时" + (f"（{reason}）" if reason else "")))
        return activity_id

    def _attendance(self, activity: dict[str, Any], resident_id: int, staff_id: int,
                    at: dt.datetime) -> dict[str, Any]:
        if not self.people[resident_id].here_on(activity["starts_at"].date()):
            raise ValueError("the services refuse anyone moved out")  # as _attendance_for does
        attendance = {"id": self.next_attendance, "activity_id": activity["id"], "resident_id": resident_id,
                      "signed_in_at": None, "signed_out_at": None, "minutes": 0, "adjust_reason": "",
                      "withdrawn": False, "entry_id": None, "recorded_by": staff_id, "recorded_at": at}
        self.next_attendance += 1
        self.attendances.append(attendance)
        return attendance

    def _award(self, activity: dict[str, Any], attendance: dict[str, Any], staff_id: int,
               at: dt.datetime) -> int | None:
        """``volunteer._award`` and ``points.record_points``: the pending entry the minutes earn, if any."""
        minutes = attendance["minutes"]
        if minutes <= 0:
            return None
        value = volunteer.points_for(minutes, self.rate, self.rounding, int(activity["points_cap"] or self.default_cap))
        if value <= 0:
            return None
        starts: dt.datetime = activity["starts_at"]
        day = starts.date()
        note = f"志愿服务：{activity['title']}（{starts:%Y-%m-%d}）{volunteer.hours_text(minutes)}小时"
        if points.month_of(day) in self.closed:
            note = f"{note}（原日期{day:%Y-%m-%d}所在月份已结账）"
            day = self.today
        person = self.people[attendance["resident_id"]]
        key = (person.id, points.month_of(day))
        if self.item.monthly_cap is not None:
            value = min(value, self.item.monthly_cap - self.used.get(key, 0))
        if value <= 0:
            return None
        self.used[key] = self.used.get(key, 0) + value
        entry_id, self.next_entry = self.next_entry, self.next_entry + 1
        note = clean_text(note)[:200]
        self.entries.append({"id": entry_id, "kind": "deed", "resident_id": person.id,
                             "household_id": person.household_id, "item_id": self.item.id, "points": value,
                             "deed_date": day, "note": note, "reverses_id": None, "recorded_by": staff_id,
                             "recorded_at": at})
        self.audits.append(_audit_row(at, staff_id, "create", "point_entry", entry_id,
                                      f"记分：{person.name} {self.item.name} {value:+d}分",
                                      {"resident_id": person.id, "item": self.item.name, "points": value,
                                       "deed_date": day, "note": note}))
        return entry_id

    def write(self) -> None:
        """Insert everything gathered (entries before the attendance that names them)."""
        for model, rows in ((Activity, self.activities), (PointEntry, self.entries), (Attendance, self.attendances),
                            (AuditEntry, self.audits)):
            if rows:  # Core's executemany: the ORM's bulk insert costs twice as much here
                self.session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)
            rows.clear()


def _out_order(service: Service) -> tuple[dt.datetime, int]:
    assert service.signed_out is not None
    return service.signed_out, service.resident_id


def through_services(session: Session, plan: Planned, now: dt.datetime, today: dt.date) -> int:
    """Record one planned activity the way the desk does, through the volunteer services."""
    staff = plan.staff_id
    day, start, end = f"{plan.starts_at:%Y-%m-%d}", f"{plan.starts_at:%H:%M}", f"{plan.ends_at:%H:%M}"
    if plan.visited_id is not None and plan.ends_at <= now:
        return volunteer.log_visit(session, staff, plan.visited_id, day, start, end,
                                   [s.resident_id for s in plan.people], plan.description, today)
    activity_id = volunteer.add_activity(session, staff, ActivityInput(
        plan.title, plan.kind, day, start, end, plan.place, plan.organiser, plan.team_id,
        str(plan.planned or ""), plan.description, str(plan.points_cap or ""), plan.visited_id))
    if plan.desk:
        signed = sorted((s for s in plan.people if s.signed_in is not None and s.signed_in <= now),
                        key=lambda s: (s.signed_in, s.resident_id))
        ids = {s.resident_id: volunteer.sign_in(session, staff, activity_id, s.resident_id, s.signed_in)
               for s in signed}
        for service in sorted(signed, key=_out_order):
            if service.signed_out is not None and service.signed_out <= now:
                volunteer.sign_out(session, staff, ids[service.resident_id], service.signed_out, today)
    elif plan.ends_at <= now:
        for service in plan.people:
            volunteer.record_hours(session, staff, activity_id, service.resident_id, service.hours, service.reason,
                                   today)
    return activity_id


def demo_now(today: dt.date) -> dt.datetime:
    """The demo's present: the clock's time, but never after ``today``."""
    return min(dt.datetime.now().replace(second=0, microsecond=0), dt.datetime.combine(today, dt.time(23, 59)))


def generate_volunteering(session: Session, admin_id: int, today: dt.date, now: dt.datetime | None = None,
                          seed: int = 2026, services_from: dt.datetime | None = None) -> tuple[int, int]:
    """Teams, a year of activities up to ``now`` and two weeks ahead, attendance and care visits.

    Every hour earns its points as the services give them (pending, within the
    monthly cap), so this runs before any month is closed or reviewed.
    Activities starting from ``services_from`` (default: a day before ``now``)
    and all upcoming ones go through the services; earlier ones are replicated
    in bulk. Returns (activities, attendance rows).
    """
    now = now or demo_now(today)
    services_from = services_from or now - dt.timedelta(days=1)
    rng = random.Random(seed)
    recorders, _auditors = demo_accounts(session, admin_id)
    people = _people(session, today)
    first = today - dt.timedelta(days=364)
    teams = _make_teams(session, admin_id, rng, people, first, today)
    planner = Planner(rng, people, teams, recorders, first, today, now,
                      settings.get(session, settings.VISIT_DAYS))
    last = today + dt.timedelta(days=14)
    plans = [p for p in planner.year(last)
             if not (p.title.startswith("每周五大扫除：") and p.starts_at > now)]  # copied forward below
    replica = Replica(session, people, today)
    split = next((i for i, plan in enumerate(plans) if plan.starts_at >= services_from or plan.ends_at > now),
                 len(plans))
    made = [replica.add(plan, now) for plan in plans[:split]]
    replica.write()
    made += [through_services(session, plan, now, today) for plan in plans[split:]]
    for plan, activity_id in zip(plans, made):
        if plan.cancel_reason:
            volunteer.cancel_activity(session, plan.staff_id, activity_id, plan.cancel_reason, today)
    # The coming Fridays' clean-ups: the latest one copied forward (复制), as the desk does each week.
    latest = max(((p, a) for p, a in zip(plans, made) if p.title.startswith("每周五大扫除：") and not p.cancel_reason),
                 key=lambda pair: pair[0].starts_at, default=None)
    if latest is not None:
        source, source_id = latest
        weeks = (last - source.starts_at.date()).days // 7
        if weeks:
            volunteer.copy_forward(session, source.staff_id, source_id, 1, weeks)
    # An upcoming patrol was called off for the weather forecast.
    upcoming = [(p, a) for p, a in zip(plans, made) if p.starts_at > now + dt.timedelta(days=2)
                and p.kind == "安全巡逻"]
    if upcoming:
        plan, activity_id = upcoming[-1]
        volunteer.cancel_activity(session, plan.staff_id, activity_id, "天气预报有大雨，改期另行通知", today)
    attended = session.scalar(select(func.count()).select_from(Attendance)) or 0
    count = session.scalar(select(func.count()).select_from(Activity)) or 0
    audit.record(session, admin_id, "demo", "activity", None,
                 f"示例志愿服务：{len(teams)}支服务队、{count}次活动、{attended}人次")
    return int(count), int(attended)


def generate_corrections(session: Session, admin_id: int, today: dt.date, seed: int = 2026) -> int:
    """After the months are closed: hours corrected (调整时长) and a wrong sign-in taken back (撤销签到).

    Through the services, so the reversals and new entries wait in the open month. Returns how many.
    """
    rng = random.Random(seed)
    recorders, _auditors = demo_accounts(session, admin_id)
    clerk = recorders[-1]
    month_start = today.replace(day=1)
    last_month = points.month_of(month_start - dt.timedelta(days=1))
    first, last = points.month_bounds(last_month)
    approved = session.scalars(
        select(Attendance.id).join(Activity, Activity.id == Attendance.activity_id)
        .join(PointReview, PointReview.entry_id == Attendance.entry_id)
        .where(Activity.kind == "安全巡逻", Attendance.signed_in_at.is_(None), Attendance.withdrawn.is_(False),
               Attendance.minutes == 120, PointReview.decision == "approved",
               and_(Activity.starts_at >= dt.datetime.combine(first, dt.time()),
                    Activity.starts_at <= dt.datetime.combine(last, dt.time.max)))
        .order_by(Attendance.id)).all()
    done = 0
    for attendance_id in rng.sample(list(approved), min(2, len(approved))):
        volunteer.adjust_hours(session, clerk, attendance_id, "1.5", "中途有事提前离开，按实际时长更正", today)
        done += 1
    this_month = session.scalars(
        select(Attendance.id).join(Activity, Activity.id == Attendance.activity_id)
        .outerjoin(PointReview, PointReview.entry_id == Attendance.entry_id)
        .where(Attendance.entry_id.is_not(None), Attendance.withdrawn.is_(False),
               or_(PointReview.decision.is_(None), PointReview.decision != "rejected"),
               Activity.starts_at >= dt.datetime.combine(month_start, dt.time()),
               Activity.kind != volunteer.CARE_VISIT)
        .order_by(Attendance.id)).all()
    if this_month:
        volunteer.withdraw(session, clerk, rng.choice(list(this_month)), "签到时选错了人（同名居民）", today)
        done += 1
    return done

