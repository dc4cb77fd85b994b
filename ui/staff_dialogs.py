"""工作人员: the station's staff accounts and their roles (录入员, 积分审核员, 管理员)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import staff
from station.errors import ValidationError
from station.staff import StaffView
from station.vocab import STAFF_ROLES
from ui import icons, messages
from ui.forms import FieldForm, hint_label, password_edit
from ui.table_models import SimpleTableModel


class AccountDialog(QDialog):
    """One account: name, role, and whether it is in use."""

    def __init__(self, database: Database, staff_id: int, account: StaffView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._account = account
        self.setWindowTitle("修改工作人员" if account else "新增工作人员")
        self.name = QLineEdit(account.name if account else "")
        self.name.setObjectName("name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.role.addItems(STAFF_ROLES)
        self.role.setCurrentText(account.role if account else STAFF_ROLES[0])
        self.active = QCheckBox("在用（停用后保留其全部记录）")
        self.active.setChecked(account.active if account else True)
        self.active.setEnabled(account is not None)
        self.password = password_edit("password", "至少6位，当面告诉本人")
        self.confirm = password_edit("confirm", "再输入一遍")
        self.form = FieldForm()
        self.form.add_field("name", "姓名：", self.name)
        self.form.add_field("role", "角色：", self.role)
        if account is None:  # a new account is claimed only by its owner, with the password handed over
            self.form.add_field("password", "一次性密码：", self.password)
            self.form.add_field("confirm", "确认密码：", self.confirm)
        self.form.addRow("", self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        roles = hint_label("录入员：登记居民、记分；积分审核员：审核别人录入的积分、月度结账、评星；"
                           "管理员：以上全部（审核积分除外）及设置。"
                           + ("\n新账号第一次登录时要把一次性密码改成自己的密码。" if account is None else ""))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(roles)
        layout.addWidget(self.form.general_error)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def save(self) -> None:
        try:
            with self._db.write() as session:
                if self._account is None:
                    staff.add(session, self._staff_id, self.name.text(), self.role.currentText(),
                              self.password.text(), self.confirm.text())
                else:
                    staff.update(session, self._staff_id, self._account.id, self.name.text(),
                                 self.role.currentText(), self.active.isChecked())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class StaffDialog(QDialog):
    """The list of accounts, with add and change."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.changed = False
        self.dialog: QDialog | None = None
        self.setWindowTitle("工作人员")
        self.resize(520, 380)
        self.model = SimpleTableModel(("姓名", "角色", "状态"), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add = QPushButton(icons.icon("fa5s.user-plus"), "新增")
        add.clicked.connect(self.add)
        edit = QPushButton(icons.icon("fa5s.edit"), "修改")
        edit.clicked.connect(self.edit)
        self.reset_button = QPushButton(icons.icon("fa5s.key"), "重设密码")
        self.reset_button.setObjectName("reset_password")
        self.reset_button.setToolTip("工作人员忘了密码时，由管理员重设")
        self.reset_button.clicked.connect(lambda: self.reset_password())
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(edit)
        row.addWidget(self.reset_button)
        row.addStretch()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self._accounts: list[StaffView] = []
        self.reload()

    def reload(self) -> None:
        with self._db.read() as session:
            self._accounts = staff.accounts(session)
        self.model.set_rows([(a.name, a.role, "在用" if a.active else "已停用") for a in self._accounts],
                            [a.id for a in self._accounts],
                            grey=[n for n, a in enumerate(self._accounts) if not a.active])

    def _changed(self) -> None:
        self.changed = True
        self.reload()

    def add(self) -> AccountDialog:
        self.dialog = AccountDialog(self._db, self._staff_id, None, self)
        self.dialog.accepted.connect(self._changed)
        self.dialog.open()
        return self.dialog

    def _chosen(self) -> StaffView | None:
        """The account chosen in the list; without one the worker is told, not left wondering."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            messages.warn(self, "请先在列表里点选一位工作人员")
            return None
        return self._accounts[rows[0].row()]

    def edit(self) -> AccountDialog | None:
        account = self._chosen()
        if account is None:
            return None
        self.dialog = AccountDialog(self._db, self._staff_id, account, self)
        self.dialog.accepted.connect(self._changed)
        self.dialog.open()
        return self.dialog

    def reset_password(self) -> QDialog | None:
        """重设密码 for the chosen account (the service lets only an administrator reset someone else's)."""
        from ui.login import PasswordDialog

        account = self._chosen()
        if account is None:
            return None
        self.dialog = PasswordDialog(self._db, self._staff_id, (account.id, account.name), self)
        own = account.id == self._staff_id
        self.dialog.accepted.connect(lambda: messages.info(
            self, "密码已修改" if own else f"{account.name}的密码已重设为一次性密码，请当面告诉本人；"
            "本人下次登录时要改成自己的密码。", "重设密码"))
        self.dialog.open()
        return self.dialog
