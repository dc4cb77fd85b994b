"""Signing in (登录), the screen lock after the desk is left alone, and setting a password."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from db.engine import Database
from station import settings, staff
from station.errors import ValidationError
from ui.forms import FieldForm, dialog_buttons, fit, hint_label, password_edit


LAST_ACCOUNT_KEY = "login/last_account"


def last_account() -> int | None:
    """The account that last signed in at this computer (the sign-in box starts on it)."""
    value = QSettings().value(LAST_ACCOUNT_KEY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class LoginDialog(QDialog):
    """登录: choose one's account and type the password.

    A one-time password from an administrator is changed to one's own before the desk opens. A station
    nobody has signed in to yet (set up before passwords were kept) sets the first password here.
    """

    def __init__(self, database: Database, preselect: int | None = None, parent: QWidget | None = None,
                 title: str = "登录党群服务站工作台", cancel_text: str = "取消", handing_over: bool = False) -> None:
        super().__init__(parent)
        self._db = database
        self.staff: tuple[int, str] | None = None
        self._changing: int | None = None  # the account signed in with a one-time password
        self.setWindowTitle(title)
        with database.read() as session:
            self._accounts = staff.accounts(session, active_only=True)
            self._with_password = {a.id for a in self._accounts if staff.has_password(session, a.id)}
            self._first_station = staff.nobody_has_a_password(session)
        self.account = QComboBox()
        self.account.setObjectName("account")
        for account in self._accounts:
            self.account.addItem(f"{account.name}（{account.role}）", account.id)
        chosen = preselect if preselect is not None else last_account()
        if chosen is not None and self.account.findData(chosen) >= 0:
            self.account.setCurrentIndex(self.account.findData(chosen))
        if handing_over:  # the next person chooses themselves: a try must not count against the one who left
            self.account.setCurrentIndex(-1)
        self.password = password_edit("password")
        self.new_password = password_edit("new_password", "至少6位")
        self.confirm = password_edit("confirm", "再输入一遍")
        self.first = QLabel()
        self.first.setObjectName("first_time")
        self.first.setWordWrap(True)
        self.form = FieldForm()
        self.form.add_field("account", "工作人员：", self.account)
        self.form.add_field("password", "密码：", self.password)
        self.form.add_field("new_password", "新密码：", self.new_password)
        self.form.add_field("confirm", "确认密码：", self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("每一项修改都会记下是哪位工作人员做的，请用自己的账号登录。"))
        layout.addLayout(self.form)
        layout.addWidget(self.first)
        layout.addWidget(self.form.general_error)
        self.buttons = dialog_buttons(self, "登录", self.sign_in)
        self.buttons.button(self.buttons.StandardButton.Cancel).setText(cancel_text)
        layout.addWidget(self.buttons)
        self.account.currentIndexChanged.connect(lambda _i: self._account_chosen())
        self._account_chosen()
        self.password.setFocus()
        fit(self, 440)

    def first_time(self) -> bool:
        """The station's very first password is set here (nobody has one yet)."""
        return self._first_station and self._changing is None

    def _show_rows(self, new: bool, confirm: bool) -> None:
        for widget, visible in ((self.new_password, new), (self.confirm, confirm)):
            box = widget.parentWidget()
            if box is not None:
                self.form.setRowVisible(box, visible)

    def _account_chosen(self) -> None:
        first = self.first_time()
        self.first.setText("这是第一次登录，请设置密码（至少6位，以后每次登录都要输入）。" if first else "")
        self.first.setVisible(first)
        self._show_rows(False, first)
        self.form.clear_errors()
        self.password.clear()
        self.confirm.clear()

    def _ask_new_password(self, account_id: int) -> None:
        """Signed in with a one-time password: the owner sets their own before going on."""
        self._changing = account_id
        self.account.setEnabled(False)
        self.password.setEnabled(False)
        self.first.setText("这是管理员给的一次性密码。请设置您自己的密码（至少6位），以后用它登录。")
        self.first.show()
        self._show_rows(True, True)
        self.buttons.button(self.buttons.StandardButton.Ok).setText("改好并登录")
        self.new_password.setFocus()

    def sign_in(self) -> None:
        account_id = self.account.currentData()
        if account_id is None:
            self.form.show_errors({"account": "请选择您自己的账号" if self.account.count()
                                   else "还没有可以登录的工作人员账号"})
            return
        try:
            with self._db.write() as session:
                if self._changing is not None:
                    staff.set_password(session, account_id, account_id, self.new_password.text(),
                                       self.confirm.text(), current=self.password.text())
                    signed = staff.get(session, account_id)
                elif self.first_time():
                    signed = staff.set_first_password(session, account_id, self.password.text(), self.confirm.text())
                else:
                    outcome = staff.login(session, account_id, self.password.text())
                    if outcome.account is None:
                        self.form.show_errors({"password": outcome.message})
                        self.password.clear()
                        return
                    signed = outcome.account
                    if outcome.must_change:
                        self._ask_new_password(account_id)
                        return
        except ValidationError as error:
            renamed = {"password": "new_password", "current": "password"} if self._changing is not None else {}
            self.form.show_errors({renamed.get(key, key): message for key, message in error.errors.items()})
            return
        self.staff = (signed.id, signed.name)
        QSettings().setValue(LAST_ACCOUNT_KEY, signed.id)
        self.accept()


