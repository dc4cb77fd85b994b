"""Issue ticket services: every state change allowed or refused, reopening, overdue and 回访 due, on-time rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from db.engine import Database
from db.models import Building, Ticket
from station import compound, meetings, residents, settings, tickets
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.residents import ResidentInput
from station.tickets import TicketInput, TicketQuery

T0 = dt.datetime(2026, 1, 30, 9, 0)


@dataclass
class Desk:
    db: Database
    staff: int
    reporter: int
    building: int

    def open(self, title: str = "3栋门口路灯不亮", category: str = "设施维修", at: dt.datetime = T0,
             **more: object) -> int:
        with self.db.write() as session:
            return tickets.open_ticket(session, self.staff, TicketInput(
                title, category, reporter_id=self.reporter, building_id=self.building, **more),  # type: ignore[arg-type]
                now=at)

    def do(self, action: Callable[..., None], ticket: int, *args: object, at: dt.datetime | None = None) -> None:
        with self.db.write() as session:
            action(session, self.staff, ticket, *args, at=at or T0 + dt.timedelta(hours=1))

    def state(self, ticket: int) -> str:
        with self.db.read() as session:
            found = session.get(Ticket, ticket)
            assert found is not None
            return found.state


@pytest.fixture
def desk(database: Database, staff_id: int) -> Desk:
    with database.write() as session:
        household = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        reporter = residents.add_resident(session, staff_id, ResidentInput("张三明", household, "男", "1956-03-02",
                                                                           relation="户主"))
        building = session.scalar(select(Building.id))
    assert building is not None
    return Desk(database, staff_id, reporter, building)


def test_a_report_is_accepted_with_its_time_limit_and_first_history_line(desk: Desk) -> None:
    ticket = desk.open()
    with desk.db.read() as session:
        row = tickets.tickets(session, today=T0.date())[0]
        steps = tickets.history(session, ticket)
    assert (row.number, row.state, row.place, row.reporter) == (f"GD{ticket:06d}", "已受理", "3栋", "张三明")
    assert row.due_on == dt.date(2026, 2, 6)  # 设施维修: 7 days
    assert [(s.what, s.to_state, s.note) for s in steps] == [("受理", "已受理", "居民来访，反映人：张三明")]


@pytest.mark.parametrize(("data", "field"), [
    ({"title": ""}, "title"),
    ({"category": "天气"}, "category"),
    ({"source": "微信"}, "source"),
    ({"source": "议事决议"}, "source"),  # from a meeting, but which matter?
    ({"building_id": None}, "place"),  # nowhere
    ({"accepted_at": "2026-02-01 10:00"}, "accepted_at"),  # later than now
    ({"accepted_at": "2026-01-30 25:00"}, "accepted_at"),
])
def test_a_bad_report_is_refused_field_by_field(desk: Desk, data: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"title": "路灯不亮", "category": "设施维修", "building_id": desk.building, **data}
    with pytest.raises(ValidationError) as caught, desk.db.write() as session:
        tickets.open_ticket(session, desk.staff, TicketInput(**values), now=T0)  # type: ignore[arg-type]
    assert field in caught.value.errors
    with desk.db.read() as session:
        assert tickets.tickets(session) == []


def test_a_public_area_urgent_ticket_and_one_from_a_meeting(desk: Desk) -> None:
    with desk.db.write() as session:
        urgent = tickets.open_ticket(session, desk.staff, TicketInput("北门消防通道被堵", "安全隐患", "电话反映", "紧急",
                                                                      place="北门消防通道"), now=T0)
        matter = meetings.raise_matter(session, desk.staff, meetings.MatterInput("楼道杂物", desk.reporter),
                                       today=T0.date())
        from_meeting = tickets.open_ticket(session, desk.staff, TicketInput(
            "清理楼道杂物", "环境卫生", "议事决议", building_id=desk.building, matter_id=matter), now=T0)
        rows = {row.id: row for row in tickets.tickets(session, today=T0.date())}
    assert (rows[urgent].place, rows[urgent].due_on) == ("北门消防通道", dt.date(2026, 1, 31))
    assert rows[from_meeting].source == "议事决议"


# (action, its arguments) that moves a ticket into each state; and how each state is reached.
ACTIONS: dict[str, tuple[Callable[..., None], tuple[object, ...]]] = {
    "start": (tickets.start, ()),
    "on_spot": (tickets.settle_on_spot, ("当场协调解决",)),
    "hand_over": (tickets.hand_over, ("物业公司",)),
    "finish": (tickets.finish, ("已修好",)),
    "follow_up": (tickets.follow_up, ("满意",)),
    "reopen": (tickets.reopen, ("居民反映又坏了",)),
}
PATHS = {"已受理": (), "处理中": ("start",), "现场办结": ("on_spot",), "已转办": ("hand_over",),
         "已办结": ("start", "finish"), "已回访": ("on_spot", "follow_up")}
ALLOWED = {"start": {"已受理", "已转办"}, "on_spot": {"已受理", "处理中"}, "hand_over": {"已受理", "处理中"},
           "finish": {"处理中", "已转办"}, "follow_up": {"现场办结", "已办结"},
           "reopen": {"现场办结", "已办结", "已回访"}}
LANDS = {"start": "处理中", "on_spot": "现场办结", "hand_over": "已转办", "finish": "已办结", "follow_up": "已回访",
         "reopen": "处理中"}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", list(PATHS))
def test_every_state_change_is_allowed_or_refused(desk: Desk, state: str, action: str) -> None:
    ticket = desk.open()
    for hour, step in enumerate(PATHS[state], 1):
        function, args = ACTIONS[step]
        desk.do(function, ticket, *args, at=T0 + dt.timedelta(hours=hour))
    assert desk.state(ticket) == state
    with desk.db.read() as session:
        before = len(tickets.history(session, ticket))
    function, args = ACTIONS[action]
    if state in ALLOWED[action]:
        desk.do(function, ticket, *args, at=T0 + dt.timedelta(hours=5))
        assert desk.state(ticket) == LANDS[action]
        with desk.db.read() as session:
            assert len(tickets.history(session, ticket)) == before + 1
    else:
        with pytest.raises(ValidationError):
            desk.do(function, ticket, *args, at=T0 + dt.timedelta(hours=5))
        assert desk.state(ticket) == state
        with desk.db.read() as session:
            assert len(tickets.history(session, ticket)) == before


def test_reopening_keeps_the_history_and_an_unhappy_follow_up_reopens(desk: Desk) -> None:
    ticket = desk.open()
    desk.do(tickets.hand_over, ticket, "物业公司", "请三日内更换", at=T0 + dt.timedelta(hours=1))
    desk.do(tickets.finish, ticket, "物业已更换路灯", at=T0 + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="不满意时请写明"):
        desk.do(tickets.follow_up, ticket, "不满意", at=T0 + dt.timedelta(days=3))
    desk.do(tickets.follow_up, ticket, "不满意", "灯还是不亮", at=T0 + dt.timedelta(days=3))
    assert desk.state(ticket) == "处理中"
    with desk.db.read() as session:
        found = session.get(Ticket, ticket)
        assert found is not None and found.closed_at is None and found.handed_to == "物业公司"
    desk.do(tickets.finish, ticket, "更换了线路", at=T0 + dt.timedelta(days=4))
    desk.do(tickets.follow_up, ticket, "满意", at=T0 + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="早于上一步"):
        desk.do(tickets.reopen, ticket, "错了", at=T0 + dt.timedelta(days=1))
    desk.do(tickets.reopen, ticket, "误点了回访", at=T0 + dt.timedelta(days=6))
    with desk.db.read() as session:
        steps = [(s.what, s.to_state) for s in tickets.history(session, ticket)]
        found = session.get(Ticket, ticket)
        assert found is not None and found.satisfaction == ""
    assert steps == [("受理", "已受理"), ("转办", "已转办"), ("办结", "已办结"), ("回访", "处理中"), ("办结", "已办结"),
                     ("回访", "已回访"), ("重新办理", "处理中")]


def test_nothing_is_deleted_or_rewritten(desk: Desk) -> None:
    desk.open()
    for statement in ("DELETE FROM tickets", "DELETE FROM ticket_events", "UPDATE ticket_events SET note = 'x'"):
        with pytest.raises(DatabaseError), desk.db.write() as session:
            session.execute(text(statement))


def _counts(db: Database, day: dt.date) -> tickets.Counts:
    with db.read() as session:
        return tickets.counts(session, day)


def test_overdue_and_follow_ups_due_across_a_month_end(desk: Desk) -> None:
    late = desk.open("楼道垃圾", "环境卫生")  # 3 days from Jan 30: the last day is Feb 2
    assert (_counts(desk.db, dt.date(2026, 2, 2)).overdue, _counts(desk.db, dt.date(2026, 2, 3)).overdue) == (0, 1)
    settled = desk.open("楼道灯", "设施维修")
    desk.do(tickets.settle_on_spot, settled, "当场换了灯泡", at=dt.datetime(2026, 1, 31, 23, 30))
    # 回访 7 days after: due from Feb 7
    assert _counts(desk.db, dt.date(2026, 2, 6)).follow_up_due == 0
    assert _counts(desk.db, dt.date(2026, 2, 7)).follow_up_due == 1
    with desk.db.read() as session:
        row = tickets.tickets(session, TicketQuery(follow_up=True), today=dt.date(2026, 2, 7))
        overdue = tickets.tickets(session, TicketQuery(overdue=True), today=dt.date(2026, 2, 3))
    assert [(r.id, r.follow_up_on) for r in row] == [(settled, dt.date(2026, 2, 7))]
    assert [r.id for r in overdue] == [late]
    desk.do(tickets.follow_up, settled, "满意", at=dt.datetime(2026, 2, 7, 10, 0))
    assert _counts(desk.db, dt.date(2026, 2, 7)) == tickets.Counts(open=1, overdue=1, follow_up_due=0)


def test_the_time_limits_and_follow_up_days_are_settings(desk: Desk) -> None:
    with desk.db.write() as session:
        settings.put(session, desk.staff, settings.TICKET_DAYS, {**settings.DEFAULT_TICKET_DAYS, "设施维修": 2})
        settings.put(session, desk.staff, settings.FOLLOW_UP_DAYS, 3)
    ticket = desk.open()
    with desk.db.read() as session:
        assert tickets.tickets(session)[0].due_on == dt.date(2026, 2, 1)
    with pytest.raises(ValidationError), desk.db.write() as session:
        settings.put(session, desk.staff, settings.FOLLOW_UP_DAYS, 0)
    desk.do(tickets.settle_on_spot, ticket, "修好了", at=T0 + dt.timedelta(hours=2))
    assert _counts(desk.db, dt.date(2026, 2, 2)).follow_up_due == 1


def test_on_time_rate_counts_a_ticket_in_the_month_it_closed(desk: Desk) -> None:
    in_time = desk.open("甲", "环境卫生", at=dt.datetime(2026, 1, 28, 9, 0))  # last day Jan 31
    desk.do(tickets.settle_on_spot, in_time, "好了", at=dt.datetime(2026, 1, 31, 23, 50))
    late = desk.open("乙", "环境卫生", at=dt.datetime(2026, 1, 28, 9, 0))
    desk.do(tickets.start, late, at=dt.datetime(2026, 1, 29, 9, 0))
    desk.do(tickets.finish, late, "好了", at=dt.datetime(2026, 2, 1, 0, 10))  # a day late, in February
    still = desk.open("丙", "设施维修", at=dt.datetime(2026, 1, 29, 9, 0))
    desk.do(tickets.follow_up, in_time, "满意", at=dt.datetime(2026, 2, 3, 9, 0))
    with desk.db.read() as session:
        january = {f.category: f for f in tickets.month_figures(session, "2026-01")}
        february = {f.category: f for f in tickets.month_figures(session, "2026-02")}
    assert (january["环境卫生"].accepted, january["环境卫生"].closed, january["环境卫生"].on_time) == (2, 1, 1)
    assert january["合计"].open_at_end == 2 and january["合计"].on_time_rate == 1.0
    assert (february["环境卫生"].accepted, february["环境卫生"].closed, february["环境卫生"].on_time) == (0, 1, 0)
    assert february["合计"].on_time_rate == 0.0 and tickets.rate_text(february["合计"].on_time_rate) == "0.0%"
    assert (february["合计"].visited, february["合计"].satisfied, february["合计"].open_at_end) == (1, 1, 1)
    assert tickets.rate_text(january["停车秩序"].on_time_rate) == "—"  # nothing closed: no rate
    assert january["设施维修"].open_at_end == 1 and still


def test_an_inspection_round_checks_every_building_and_findings_become_tickets(desk: Desk) -> None:
    with desk.db.write() as session:
        compound.add_household(session, desk.staff, HouseholdInput("5", "1", "101"))
        round_id = tickets.start_round(session, desk.staff, "安全隐患拉网式排查", "2026-01-20", today=T0.date())
        checks = tickets.checklist(session, round_id)
        assert [c.building for c in checks] == ["3", "5"]
        tickets.check_building(session, desk.staff, checks[0].id, "楼栋长张三明", "楼道堆放电动车电池", "2026-01-21",
                               today=T0.date())
        finding = tickets.record_finding(session, desk.staff, checks[0].id, TicketInput(
            "楼道堆放电动车电池", "安全隐患"), now=T0)
    with desk.db.read() as session:
        row = tickets.tickets(session, ids=[finding])[0]
        summary = tickets.rounds(session)[0]
        checks = tickets.checklist(session, round_id)
    assert (row.source, row.place, row.category) == ("排查发现", "3栋", "安全隐患")
    assert (summary.title, summary.buildings, summary.checked, summary.findings, summary.open_findings) == (
        "2026年1月安全隐患拉网式排查", 2, 1, 1, 1)
    assert (checks[0].checked_by, checks[0].findings, checks[1].checked_on) == ("楼栋长张三明", 1, None)
    with pytest.raises(ValidationError, match="排查人"), desk.db.write() as session:
        tickets.check_building(session, desk.staff, checks[1].id, "", today=T0.date())


def test_search_by_number_reporter_or_words(desk: Desk) -> None:
    first, second = desk.open("路灯不亮"), desk.open("垃圾桶满了", "环境卫生")
    with desk.db.read() as session:
        def found(word: str) -> list[int]:
            return [r.id for r in tickets.tickets(session, TicketQuery(text=word), today=T0.date())]

        assert found(f"GD{first:06d}") == [first]
        assert set(found("张三明")) == {first, second}
        assert found("垃圾") == [second]


def test_a_past_month_s_figures_stay_as_printed_when_a_ticket_is_opened_again(desk: Desk) -> None:
    ticket = desk.open("楼道灯", "设施维修", at=dt.datetime(2026, 1, 10, 9, 0))  # last day Jan 17
    desk.do(tickets.settle_on_spot, ticket, "换了灯泡", at=dt.datetime(2026, 1, 10, 10, 0))

    def january() -> tickets.CategoryFigures:
        with desk.db.read() as session:
            return tickets.month_figures(session, "2026-01")[-1]

    printed = january()
    assert (printed.closed, printed.on_time, printed.open_at_end) == (1, 1, 0)
    desk.do(tickets.follow_up, ticket, "不满意", "灯又不亮了", at=dt.datetime(2026, 2, 3, 9, 0))
    assert january() == printed
    desk.do(tickets.finish, ticket, "更换了线路", at=dt.datetime(2026, 2, 5, 9, 0))
    with desk.db.read() as session:
        february = tickets.month_figures(session, "2026-02")[-1]
    assert (february.accepted, february.closed, february.on_time, february.open_at_end) == (0, 1, 0, 0)


def test_a_refused_step_says_what_can_be_done_instead(desk: Desk) -> None:
    ticket = desk.open()
    desk.do(tickets.hand_over, ticket, "物业公司")
    with pytest.raises(ValidationError) as caught:
        desk.do(tickets.hand_over, ticket, "业委会", at=T0 + dt.timedelta(hours=2))
    assert caught.value.message == f"工单GD{ticket:06d}现在是“已转办”，不能转办（现在可以：收回处理、办结）"
