"""Discussion meeting services: matters graded and escalated, meetings, attendance, votes and quorum, rolling forward."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from db.engine import Database
from db.models import Decision, Matter, MatterEvent
from station import compound, meetings, residents
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.meetings import DecisionInput, MatterInput, MeetingInput
from station.residents import ResidentInput

TODAY = dt.date(2026, 11, 20)


@dataclass
class Compound:
    db: Database
    staff: int
    zhang: int  # 张三明, a party member in 3-2-501
    li: int  # 李四, not a party member, in 3-2-502
    building: int  # 3栋
    rooms: dict[str, int]  # 3-2-501 … 3-2-510 -> household id

    def matter(self, title: str = "楼道堆放杂物", level: str = "邻里小事", raised_on: str = "2026-11-02",
               **more: object) -> int:
        with self.db.write() as session:
            return meetings.raise_matter(session, self.staff, MatterInput(title, self.li, raised_on=raised_on,
                                                                          level=level, **more), today=TODAY)

    def meeting(self, date: str = "2026-11-15", kind: str = "红六方圆桌会", quorum: str = "",
                rule: str | None = None) -> int:
        with self.db.write() as session:
            return meetings.save_meeting(session, self.staff, MeetingInput(
                kind, date, "19:00", place="党群服务站", host="王书记", vote_rule=rule or meetings.default_rule(kind),
                quorum=quorum), today=TODAY)

    def state(self, matter_id: int) -> tuple[str, str]:
        with self.db.read() as session:
            matter = session.get(Matter, matter_id)
            assert matter is not None
            return matter.level, matter.state


@pytest.fixture
def place(database: Database, staff_id: int) -> Compound:
    with database.write() as session:
        rooms = {f"3-2-{500 + n}": compound.add_household(session, staff_id, HouseholdInput("3", "2", str(500 + n)))
                 for n in range(1, 11)}
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", rooms["3-2-501"], "男", "1956-03-02", relation="户主", party_category="离退休党员"))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", rooms["3-2-502"], "男", "1970-01-01",
                                                                     relation="户主"))
        for name, code in zip("赵钱孙周吴郑王冯", list(rooms)[2:]):  # somebody lives in every room
            residents.add_resident(session, staff_id, ResidentInput(f"{name}秀英", rooms[code], "女", "1980-01-01",
                                                                    relation="户主"))
        building = session.scalar(select(compound.Building.id).where(compound.Building.number == "3"))
    assert building is not None
    return Compound(database, staff_id, zhang, li, building, rooms)


# ------------------------------------------------------------------ matters


def test_a_matter_is_raised_waiting_with_its_first_history_line(place: Compound) -> None:
    matter = place.matter(building_id=place.building, category="环境卫生")
    assert place.state(matter) == ("邻里小事", "待议")
    with place.db.read() as session:
        row = meetings.matters(session, today=TODAY)[0]
        assert (row.title, row.place, row.raiser, row.lead) == ("楼道堆放杂物", "3栋", "李四", "党员牵头议")
        assert [(e.what, e.state, e.note) for e in meetings.history(session, matter)] == [
            ("提出", "待议", "居民提事：李四")]


@pytest.mark.parametrize(("changes", "errors"), [
    ({"title": " "}, {"title"}),
    ({"raised_by": None}, {"raised_by"}),
    ({"source": "党员问事"}, {"source"}),  # 李四 is not a party member
    ({"level": "大事"}, {"level"}),
    ({"category": "天气"}, {"category"}),
    ({"raised_on": "2027-01-01"}, {"raised_on"}),
    ({"unit_id": 999}, {"place"}),
])
def test_a_matter_with_bad_input_is_refused_field_by_field(place: Compound, changes: dict[str, object],
                                                            errors: set[str]) -> None:
    data = MatterInput("楼道堆放杂物", place.li, building_id=place.building)
    for key, value in changes.items():
        setattr(data, key, value)
    with pytest.raises(ValidationError) as caught, place.db.write() as session:
        meetings.raise_matter(session, place.staff, data, today=TODAY)
    assert set(caught.value.errors) == errors
    with place.db.read() as session:
        assert meetings.matters(session) == []


def test_a_party_member_raises_a_question(place: Compound) -> None:
    with place.db.write() as session:
        matter = meetings.raise_matter(session, place.staff, MatterInput("电动车入楼充电", place.zhang,
                                                                          source="党员问事"), today=TODAY)
    with place.db.read() as session:
        assert meetings.matters(session)[0].source == "党员问事"
        assert meetings.matters(session)[0].place == "全小区"
    assert place.state(matter)[1] == "待议"


def test_levels_go_up_and_down_with_reasons_and_escalation_keeps_date_and_whom(place: Compound) -> None:
    matter = place.matter()
    with place.db.write() as session:
        meetings.change_level(session, place.staff, matter, "单元琐事", "涉及整个单元", today=TODAY)
    with pytest.raises(ValidationError, match="原因"), place.db.write() as session:
        meetings.change_level(session, place.staff, matter, "小区公事", " ", today=TODAY)
    with pytest.raises(ValidationError, match="已经是"), place.db.write() as session:
        meetings.change_level(session, place.staff, matter, "单元琐事", "再改", today=TODAY)
    with pytest.raises(ValidationError, match="上报给谁"), place.db.write() as session:
        meetings.escalate(session, place.staff, matter, "", today=TODAY)
    with place.db.write() as session:
        meetings.escalate(session, place.staff, matter, "幸福社区党委", "2026-11-10", "需要住建部门协调", today=TODAY)
    assert place.state(matter) == ("复杂难事", "已上报")
    with pytest.raises(ValidationError, match="已经上报"), place.db.write() as session:
        meetings.escalate(session, place.staff, matter, "长安街道", today=TODAY)
    # the community sends it back to be settled in the compound
    with place.db.write() as session:
        meetings.change_level(session, place.staff, matter, "小区公事", "社区退回，由小区党支部组织议", today=TODAY)
    assert place.state(matter) == ("小区公事", "待议")
    with place.db.read() as session:
        steps = meetings.history(session, matter)
    assert [(s.what, s.level, s.state) for s in steps] == [
        ("提出", "邻里小事", "待议"), ("调整层级", "单元琐事", "待议"), ("上报提级", "复杂难事", "已上报"),
        ("调整层级", "小区公事", "待议")]
    assert (steps[2].to_whom, steps[2].on_date) == ("幸福社区党委", dt.date(2026, 11, 10))
    assert steps[1].note == "邻里小事 → 单元琐事：涉及整个单元"


def test_the_history_cannot_be_changed_or_deleted(place: Compound) -> None:
    place.matter()
    for statement in ("UPDATE matter_events SET note = 'x'", "DELETE FROM matter_events", "DELETE FROM matters"):
        with pytest.raises(DatabaseError), place.db.write() as session:
            session.execute(text(statement))


def test_finish_and_reopen(place: Compound) -> None:
    matter = place.matter()
    with pytest.raises(ValidationError, match="办理结果"), place.db.write() as session:
        meetings.finish(session, place.staff, matter, "", today=TODAY)
    with place.db.write() as session:
        meetings.finish(session, place.staff, matter, "党员上门协调，杂物已清理", today=TODAY)
    assert place.state(matter)[1] == "已办结"
    with pytest.raises(ValidationError, match="已经办结"), place.db.write() as session:
        meetings.escalate(session, place.staff, matter, "社区", today=TODAY)
    with place.db.write() as session:
        meetings.reopen(session, place.staff, matter, "居民反映又堆上了", today=TODAY)
    assert place.state(matter)[1] == "待议"


# ------------------------------------------------------------------ votes


@pytest.mark.parametrize(("rule", "votes_for", "present", "eligible", "quorum", "passed", "quorum_met"), [
    ("majority", 5, 10, None, None, False, True),  # exactly half is not a majority
    ("majority", 6, 10, None, None, True, True),
    ("majority", 4, 7, None, None, True, True),
    ("two_thirds", 6, 9, None, None, True, True),  # exactly two-thirds passes
    ("two_thirds", 5, 9, None, None, False, True),
    ("two_thirds", 7, 10, None, None, True, True),
    ("two_thirds", 6, 10, None, None, False, True),
    ("households", 50, 60, 100, None, False, True),  # half of all households is not enough
    ("households", 51, 60, 100, None, True, True),
    ("majority", 9, 9, None, 10, False, False),  # unanimous but short of the quorum
    ("majority", 6, 10, None, 10, True, True),  # exactly the quorum
    ("households", 60, 60, 100, 67, False, False),
])
def test_vote_rules_at_their_edges(rule: str, votes_for: int, present: int, eligible: int | None,
                                   quorum: int | None, passed: bool, quorum_met: bool) -> None:
    outcome = meetings.tally(rule, votes_for, present, eligible, quorum)
    assert (outcome.passed, outcome.quorum_met) == (passed, quorum_met)


def _decide(place: Compound, meeting: int, matter: int, **more: object) -> int:
    with place.db.write() as session:
        return meetings.record_decision(session, place.staff, DecisionInput(meeting, matter, **more),  # type: ignore[arg-type]
                                        today=TODAY)


def test_a_passed_vote_puts_the_matter_in_hand_and_a_failed_one_back_to_wait(place: Compound) -> None:
    matter, other = place.matter(), place.matter("小区停车位划线")
    meeting = place.meeting()
    with place.db.write() as session:
        assert meetings.add_to_agenda(session, place.staff, meeting, [matter, other]) == 2
    _decide(place, meeting, matter, resolution="物业公司本月底前清理", responsible="物业公司", deadline="2026-11-30",
            votes_for="7", votes_against="1", votes_abstain="1", present="9")
    _decide(place, meeting, other, resolution="暂缓划线", votes_for="4", votes_against="5", present="9")
    assert place.state(matter)[1] == "办理中"
    assert place.state(other)[1] == "待议"
    with place.db.read() as session:
        rows = {row.matter.title: row.decision for row in meetings.agenda(session, meeting, today=TODAY)}
    assert rows["楼道堆放杂物"] is not None and rows["楼道堆放杂物"].summary == (
        "到会9人，赞成7票、反对1票、弃权1票，通过（到会人数过半数同意）")
    assert rows["小区停车位划线"] is not None and rows["小区停车位划线"].result == "未通过"
    with place.db.read() as session:
        late = meetings.matters(session, today=dt.date(2026, 12, 1), state="办理中")
    assert [(row.title, row.overdue) for row in late] == [("楼道堆放杂物", True)]


def test_no_quorum_means_no_decision_and_the_matter_waits(place: Compound) -> None:
    matter = place.matter()
    meeting = place.meeting(quorum="7")
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
    _decide(place, meeting, matter, resolution="清理杂物", responsible="物业公司", votes_for="6", present="6")
    assert place.state(matter)[1] == "待议"
    with place.db.read() as session:
        decision = meetings.agenda(session, meeting)[0].decision
    assert decision is not None and decision.result == "到会6人，不足法定人数7人，表决无效"


@pytest.mark.parametrize(("more", "field"), [
    ({"resolution": ""}, "resolution"),
    ({"votes_for": "八"}, "votes_for"),
    ({"votes_for": "8", "votes_against": "3", "present": "10"}, "votes_for"),  # more votes than people
    ({"votes_for": "", "present": "10"}, "votes_for"),
    ({"deadline": "2026-11-01"}, "deadline"),  # before the meeting
])
def test_a_bad_vote_count_is_refused_and_changes_nothing(place: Compound, more: dict[str, str], field: str) -> None:
    matter = place.matter()
    meeting = place.meeting()
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
    values = {"resolution": "清理杂物", "votes_for": "6", "present": "9", **more}
    with pytest.raises(ValidationError) as caught:
        _decide(place, meeting, matter, **values)
    assert field in caught.value.errors
    assert place.state(matter)[1] == "待议"
    with place.db.read() as session:
        assert session.scalar(select(Decision.id)) is None


def test_present_defaults_to_who_signed_in_and_a_future_meeting_cannot_decide(place: Compound) -> None:
    matter = place.matter()
    meeting = place.meeting()
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
        meetings.add_resident_attendee(session, place.staff, meeting, place.zhang)
        meetings.add_resident_attendee(session, place.staff, meeting, place.li)
        meetings.add_party_attendee(session, place.staff, meeting, "物业公司", "王经理")
    with pytest.raises(ValidationError, match="已经登记"), place.db.write() as session:
        meetings.add_resident_attendee(session, place.staff, meeting, place.li)
    with pytest.raises(ValidationError, match="多于到会的3人"):
        _decide(place, meeting, matter, resolution="清理", votes_for="4")
    _decide(place, meeting, matter, resolution="清理", votes_for="2", votes_against="1")
    with place.db.read() as session:
        decision = meetings.agenda(session, meeting)[0].decision
        assert [a.name for a in meetings.attendees(session, meeting)] == ["张三明", "李四", "王经理"]
    assert decision is not None and (decision.present, decision.passed) == (3, True)
    later = place.meeting("2026-12-20")
    other = place.matter("路灯不亮")
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, later, [other])
    with pytest.raises(ValidationError, match="开过会才能"):
        _decide(place, later, other, resolution="修路灯", votes_for="2", present="3")


def test_a_household_vote_counts_rooms_once_each_against_every_household(place: Compound) -> None:
    matter = place.matter("3栋加装电梯", "小区公事", building_id=place.building, category="加装电梯")
    meeting = place.meeting(kind="业主大会")
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
    with pytest.raises(ValidationError, match="表决了不止一次"):
        _decide(place, meeting, matter, resolution="同意加装", by_household=True, rooms_for="3-2-501 3-2-502",
                rooms_against="3-2-0502")
    with pytest.raises(ValidationError, match="没有3-2-999这一户"):
        _decide(place, meeting, matter, resolution="同意加装", by_household=True, rooms_for="3-2-999")
    # five of ten households is half, not a majority
    _decide(place, meeting, matter, resolution="同意加装", by_household=True,
            rooms_for="3-2-501，3-2-502、3-2-503 3-2-504;3-2-505", rooms_against="3-2-506")
    assert place.state(matter)[1] == "待议"
    with place.db.read() as session:
        decision = meetings.agenda(session, meeting)[0].decision
        assert decision is not None
        assert decision.summary == ("应参加表决10户，实际表决6户，赞成5户、反对1户、弃权0户，未通过（全体住户过半数同意）")
        assert meetings.ballots(session, decision.id)["against"] == ["3-2-506"]
    # a corrected count (a ballot found later) is a new decision with a reason; the newest counts
    with pytest.raises(ValidationError) as caught:
        _decide(place, meeting, matter, resolution="同意加装", by_household=True,
                rooms_for="3-2-501 3-2-502 3-2-503 3-2-504 3-2-505 3-2-507", rooms_against="3-2-506")
    assert "correction" in caught.value.errors
    _decide(place, meeting, matter, resolution="同意加装", responsible="业委会", by_household=True,
            rooms_for="3-2-501 3-2-502 3-2-503 3-2-504 3-2-505 3-2-507", rooms_against="3-2-506",
            correction="补计3-2-507的书面表决票")
    assert place.state(matter)[1] == "办理中"
    with place.db.read() as session:
        decision = meetings.agenda(session, meeting)[0].decision
        assert decision is not None and (decision.votes_for, decision.passed) == (6, True)
        assert session.scalar(select(text("count(*)")).select_from(Decision)) == 2


def test_unresolved_matters_roll_to_the_next_meeting(place: Compound) -> None:
    failed, new, done = place.matter("停车位划线"), place.matter("路灯不亮", raised_on="2026-11-18"), place.matter()
    november = place.meeting("2026-11-15")
    with place.db.write() as session:
        assert meetings.roll_forward(session, place.staff, november) == 2  # 路灯不亮 was raised after the meeting
        meetings.finish(session, place.staff, done, "已清理", today=TODAY)
    _decide(place, november, failed, resolution="暂缓", votes_for="1", present="5")
    december = place.meeting("2026-12-15")
    with place.db.write() as session:
        assert meetings.roll_forward(session, place.staff, december) == 2
        assert meetings.roll_forward(session, place.staff, december) == 0  # nothing twice
    with place.db.read() as session:
        assert {row.matter.title for row in meetings.agenda(session, december)} == {"停车位划线", "路灯不亮"}
        kinds = {(e.matter_id, e.kind) for e in session.scalars(select(MatterEvent).where(
            MatterEvent.meeting_id == december))}
    assert kinds == {(failed, "rolled"), (new, "agenda")}


def test_agenda_refuses_settled_and_escalated_matters_and_withdrawal_needs_no_decision(place: Compound) -> None:
    done, up, open_matter = place.matter("甲"), place.matter("乙"), place.matter("丙")
    meeting = place.meeting()
    with place.db.write() as session:
        meetings.finish(session, place.staff, done, "已办", today=TODAY)
        meetings.escalate(session, place.staff, up, "幸福社区党委", today=TODAY)
    for matter, message in ((done, "已经办结"), (up, "已上报提级")):
        with pytest.raises(ValidationError, match=message), place.db.write() as session:
            meetings.add_to_agenda(session, place.staff, meeting, [matter])
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [open_matter])
    _decide(place, meeting, open_matter, resolution="同意", votes_for="3", present="3")
    with pytest.raises(ValidationError, match="已经形成决议"), place.db.write() as session:
        meetings.withdraw_from_agenda(session, place.staff, meeting, open_matter, "改期")
    with pytest.raises(ValidationError, match="已经形成决议"), place.db.write() as session:
        meetings.cancel_meeting(session, place.staff, meeting, "下雨")


def test_meeting_input_is_checked_and_the_rule_is_fixed_after_a_vote(place: Compound) -> None:
    with pytest.raises(ValidationError) as caught, place.db.write() as session:
        meetings.save_meeting(session, place.staff, MeetingInput("茶话会", "2026-13-01", "25:00", quorum="-1"),
                              today=TODAY)
    assert set(caught.value.errors) == {"kind", "date", "time", "quorum"}
    meeting = place.meeting()
    with place.db.read() as session:
        assert meetings.meeting(session, meeting).title == "2026年11月红六方圆桌会"
    matter = place.matter()
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
        meetings.save_minutes(session, place.staff, meeting, matter, "物业公司表示月底前清理。")
    _decide(place, meeting, matter, resolution="同意", votes_for="3", present="3")
    with pytest.raises(ValidationError, match="不能再改"), place.db.write() as session:
        meetings.save_meeting(session, place.staff, MeetingInput("红六方圆桌会", "2026-11-15", "19:00",
                                                                 vote_rule="two_thirds"), meeting, today=TODAY)
    with place.db.read() as session:
        assert meetings.agenda(session, meeting)[0].minutes == "物业公司表示月底前清理。"


def test_short_of_the_quorum_is_said_once_and_in_households_for_a_household_vote(place: Compound) -> None:
    lift = place.matter("3栋加装电梯", "小区公事", building_id=place.building, category="加装电梯")
    owners = place.meeting(kind="业主大会", quorum="8")
    round_table = place.meeting(quorum="7")
    other = place.matter("路灯不亮")
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, owners, [lift])
        meetings.add_to_agenda(session, place.staff, round_table, [other])
    _decide(place, owners, lift, resolution="同意加装", by_household=True,
            rooms_for="3-2-501 3-2-502 3-2-503 3-2-504 3-2-505 3-2-506")
    _decide(place, round_table, other, resolution="更换路灯", votes_for="6", present="6")
    with place.db.read() as session:
        household = meetings.agenda(session, owners)[0].decision
        paper = meetings.agenda(session, round_table)[0].decision
    assert household is not None and paper is not None
    assert household.result == "实际表决6户，不足法定人数8户，表决无效"
    assert household.summary == ("应参加表决10户，实际表决6户，赞成6户、反对0户、弃权0户，不足法定人数8户，表决无效"
                                 "（全体住户过半数同意）")
    assert paper.summary == "到会6人，赞成6票、反对0票、弃权0票，不足法定人数7人，表决无效（到会人数过半数同意）"


def test_a_matter_escalated_while_on_the_agenda_cannot_be_decided_there(place: Compound) -> None:
    matter = place.matter("小区周边道路积水")
    meeting = place.meeting()
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
        meetings.escalate(session, place.staff, matter, "幸福社区党委", today=TODAY)
    with pytest.raises(ValidationError, match="已经上报提级"):
        _decide(place, meeting, matter, resolution="物业公司疏通", responsible="物业公司", votes_for="3", present="3")
    assert place.state(matter) == ("复杂难事", "已上报")


def test_a_correction_that_fails_leaves_nobody_responsible(place: Compound) -> None:
    matter = place.matter()
    meeting = place.meeting()
    with place.db.write() as session:
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
    _decide(place, meeting, matter, resolution="物业公司清理", responsible="物业公司", deadline="2026-11-30",
            votes_for="5", present="9")
    assert place.state(matter)[1] == "办理中"
    _decide(place, meeting, matter, resolution="物业公司清理", responsible="物业公司", deadline="2026-11-30",
            votes_for="4", present="9", correction="重新清点，赞成只有4票")
    with place.db.read() as session:
        row = meetings.matters(session, ids=[matter], today=TODAY)[0]
    assert (row.state, row.responsible, row.deadline) == ("待议", "", None)
