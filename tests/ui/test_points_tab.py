"""The 积分 tab as a station worker uses it: record, approve, reject, reverse, close a month, rate a half-year."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from db.engine import Database
from station import points, staff
from station.points import EntryInput, LedgerQuery
from station.vocab import AUDITOR
from tests.ui.conftest import type_text
from ui.points_tab import PointsTab


@pytest.fixture
def auditor(demo_database: Database, staff_id: int) -> int:
    with demo_database.write() as session:
        return staff.add(session, staff_id, "李建国", AUDITOR)


@pytest.fixture
def tab(window) -> PointsTab:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.points)
    return window.points


def item_id(database: Database, name_part: str) -> int:
    with database.read() as session:
        return next(i.id for i in points.catalogue(session) if name_part in i.name)


def record(database: Database, staff_id: int, resident_id: int, name_part: str = "好人好事",
           day: dt.date | None = None) -> int:
    with database.write() as session:
        return points.record(session, staff_id, EntryInput(item_id(database, name_part), resident_id, None,
                                                           f"{day or dt.date.today():%Y-%m-%d}"))


def shown(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_record_points_with_the_keyboard(qtbot, window, tab: PointsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                         known: dict[str, int]) -> None:
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.ledger.dialog
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.person.edit, "张三明")
    assert "张三明" in dialog.person.matches.item(0).text()
    qtbot.keyClick(dialog.person.edit, Qt.Key.Key_Return)  # takes the first match, on to the item
    assert dialog.person.resident_id == known["张三明"]
    assert "已选：张三明" in dialog.person.chosen_label.text()
    line = dialog.item.lineEdit()
    assert dialog.focusWidget() in (dialog.item, line)
    type_text(qtbot, line, "拾金")  # part of 好人好事、拾金不昧
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert dialog.item.item_id() == item_id(demo_database, "好人好事")
    assert dialog.focusWidget() is dialog.note
    type_text(qtbot, dialog.note, "拾到钱包交还失主")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert shown(tab.ledger.table, 2)[0] == "张三明"
    assert shown(tab.ledger.table, 7)[0] == "待审核"
    assert tab.pages.tabText(1) == "待审核 (1)"
    with demo_database.read() as session:
        (row,) = points.ledger(session, LedgerQuery())
    assert (row.item, row.points, row.note) == ("好人好事、拾金不昧", 5, "拾到钱包交还失主")


def test_two_people_of_the_same_name_are_not_guessed(qtbot, tab: PointsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                                     staff_id: int, known: dict[str, int]) -> None:
    from station import residents
    from station.residents import ResidentInput

    with demo_database.write() as session:
        residents.add_resident(session, staff_id, ResidentInput("张三明", known["household"], "男", "1980-01-01",
                                                                relation="子女"))
    dialog = tab.record()
    type_text(qtbot, dialog.person.edit, "张三明")
    dialog.item.setCurrentIndex(dialog.item.findData(item_id(demo_database, "好人好事")))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("who") == "有2位居民符合，请在列表中点选一位"
    with demo_database.read() as session:
        assert points.ledger(session, LedgerQuery()) == []


def test_a_household_item_ticks_whole_household(qtbot, tab: PointsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                                known: dict[str, int]) -> None:
    dialog = tab.record()
    dialog.person.choose(known["王秀英"])
    dialog.item.setCurrentIndex(dialog.item.findData(item_id(demo_database, "门前三包")))
    assert dialog.whole_household.isChecked() and not dialog.whole_household.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with demo_database.read() as session:
        (row,) = points.ledger(session, LedgerQuery())
    assert row.name == "全户" and row.address == "9栋3单元1202"


def test_a_refused_entry_says_why_beside_the_field(qtbot, tab: PointsTab, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = tab.record()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.form.error_text("who") == "请先选择居民或住户"
    assert dialog.form.error_text("item") == "请选择积分项目"
    with demo_database.read() as session:
        assert points.ledger(session, LedgerQuery()) == []


def reviews(database: Database) -> list[tuple[int, str, str]]:
    """(entry, reviewer's name, state) of every review, as 积分台账 shows them."""
    from sqlalchemy import select

    from db.models import PointReview, Staff

    with database.read() as session:
        return [(entry, name, state) for entry, name, state in session.execute(
            select(PointReview.entry_id, Staff.name, PointReview.decision)
            .join(Staff, Staff.id == PointReview.reviewed_by).order_by(PointReview.id))]


def test_a_clerk_is_offered_no_approval_and_the_service_is_never_called(  # type: ignore[no-untyped-def]
        qtbot, window_for, demo_database: Database, staff_id: int, auditor: int, known: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from station.vocab import CLERK

    with demo_database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
    record(demo_database, clerk, known["张三明"])
    desk = window_for(clerk, "王秀兰")
    desk.tabs.setCurrentWidget(desk.points)
    desk.points.show_page(desk.points.review)
    page = desk.points.review
    assert page.model.rowCount() == 1
    assert page.findChild(type(page.approve_button), "reviewer") is None  # no list of whose name to act under
    assert not page.approve_button.isVisible() and not page.reject_button.isVisible()
    assert "需要积分审核员账号" in page.findChild(type(page.count), "review_hint").text()
    called: list[object] = []
    monkeypatch.setattr(points, "review", lambda *a, **k: called.append(a))
    page.table.selectRow(0)
    assert page.approve() is False and page.reject_selected() is None
    assert called == []
    assert page.act_as_button.isVisible() and page.act_as_button.isEnabled()  # an auditor may approve here


def test_an_auditor_approves_and_the_residents_tab_shows_the_points(  # type: ignore[no-untyped-def]
        qtbot, window_for, demo_database: Database, staff_id: int, auditor: int,
        known: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    first = record(demo_database, staff_id, known["张三明"])
    second = record(demo_database, staff_id, known["王秀英"], "门前三包")
    window = window_for(auditor, "李建国")
    window.tabs.setCurrentWidget(window.points)
    tab = window.points
    tab.show_page(tab.review)
    assert sorted(int(i) for i in shown(tab.review.table, 0)) == [first, second]
    monkeypatch.setattr("ui.messages.confirm", lambda *_a, **_k: True)
    qtbot.mouseClick(tab.review.findChild(type(tab.review.approve_button), "select_all"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.review.approve_button, Qt.MouseButton.LeftButton)
    assert tab.review.model.rowCount() == 0
    assert tab.pages.tabText(1) == "待审核"
    assert reviews(demo_database) == [(first, "李建国", "approved"), (second, "李建国", "approved")]
    window.tabs.setCurrentWidget(window.residents)
    type_text(qtbot, window.residents.search, "张三明")
    model = window.residents.model
    assert model.index(0, model.COL_POINTS).data() == "5"


def test_another_auditor_approves_at_this_desk_with_their_own_password(  # type: ignore[no-untyped-def]
        qtbot, window_for, demo_database: Database, staff_id: int, auditor: int, known: dict[str, int]) -> None:
    """换人审核: the action is the other auditor's alone; a wrong password records nobody and counts."""
    from sqlalchemy import select

    from db.models import Staff

    with demo_database.write() as session:
        other = staff.add(session, staff_id, "赵敏", AUDITOR, "zhaomin88", one_time=False)
    entry = record(demo_database, staff_id, known["张三明"])
    window = window_for(auditor, "李建国")
    window.tabs.setCurrentWidget(window.points)
    page = window.points.review
    window.points.show_page(page)
    page.table.selectRow(0)
    qtbot.mouseClick(page.act_as_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert [dialog.account.itemData(n) for n in range(dialog.account.count())] == [other]  # not the one signed in
    dialog.account.setCurrentIndex(dialog.account.findData(other))
    type_text(qtbot, dialog.password, "wrong88")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and "密码不对" in dialog.form.error_text("password")
    assert reviews(demo_database) == []
    with demo_database.read() as session:
        assert session.scalar(select(Staff.failed_logins).where(Staff.id == other)) == 1  # counts toward the wait
    type_text(qtbot, dialog.password, "zhaomin88")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert reviews(demo_database) == [(entry, "赵敏", "approved")]
    assert window.staff_id == auditor and window.staff_label.text() == "操作员：李建国（积分审核员）"  # the desk stays


def test_the_recorder_cannot_approve_their_own_entry(  # type: ignore[no-untyped-def]
        qtbot, window_for, demo_database: Database, auditor: int, known: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    record(demo_database, auditor, known["张三明"])
    window = window_for(auditor, "李建国")
    window.tabs.setCurrentWidget(window.points)
    tab = window.points
    tab.show_page(tab.review)
    warnings: list[str] = []
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: warnings.append(text))
    tab.review.table.selectRow(0)
    qtbot.mouseClick(tab.review.approve_button, Qt.MouseButton.LeftButton)
    assert warnings and "本人录入" in warnings[0]
    assert tab.review.model.rowCount() == 1


def test_reject_with_a_reason(qtbot, window_for, demo_database: Database, staff_id: int,  # type: ignore[no-untyped-def]
                              auditor: int, known: dict[str, int]) -> None:
    record(demo_database, staff_id, known["张三明"])
    window = window_for(auditor, "李建国")
    window.tabs.setCurrentWidget(window.points)
    tab = window.points
    tab.show_page(tab.review)
    tab.review.table.selectRow(0)
    qtbot.mouseClick(tab.review.reject_button, Qt.MouseButton.LeftButton)
    dialog = tab.review.dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("reason") == "驳回请写明原因"
    type_text(qtbot, dialog.reason, "无签到记录")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    tab.show_page(tab.ledger)
    assert shown(tab.ledger.table, 7) == ["已驳回：无签到记录"]


def test_reverse_an_approved_entry(qtbot, tab: PointsTab, demo_database: Database, staff_id: int,  # type: ignore[no-untyped-def]
                                   auditor: int, known: dict[str, int]) -> None:
    entry = record(demo_database, staff_id, known["张三明"])
    with demo_database.write() as session:
        points.review(session, auditor, [entry], approve=True)
    tab.records_changed()
    tab.show_page(tab.ledger)
    assert not tab.ledger.reverse_button.isEnabled()
    assert tab.ledger.select_entry(entry)
    assert tab.ledger.reverse_button.isEnabled()
    qtbot.mouseClick(tab.ledger.reverse_button, Qt.MouseButton.LeftButton)
    dialog = tab.ledger.dialog
    type_text(qtbot, dialog.reason, "记错了人")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    rows = dict(zip(shown(tab.ledger.table, 0), shown(tab.ledger.table, 6)))
    assert rows[str(entry)] == "+5" and list(rows.values()).count("-5") == 1
    assert "冲正待审核" in shown(tab.ledger.table, 7)[list(rows).index(str(entry))]
    assert tab.ledger.select_entry(entry)
    assert not tab.ledger.reverse_button.isEnabled()  # reversed once is enough


def test_close_last_month(qtbot, tab: PointsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.messages.confirm", lambda *_a, **_k: True)
    tab.show_page(tab.months)
    tab.months.table.selectRow(1)  # last month; this month is not over
    qtbot.mouseClick(tab.months.close_button, Qt.MouseButton.LeftButton)
    assert shown(tab.months.table, 5)[:2] == ["未结账", "已结账"]
    assert shown(tab.months.table, 6)[1] == "李红"
    last_month = points.month_of(dt.date.today().replace(day=1) - dt.timedelta(days=1))
    with demo_database.read() as session:
        assert points.is_closed(session, last_month)


def test_rate_a_half_year(qtbot, tab: PointsTab, demo_database: Database, staff_id: int, auditor: int,  # type: ignore[no-untyped-def]
                          known: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_database.read() as session:
        period = next(p for p in points.periods(session) if p.last < dt.date.today())
    with demo_database.write() as session:
        big = points.add_item(session, staff_id, points.ItemInput("测试", "大额测试项目", "85"))
    entry = record(demo_database, staff_id, known["张三明"], "大额测试项目", day=period.first)
    with demo_database.write() as session:
        points.review(session, auditor, [entry], approve=True)
        for month in points.months_between(period.first, period.last):
            points.close_month(session, staff_id, month)
    assert big
    monkeypatch.setattr("ui.messages.confirm", lambda *_a, **_k: True)
    tab.records_changed()
    tab.show_page(tab.stars)
    tab.stars.period.setCurrentIndex(tab.stars.period.findData(period.period))
    assert "尚未评定" in tab.stars.state.text()
    assert shown(tab.stars.table, 0) == ["四星家庭"]
    qtbot.mouseClick(tab.stars.rate_button, Qt.MouseButton.LeftButton)
    assert "已于" in tab.stars.state.text() and "共 1 户" in tab.stars.state.text()
    assert not tab.stars.rate_button.isEnabled()
    assert shown(tab.stars.table, 5) == ["150"]


def test_catalogue_add_and_retire(qtbot, tab: PointsTab, demo_database: Database,  # type: ignore[no-untyped-def]
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    tab.show_page(tab.catalogue)
    qtbot.mouseClick(tab.catalogue.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.catalogue.dialog
    dialog.category.setCurrentText("环境卫生")
    type_text(qtbot, dialog.name, "认领绿地养护")
    type_text(qtbot, dialog.points, "3")
    dialog.save()
    assert not dialog.isVisible()
    names = shown(tab.catalogue.table, 1)
    row = names.index("认领绿地养护")
    monkeypatch.setattr("ui.messages.confirm", lambda *_a, **_k: True)
    tab.catalogue.table.selectRow(row)
    qtbot.mouseClick(tab.catalogue.retire_button, Qt.MouseButton.LeftButton)
    assert shown(tab.catalogue.table, 5)[shown(tab.catalogue.table, 1).index("认领绿地养护")] == "已停用"


def test_the_resident_points_dialog_lists_entries(qtbot, window, demo_database: Database, staff_id: int,  # type: ignore[no-untyped-def]
                                                  known: dict[str, int]) -> None:
    record(demo_database, staff_id, known["张三明"])
    tab = window.residents
    type_text(qtbot, tab.search, "张三明")
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.points_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert "现有积分 0 分" in dialog.summary.text() and "待审核 +5 分" in dialog.summary.text()
    assert dialog.model.rowCount() == 1


def test_print_the_monthly_notice_and_open_it(qtbot, tab: PointsTab, tmp_path, known: dict[str, int],  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    opened: list[object] = []
    monkeypatch.setattr("ui.reports.ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr("ui.reports.open_file", opened.append)
    tab.show_page(tab.months)
    tab.months.table.selectRow(1)
    qtbot.mouseClick(tab.months.print_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    text = "".join(page.extract_text() for page in PdfReader(opened[0]).pages)
    assert "积分公示" in text and "9栋" in text and "张*明" in text and "张三明" not in text
    assert opened[0].name.startswith("月度积分公示-")  # type: ignore[attr-defined]


def test_printing_an_unrated_half_year_is_not_offered(tab: PointsTab) -> None:
    tab.show_page(tab.stars)
    view = tab.stars.selected()
    assert view is not None and view.rated_at is None
    assert not tab.stars.print_button.isEnabled() and tab.stars.rate_button.isEnabled()


def test_the_residents_tab_keeps_the_selection_when_sorted_by_points(qtbot, window, known: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    assert tab.select_resident(known["王秀英"])
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(tab.model.COL_POINTS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert tab.model.query.sort == "points"
    assert tab.selected_id() == known["王秀英"]
