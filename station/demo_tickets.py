"""A year of 问题工单 for the demo compound, written through the ticket services moment by moment.

Nearly every day the desk takes a report or two — at the desk, by phone, from the
12345 hotline — in every category. Some are settled on the spot, most are handled
or handed to the property company or another department and done, mostly within
their time limit; done ones are visited (回访) a few days later, a few residents
are not satisfied and the ticket is opened again. Two months ago a 安全隐患拉网式排查
went through every building and its findings became tickets; resolutions of the
round-table meetings were turned into tickets too. The latest weeks leave some open,
a few past their limit, and some 回访 due.
"""

from __future__ import annotations

import datetime as dt
import functools
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Building, Decision, Household, Matter, Meeting, Resident, Unit
from station import settings, tickets
from station.demo_calendar import Calendar
from station.demo_points import demo_months
from station.errors import ValidationError
from station.tickets import TicketInput

# category -> [(title with {b} building and {u} unit, where: "unit" / "building" / "public", result)]
TEMPLATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "环境卫生": (("{b}栋{u}单元楼道堆放杂物", "unit", "已清理杂物，楼道畅通"),
              ("垃圾分类投放点垃圾满溢", "public", "物业已加派清运，每日两次"),
              ("{b}栋门前绿化带有垃圾", "building", "志愿者已清理")),
    "停车秩序": (("消防通道有车辆停放", "public", "已联系车主挪车，施划禁停线"),
              ("{b}栋门口车辆乱停", "building", "已劝导挪车")),
    "安全隐患": (("{b}栋{u}单元楼道电动车充电", "unit", "已劝导移至充电棚，拆除飞线"),
              ("{b}栋外墙瓷砖松动", "building", "物业已设置警示并修复"),
              ("小区井盖破损", "public", "已更换井盖")),
    "设施维修": (("{b}栋{u}单元楼道灯不亮", "unit", "已更换声控灯"),
              ("{b}栋{u}单元门禁损坏", "unit", "已更换门禁"),
              ("小区路灯不亮", "public", "已更换路灯"),
              ("{b}栋水管漏水", "building", "已维修水管")),
    "矛盾纠纷": (("{b}栋楼上漏水引发邻里纠纷", "building", "调解后双方同意维修并分担费用"),
              ("{b}栋装修噪音扰民", "building", "约谈装修户，限定施工时间"),
              ("{b}栋宠物狗夜间扰民", "building", "养犬户已整改")),
    "物业服务": (("{b}栋电梯经常停运", "building", "物业已联系维保单位检修"),
              ("{b}栋保洁不到位", "building", "物业已整改并加强巡查")),
    "困难帮扶": (("{b}栋独居老人需要帮助就医", "building", "志愿者陪同就医"),
              ("{b}栋困难户申请临时救助", "building", "已协助向社区申请临时救助")),
    "其他": (("快递在门口乱堆放", "public", "已设置快递临时存放点"),
           ("小区广场舞音响声音过大", "public", "协商调小音量、限定时间")),
}
PUBLIC_PLACES = ("北门停车场", "中心花园", "南门", "小区主干道", "垃圾分类投放点")
SOURCES = (("居民来访", 0.45), ("电话反映", 0.3), ("12345转办", 0.25))
HAND_TO = {"物业服务": "物业公司", "设施维修": "物业公司", "环境卫生": "物业公司", "停车秩序": "物业公司",
           "安全隐患": "物业公司", "困难帮扶": "社区居委会", "矛盾纠纷": "社区居委会", "其他": "物业公司"}
STAFF_AT = dt.time(9, 0)


