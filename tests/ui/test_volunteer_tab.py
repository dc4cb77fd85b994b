"""The 志愿时长 tab at the desk: create an activity, sign people in and out, see their points, care visits."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from db.engine import Database
from station import residents, volunteer
from station.residents import ResidentInput
from tests.test_reports import embedded_font_files
from tests.ui.conftest import type_text
from ui.volunteer_tab import VolunteerTab

TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def tab(window) -> VolunteerTab:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.volunteer)
    return window.volunteer


@pytest.fixture
def third(demo_database: Database, staff_id: int, known: dict[str, int]) -> int:
    with demo_database.write() as session:
        return residents.add_resident(session, staff_id, ResidentInput(
            "欧阳小明", known["household"], "男", "1990-05-05", relation="子女", phone="13900001111"))


def shown(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_create_an_activity_and_sign_three_people_in_and_out(  # type: ignore[no-untyped-def]
        qtbot, window, tab: VolunteerTab, third: int, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tab.activities
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_text(qtbot, dialog.title, "清理绿化带白色垃圾")
    dialog.kind.setCurrentText("环境整治")
    dialog.date.setText(f"{TOMORROW:%Y-%m-%d}")
    dialog.start.setText("09:00")
    dialog.end.setText("11:30")
    type_text(qtbot, dialog.place, "小区中心花园")
    qtbot.mouseClick(dialog.findChild(type(page.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.selected() is not None and page.selected().title == "清理绿化带白色垃圾"
    assert "小区中心花园" in page.details.text()

    monkeypatch.setattr(page, "now", lambda: dt.datetime.combine(TOMORROW, dt.time(8, 55)))
    for name in ("张三明", "王秀英", "oyxm"):  # the third by pinyin initials
        type_text(qtbot, page.picker.edit, name)
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
        assert "已签到" in page.done.text()
    assert sorted(shown(page.attendance_table, 0)) == sorted(["张三明", "王秀英", "欧阳小明"])
    assert shown(page.attendance_table, 3) == ["在场"] * 3

    monkeypatch.setattr(page, "now", lambda: dt.datetime.combine(TOMORROW, dt.time(11, 40)))  # counted to 11:30
    for name in ("张三明", "王秀英", "欧阳小明"):
        type_text(qtbot, page.picker.edit, name)
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
        assert "已签退，2.5小时" in page.done.text()
    assert shown(page.attendance_table, 4) == ["2.5"] * 3
    assert shown(page.attendance_table, 5) == ["2"] * 3  # 1 point an hour, whole points
    assert shown(page.attendance_table, 6) == ["待审核"] * 3
    assert window.points.pages.tabText(1) == "待审核 (3)"
    row = page.selected()
    assert row is not None and row.people == 3


def test_a_refused_sign_in_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
        qtbot, tab: VolunteerTab, demo_database: Database, staff_id: int, known: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_database.write() as session:
        activity = volunteer.add_activity(session, staff_id, volunteer.ActivityInput(
            "反诈宣传", "政策宣传", f"{TOMORROW:%Y-%m-%d}", "14:00", "16:00"))
        residents.move_out(session, staff_id, known["王秀英"], f"{dt.date.today():%Y-%m-%d}", "随子女居住")
    page = tab.activities
    page.reload()
    assert page.select_activity(activity)
    warnings: list[str] = []
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: warnings.append(text))
    page.sign_in_or_out(known["王秀英"])
    assert warnings and "迁出" in warnings[0]
    assert page.attendance_model.rowCount() == 0


def test_hours_afterwards_and_a_correction(  # type: ignore[no-untyped-def]
        qtbot, tab: VolunteerTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        activity = volunteer.add_activity(session, staff_id, volunteer.ActivityInput(
            "重阳节敬老活动", "节庆活动", "2026-10-29", "09:00", "12:00"))
    page = tab.activities
    page.when.setCurrentIndex(1)  # past
    assert page.select_activity(activity)
    picker = page.record_hours()
    picker.picker.choose(known["张三明"])
    hours = page.dialog
    assert hours.hours.text() == "3"
    qtbot.mouseClick(hours.findChild(type(page.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert shown(page.attendance_table, 4) == ["3"]
    page.attendance_table.selectRow(0)
    adjust = page.adjust_selected()
    adjust.hours.setText("1.5")
    qtbot.mouseClick(adjust.findChild(type(page.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert adjust.form.error_text("reason") == "请写明调整原因"
    type_text(qtbot, adjust.reason, "中途离开")
    qtbot.mouseClick(adjust.findChild(type(page.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert not adjust.isVisible()
    assert shown(page.attendance_table, 4) == ["1.5"] and shown(page.attendance_table, 7) == ["中途离开"]


def test_overdue_care_visits_are_listed_and_a_visit_is_logged(  # type: ignore[no-untyped-def]
        qtbot, tab: VolunteerTab, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    with demo_database.write() as session:
        granny = residents.add_resident(session, staff_id, ResidentInput(
            "赵桂英", known["household"], "女", "1940-01-01", relation="父母", care_tags=["独居老人"]))
        volunteer.log_visit(session, staff_id, granny, f"{dt.date.today() - dt.timedelta(days=20):%Y-%m-%d}",
                            "15:00", "16:00", [known["张三明"]])
    tab.show_page(tab.care)
    names = shown(tab.care.table, 0)
    row = names.index("赵桂英")
    assert shown(tab.care.table, 6)[row] == "逾期13天"
    tab.care.table.selectRow(row)
    qtbot.mouseClick(tab.care.visit_button, Qt.MouseButton.LeftButton)
    dialog = tab.care.dialog
    dialog.picker.choose(known["王秀英"])
    assert dialog.visitor_ids() == [known["王秀英"]]
    qtbot.mouseClick(dialog.findChild(type(tab.care.visit_button), "ok"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert shown(tab.care.table, 6)[shown(tab.care.table, 0).index("赵桂英")] == "按期"


def test_teams_and_members(qtbot, tab: VolunteerTab, known: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    tab.show_page(tab.teams)
    qtbot.mouseClick(tab.teams.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.teams.dialog
    type_text(qtbot, dialog.name, "红色志愿服务队")
    dialog.leader.choose(known["张三明"])
    qtbot.mouseClick(dialog.findChild(type(tab.teams.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert shown(tab.teams.table, 0) == ["红色志愿服务队"] and shown(tab.teams.table, 1) == ["张三明"]
    tab.teams.table.selectRow(0)
    adding = tab.teams.add_member()
    adding.picker.choose(known["王秀英"])
    assert sorted(shown(tab.teams.members_table, 0)) == ["张三明", "王秀英"]


def test_print_a_certificate(qtbot, tab: VolunteerTab, demo_database: Database, staff_id: int,  # type: ignore[no-untyped-def]
                             known: dict[str, int], tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    today = dt.date.today()
    with demo_database.write() as session:
        for day, start, end in ((today.replace(day=1), "09:00", "11:30"), (today, "08:00", "10:30")):
            activity = volunteer.add_activity(session, staff_id, volunteer.ActivityInput(
                "清理绿化带白色垃圾", "环境整治", f"{day:%Y-%m-%d}", start, end))
            volunteer.record_hours(session, staff_id, activity, known["张三明"])
    opened: list[object] = []
    monkeypatch.setattr("ui.reports.ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr("ui.reports.open_file", opened.append)
    tab.show_page(tab.hours)
    type_text(qtbot, tab.hours.person.edit, "张三明")
    qtbot.keyClick(tab.hours.person.edit, Qt.Key.Key_Return)
    assert shown(tab.hours.person_table, 12) == ["5"]
    qtbot.mouseClick(tab.hours.certificate_button, Qt.MouseButton.LeftButton)
    (path,) = opened
    assert path.name == f"志愿服务时长证明-张三明-{today.year}.pdf"  # type: ignore[attr-defined]
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "志愿服务时长证明" in text and "张三明" in text and "清理绿化带白色垃圾" in text
    assert "5" in text and "13812349876" not in text
    assert "/FontFile2" in embedded_font_files(path)  # type: ignore[arg-type]


def test_the_volunteer_settings_dialog(qtbot, window, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    from station import settings

    dialog = window.volunteer_settings()
    dialog.rate.setValue(2)
    dialog.rounding.setCurrentIndex(dialog.rounding.findData("nearest"))
    dialog.visits["独居老人"].setValue(10)
    dialog.visits["困境儿童"].setValue(0)
    qtbot.mouseClick(dialog.findChild(type(window.volunteer.activities.new_button), "ok"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with demo_database.read() as session:
        assert settings.get(session, settings.POINTS_PER_HOUR) == 2
        assert settings.get(session, settings.ROUNDING) == "nearest"
        visits = settings.get(session, settings.VISIT_DAYS)
    assert visits["独居老人"] == 10 and "困境儿童" not in visits
