"""The home tab (首页): first in the window, its counts open the lists; the text size for older eyes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from db.engine import Database


def ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)


def test_the_home_tab_comes_first_and_its_counts_open_the_lists(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                                staff_id: int, known: dict[str, int]) -> None:
    from station import meetings, tickets
    from station.tickets import TicketInput

    assert window.tabs.currentWidget() is window.home and window.tabs.tabText(0) == "首页"
    with demo_database.write() as session:
        meetings.raise_matter(session, staff_id, meetings.MatterInput("楼道杂物", known["张三明"]))
        tickets.open_ticket(session, staff_id, TicketInput("化粪池外溢", "环境卫生", place="南门",
                                                           accepted_at="2020-01-02 09:00"))
    window.home.refresh()
    assert window.home.buttons["tickets_overdue"].text() == "工单逾期\n1"
    assert window.home.buttons["matters_waiting"].text() == "议题待议\n1"
    qtbot.mouseClick(window.home.buttons["tickets_overdue"], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.tickets and window.tickets.tickets.view.currentData() == "overdue"
    window.tabs.setCurrentWidget(window.home)
    qtbot.mouseClick(window.home.buttons["matters_waiting"], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.meetings
    assert window.meetings.matters.state.currentData() == "待议" and window.meetings.matters.model.rowCount() == 1
    window.tabs.setCurrentWidget(window.home)
    qtbot.mouseClick(window.home.buttons["pending_points"], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.points and window.points.pages.currentWidget() is window.points.review
    figures = window.home.figures
    assert figures.rowCount() == 11 and figures.index(4, 0).data() == "受理民生事项（件）"


def test_the_text_size_changes_the_fonts_and_survives_a_restart(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application
    from ui.text_size import apply_scale, saved_scale

    before = window.residents.search.font().pointSizeF()
    dialog = window.text_size()
    dialog.scale.setCurrentIndex(dialog.scale.findData(150))
    ok(qtbot, dialog)
    assert saved_scale() == 150
    assert window.residents.search.font().pointSizeF() == pytest.approx(before * 1.5)
    assert window.tickets.tickets.search.font().pointSizeF() == pytest.approx(before * 1.5)
    apply_scale(QApplication.instance(), 100)  # as the program starts again on this computer …
    make_application(install_hook=False)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(before * 1.5)  # … it keeps the size
    apply_scale(QApplication.instance(), 100)


def test_the_dialogs_fit_a_1366_by_768_screen_at_150_percent(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                            staff_id: int, known: dict[str, int]) -> None:
    from PySide6.QtWidgets import QApplication

    from station import meetings
    from ui.meeting_dialogs import DecisionDialog, MatterDialog, MeetingDialog
    from ui.resident_dialogs import ResidentDialog
    from ui.shop_dialogs import ItemDialog
    from ui.text_size import apply_scale
    from ui.ticket_dialogs import TicketDialog, TicketSettingsDialog
    from ui.volunteer_dialogs import ActivityDialog

    with demo_database.write() as session:
        matter = meetings.raise_matter(session, staff_id, meetings.MatterInput("楼道杂物", known["张三明"]))
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("业主大会", f"{dt.date.today():%Y-%m-%d}", "23:59"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        row = meetings.matters(session)[0]
    apply_scale(QApplication.instance(), 150)
    try:
        dialogs = [ResidentDialog(demo_database, staff_id, known["张三明"], parent=window),
                   MatterDialog(demo_database, staff_id, window), MeetingDialog(demo_database, staff_id, None, window),
                   DecisionDialog(demo_database, staff_id, meeting, row, window),
                   TicketDialog(demo_database, staff_id, window), TicketSettingsDialog(demo_database, staff_id, window),
                   ItemDialog(demo_database, staff_id, None, window),
                   ActivityDialog(demo_database, staff_id, None, window)]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            hint = dialog.sizeHint()
            assert hint.height() <= 768 - 60 and hint.width() <= 1366, (type(dialog).__name__, hint)
    finally:
        apply_scale(QApplication.instance(), 100)


@pytest.mark.parametrize(("key", "opens"), [
    ("pending_points", lambda w: w.tabs.currentWidget() is w.points and w.points.pages.currentWidget() is w.points.review),
    ("tickets_overdue", lambda w: w.tickets.tickets.view.currentData() == "overdue"),
    ("follow_ups_due", lambda w: w.tickets.tickets.view.currentData() == "follow_up"),
    ("visits_overdue", lambda w: w.volunteer.pages.currentWidget() is w.volunteer.care),
    ("low_stock", lambda w: w.shop.pages.currentWidget() is w.shop.shelf),
    ("activities_this_week", lambda w: w.volunteer.pages.currentWidget() is w.volunteer.activities),
    ("meetings_this_week", lambda w: w.meetings.pages.currentWidget() is w.meetings.meetings),
    ("matters_waiting", lambda w: w.meetings.matters.state.currentData() == "待议"),
])
def test_every_count_opens_its_list(qtbot, window, key: str, opens) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.home)
    qtbot.mouseClick(window.home.buttons[key], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is not window.home and opens(window)
