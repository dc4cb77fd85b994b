"""The 问题工单 tab at the desk: take a report with the keyboard, hand it on, close it, visit, see it on the notice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QHeaderView, QLabel, QLineEdit, QPushButton

from db.engine import Database
from station import tickets
from station.tickets import TicketInput
from tests.test_reports import read_pdf
from tests.ui.conftest import type_text
from ui.tickets_tab import TicketsTab


@pytest.fixture
def tab(window) -> TicketsTab:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.tickets)
    return window.tickets


def shown(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)


def test_take_a_report_at_the_desk_with_the_keyboard_only(qtbot, window, tab: TicketsTab) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.residents)  # the phone rings while the desk is elsewhere
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is tab
    page = tab.tickets
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.focusWidget() is dialog.picker.edit  # who reports comes first
    type_text(qtbot, dialog.picker.edit, "zsm")
    qtbot.keyClick(dialog.picker.edit, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.category
    assert (dialog.building.currentText(), dialog.unit.currentText()) == ("9栋", "3单元")  # where 张三明 lives
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # 停车秩序
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # 安全隐患
    qtbot.keyClick(dialog.category, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.title_edit
    type_text(qtbot, dialog.title_edit, "楼道电动车充电")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert page.done.text().startswith("已受理：GD")
    row = page.selected()
    assert row is not None and (row.title, row.category, row.reporter, row.place) == (
        "楼道电动车充电", "安全隐患", "张三明", "9栋3单元")
    assert row.due_on == dt.date.today() + dt.timedelta(days=2)
    assert page.view.currentText() == "未办结（1）"


def test_a_report_without_what_or_where_is_refused_beside_the_fields(qtbot, tab: TicketsTab,  # type: ignore[no-untyped-def]
                                                                    demo_database: Database) -> None:
    dialog = tab.tickets.add()
    ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "请简要写明" in dialog.form.error_text("title")
    assert "请选择楼栋，或写明公共区域" in dialog.form.error_text("place")
    with demo_database.read() as session:
        assert tickets.tickets(session) == []


def test_hand_it_on_close_it_visit_and_see_it_on_the_notice(  # type: ignore[no-untyped-def]
        qtbot, window, tab: TicketsTab, demo_database: Database, staff_id: int, known: dict[str, int], tmp_path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_database.write() as session:
        ticket = tickets.open_ticket(session, staff_id, TicketInput("北门路灯不亮", "设施维修", "电话反映",
                                                                    reporter_id=known["王秀英"], place="北门"))
    page = tab.tickets
    page.reload()
    assert page.select_ticket(ticket)
    dialog = page.hand_over()
    assert dialog is not None
    dialog.findChild(QComboBox, "to_whom").setCurrentText("物业公司")
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert page.selected().state == "已转办" and page.done.text() == f"已转办：GD{ticket:06d}"
    assert page.start_button.text() == "收回处理"
    dialog = page.finish()
    ok(qtbot, dialog)
    assert "请写明办理结果" in dialog.form.error_text("result")  # nothing changed
    assert page.selected().state == "已转办"
    type_text(qtbot, dialog.findChild(QLineEdit, "result"), "物业已更换路灯")
    ok(qtbot, dialog)
    # done: it left the open list, and the list shows all tickets with it still chosen
    assert page.view.currentData() == "all" and page.selected().id == ticket
    assert shown(page.history_table, 1) == ["受理", "转办", "办结"]
    dialog = page.follow_up()
    dialog.findChild(QComboBox, "satisfaction").setCurrentText("满意")
    ok(qtbot, dialog)
    assert page.selected().state == "已回访"

    written: list = []
    monkeypatch.setattr("ui.reports.ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr("ui.reports.open_file", written.append)
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: pytest.fail(text))
    qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    today = dt.date.today()
    assert [path.name for path in written] == [f"民生事项办理公示-{today:%Y-%m}.pdf"]
    text = re.sub(r"\s+", "", "".join(read_pdf(written[0])))
    assert "本月共受理民生事项1件，办结1件，其中按时办结1件（按时办结率100.0%）" in text
    assert "北门路灯不亮" in text and "王*英" in text and "王秀英" not in text and "物业已更换路灯" in text


def test_overdue_tickets_are_counted_on_the_status_bar_and_listed_first(  # type: ignore[no-untyped-def]
        qtbot, window, tab: TicketsTab, demo_database: Database, staff_id: int) -> None:
    long_ago = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=10)
    with demo_database.write() as session:
        late = tickets.open_ticket(session, staff_id, TicketInput("化粪池外溢", "环境卫生", place="南门",
                                                                  accepted_at=f"{long_ago:%Y-%m-%d %H:%M}"))
        tickets.open_ticket(session, staff_id, TicketInput("路灯不亮", "设施维修", place="北门"))
    page = tab.tickets
    page.reload()
    assert window.tickets_label.text() == "工单：逾期1件"
    assert shown(page.table, 6)[0] == "已受理（逾期）" and page.model.id_at(0) == late
    page.show_view("overdue")
    assert shown(page.table, 2) == ["化粪池外溢"]
    assert page.view.currentText() == "逾期（1）"


def test_an_inspection_finding_becomes_a_ticket_in_one_step(qtbot, tab: TicketsTab, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    tab.show_page(tab.inspections)
    page = tab.inspections
    dialog = page.add()
    ok(qtbot, dialog)
    assert page.selected() is not None and page.selected().kind == "安全隐患拉网式排查"
    page.check_table.selectRow(0)
    check = page.check()
    type_text(qtbot, check.checked_by, "网格员小刘")
    ok(qtbot, check)
    assert shown(page.check_table, 2)[0] == "网格员小刘"
    page.check_table.selectRow(0)
    finding = page.record_finding()
    assert finding.source.currentText() == "排查发现" and not finding.building.isEnabled()
    assert finding.category.currentData() == "安全隐患"
    type_text(qtbot, finding.title_edit, "楼道堆放电动车电池")
    ok(qtbot, finding)
    assert not finding.isVisible()
    assert shown(page.check_table, 4)[0] == "1" and "已转成工单GD" in page.done.text()
    with demo_database.read() as session:
        row = tickets.tickets(session)[0]
    assert (row.source, row.title) == ("排查发现", "楼道堆放电动车电池")


def test_an_anonymous_report_moves_on_with_enter_and_saves_nothing_yet(qtbot, window, tab: TicketsTab) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.tickets.dialog
    assert dialog.focusWidget() is dialog.picker.edit
    qtbot.keyClick(dialog.picker.edit, Qt.Key.Key_Return)  # nobody named: a 12345 call
    assert dialog.isVisible() and dialog.focusWidget() is dialog.category
    assert dialog.form.error_text("title") == "" and dialog.form.error_text("place") == ""
    assert "紧急的1天内办理" in " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_tab_leaves_the_list_for_the_buttons(qtbot, tab: TicketsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                             staff_id: int) -> None:
    with demo_database.write() as session:
        tickets.open_ticket(session, staff_id, TicketInput("路灯不亮", "设施维修", place="北门"))
        tickets.open_ticket(session, staff_id, TicketInput("垃圾满溢", "环境卫生", place="南门"))
    page = tab.tickets
    page.reload()
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.new_button  # straight to what can be done with the ticket
    qtbot.keyClick(page.new_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.start_button
    assert page.selected() is not None and page.selected().title == "垃圾满溢"  # Tab did not move in the list
    # the timeline's 说明 takes the width, not 经办人
    assert page.history_table.horizontalHeader().sectionResizeMode(3) == QHeaderView.ResizeMode.Stretch


def test_a_follow_up_asks_for_the_residents_word_and_a_redone_ticket_shows_its_next_visit(  # type: ignore[no-untyped-def]
        qtbot, tab: TicketsTab, demo_database: Database, staff_id: int) -> None:
    with demo_database.write() as session:
        ticket = tickets.open_ticket(session, staff_id, TicketInput("路灯不亮", "设施维修", place="北门"))
        tickets.settle_on_spot(session, staff_id, ticket, "换了灯泡")
    page = tab.tickets
    page.show_view("all")
    assert page.select_ticket(ticket)
    dialog = page.follow_up()
    assert dialog.findChild(QComboBox, "satisfaction").currentText() == ""
    ok(qtbot, dialog)  # Enter without asking records nothing
    assert dialog.isVisible() and "请选择满意" in dialog.form.error_text("satisfaction")
    dialog.findChild(QComboBox, "satisfaction").setCurrentText("不满意")
    type_text(qtbot, dialog.findChild(QLineEdit, "note"), "灯还是不亮")
    ok(qtbot, dialog)
    assert page.selected().state == "处理中"
    with demo_database.write() as session:
        tickets.finish(session, staff_id, ticket, "更换了线路")
    page.reload()
    assert page.select_ticket(ticket)
    due = dt.date.today() + dt.timedelta(days=7)
    assert shown(page.table, 9)[_row(page, ticket)] == f"回访日 {due:%m-%d}"


def _row(page, ticket_id: int) -> int:  # type: ignore[no-untyped-def]
    return next(n for n in range(page.model.rowCount()) if page.model.id_at(n) == ticket_id)


def test_a_building_is_chosen_before_it_is_checked_or_a_finding_recorded(qtbot, tab: TicketsTab) -> None:  # type: ignore[no-untyped-def]
    tab.show_page(tab.inspections)
    page = tab.inspections
    ok(qtbot, page.add())
    page.check_table.clearSelection()
    assert not page.check_button.isEnabled() and not page.finding_button.isEnabled()
    page.check_table.selectRow(0)
    assert page.check_button.isEnabled() and page.finding_button.isEnabled()


def test_the_place_follows_the_reporter_chosen_again_but_not_one_the_desk_chose(  # type: ignore[no-untyped-def]
        qtbot, tab: TicketsTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    from station import compound, residents
    from station.compound import HouseholdInput
    from station.residents import ResidentInput

    with demo_database.write() as session:
        other = residents.add_resident(session, staff_id, ResidentInput(
            "欧阳小明", compound.add_household(session, staff_id, HouseholdInput("2", "1", "301")), "男", "1960-05-01",
            relation="户主"))
    dialog = tab.tickets.add()
    dialog.picker.choose(known["张三明"])
    assert (dialog.building.currentText(), dialog.unit.currentText()) == ("9栋", "3单元")
    dialog.picker.choose(other)  # the wrong person was taken first
    assert (dialog.building.currentText(), dialog.unit.currentText()) == ("2栋", "1单元")
    dialog.building.setCurrentIndex(dialog.building.findText("1栋"))  # the desk says where
    dialog.picker.choose(known["张三明"])
    assert dialog.building.currentText() == "1栋"
