"""Every action is the signed-in person's: every menu action and every button of every tab, as each role.

For each of four accounts (录入员, 积分审核员, 管理员, and a 录入员 marked 停用 after signing in) a window is
opened and every enabled QAction of its menus and every enabled, shown button of every page of every tab is
pressed, with the first row of each list chosen; each dialog that opens is confirmed once with what it
holds, then closed. Every role check a service makes (``require_role``, wrapped in every module that
imported it) must carry the signed-in account, and so must every 操作记录 row written meanwhile. A control
that is disabled or not offered is pressed too, and must do nothing at all.

Modal questions are answered by patching (yes to confirmations, cancel to file choosers), never left to block.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry
from station import access, staff
from station.vocab import AUDITOR, CLERK
from ui.pages import PagedTab

TODAY = f"{dt.date.today():%Y-%m-%d}"
SKIPPED_ACTIONS = {"切换用户(&U)…", "退出(&X)"}  # they end the desk itself; tests of their own cover them


class Calls:
    """The accounts the services' role checks were asked about, in order."""

    def __init__(self) -> None:
        self.accounts: list[int] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()
    original = access.require_role

    def wrapped(session: Any, staff_id: int, roles: Any, doing: str) -> Any:
        seen.accounts.append(staff_id)
        return original(session, staff_id, roles, doing)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if (name.startswith("station") or name.startswith("ui")) and getattr(module, "require_role", None) is original:
            monkeypatch.setattr(module, "require_role", wrapped)
    return seen


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every question a person would answer is answered at once: yes to confirmations, cancel to files."""
    monkeypatch.setattr("ui.messages.confirm", lambda *_a, **_k: True)
    monkeypatch.setattr("ui.messages.info", lambda *_a, **_k: None)
    monkeypatch.setattr("ui.messages.warn", lambda *_a, **_k: None)
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.No)
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *_a, **_k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "about", lambda *_a, **_k: None)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: "")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda *_a, **_k: True)
    yield


def _shown(widget: QWidget) -> bool:
    """Shown to the user: neither it nor a parent up to its page was hidden."""
    while widget is not None:
        if widget.isHidden():
            return False
        widget = widget.parentWidget()
    return True


def _close_dialogs(qtbot) -> int:  # type: ignore[no-untyped-def]
    """Confirm each dialog that opened once with what it holds, then close it. How many there were."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    count = 0
    for _round in range(3):  # a confirmed dialog may open another
        dialogs = [top for top in app.topLevelWidgets() if isinstance(top, QDialog) and top.isVisible()]
        if not dialogs:
            break
        for dialog in dialogs:
            count += 1
            ok = dialog.findChild(QPushButton, "ok")
            if ok is not None and ok.isEnabled() and _shown(ok):
                ok.click()
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)
    return count


def _pages(window) -> list[QWidget]:  # type: ignore[no-untyped-def]
    found: list[QWidget] = []
    for n in range(window.tabs.count()):
        tab = window.tabs.widget(n)
        window.tabs.setCurrentIndex(n)
        if isinstance(tab, PagedTab):
            for page in tab.page_list:
                if tab.pages.indexOf(page) >= 0:
                    found.append(page)
        else:
            found.append(tab)
    return found


