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
    assert not reset.isVisible() and said == ["王录入的密码已重设为一次性密码，请当面告诉本人；本人下次登录时要改成自己的密码。"]
    with demo_database.write() as session:
        outcome = staff.login(session, clerk, "xinmima88")
    assert outcome.account is not None and outcome.must_change  # a one-time password, changed at sign-in
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
    # no 关怀标签 column at all: an empty one would read as "nobody here needs care"
    assert tab.table.isColumnHidden(ResidentTableModel.COL_CARE)
    assert all(not str(tab.group.itemData(n)).startswith("care") for n in range(tab.group.count()))
    pages = window.volunteer.pages
    assert "关爱走访" not in [pages.tabText(n) for n in range(pages.count())]
    assert window.volunteer.care.model.rowCount() == 0

    clerk_desk = MainWindow(demo_database, (staff_id, "李红"), data_dir)  # an administrator sees them
    qtbot.addWidget(clerk_desk)
    assert not clerk_desk.residents.table.isColumnHidden(ResidentTableModel.COL_CARE)
    pages = clerk_desk.volunteer.pages
    assert "关爱走访" in [pages.tabText(n) for n in range(pages.count())]


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


def _accounts(database: Database, admin: int) -> int:
    """The administrator and a clerk with passwords of their own; returns the clerk."""
    with database.write() as session:
        staff.set_first_password(session, admin, "lihong2026", "lihong2026")
        return staff.add(session, admin, "王秀兰", CLERK, "wangxl88", one_time=False)


