"""Signing in at the desk, the screen lock after the desk is left alone, resetting a forgotten password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from db.engine import Database
from station import staff
from station.vocab import CLERK
from tests.ui.conftest import type_text
from ui.login import LoginDialog


def ok(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)


def test_the_first_sign_in_sets_the_password_then_it_is_asked_for(qtbot, database: Database,  # type: ignore[no-untyped-def]
                                                                 staff_id: int) -> None:
    dialog = LoginDialog(database, preselect=staff_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.first_time() and dialog.first.isVisible()
    type_text(qtbot, dialog.password, "kaimen2026")
    type_text(qtbot, dialog.confirm, "kaimen2025")
    ok(qtbot, dialog)
    assert dialog.form.error_text("confirm") == "两次输入的密码不一样" and dialog.staff is None
    dialog.confirm.clear()
    type_text(qtbot, dialog.confirm, "kaimen2026")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert dialog.staff == (staff_id, "李红")

    again = LoginDialog(database, preselect=staff_id)
    qtbot.addWidget(again)
    again.show()
    assert not again.first_time() and not again.confirm.isVisible()
    for _ in range(3):
        type_text(qtbot, again.password, "wrong1")
        qtbot.keyClick(again.password, Qt.Key.Key_Return)
    assert again.staff is None and again.form.error_text("password") == "密码不对，请15秒后再试"
    type_text(qtbot, again.password, "kaimen2026")
    qtbot.keyClick(again.password, Qt.Key.Key_Return)
    assert again.staff is None and "密码错误次数过多" in again.form.error_text("password")


def test_the_screen_locks_when_left_alone_and_the_work_in_progress_stays(  # type: ignore[no-untyped-def]
        qtbot, window, demo_database: Database, staff_id: int) -> None:
    with demo_database.write() as session:
        staff.set_first_password(session, staff_id, "kaimen2026", "kaimen2026")
    record = window.record_points()
    type_text(qtbot, record.note, "门前三包")
    window.idle_lock.start()
    window.idle_lock.timer.timeout.emit()  # ten minutes without a key or a click
    lock = window.idle_lock.dialog
    assert lock is not None and lock.isVisible()
    qtbot.keyClick(lock.password, Qt.Key.Key_Escape)
    assert lock.isVisible()  # Esc does not unlock
    type_text(qtbot, lock.password, "wrong1")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert lock.isVisible() and "密码不对" in lock.form.error_text("password")
    lock.password.clear()
    type_text(qtbot, lock.password, "kaimen2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert not lock.isVisible() and window.idle_lock.dialog is None
    assert record.isVisible() and record.note.text() == "门前三包"  # nothing typed is lost
    assert window.idle_lock.timer.isActive()
    window.idle_lock.stop()


def test_the_locked_screen_hides_the_residents_data_of_the_window_and_its_open_dialogs(  # type: ignore[no-untyped-def]
        qtbot, window, demo_database: Database, staff_id: int) -> None:
    from ui.login import LockCover

    with demo_database.write() as session:
        staff.set_first_password(session, staff_id, "kaimen2026", "kaimen2026")
    record = window.record_points()
    window.idle_lock.start()
    window.idle_lock.timer.timeout.emit()
    lock = window.idle_lock.dialog
    assert lock is not None
    def covers(shown):  # type: ignore[no-untyped-def]
        return [c for c in shown.findChildren(LockCover, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if c.isVisible()]

    for shown in (window, record):  # a passer-by reads nothing of what was open
        assert covers(shown) and covers(shown)[0].geometry() == shown.rect()
    window.resize(window.width() - 50, window.height() - 30)
    assert covers(window)[0].geometry() == window.rect()
    assert not lock.findChildren(LockCover)
    type_text(qtbot, lock.password, "kaimen2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert not covers(window) and not covers(record)
    assert record.isVisible()
    window.idle_lock.stop()


def test_an_admin_resets_a_forgotten_password_in_the_staff_dialog(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                                  staff_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr("ui.messages.info", lambda _parent, text, *_a: said.append(text))
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: said.append(text))
    with demo_database.write() as session:
        clerk = staff.add(session, staff_id, "王录入", CLERK)
        staff.set_first_password(session, clerk, "kaimen2026", "kaimen2026")
    accounts = window.open_staff()
    assert accounts.reset_password() is None and said == ["请先在列表里点选一位工作人员"]  # told, not ignored
    said.clear()
    row = next(n for n, a in enumerate(accounts._accounts) if a.id == clerk)
    accounts.table.selectRow(row)
    reset = accounts.reset_password()
    assert reset is not None and reset.windowTitle() == "重设密码：王录入"
    type_text(qtbot, reset.password, "xinmima88")
    type_text(qtbot, reset.confirm, "xinmima88")
    ok(qtbot, reset)
    assert not reset.isVisible() and said == ["王录入的密码已重设，请当面告诉本人。"]
    with demo_database.write() as session:
        assert staff.login(session, clerk, "xinmima88").account is not None
    accounts.close()


@pytest.mark.parametrize("minutes", [0, 241])
def test_the_lock_time_is_a_setting_within_reason(database: Database, staff_id: int, minutes: int) -> None:
    from station import settings
    from station.errors import ValidationError

    with pytest.raises(ValidationError, match="自动锁屏"), database.write() as session:
        settings.put(session, staff_id, settings.LOCK_MINUTES, minutes)


def test_an_admin_reads_the_audit_log_filtered_and_a_clerk_may_not(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                                 staff_id: int, known: dict[str, int],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from station import audit
    from station.errors import ValidationError

    with demo_database.write() as session:
        clerk = staff.add(session, staff_id, "王录入", CLERK)
    log = window.open_audit_log()
    assert log is not None and log.model.rowCount() > 0
    log.entity.setCurrentIndex(log.entity.findData("staff"))
    assert {row.summary for row in log.rows} >= {"新增工作人员：王录入（录入员）"}
    assert all(row.entity == "工作人员" for row in log.rows)
    log.who.setCurrentIndex(log.who.findData(clerk))
    assert log.rows == []  # the clerk has done nothing yet
    log.close()
    with demo_database.read() as session, pytest.raises(ValidationError, match="需要管理员"):
        audit.entries(session, clerk)


def test_an_auditor_does_not_see_care_tags_in_the_residents_tab_or_the_visits(qtbot, demo_database: Database,  # type: ignore[no-untyped-def]
                                                                             staff_id: int, data_dir,
                                                                             known: dict[str, int]) -> None:
    from station.vocab import AUDITOR
    from ui.main_window import MainWindow
    from ui.table_models import ResidentTableModel

    with demo_database.write() as session:
        auditor = staff.add(session, staff_id, "赵审核", AUDITOR)
    window = MainWindow(demo_database, (auditor, "赵审核"), data_dir)
    qtbot.addWidget(window)
    window.show()
    tab = window.residents
    tab.search.setText("王秀英")  # 残疾人
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, ResidentTableModel.COL_CARE).data() == ""
    assert all(not str(tab.group.itemData(n)).startswith("care") for n in range(tab.group.count()))
    window.tabs.setCurrentWidget(window.volunteer)
    window.volunteer.show_page(window.volunteer.care)
    assert window.volunteer.care.model.rowCount() == 0
    assert window.volunteer.care.summary.text() == "关爱走访名单只对录入员和管理员显示"


def test_changing_ones_own_password_asks_for_the_present_one(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                            staff_id: int) -> None:
    with demo_database.write() as session:
        staff.set_first_password(session, staff_id, "kaimen2026", "kaimen2026")
    dialog = window.change_password()
    assert dialog.current.isVisible()
    type_text(qtbot, dialog.current, "kaimen2025")
    type_text(qtbot, dialog.password, "xinmima88")
    type_text(qtbot, dialog.confirm, "xinmima88")
    ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.form.error_text("current") == "现在的密码不对"
    dialog.current.clear()
    type_text(qtbot, dialog.current, "kaimen2026")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    with demo_database.write() as session:
        assert staff.login(session, staff_id, "xinmima88").account is not None