def _press_everything(qtbot, window, calls: Calls) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Press every control; the count of (pressed, refused-to-press because disabled or not offered)."""
    pressed = refused = 0
    for page in _pages(window):
        for n in range(window.tabs.count()):  # show the page where the user would
            tab = window.tabs.widget(n)
            if isinstance(tab, PagedTab) and tab.pages.indexOf(page) >= 0:
                window.tabs.setCurrentIndex(n)
                tab.show_page(page)
            elif tab is page:
                window.tabs.setCurrentIndex(n)
        for table in page.findChildren(QTableView):
            if table.model() is not None and table.model().rowCount() > 0:
                table.selectRow(0)
        for button in page.findChildren(QAbstractButton):
            if not isinstance(button, QPushButton) or button.objectName() in ("", "qt_toolbar_ext_button"):
                continue
            if button.isEnabled() and _shown(button):
                button.click()
                pressed += 1
                _close_dialogs(qtbot)
            else:
                before = len(calls.accounts)
                button.click()  # a disabled button does nothing, whatever presses it
                refused += 1
                assert len(calls.accounts) == before, f"{button.objectName()} acted while not offered"
                assert _close_dialogs(qtbot) == 0, f"{button.objectName()} opened a dialog while not offered"
    for action in window.menuBar().findChildren(QAction):
        if action.isSeparator() or action.menu() is not None or action.text() in SKIPPED_ACTIONS or not action.text():
            continue
        before = len(calls.accounts)
        enabled = action.isEnabled()
        action.trigger()
        if enabled:
            pressed += 1
            _close_dialogs(qtbot)
        else:
            refused += 1
            assert len(calls.accounts) == before, f"{action.text()} acted while disabled"
            assert _close_dialogs(qtbot) == 0, f"{action.text()} opened a dialog while disabled"
    return pressed, refused


def _audit_count(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


@pytest.mark.parametrize("role", [CLERK, AUDITOR, "管理员", "停用"])
def test_every_control_acts_as_the_signed_in_account(  # type: ignore[no-untyped-def]
        qtbot, window_for, demo_database: Database, staff_id: int, known: dict[str, int], calls: Calls,
        answered: None, role: str) -> None:
    from station import points, shop
    from station.points import EntryInput

    with demo_database.write() as session:
        others = {CLERK: staff.add(session, staff_id, "王秀兰", CLERK), AUDITOR: staff.add(session, staff_id, "李建国",
                                                                                           AUDITOR)}
        gone = staff.add(session, staff_id, "钱离职", CLERK)
        item = next(i.id for i in points.catalogue(session) if "好人好事" in i.name)
        # something to act on in every list: a pending entry, an approved one, a redemption, goods on the shelf
        pending = points.record(session, others[CLERK], EntryInput(item, known["张三明"], None, TODAY))
        approved = points.record(session, others[CLERK], EntryInput(item, known["王秀英"], None, TODAY))
        points.review(session, others[AUDITOR], [approved], approve=True)
        soap = shop.save_item(session, staff_id, shop.ItemInput("洗衣皂", "1", "goods", "日用品", "块"))
        shop.stock_in(session, staff_id, soap, "5", "政府支持")
        shop.redeem(session, others[CLERK], [shop.BasketLine(soap)], known["王秀英"])
    assert pending
    account, name = {CLERK: (others[CLERK], "王秀兰"), AUDITOR: (others[AUDITOR], "李建国"),
                     "管理员": (staff_id, "李红"), "停用": (gone, "钱离职")}[role]
    window = window_for(account, name)
    if role == "停用":  # marked 停用 by an administrator while still signed in at a desk
        with demo_database.write() as session:
            staff.update(session, staff_id, gone, "钱离职", CLERK, False)
    first_row = _audit_count(demo_database)
    calls.accounts.clear()
    pressed, refused = _press_everything(qtbot, window, calls)
    print(f"{role}: pressed {pressed}, disabled or not offered {refused}, role checks {len(calls.accounts)}")
    assert pressed > 30 and len(calls.accounts) >= 10  # the walk reached the services
    assert set(calls.accounts) == {account}, "a service was called under an account other than the signed-in one"
    with demo_database.read() as session:
        written = session.scalars(select(AuditEntry.staff_id).where(AuditEntry.id > first_row)).all()
    assert set(written) <= {account}
    if role != "管理员":
        assert refused > 0  # something was not offered to this role, and pressing it did nothing
    window.keeper.stop()


def offered(widget: QWidget) -> bool:
    """Offered to the signed-in role: ``ui.pages.offer`` marks what is not (a page not shown yet has all its
    buttons hidden from Qt's point of view, so visibility alone would not tell)."""
    return not widget.property("not_offered")


def test_what_a_role_may_not_do_is_not_offered(qtbot, window_for, demo_database: Database,  # type: ignore[no-untyped-def]
                                              staff_id: int) -> None:
    with demo_database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
    desk = window_for(clerk, "王秀兰")
    for action in (desk.staff_action, desk.log_action, desk.backup_action, desk.restore_action):
        assert not action.isEnabled() and "需要管理员账号" in action.toolTip()
    assert desk.export_action.isEnabled()
    assert not offered(desk.points.catalogue.add_button) and not offered(desk.points.months.close_button)
    assert not offered(desk.points.review.approve_button) and not offered(desk.shop.records.cancel_button)
    assert not offered(desk.shop.shelf.add_button) and not offered(desk.shop.vouchers.issue_button)
    audit_desk = window_for(auditor, "李建国")
    assert not audit_desk.export_action.isEnabled() and "录入员或管理员" in audit_desk.export_action.toolTip()
    assert offered(audit_desk.points.review.approve_button)
    assert not offered(audit_desk.points.catalogue.add_button)
    assert offered(audit_desk.shop.shelf.add_button) and offered(audit_desk.points.months.close_button)
    assert audit_desk.home.findChild(QWidget, "count_visits_overdue") is None  # care is not the auditor's
    admin = window_for(staff_id, "李红")
    assert all(action.isEnabled() for action in (admin.staff_action, admin.log_action, admin.backup_action,
                                                 admin.restore_action, admin.export_action))
    assert not offered(admin.points.review.approve_button)  # approving points is the audit group's, not the admin's
    for window in (desk, audit_desk, admin):
        window.keeper.stop()


def test_a_print_from_the_window_is_recorded_under_the_signed_in_account(  # type: ignore[no-untyped-def]
        qtbot, window, demo_database: Database, staff_id: int, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import reports as window_reports

    opened: list[object] = []
    monkeypatch.setattr(window_reports, "ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr(window_reports, "open_file", opened.append)
    month = f"{dt.date.today():%Y-%m}"
    first_row = _audit_count(demo_database)
    made = window_reports.make_report(window, demo_database, staff_id, "points-monthly", month)
    assert made is not None and made.exists() and opened == [made]
    with demo_database.read() as session:
        rows = session.execute(select(AuditEntry.staff_id, AuditEntry.action, AuditEntry.summary)
                               .where(AuditEntry.id > first_row)).all()
    assert [(who, action) for who, action, _summary in rows] == [(staff_id, "print")]
    assert rows[0][2].startswith(f"打印月度积分公示：{made.name}")
