"""The meeting's prints read back: the results notice masked, the minutes complete, the sign-in sheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from station import meetings, reports, residents
from station.errors import ValidationError
from station.meetings import DecisionInput
from station.residents import ResidentInput
from station.validation import id_check_digit
from tests.test_meetings import TODAY, Compound, place  # noqa: F401  (the fixture)
from tests.test_reports import embedded_font_files, read_pdf

WANG_PHONE = "13812345678"
WANG_ID = "11010519560302001" + id_check_digit("11010519560302001")


def _flat(pages: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(pages))


@pytest.fixture
def held(place: Compound) -> tuple[Compound, int]:  # noqa: F811
    """November's round table: three matters, two decided (one passed, one failed), one by household."""
    with place.db.write() as session:
        wang = residents.add_resident(session, place.staff, ResidentInput(
            "王建国", place.rooms["3-2-503"], "男", "1956-03-02", id_number=WANG_ID, phone=WANG_PHONE,
            relation="配偶", party_category="在职党员"))
        raised = [meetings.raise_matter(session, place.staff, meetings.MatterInput(
            title, who, source=source, building_id=place.building, raised_on="2026-11-02"), today=TODAY)
            for title, who, source in (("楼道堆放杂物", wang, "党员问事"), ("停车位划线", place.li, "居民提事"),
                                       ("3栋加装电梯", place.zhang, "党员问事"))]
        meeting = meetings.save_meeting(session, place.staff, meetings.MeetingInput(
            "红六方圆桌会", "2026-11-15", "19:00", place="党群服务站二楼", host="王书记"), today=TODAY)
        meetings.roll_forward(session, place.staff, meeting)
        meetings.add_resident_attendee(session, place.staff, meeting, wang, "网格党支部")
        meetings.add_resident_attendee(session, place.staff, meeting, place.li)
        meetings.add_party_attendee(session, place.staff, meeting, "物业公司", "刘经理")
        meetings.save_minutes(session, place.staff, meeting, raised[0], "刘经理表示月底前清理，党员志愿者协助。")
        meetings.record_decision(session, place.staff, DecisionInput(
            meeting, raised[0], "物业公司11月30日前清理楼道杂物", "物业公司", "2026-11-30", votes_for="3",
            present="3"), today=TODAY)
        meetings.record_decision(session, place.staff, DecisionInput(
            meeting, raised[1], "暂缓划线，先征求意见", votes_for="1", votes_against="2", present="3"), today=TODAY)
    return place, meeting


def _print(place: Compound, name: str, meeting: int, out: Path) -> list[str]:
    with place.db.read() as session:
        written = reports.build(session, name, "", out, TODAY, record_id=meeting)
    assert embedded_font_files(written.path) == {"/FontFile2"}
    return read_pdf(written.path)


def test_the_results_notice_is_masked_and_says_each_result(held: tuple[Compound, int], tmp_path: Path) -> None:
    place, meeting = held
    text = _flat(_print(place, "meeting-results", meeting, tmp_path / "notice.pdf"))
    assert "议事结果公示" in text and "2026年11月15日19:00在党群服务站二楼召开红六方圆桌会，王书记主持" in text
    assert "到会3人，对3个议题进行了协商议事，形成决议1项" in text
    assert "党员问事：王*国" in text and "王建国" not in text and "李四" not in text and "李*" in text
    assert "物业公司11月30日前清理楼道杂物" in text and "赞成3票、反对0票、弃权0票，通过" in text
    assert "赞成1票、反对2票、弃权0票，未通过" in text
    assert "转入下次议事：停车位划线（未通过）；3栋加装电梯（未议定）" in text
    assert WANG_PHONE not in text and WANG_ID not in text
    assert "2026年11月30日" in text  # the deadline


def test_the_minutes_are_complete_with_full_names(held: tuple[Compound, int], tmp_path: Path) -> None:
    place, meeting = held
    text = _flat(_print(place, "meeting-minutes", meeting, tmp_path / "minutes.pdf"))
    assert "网格党支部：王建国" in text and "物业公司：刘经理" in text and "居民：李四" in text
    assert "党员问事：王建国（2026-11-02）" in text
    assert "讨论记录：刘经理表示月底前清理，党员志愿者协助。" in text
    assert "议题3：3栋加装电梯" in text and "本次未议定，转入下次议事" in text
    assert "到会3人，赞成3票" in text and "责任方：物业公司；完成时限：2026年11月30日" in text
    assert WANG_PHONE not in text


def test_the_sign_in_sheet_lists_who_is_registered_and_blank_lines(held: tuple[Compound, int],
                                                                  tmp_path: Path) -> None:
    place, meeting = held
    text = _flat(_print(place, "meeting-sign-in", meeting, tmp_path / "sign.pdf"))
    assert "议事会议签到表" in text and "1王建国网格党支部3栋2单元503" in text and "3刘经理物业公司" in text
    assert "24" in text  # numbered blank lines follow


def test_a_household_vote_lists_the_rooms_in_the_minutes(place: Compound, tmp_path: Path) -> None:  # noqa: F811
    matter = place.matter("3栋加装电梯", "小区公事", building_id=place.building)
    with place.db.write() as session:
        meeting = meetings.save_meeting(session, place.staff, meetings.MeetingInput("业主大会", "2026-11-15",
                                                                                    vote_rule="households"),
                                        today=TODAY)
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
        meetings.record_decision(session, place.staff, DecisionInput(
            meeting, matter, "同意加装电梯", "业委会", by_household=True,
            rooms_for="3-2-501 3-2-502 3-2-503 3-2-504 3-2-505 3-2-506", rooms_against="3-2-507"), today=TODAY)
    text = _flat(_print(place, "meeting-minutes", meeting, tmp_path / "m.pdf"))
    assert "应参加表决10户，实际表决7户，赞成6户、反对1户、弃权0户，通过（全体住户过半数同意）" in text
    assert "反对（1户）：3-2-507" in text
    notice = _flat(_print(place, "meeting-results", meeting, tmp_path / "n.pdf"))
    assert "3-2-507" not in notice  # how a household voted is not for the notice board


def test_nothing_decided_or_no_meeting_is_refused(place: Compound, tmp_path: Path) -> None:  # noqa: F811
    with place.db.write() as session:
        meeting = meetings.save_meeting(session, place.staff, meetings.MeetingInput("三长初议", "2026-11-15"),
                                        today=TODAY)
    with pytest.raises(ValidationError, match="还没有形成决议"), place.db.read() as session:
        reports.build(session, "meeting-results", "", tmp_path / "x.pdf", TODAY, record_id=meeting)
    with pytest.raises(ValidationError, match="会议编号"), place.db.read() as session:
        reports.build(session, "meeting-results", "", tmp_path / "x.pdf", TODAY)
    with pytest.raises(ValidationError, match="找不到这次会议"), place.db.read() as session:
        reports.build(session, "meeting-minutes", "", tmp_path / "x.pdf", TODAY, record_id=999)
    assert not list(tmp_path.glob("*.pdf"))
    assert dt.date(2026, 11, 15) <= TODAY


def test_long_minutes_begin_on_the_first_page(place: Compound, tmp_path: Path) -> None:  # noqa: F811
    """A meeting with many matters: the record starts under its title, not after a blank page."""
    matters = [place.matter(f"议题{n}号：楼道堆放杂物") for n in range(1, 13)]
    with place.db.write() as session:
        meeting = meetings.save_meeting(session, place.staff, meetings.MeetingInput("红六方圆桌会", "2026-11-15"),
                                        today=TODAY)
        meetings.add_to_agenda(session, place.staff, meeting, matters)
        meetings.add_resident_attendee(session, place.staff, meeting, place.li)
        for matter in matters:
            meetings.save_minutes(session, place.staff, meeting, matter, "物业公司表示月底前清理，党员志愿者协助。" * 3)
            meetings.record_decision(session, place.staff, DecisionInput(
                meeting, matter, "物业公司月底前清理", "物业公司", "2026-11-30", votes_for="1"), today=TODAY)
    pages = [_flat([page]) for page in _print(place, "meeting-minutes", meeting, tmp_path / "m.pdf")]
    assert len(pages) >= 2
    assert "参会人员" in pages[0] and "议题1：议题1号" in pages[0]
    assert all("议题" in page for page in pages)  # no page is empty
    assert "记录人：" in pages[-1] and "议题12：" in pages[-1]


