"""Dialogs of the points work: record a deed, reverse or reject an entry, edit the catalogue, a resident's points."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import points
from station.errors import ValidationError
from station.points import EntryInput, ItemInput, ItemView, LedgerRow
from ui import icons
from ui.forms import FieldForm, hint_label
from ui.pickers import PersonPicker
from ui.table_models import SimpleTableModel

def item_text(item: ItemView) -> str:
    cap = f"，每月≤{item.monthly_cap}" if item.monthly_cap else ""
    return f"{item.category} · {item.name}（{item.points:+d}分{cap}）"


class ItemPicker(QComboBox):
    """The catalogue's active items; type any part of a name to narrow them (e.g. 三包)."""

    def __init__(self, items: list[ItemView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._items = items
        for item in items:
            self.addItem(item_text(item), item.id)
        completer = QCompleter(QStringListModel([item_text(i) for i in items], self), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._completed)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        line = self.lineEdit()
        assert line is not None
        line.returnPressed.connect(self.take_first_suggestion)
        line.setPlaceholderText("输入项目中的字，例如 三包、志愿、飞线")

    def _completed(self, text: str) -> None:
        index = self.findText(text)
        if index >= 0:
            self.setCurrentIndex(index)

    def take_first_suggestion(self) -> None:
        """Enter after typing part of a name: the first item that contains it (三包 → 门前三包落实到位)."""
        if self.item_id() is not None:
            return
        typed = self.currentText().strip()
        matching = [n for n in range(self.count()) if typed and typed in self.itemText(n)]
        if matching:
            self.setCurrentIndex(matching[0])
            completer = self.completer()
            popup = completer.popup() if completer is not None else None
            if popup is not None:
                popup.hide()

    def item_id(self) -> int | None:
        index = self.findText(self.currentText())
        return None if index < 0 else int(self.itemData(index))

    def select_item(self, item_id: int) -> None:
        self.setCurrentIndex(self.findData(item_id))


class RecordDialog(QDialog):
    """记分: who, which catalogue item, the day of the deed and a note. Waits for the audit group."""

    recorded = Signal(int)

    def __init__(self, database: Database, staff_id: int, resident_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.setWindowTitle("记分")
        self.resize(560, 460)
        with database.read() as session:
            items = points.catalogue(session, include_retired=False)
        self.person = PersonPicker(database)
        self.whole_household = QCheckBox("记给全户（如门前三包），不记在个人名下")
        self.whole_household.setObjectName("whole_household")
        self.item = ItemPicker(items)
        self.deed_date = QLineEdit(f"{dt.date.today():%Y-%m-%d}")
        self.deed_date.setObjectName("deed_date")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("例如 活动名称、事情经过（选填）")
        self.note.returnPressed.connect(self.save)
        self.keep_open = QCheckBox("保存后接着记下一条")
        self.keep_open.setObjectName("keep_open")
        self.done_label = QLabel()
        self.done_label.setObjectName("done")
        self.done_label.setStyleSheet("color: #1e7e34;")

        self.form = FieldForm()
        self.form.add_field("who", "居民：", self.person)
        self.form.addRow("", self.whole_household)
        self.form.add_field("item", "积分项目：", self.item)
        self.form.add_field("deed_date", "日期：", self.deed_date)
        self.form.add_field("note", "说明：", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Enter moves from field to field and saves from the note (returnPressed), never through a
        # default button: an accept-role button would become the default when the dialog shows.
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.ActionRole)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        hint = hint_label("提示：记分后进入“待审核”，由积分审核小组审核通过后才计入积分。")
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(hint)
        layout.addWidget(self.done_label)
        layout.addWidget(self.keep_open)
        layout.addWidget(buttons)
        self._items = {item.id: item for item in items}
        self.person.chosen.connect(lambda _id: self.item.setFocus())
        self.item.currentIndexChanged.connect(lambda _i: self._item_chosen())
        if resident_id is not None:
            self.person.choose(resident_id)
        else:
            self.person.edit.setFocus()

    def _item_chosen(self) -> None:
        """Items for the whole household (门前三包) tick 记给全户 themselves; Enter then goes on to the note."""
        item = self._items.get(self.item.item_id() or 0)
        if item is not None:
            self.whole_household.setChecked(item.for_households)
            self.whole_household.setEnabled(not item.for_households)
            if self.focusWidget() in (self.item, self.item.lineEdit()):
                self.note.setFocus()

    def collect(self) -> EntryInput:
        whole = self.whole_household.isChecked()
        return EntryInput(
            item_id=self.item.item_id(),
            resident_id=None if whole else self.person.resident_id,
            household_id=self.person.household_id if whole else None,
            deed_date=self.deed_date.text(),
            note=self.note.text(),
        )

    def save(self) -> None:
        if self.person.ambiguous() == 1:
            self.person.take_current()
        elif self.person.ambiguous() > 1:
            self.form.show_errors({"who": f"有{self.person.ambiguous()}位居民符合，请在列表中点选一位"})
            return
        data = self.collect()
        try:
            with self._db.write() as session:
                entry_id = points.record(session, self._staff_id, data)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.form.clear_errors()
        self.recorded.emit(entry_id)
        if self.keep_open.isChecked():
            self.done_label.setText(f"已记分：{self.person.edit.text()} {self.item.currentText()}（待审核）")
            self.person.edit.clear()
            self.person.resident_id = self.person.household_id = None
            self.person.chosen_label.clear()
            self.note.clear()
            self.person.edit.setFocus()
        else:
            self.accept()


class ReasonDialog(QDialog):
    """Asks for the reason of a reversal (冲正) or a rejection (驳回), then runs the action."""

    def __init__(self, title: str, prompt: str, action: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._action = action
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.form = FieldForm()
        self.form.add_field("reason", "原因：", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(title)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(buttons)
        self.resize(460, 180)

    def save(self) -> None:
        try:
            self._action(self.reason.text())  # type: ignore[operator]
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class ItemDialog(QDialog):
    """新增/修改积分项目: category, name, points (negative for a deduction), monthly cap."""

    def __init__(self, database: Database, staff_id: int, item: ItemView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._item_id = item.id if item else None
        self.setWindowTitle("修改积分项目" if item else "新增积分项目")
        with database.read() as session:
            known = points.categories(session)
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setEditable(True)
        self.category.addItems(known)
        self.category.setCurrentText(item.category if item else "")
        self.name = QLineEdit(item.name if item else "")
        self.name.setObjectName("name")
        self.points = QLineEdit(str(item.points) if item else "")
        self.points.setObjectName("points")
        self.points.setPlaceholderText("加分填正数，减分填负数，例如 -5")
        self.cap = QLineEdit(str(item.monthly_cap) if item and item.monthly_cap else "")
        self.cap.setObjectName("monthly_cap")
        self.cap.setPlaceholderText("不限请留空")
        self.note = QLineEdit(item.note if item else "")
        self.for_households = QCheckBox("只能记给全户（如门前三包、基础积分），每月上限按户计")
        self.for_households.setObjectName("for_households")
        self.for_households.setChecked(bool(item and item.for_households))
        self.form = FieldForm()
        self.form.add_field("category", "类别：", self.category)
        self.form.add_field("name", "项目：", self.name)
        self.form.add_field("points", "分值：", self.points)
        self.form.add_field("monthly_cap", "每人每月上限：", self.cap)
        self.form.add_field("note", "说明：", self.note)
        self.form.addRow("", self.for_households)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if item and item.entries:
            note = QLabel(f"这个项目已记过{item.entries}次；修改分值只影响以后的记分，已记的保持原分值。")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def save(self) -> None:
        data = ItemInput(self.category.currentText(), self.name.text(), self.points.text(), self.cap.text(),
                         self.note.text(), self.for_households.isChecked())
        try:
            with self._db.write() as session:
                if self._item_id is None:
                    self._item_id = points.add_item(session, self._staff_id, data)
                else:
                    points.update_item(session, self._staff_id, self._item_id, data)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


LEDGER_HEADERS = ("编号", "日期", "姓名", "住址", "类别", "项目", "分值", "状态", "录入人", "审核人", "说明")


def ledger_cells(row: LedgerRow) -> tuple[object, ...]:
    status = row.status
    if row.reversed_by_id is not None:
        state = "已冲正" if row.reversal_approved else "冲正待审核"
        status += f"（{state}，见{row.reversed_by_id}号）"
    elif row.status == points.REJECTED and row.review_reason:
        status += f"：{row.review_reason}"
    return (row.id, f"{row.deed_date:%Y-%m-%d}", row.name, row.address, row.category, row.item,
            f"{row.points:+d}", status, row.recorded_by, row.reviewed_by, row.note)


def ledger_greys(rows: list[LedgerRow]) -> list[int]:
    """Rows that do not count: rejected, or reversed by an approved reversal."""
    return [n for n, row in enumerate(rows) if row.status == points.REJECTED or row.reversal_approved]


class ResidentPointsDialog(QDialog):
    """积分记录: a resident's balance, what is waiting, and every entry."""

    def __init__(self, database: Database, staff_id: int, resident_id: int, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._resident_id = resident_id
        self.setWindowTitle(f"积分记录：{name}")
        self.resize(900, 460)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.model = SimpleTableModel(LEDGER_HEADERS, self)
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        record = QPushButton(icons.icon("fa5s.plus-circle"), "为他/她记分")
        record.clicked.connect(self.record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(table)
        layout.addWidget(record)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        with self._db.read() as session:
            found = points.resident_points(session, self._resident_id)
        waiting = f"待审核 {found.pending:+d} 分" if found.pending else "没有待审核的"
        self.summary.setText(f"现有积分 {found.balance} 分（已审核通过）；{waiting}；共 {len(found.entries)} 条记录。")
        self.model.set_rows([ledger_cells(r) for r in found.entries], [r.id for r in found.entries],
                            grey=ledger_greys(found.entries))

    def record(self) -> RecordDialog:
        dialog = RecordDialog(self._db, self._staff_id, self._resident_id, self)
        dialog.recorded.connect(lambda _id: self.reload())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog
