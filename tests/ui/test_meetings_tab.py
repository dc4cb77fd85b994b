"""The 说事议事 tab at the desk: raise a matter, hold a meeting with attendance, record a vote, publish the notice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from sqlalchemy import select

from db.engine import Database
from db.models import Building, Ticket
from db.models import Building, Matter
from station import meetings
from station.meetings import MatterInput
from tests.test_reports import read_pdf
from tests.ui.conftest import type_text
from ui.meetings_tab import MeetingsTab

TODAY = dt.date.today()


@pytest.fixture
def tab(window) -> MeetingsTab:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.meetings)
    return window.meetings


def shown(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)


def test_raise_a_matter_with_the_keyboard_and_see_its_history(qtbot, tab: MeetingsTab) -> None:  # type: ignore[no-untyped-def]
    page = tab.matters
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_text(qtbot, dialog.title_edit, "9栋电动车楼道充电")
    dialog.source.setCurrentText("党员问事")
    type_text(qtbot, dialog.picker.edit, "zsm")
    qtbot.keyClick(dialog.picker.edit, Qt.Key.Key_Return)
    assert "张三明" in dialog.picker.chosen_label.text()
    assert dialog.focusWidget() is dialog.category  # the next thing to choose
    dialog.category.setCurrentText("安全隐患")
    dialog.level.setCurrentText("单元琐事")
    assert dialog.lead.text() == "党小组协调议"
    dialog.building.setCurrentText("9栋")
    dialog.unit.setCurrentText("3单元")
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert shown(page.table, 1) == ["9栋电动车楼道充电"]
    assert shown(page.table, 7) == ["9栋3单元"]
    assert page.state.currentText() == "待议（1）"
    page.table.selectRow(0)
    assert shown(page.history_table, 1) == ["提出"]
    assert "党员问事：张三明" in shown(page.history_table, 4)[0]


def test_a_matter_without_a_title_or_raiser_is_refused_beside_the_fields(qtbot, tab: MeetingsTab,  # type: ignore[no-untyped-def]
                                                                        demo_database: Database) -> None:
    page = tab.matters
    dialog = page.add()
    ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "请写明议题" in dialog.form.error_text("title")
    assert "请选择提出人" in dialog.form.error_text("raised_by")
    with demo_database.read() as session:
        assert meetings.matters(session) == []


def test_escalate_a_complex_matter_and_bring_it_back(qtbot, tab: MeetingsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                                     staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        meetings.raise_matter(session, staff_id, MatterInput("小区周边道路积水", known["张三明"], level="小区公事"))
    page = tab.matters
    page.reload()
    page.table.selectRow(0)
    dialog = page.escalate()
    assert dialog is not None
    to_whom = dialog.findChild(type(page.state), "to_whom")
    assert to_whom.currentText() == "测试社区党委"  # from the station's own community
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    # it left the 待议 list: the board shows everything, the matter still chosen
    assert page.state.currentText() == "全部（1）"
    assert (shown(page.table, 3), shown(page.table, 5)) == (["复杂难事"], ["已上报"])
    assert page.selected() is not None
    assert shown(page.history_table, 1) == ["提出", "上报提级"]
    assert "上报：测试社区党委" in shown(page.history_table, 4)[1]
    assert not page.escalate_button.isEnabled()


def test_hold_a_meeting_with_attendance_record_a_vote_and_publish_it(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int], tmp_path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_database.write() as session:
        matter = meetings.raise_matter(session, staff_id, MatterInput("楼道堆放杂物", known["王秀英"]))
    tab.show_page(tab.meetings)
    page = tab.meetings
    dialog = page.add()
    dialog.kind.setCurrentText("红六方圆桌会")
    dialog.date.setText(f"{TODAY:%Y-%m-%d}")
    dialog.quorum.setText("3")
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert page.selected() is not None and page.selected().title == f"{TODAY.year}年{TODAY.month}月红六方圆桌会"

    qtbot.mouseClick(page.roll_button, Qt.MouseButton.LeftButton)
    assert page.done.text() == "已把1个待议议题列入本次议程"
    assert shown(page.agenda_table, 0) == ["楼道堆放杂物"]
    for name in ("张三明", "wxy"):
        type_text(qtbot, page.picker.edit, name)
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    page.party.setCurrentText("物业公司")
    type_text(qtbot, page.party_name, "刘经理")
    qtbot.keyClick(page.party_name, Qt.Key.Key_Return)
    assert shown(page.attendee_table, 0) == ["张三明", "王秀英", "刘经理"]
    assert shown(page.attendee_table, 1) == ["居民", "居民", "物业公司"]

    page.agenda_table.selectRow(0)
    vote = page.decide()
    assert vote is not None
    type_text(qtbot, vote.resolution, "物业公司月底前清理杂物")
    vote.responsible.setCurrentText("物业公司")
    vote.deadline.setText(f"{TODAY + dt.timedelta(days=10):%Y-%m-%d}")
    type_text(qtbot, vote.votes_for, "2")
    assert vote.outcome.text() == "到会3人，至少2票赞成才通过：通过"
    type_text(qtbot, vote.votes_against, "1")
    ok(qtbot, vote)
    assert not vote.isVisible()
    assert shown(page.agenda_table, 2) == ["办理中"]
    assert shown(page.agenda_table, 6) == ["到会3人，赞成2票、反对1票、弃权0票，通过（到会人数过半数同意）"]
    with demo_database.read() as session:
        assert meetings.matters(session, ids=[matter])[0].state == "办理中"

    written: list = []
    monkeypatch.setattr("ui.reports.ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr("ui.reports.open_file", written.append)
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: pytest.fail(text))
    qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    assert [path.name for path in written] == [f"议事结果公示-{TODAY:%Y-%m-%d}红六方圆桌会.pdf"]
    text = re.sub(r"\s+", "", "".join(read_pdf(written[0])))
    assert "居民提事：王*英" in text and "王秀英" not in text and "物业公司月底前清理杂物" in text
    qtbot.mouseClick(page.minutes_print_button, Qt.MouseButton.LeftButton)
    minutes = re.sub(r"\s+", "", "".join(read_pdf(written[1])))
    assert "居民：张三明、王秀英" in minutes and "物业公司：刘经理" in minutes


def test_a_vote_with_more_votes_than_people_is_refused_beside_the_field(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        matter = meetings.raise_matter(session, staff_id, MatterInput("路灯不亮", known["张三明"]))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        meetings.add_resident_attendee(session, staff_id, meeting, known["张三明"])
    tab.show_page(tab.meetings)
    page = tab.meetings
    page.reload()
    page.table.selectRow(0)
    page.agenda_table.selectRow(0)
    vote = page.decide()
    assert vote is not None
    type_text(qtbot, vote.resolution, "更换路灯")
    type_text(qtbot, vote.votes_for, "5")
    ok(qtbot, vote)
    assert vote.isVisible()
    assert "多于到会的1人" in vote.form.error_text("votes_for")
    with demo_database.read() as session:
        assert meetings.matters(session, ids=[matter])[0].state == "待议"


def test_the_minutes_box_lets_the_keyboard_move_on_to_save(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        matter = meetings.raise_matter(session, staff_id, MatterInput("路灯不亮", known["张三明"]))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
    tab.show_page(tab.meetings)
    page = tab.meetings
    page.reload()
    page.table.selectRow(0)
    page.agenda_table.selectRow(0)
    dialog = page.write_minutes()
    assert dialog is not None
    type_text(qtbot, dialog.text, "物业公司表示本周更换")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is not dialog.text and "\t" not in dialog.text.toPlainText()
    ok_button = dialog.findChild(QPushButton, "ok")
    assert dialog.focusWidget() is ok_button  # Tab, then Space or Enter saves
    qtbot.keyClick(ok_button, Qt.Key.Key_Space)
    assert not dialog.isVisible()
    with demo_database.read() as session:
        assert meetings.agenda(session, meeting)[0].minutes == "物业公司表示本周更换"


def test_the_state_filter_is_wide_enough_for_its_counts(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    page = tab.matters
    page.state.setCurrentIndex(0)
    with demo_database.write() as session:
        for n in range(120):
            meetings.raise_matter(session, staff_id, MatterInput(f"楼道堆放杂物{n}", known["张三明"]))
    page.reload()
    qtbot.wait(10)
    assert page.state.currentText() == "全部（120）"
    text_width = page.state.fontMetrics().horizontalAdvance(page.state.currentText())
    assert page.state.width() >= text_width + 20  # the text and the arrow, not 全部（12


def test_a_household_vote_shows_what_the_rooms_typed_give_before_saving(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        building = session.scalar(select(Building.id).where(Building.number == "9"))
        matter = meetings.raise_matter(session, staff_id, MatterInput("9栋加装电梯", known["张三明"], level="小区公事",
                                                                      building_id=building))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput(
            "业主大会", f"{TODAY:%Y-%m-%d}", vote_rule="households"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        target = session.get(Matter, matter)
        assert target is not None
        eligible = len(meetings.eligible_households(session, target))
    tab.show_page(tab.meetings)
    page = tab.meetings
    page.reload()
    page.table.selectRow(0)
    page.agenda_table.selectRow(0)
    vote = page.decide()
    assert vote is not None and vote.by_household.isChecked()
    assert vote.outcome.text() == f"应参加表决{eligible}户，请填写表决的住户房号"
    type_text(qtbot, vote.rooms_for, "9-3-1202")
    assert vote.outcome.text() == (f"应参加表决{eligible}户，实际表决1户，至少{eligible // 2 + 1}户赞成才通过："
                                   f"{'通过' if eligible == 1 else '未通过'}（房号在保存时核对）")
    vote.paper.setChecked(True)
    type_text(qtbot, vote.votes_for, str(eligible))
    assert vote.outcome.text() == f"应参加表决{eligible}户，实际表决{eligible}户，至少{eligible // 2 + 1}户赞成才通过：通过"


def test_correcting_a_vote_starts_from_the_count_being_corrected(  # type: ignore[no-untyped-def]
        qtbot, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        matter = meetings.raise_matter(session, staff_id, MatterInput("路灯不亮", known["张三明"]))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        meetings.record_decision(session, staff_id, meetings.DecisionInput(
            meeting, matter, "更换路灯", "物业公司", votes_for="4", votes_against="3", votes_abstain="1", present="9"))
    tab.show_page(tab.meetings)
    page = tab.meetings
    page.reload()
    page.table.selectRow(0)
    page.agenda_table.selectRow(0)
    vote = page.decide()
    assert vote is not None
    assert [e.text() for e in (vote.votes_for, vote.votes_against, vote.votes_abstain, vote.present)] == [
        "4", "3", "1", "9"]
    vote.votes_for.setText("5")
    type_text(qtbot, vote.correction, "补计一张书面表决票")
    ok(qtbot, vote)
    assert not vote.isVisible()
    with demo_database.read() as session:
        decision = meetings.agenda(session, meeting)[0].decision
    assert decision is not None and (decision.votes_for, decision.votes_against, decision.present) == (5, 3, 9)
    assert decision.passed


def test_a_passed_resolution_becomes_a_ticket_followed_in_the_tickets_tab(  # type: ignore[no-untyped-def]
        qtbot, window, tab: MeetingsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    from station import tickets

    with demo_database.write() as session:
        building = session.scalar(select(Building.id).where(Building.number == "9"))
        matter = meetings.raise_matter(session, staff_id, MatterInput("9栋楼道灯不亮", known["张三明"],
                                                                      category="设施维修", building_id=building))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        meetings.record_decision(session, staff_id, meetings.DecisionInput(
            meeting, matter, "物业三日内更换声控灯", "物业公司", votes_for="3", present="3"))
    tab.show_page(tab.meetings)
    page = tab.meetings
    page.reload()
    page.table.selectRow(0)
    page.agenda_table.selectRow(0)
    dialog = page.to_ticket()
    assert dialog is not None
    assert (dialog.source.currentText(), dialog.building.currentText(), dialog.category.currentData()) == (
        "议事决议", "9栋", "设施维修")
    assert dialog.title_edit.text() == "9栋楼道灯不亮"
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert page.done.text().startswith("已转成工单GD")
    with demo_database.read() as session:
        row = tickets.tickets(session)[0]
        assert session.get(Ticket, row.id).matter_id == matter
    assert (row.source, row.place) == ("议事决议", "9栋")
    window.tabs.setCurrentWidget(window.tickets)
    assert window.tickets.tickets.model.id_at(0) == row.id
