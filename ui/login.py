"""Signing in (登录), the screen lock after the desk is left alone, and setting a password."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from db.engine import Database
from station import settings, staff
from station.errors import ValidationError
from ui.forms import FieldForm, dialog_buttons, fit, hint_label


def _password_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class LoginDialog(QDialog):
    """登录: choose one's account and type the password; an account without one sets it first."""

    def __init__(self, database: Database, preselect: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self.staff: tuple[int, str] | None = None
        self.setWindowTitle("登录党群服务站工作台")
        with database.read() as session:
            self._accounts = staff.accounts(session, active_only=True)
            self._with_password = {a.id for a in self._accounts if staff.has_password(session, a.id)}
        self.account = QComboBox()
        self.account.setObjectName("account")
        for account in self._accounts:
            self.account.addItem(f"{account.name}（{account.role}）", account.id)
        if preselect is not None:
            self.account.setCurrentIndex(max(0, self.account.findData(preselect)))
        self.password = _password_edit("password")
        self.confirm = _password_edit("confirm", "再输入一遍")
        self.first = QLabel("这个账号第一次登录，请设置密码（至少6位，以后每次登录都要输入）。")
        self.first.setObjectName("first_time")
        self.first.setWordWrap(True)
        self.form = FieldForm()
        self.form.add_field("account", "工作人员：", self.account)
        self.form.add_field("password", "密码：", self.password)
        self.form.add_field("confirm", "确认密码：", self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("每一项修改都会记下是哪位工作人员做的，请用自己的账号登录。"))
        layout.addLayout(self.form)
        layout.addWidget(self.first)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "登录", self.sign_in))
        self.account.currentIndexChanged.connect(lambda _i: self._account_chosen())
        self._account_chosen()
        self.password.setFocus()
        fit(self, 440)

    def first_time(self) -> bool:
        return self.account.currentData() not in self._with_password

    def _account_chosen(self) -> None:
        first = self.first_time()
        self.first.setVisible(first)
        box = self.confirm.parentWidget()
        if box is not None:
            self.form.setRowVisible(box, first)
        self.form.clear_errors()
        self.password.clear()
        self.confirm.clear()

    def sign_in(self) -> None:
        account_id = self.account.currentData()
        if account_id is None:
            self.form.show_errors({"account": "还没有工作人员账号"})
            return
        try:
            with self._db.write() as session:
                if self.first_time():
                    signed = staff.set_first_password(session, account_id, self.password.text(), self.confirm.text())
                else:
                    outcome = staff.login(session, account_id, self.password.text())
                    if outcome.account is None:
                        self.form.show_errors({"password": outcome.message})
                        self.password.clear()
                        return
                    signed = outcome.account
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.staff = (signed.id, signed.name)
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
        self.password = _password_edit("password")
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

    def __init__(self, window: QWidget) -> None:
        super().__init__("屏幕已锁定", window)
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


class IdleLock(QObject):
    """Locks the screen after the desk has been left alone (an application-wide event filter and a timer)."""

    ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel)

    def __init__(self, database: Database, account: tuple[int, str], window: QWidget) -> None:
        super().__init__(window)
        self._db = database
        self._account = account
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
        self.dialog = LockDialog(self._db, self._account, self.minutes, self._window)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the residents' data on the window and any open dialog is covered
            self.covers = [LockCover(top) for top in app.topLevelWidgets()
                           if top.isVisible() and top.isWindow() and top is not self.dialog
                           and top.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)]
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.finished.connect(self._unlocked)
        self.dialog.open()
        return self.dialog

    def _unlocked(self, _result: int) -> None:
        self.dialog = None
        for cover in self.covers:
            if Shiboken.isValid(cover):  # a window closed meanwhile took its cover with it
                parent = cover.parentWidget()
                if parent is not None:
                    parent.removeEventFilter(cover)
                cover.hide()
                cover.deleteLater()
        self.covers = []
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
        self.current = _password_edit("current")
        self.password = _password_edit("password", "至少6位")
        self.confirm = _password_edit("confirm", "再输入一遍")
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
