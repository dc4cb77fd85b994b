"""操作记录: the audit log for an administrator — who changed what and when, before and after."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from db.engine import Database
from station import audit, staff
from station.audit import LogQuery, LogRow
from station.errors import ValidationError
from station.validation import parse_date
from ui.forms import ERROR_STYLE, hint_label, line_edit
from ui.pages import make_table
from ui.table_models import SimpleTableModel


class AuditLogDialog(QDialog):
    """The log newest first, filtered by staff member, kind of record, action, dates and a word."""

    HEADERS = ("时间", "", "工作人员", "操作", "对象", "编号", "内容", "修改前", "修改后")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.rows: list[LogRow] = []
        self.setWindowTitle("操作记录")
        with database.read() as session:
            accounts = staff.accounts(session)
            actions = audit.actions_used(session)
        self.who = QComboBox()
        self.who.setObjectName("who")
        self.who.addItem("全部工作人员", None)
        for account in accounts:
            self.who.addItem(account.name, account.id)
        self.entity = QComboBox()
        self.entity.setObjectName("entity")
        self.entity.addItem("全部记录", None)
        for key, label in audit.ENTITY_LABELS.items():
            self.entity.addItem(label, key)
        self.action = QComboBox()
        self.action.setObjectName("action")
        self.action.addItem("全部操作", None)
        for action in actions:
            self.action.addItem(audit.ACTION_LABELS.get(action, action), action)
        today = dt.date.today()
        self.first = line_edit("first", f"{today - dt.timedelta(days=30):%Y-%m-%d}", "从")
        self.last = line_edit("last", f"{today:%Y-%m-%d}", "到")
        self.text = line_edit("text", placeholder="内容中的字，例如 张三明")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "audit_log")
        for widget in (self.who, self.entity, self.action):
            widget.currentIndexChanged.connect(lambda _i: self.reload())
        for edit in (self.first, self.last, self.text):
            edit.editingFinished.connect(self.reload)
        filters = QHBoxLayout()
        for part in (self.who, self.entity, self.action, self.first, QLabel("至"), self.last):
            filters.addWidget(part)
        filters.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("每一项修改都记在这里，不能改也不能删；从备份恢复时被撤销的那段时间的记录也保留，"
                                    "标为“恢复前”（灰色）。最多显示最近的2000条，可按条件筛选。"))
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(1100, 620)
        self.reload()

    def query(self) -> LogQuery:
        errors = []
        days: list[dt.date | None] = []
        for edit in (self.first, self.last):
            if edit.text().strip():
                try:
                    days.append(parse_date(edit.text(), allow_future=True))
                except ValueError as problem:
                    errors.append(str(problem))
                    days.append(None)
            else:
                days.append(None)
        self.error.setText("；".join(errors))
        return LogQuery(self.who.currentData(), self.entity.currentData(), None, self.action.currentData(),
                        days[0], days[1], self.text.text())

    def reload(self) -> None:
        try:
            with self._db.read() as session:
                self.rows = audit.entries(session, self._staff_id, self.query())
        except ValidationError as error:
            self.error.setText(error.message)
            self.rows = []
        # Rows of a period a restore undid are kept and shown, marked 恢复前, in grey.
        self.model.set_rows([(f"{r.at:%Y-%m-%d %H:%M:%S}", "恢复前" if r.undone else "", r.staff, r.action, r.entity,
                              "" if r.entity_id is None else r.entity_id, r.summary, r.before, r.after)
                             for r in self.rows], [r.id for r in self.rows],
                            grey=[n for n, r in enumerate(self.rows) if r.undone])