def generate_tickets(session: Session, staff_id: int, today: dt.date, now: dt.datetime | None = None,
                     seed: int = 2026) -> int:
    """A year of tickets up to ``now`` (today at the desk's hour by default); returns how many were opened."""
    now = now or dt.datetime.combine(today, dt.time(10, 0))
    rng = random.Random(seed)
    people = session.execute(
        select(Resident.id, Building.id, Building.number, Unit.id, Unit.number, Resident.moved_in_on)
        .join(Household, Household.id == Resident.household_id).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(Resident.moved_out_on.is_(None), Resident.birth_date < dt.date(2008, 1, 1)).order_by(Resident.id)).all()
    if not people:
        return 0
    calendar = Calendar()
    opened: list[int] = []
    follow_days = 7

    def later(moment: dt.datetime, hours: float) -> dt.datetime:
        return (moment + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)

    def step(when: dt.datetime, action: functools.partial[None]) -> None:
        if when <= now:
            calendar.on(when, action)

    def carry_on(ticket_id: int, category: str, accepted: dt.datetime, result: str) -> None:
        """Plan what happens to a ticket after it is taken: settled, handled or handed on; done; visited."""
        limit = 24 * settings.DEFAULT_TICKET_DAYS.get(category, 7)
        roll = rng.random()
        if accepted > now - dt.timedelta(days=20) and rng.random() < 0.4:
            # the latest weeks: still being worked on, some already past their time limit
            if roll < 0.5:
                first = later(accepted, rng.uniform(1, 20))
                step(first, functools.partial(tickets.start, session, staff_id, ticket_id, at=first))
            elif roll < 0.8:
                first = later(accepted, rng.uniform(1, 20))
                step(first, functools.partial(tickets.hand_over, session, staff_id, ticket_id, HAND_TO[category],
                                              "请按时限办理并回复服务站", at=first))
            return
        if roll < 0.3:
            done = later(accepted, rng.uniform(0.5, 4))
            step(done, functools.partial(tickets.settle_on_spot, session, staff_id, ticket_id, result, at=done))
        else:
            first = later(accepted, rng.uniform(1, 20))
            if roll < 0.7:
                step(first, functools.partial(tickets.start, session, staff_id, ticket_id, at=first))
            else:
                step(first, functools.partial(tickets.hand_over, session, staff_id, ticket_id, HAND_TO[category],
                                              "请按时限办理并回复服务站", at=first))
            done = later(accepted, limit * rng.choice((0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.3)))
            done = max(done, later(first, 1))
            step(done, functools.partial(tickets.finish, session, staff_id, ticket_id, result, at=done))
        visit = later(done, 24 * rng.randint(2, follow_days + 2))
        if rng.random() < 0.97:
            rating = rng.choices(tickets.SATISFACTION, (0.7, 0.22, 0.08))[0]
            note = "居民反映问题没有彻底解决" if rating == tickets.UNSATISFIED else ""
            step(visit, functools.partial(tickets.follow_up, session, staff_id, ticket_id, rating, note, at=visit))
            if rating == tickets.UNSATISFIED:
                again = later(visit, 24 * rng.randint(1, 4))
                step(again, functools.partial(tickets.finish, session, staff_id, ticket_id, f"再次办理：{result}",
                                              at=again))
                visit_again = later(again, 24 * rng.randint(2, 5))
                step(visit_again, functools.partial(tickets.follow_up, session, staff_id, ticket_id, "满意",
                                                    at=visit_again))

    def take(when: dt.datetime, category: str, data: TicketInput, result: str) -> None:
        try:
            ticket_id = tickets.open_ticket(session, staff_id, data, now=when)
        except ValidationError:
            return  # a reporter who moved in later: that report was never made
        opened.append(ticket_id)
        carry_on(ticket_id, category, when, result)

    def report(when: dt.datetime) -> None:
        category = rng.choices(list(TEMPLATES), (14, 10, 12, 22, 10, 12, 8, 6))[0]
        title, where, result = rng.choice(TEMPLATES[category])
        reporter, building_id, building, unit_id, unit, moved_in = rng.choice(people)
        if moved_in is not None and moved_in > when.date():
            return
        source = rng.choices([s for s, _w in SOURCES], [w for _s, w in SOURCES])[0]
        data = TicketInput(title.format(b=building, u=unit), category, source,
                           "紧急" if category == "安全隐患" and rng.random() < 0.3 else "一般",
                           None if source == "12345转办" and rng.random() < 0.5 else reporter,
                           None if where == "public" else building_id, unit_id if where == "unit" else None,
                           rng.choice(PUBLIC_PLACES) if where == "public" else "", accepted_at=f"{when:%Y-%m-%d %H:%M}")
        take(when, category, data, result)

    first = dt.date.fromisoformat(f"{demo_months(today)[0]}-01")
    day = first
    while day <= today:
        for _n in range(rng.choices((0, 1, 2), (0.2, 0.55, 0.25))[0]):
            when = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 10, 20, 30, 40, 50))))
            if when <= now:
                calendar.on(when, functools.partial(report, when))
        day += dt.timedelta(days=1)

    # 点单: two months ago, every building gone through for safety hazards; findings become tickets.
    started = today - dt.timedelta(days=60)

    def inspection() -> None:
        round_id = tickets.start_round(session, staff_id, "安全隐患拉网式排查", f"{started:%Y-%m-%d}", today=started)
        for n, check in enumerate(tickets.checklist(session, round_id)):
            checked = started + dt.timedelta(days=n % 5)
            findings = rng.choice((0, 0, 1, 1, 2))
            note = "未发现隐患" if not findings else f"发现隐患{findings}处"
            tickets.check_building(session, staff_id, check.id, "楼栋长和网格员", note, f"{checked:%Y-%m-%d}",
                                   today=checked)
            for k in range(findings):
                title, where, result = rng.choice(TEMPLATES["安全隐患"][:2])
                unit = next((p for p in people if p[1] == check.building_id), None)
                moment = dt.datetime.combine(checked, dt.time(15, 10 * k))
                ticket_id = tickets.record_finding(session, staff_id, check.id, TicketInput(
                    title.format(b=check.building, u=unit[4] if unit else "1"), "安全隐患",
                    unit_id=unit[3] if unit and where == "unit" else None, accepted_at=f"{moment:%Y-%m-%d %H:%M}"),
                    now=moment)
                opened.append(ticket_id)
                carry_on(ticket_id, "安全隐患", moment, result)

    calendar.on(dt.datetime.combine(started, dt.time(8, 30)), inspection)

    # 合力办事: resolutions of the meetings carried out as tickets.
    decided = session.execute(
        select(Matter.id, Matter.title, Matter.category, Matter.building_id, Decision.responsible, Decision.recorded_at,
               Decision.meeting_id)
        .join(Decision, Decision.matter_id == Matter.id).where(Decision.passed.is_(True), Decision.responsible != "")
        .order_by(Decision.id)).all()
    for matter_id, title, category, building_id, responsible, _recorded, meeting_id in decided[-8:]:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            continue
        when = meeting.held_at + dt.timedelta(hours=14)
        kind = category if category in tickets.CATEGORIES else "其他"
        if when <= now:
            calendar.on(when, functools.partial(take, when, kind, TicketInput(
                f"议事决议：{title}"[:100], kind, tickets.FROM_MEETING, building_id=building_id,
                place="" if building_id else "全小区", accepted_at=f"{when:%Y-%m-%d %H:%M}", matter_id=matter_id,
                description=f"责任方：{responsible}"), "已按议事决议办理完毕"))
    calendar.run()
    return len(opened)