def test_names_typed_into_a_matter_or_resolution_are_masked_on_the_notice(place: Compound,  # noqa: F811
                                                                          tmp_path: Path) -> None:
    matter = place.matter("李四家楼上漏水", building_id=place.building)
    with place.db.write() as session:
        meeting = meetings.save_meeting(session, place.staff, meetings.MeetingInput(
            "三长初议", "2026-11-15", host="张三明"), today=TODAY)
        meetings.add_to_agenda(session, place.staff, meeting, [matter])
        meetings.record_decision(session, place.staff, DecisionInput(
            meeting, matter, "由楼栋长张三明上门协调赵秀英家维修防水", "楼栋长张三明", "2026-11-30",
            votes_for="3", present="3"), today=TODAY)
    notice = _flat(_print(place, "meeting-results", meeting, tmp_path / "n.pdf"))
    for name in ("李四", "张三明", "赵秀英"):
        assert name not in notice
    assert "李*家楼上漏水" in notice and "由楼栋长张*明上门协调赵*英家维修防水" in notice
    assert "楼栋长张*明" in notice and "张*明主持" in notice
    minutes = _flat(_print(place, "meeting-minutes", meeting, tmp_path / "m.pdf"))
    assert "李四家楼上漏水" in minutes and "由楼栋长张三明上门协调赵秀英家维修防水" in minutes  # the archive in full


def test_the_notice_says_how_each_resolution_is_being_carried_out(held: tuple[Compound, int],
                                                                 tmp_path: Path) -> None:
    place, meeting = held
    with place.db.read() as session:
        cleared = next(item.matter.id for item in meetings.agenda(session, meeting) if item.matter.title == "楼道堆放杂物")
    text = _flat(_print(place, "meeting-results", meeting, tmp_path / "before.pdf"))
    assert "办理情况" in text and "2026年11月30日办理中" in text
    with place.db.write() as session:
        meetings.finish(session, place.staff, cleared, "杂物已清理，楼道畅通", "2026-11-19", today=TODAY)
    text = _flat(_print(place, "meeting-results", meeting, tmp_path / "after.pdf"))
    assert "已办结：杂物已清理，楼道畅通" in text


def test_a_matter_escalated_at_the_meeting_is_not_said_to_roll_on(held: tuple[Compound, int],
                                                                 tmp_path: Path) -> None:
    place, meeting = held
    with place.db.read() as session:
        lift = next(item.matter.id for item in meetings.agenda(session, meeting) if item.matter.title == "3栋加装电梯")
    with place.db.write() as session:
        meetings.escalate(session, place.staff, lift, "幸福社区党委", "2026-11-16", today=TODAY)
    notice = _flat(_print(place, "meeting-results", meeting, tmp_path / "n.pdf"))
    assert "转入下次议事：停车位划线（未通过）。" in notice
    assert "以下议题已上报提级，由上级组织议事：3栋加装电梯。" in notice
    minutes = _flat(_print(place, "meeting-minutes", meeting, tmp_path / "m.pdf"))
    assert "决议：本次未议定，已上报提级，由上级组织议事。" in minutes


def test_the_minutes_keep_a_corrected_count_beside_the_one_that_counts(held: tuple[Compound, int],
                                                                      tmp_path: Path) -> None:
    place, meeting = held
    with place.db.read() as session:
        parking = next(item.matter.id for item in meetings.agenda(session, meeting) if item.matter.title == "停车位划线")
    with place.db.write() as session:
        meetings.record_decision(session, place.staff, DecisionInput(
            meeting, parking, "同意划线", "物业公司", votes_for="2", votes_against="1", present="3",
            correction="重新清点票数"), today=TODAY)
    minutes = _flat(_print(place, "meeting-minutes", meeting, tmp_path / "m.pdf"))
    assert "原决议（已更正）：暂缓划线，先征求意见；表决：到会3人，赞成1票、反对2票、弃权0票，未通过" in minutes
    assert "决议：同意划线" in minutes and "更正说明：重新清点票数" in minutes
    notice = _flat(_print(place, "meeting-results", meeting, tmp_path / "n.pdf"))
    assert "暂缓划线" not in notice  # the notice shows only the decision that counts