def test_the_desk_changes_hands_by_keyboard_alone(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                  staff_id: int, data_dir) -> None:
    from ui.login import LockCover

    clerk = _accounts(demo_database, staff_id)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # 文件 → 切换用户
    login = window.login
    assert login is not None and login.isVisible() and login.windowTitle().startswith("切换用户")
    assert login.account.currentIndex() == -1  # nobody chosen: a try must not count against the one who left
    assert window.findChildren(LockCover) and window.findChildren(LockCover)[0].isVisible()  # nothing readable
    qtbot.keyClick(login.password, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert login.focusWidget() is login.account
    while login.account.currentData() != clerk:
        qtbot.keyClick(login.account, Qt.Key.Key_Down)
    qtbot.keyClick(login.account, Qt.Key.Key_Tab)
    type_text(qtbot, login.password, "wangxl88")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert window.login is None and not login.isVisible()
    assert (window.staff_id, window.staff_name, window.role) == (clerk, "王秀兰", CLERK)
    assert window.staff_label.text() == "操作员：王秀兰（录入员）"
    assert not [cover for cover in window.findChildren(LockCover) if cover.isVisible()]
    assert not window.staff_action.isEnabled() and "需要管理员账号" in window.staff_action.toolTip()
    assert not window.points.review.act_as_button.isHidden() and window.points.review.approve_button.isHidden()
    with demo_database.read() as session:
        from station import audit

        log = audit.entries(session, staff_id)
    assert [row.summary for row in log[:2]] == ["登录：王秀兰", "退出登录（切换用户）：李红"]

    from ui.login import LoginDialog  # the next start begins on the last person who signed in here

    again = LoginDialog(demo_database)
    qtbot.addWidget(again)
    assert again.account.currentData() == clerk


def test_switching_names_an_open_dialog_with_typed_input_first(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                               staff_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _accounts(demo_database, staff_id)
    record = window.record_points()
    type_text(qtbot, record.note, "门前三包")
    asked: list[str] = []
    monkeypatch.setattr("ui.messages.confirm", lambda _p, text, *_a: asked.append(text) or False)
    assert window.switch_user() is False
    assert len(asked) == 1 and f"“{record.windowTitle()}”" in asked[0] and "不会保存" in asked[0]
    assert record.isVisible() and window.login is None  # nothing changed
    monkeypatch.setattr("ui.messages.confirm", lambda _p, text, *_a: asked.append(text) or True)
    assert window.switch_user() is True
    assert not record.isVisible() and window.login is not None
    window.login.reject()  # nobody signs in: the desk closes rather than stay open under the old name
    assert not window.isVisible()


def test_the_lock_screen_offers_another_person(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                staff_id: int) -> None:
    clerk = _accounts(demo_database, staff_id)
    window.idle_lock.start()
    window.idle_lock.timer.timeout.emit()
    lock = window.idle_lock.dialog
    assert lock is not None
    qtbot.mouseClick(lock.switch_button, Qt.MouseButton.LeftButton)
    login = window.login
    assert login is not None and login.isVisible()
    login.account.setCurrentIndex(login.account.findData(clerk))
    type_text(qtbot, login.password, "wangxl88")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert window.staff_id == clerk and window.idle_lock.account == (clerk, "王秀兰")
    window.idle_lock.stop()


def test_an_empty_password_is_not_a_try(qtbot, window, demo_database: Database, staff_id: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from db.models import Staff

    _accounts(demo_database, staff_id)
    dialog = LoginDialog(demo_database, preselect=staff_id)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(4):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.form.error_text("password") == "请输入密码"
    window.idle_lock.start()
    window.idle_lock.timer.timeout.emit()
    lock = window.idle_lock.dialog
    for _ in range(4):
        qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert lock.isVisible() and lock.form.error_text("password") == "请输入密码"
    with demo_database.read() as session:
        assert session.scalar(select(Staff.failed_logins).where(Staff.id == staff_id)) == 0
    type_text(qtbot, lock.password, "lihong2026")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    window.idle_lock.stop()


def test_a_new_account_is_claimed_only_with_its_one_time_password(qtbot, window, demo_database: Database,  # type: ignore[no-untyped-def]
                                                                  staff_id: int) -> None:
    _accounts(demo_database, staff_id)
    accounts = window.open_staff()
    add = accounts.add()
    type_text(qtbot, add.name, "新管理员")
    add.role.setCurrentText("管理员")
    save = next(button for button in add.findChildren(QPushButton) if button.text() == "保存")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert add.isVisible() and add.form.error_text("password") == "密码至少6位"  # no account without one
    type_text(qtbot, add.password, "yici2026")
    type_text(qtbot, add.confirm, "yici2026")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not add.isVisible()
    accounts.close()
    with demo_database.read() as session:
        new = next(a.id for a in staff.accounts(session) if a.name == "新管理员")

    passer_by = LoginDialog(demo_database, preselect=new)  # a passer-by cannot set a password of their own
    qtbot.addWidget(passer_by)
    passer_by.show()
    assert not passer_by.first_time() and not passer_by.confirm.isVisible()
    type_text(qtbot, passer_by.password, "mine2026")
    qtbot.keyClick(passer_by.password, Qt.Key.Key_Return)
    assert passer_by.staff is None and "密码不对" in passer_by.form.error_text("password")

    owner = LoginDialog(demo_database, preselect=new)
    qtbot.addWidget(owner)
    owner.show()
    type_text(qtbot, owner.password, "yici2026")
    qtbot.keyClick(owner.password, Qt.Key.Key_Return)
    assert owner.staff is None and owner.new_password.isVisible()  # the one-time password is changed first
    type_text(qtbot, owner.new_password, "yici2026")
    type_text(qtbot, owner.confirm, "yici2026")
    qtbot.keyClick(owner.confirm, Qt.Key.Key_Return)
    assert owner.staff is None and owner.form.error_text("new_password") == "新密码不能和现在的密码一样"
    owner.new_password.clear()
    owner.confirm.clear()
    type_text(qtbot, owner.new_password, "xinguan2026")
    type_text(qtbot, owner.confirm, "xinguan2026")
    qtbot.keyClick(owner.confirm, Qt.Key.Key_Return)
    assert owner.staff == (new, "新管理员")
    with demo_database.write() as session:
        outcome = staff.login(session, new, "xinguan2026")
    assert outcome.account is not None and not outcome.must_change


def test_an_account_without_a_password_cannot_be_signed_in_to(qtbot, database: Database, staff_id: int) -> None:  # type: ignore[no-untyped-def]
    with database.write() as session:
        staff.set_first_password(session, staff_id, "lihong2026", "lihong2026")
        bare = staff.add(session, staff_id, "无密码", CLERK)
    dialog = LoginDialog(database, preselect=bare)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.first_time()
    type_text(qtbot, dialog.password, "anything1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.staff is None and "还没有密码，请管理员" in dialog.form.error_text("password")