class LockDialog(QDialog):
    """屏幕已锁定: the same worker types the password again; what was open stays as it was."""

    def __init__(self, database: Database, account: tuple[int, str], minutes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._account = account
        self.setWindowTitle("屏幕已锁定")
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.password = password_edit("password")
        self.form = FieldForm()
        self.form.add_field("password", f"{account[1]}的密码：", self.password)
        text = QLabel(f"工作台已有{minutes}分钟没有操作，为保护居民信息已锁定。\n输入密码后继续，刚才的工作都还在。")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        buttons = dialog_buttons(self, "解锁", self.unlock)
        cancel = buttons.button(buttons.StandardButton.Cancel)
        cancel.setText("退出工作台")
        cancel.clicked.disconnect()
        cancel.clicked.connect(self.quit)
        self.switch_button = buttons.addButton("换人登录", buttons.ButtonRole.ActionRole)
        self.switch_button.setObjectName("switch_user")
        self.switch_button.setToolTip("别的工作人员接着用这台电脑：退出当前账号，由下一位登录")
        self.switch_button.clicked.connect(self.switch_user)
        self.switch_requested = False
        layout.addWidget(buttons)
        self.password.setFocus()
        fit(self, 420)

    def unlock(self) -> None:
        try:
            with self._db.write() as session:
                outcome = staff.login(session, self._account[0], self.password.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        if outcome.account is None:
            self.form.show_errors({"password": outcome.message})
            self.password.clear()
            return
        self.accept()

    def switch_user(self) -> None:
        """换人登录: the lock ends without unlocking; the window signs its person out and asks who is next."""
        self.switch_requested = True
        self.done(QDialog.DialogCode.Rejected)

    def quit(self) -> None:
        self.done(QDialog.DialogCode.Rejected)
        window = self.parentWidget()
        if window is not None:
            window.close()

    def reject(self) -> None:  # Esc does not unlock
        return


class LockCover(QLabel):
    """An opaque sheet over a window while the screen is locked: nothing of what is open can be read.

    The window and its dialogs stay open underneath (hiding a dialog would end it), so nothing is lost.
    """

    def __init__(self, window: QWidget, text: str = "屏幕已锁定") -> None:
        super().__init__(text, window)
        self.setObjectName("lock_cover")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background-color: #e8ecef; color: #555; font-size: 20px;")
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        window = self.parentWidget()
        if window is not None and watched is window and event.type() in (QEvent.Type.Resize,
                                                                          QEvent.Type.ChildAdded):
            self.setGeometry(window.rect())
            self.raise_()
        return False


def cover_windows(skip: QWidget | None = None, text: str = "屏幕已锁定") -> list[LockCover]:
    """An opaque sheet over every open window of the program but ``skip``: nothing of them can be read."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return []
    return [LockCover(top, text) for top in app.topLevelWidgets()
            if top.isVisible() and top.isWindow() and top is not skip
            and top.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)]


def uncover(covers: list[LockCover]) -> None:
    for cover in covers:
        if Shiboken.isValid(cover):  # a window closed meanwhile took its cover with it
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()


class IdleLock(QObject):
    """Locks the screen after the desk has been left alone (an application-wide event filter and a timer).

    The lock screen's 换人登录 emits ``switch_requested``: the window signs its person out and asks who
    is next, with the windows still covered.
    """

    ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel)
    switch_requested = Signal()

    def __init__(self, database: Database, account: tuple[int, str], window: QWidget) -> None:
        super().__init__(window)
        self._db = database
        self.account = account
        self._window = window
        with database.read() as session:
            self.minutes = int(settings.get(session, settings.LOCK_MINUTES))
        self.dialog: LockDialog | None = None
        self.covers: list[LockCover] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.minutes * 60 * 1000)
        self.timer.timeout.connect(self.lock)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.ACTIVITY and self.dialog is None:
            self.timer.start()  # the desk is in use: start counting again
        return False

    def lock(self) -> LockDialog:
        if self.dialog is not None:
            return self.dialog
        self.dialog = LockDialog(self._db, self.account, self.minutes, self._window)
        self.covers = cover_windows(skip=self.dialog)  # the residents' data on the window and any open dialog
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.finished.connect(self._unlocked)
        self.dialog.open()
        return self.dialog

    def take_covers(self) -> list[LockCover]:
        """The sheets over the windows, handed to whoever uncovers them next (the sign-in of 换人登录)."""
        covers, self.covers = self.covers, []
        return covers

    def _unlocked(self, _result: int) -> None:
        switching = self.dialog is not None and self.dialog.switch_requested
        self.dialog = None
        if switching:
            self.switch_requested.emit()  # the covers stay until the next person has signed in
            return
        uncover(self.take_covers())
        self.timer.start()


class PasswordDialog(QDialog):
    """修改密码 (one's own) or 重设密码 (an administrator for someone else)."""

    def __init__(self, database: Database, staff_id: int, account: tuple[int, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._account = account
        own = staff_id == account[0]
        self.setWindowTitle("修改我的密码" if own else f"重设密码：{account[1]}")
        self.current = password_edit("current")
        self.password = password_edit("password", "至少6位")
        self.confirm = password_edit("confirm", "再输入一遍")
        self.form = FieldForm()
        with database.read() as session:
            self._asks_current = own and staff.has_password(session, staff_id)
        if self._asks_current:  # one's own password is changed only with the present one
            self.form.add_field("current", "现在的密码：", self.current)
        self.form.add_field("password", "新密码：", self.password)
        self.form.add_field("confirm", "确认新密码：", self.confirm)
        layout = QVBoxLayout(self)
        if not own:
            layout.addWidget(hint_label(f"{account[1]}忘了密码时由管理员重设；请把新密码当面告诉本人。"))
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        fit(self, 420)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                staff.set_password(session, self._staff_id, self._account[0], self.password.text(),
                                   self.confirm.text(), self.current.text() if self._asks_current else None)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class ActAsDialog(QDialog):
    """One action done by a named person who types their own password at this desk.

    换人审核: a member of the audit group approves at another's desk; the action is theirs alone and the
    desk goes back to its own person afterwards. Also the signed-in administrator typing the password
    again before a restore. A wrong password counts toward that account's wait, as at sign-in.

    ``action(session, account_id)`` runs in the same transaction as the password check; None when the
    caller acts after the check (``acted_by`` holds who confirmed).
    """

    def __init__(self, database: Database, title: str, prompt: str, doing: str, roles: Sequence[str],
                 action: Callable[[Session, int], object] | None, parent: QWidget | None = None, *,
                 only: int | None = None, exclude: int | None = None, ok_text: str = "确定",
                 fields: Sequence[tuple[str, str, QWidget]] = ()) -> None:
        super().__init__(parent)
        self._db = database
        self._doing = doing
        self._roles = tuple(roles)
        self._action = action
        self.acted_by: tuple[int, str] | None = None
        self.setWindowTitle(title)
        with database.read() as session:
            accounts = [a for a in staff.accounts(session, active_only=True)
                        if a.role in self._roles and a.id != exclude and (only is None or a.id == only)]
        self.account = QComboBox()
        self.account.setObjectName("account")
        for account in accounts:
            self.account.addItem(f"{account.name}（{account.role}）", account.id)
        if only is None and len(accounts) > 1:  # each chooses themselves: no try counts against another
            self.account.setCurrentIndex(-1)
        self.account.setEnabled(only is None)
        self.password = password_edit("password")
        self.form = FieldForm()
        self.form.add_field("account", "工作人员：", self.account)
        self.form.add_field("password", "本人密码：", self.password)
        for key, label, widget in fields:
            self.form.add_field(key, label, widget)
        text = QLabel(prompt)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        if not accounts:
            none = QLabel(f"没有可以{doing}的账号（{'或'.join(self._roles)}）。")
            none.setObjectName("no_account")
            none.setWordWrap(True)
            layout.addWidget(none)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        self.buttons = dialog_buttons(self, ok_text, self.save)
        layout.addWidget(self.buttons)
        self.password.setFocus()
        fit(self, 460)

    def save(self) -> None:
        account_id = self.account.currentData()
        if account_id is None:
            self.form.show_errors({"account": "请选择您自己的账号" if self.account.count()
                                   else f"没有可以{self._doing}的账号"})
            return
        try:
            with self._db.write() as session:  # a wrong password is committed: it counts toward the wait
                outcome = staff.verify(session, account_id, self.password.text(), self._doing, self._roles)
                if outcome.account is None:
                    self.form.show_errors({"password": outcome.message})
                    self.password.clear()
                    return
                if self._action is not None:
                    self._action(session, account_id)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.acted_by = (outcome.account.id, outcome.account.name)
        self.accept()
