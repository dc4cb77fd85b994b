"""Household dialogs: the 楼栋/单元/房号 picker, 新建住户, and the 住户 view."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import compound, points
from station.compound import HouseholdInput
from station.errors import ValidationError
from ui import icons, messages
from ui.forms import FieldForm
from ui.table_models import SimpleTableModel


class HouseholdPicker(QWidget):
    """Three boxes, 楼栋 → 单元 → 房号, offering only households that exist."""

    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self.building = QComboBox()
        self.unit = QComboBox()
        self.room = QComboBox()
        self.room.setEditable(False)
        for box, name in ((self.building, "building"), (self.unit, "unit"), (self.room, "room")):
            box.setObjectName(f"picker_{name}")
            box.setMinimumContentsLength(5)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for box, suffix in ((self.building, "栋"), (self.unit, "单元"), (self.room, "室")):
            row.addWidget(box)
            row.addWidget(QLabel(suffix))
        row.addStretch()
        self.building.currentIndexChanged.connect(self._fill_units)
        self.unit.currentIndexChanged.connect(self._fill_rooms)
        self.room.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reload()

    def reload(self) -> None:
        with self._db.read() as session:
            self._tree = compound.tree(session)
        self.building.blockSignals(True)
        self.building.clear()
        for node in self._tree:
            self.building.addItem(node.number, node.id)
        self.building.setCurrentIndex(-1)
        self.building.blockSignals(False)
        self._fill_units()

    def _fill_units(self) -> None:
        building_id = self.building.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        for node in self._tree:
            if node.id == building_id:
                for unit in node.units:
                    self.unit.addItem(unit.number, unit.id)
        self.unit.setCurrentIndex(0 if self.unit.count() == 1 else -1)
        self.unit.blockSignals(False)
        self._fill_rooms()

    def _fill_rooms(self) -> None:
        unit_id = self.unit.currentData()
        self.room.blockSignals(True)
        self.room.clear()
        if unit_id is not None:
            with self._db.read() as session:
                for household_id, room in compound.rooms(session, unit_id):
                    self.room.addItem(room, household_id)
        self.room.setCurrentIndex(-1)
        self.room.blockSignals(False)
        self.changed.emit()

    def household_id(self) -> int | None:
        data = self.room.currentData()
        return data if isinstance(data, int) else None

    def select(self, building_id: int, unit_id: int, household_id: int) -> None:
        self.building.setCurrentIndex(self.building.findData(building_id))
        self.unit.setCurrentIndex(self.unit.findData(unit_id))
        self.room.setCurrentIndex(self.room.findData(household_id))


class NewHouseholdDialog(QDialog):
    """新建住户: building, unit and room; new buildings and units are created as needed."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None,
                 building: str = "", unit: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("新建住户")
        self._db = database
        self._staff_id = staff_id
        self.household_id: int | None = None
        with database.read() as session:
            tree = compound.tree(session)
        self.building = QComboBox()
        self.building.setEditable(True)
        self.building.addItems([node.number for node in tree])
        self.building.setCurrentText(building)
        line = self.building.lineEdit()
        if line is not None:
            line.setPlaceholderText("例如 3")
        self.unit = QLineEdit(unit)
        self.unit.setPlaceholderText("例如 2")
        self.room = QLineEdit()
        self.room.setPlaceholderText("例如 501")
        self.note = QLineEdit()
        self.form = FieldForm()
        self.form.add_field("building", "楼栋号：", self.building)
        self.form.add_field("unit", "单元号：", self.unit)
        self.form.add_field("room", "房号：", self.room)
        self.form.add_field("note", "备注：", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("楼栋或单元还没有登记的，会一并新建。"))
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        data = HouseholdInput(self.building.currentText(), self.unit.text(), self.room.text(), self.note.text())
        try:
            with self._db.write() as session:
                self.household_id = compound.add_household(session, self._staff_id, data)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class HouseholdViewDialog(QDialog):
    """住户: the household's members, its head and its 联户党员 (party member looking after it)."""

    add_member_requested = Signal(int)
    edit_member_requested = Signal(int)

    def __init__(self, database: Database, staff_id: int, household_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._household_id = household_id
        self.resize(640, 440)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.head = QLabel()
        self.points = QLabel()
        self.points.setObjectName("household_points")
        self.liaison = QComboBox()
        self.liaison.setObjectName("liaison")
        # Type a few characters of a name to find the party member among many.
        self.liaison.setEditable(True)
        self.liaison.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.liaison.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.note = QLineEdit()
        self._saved: tuple[object, str] = (None, "")
        self.members_model = SimpleTableModel(("姓名", "与户主关系", "性别", "电话", "党员类别", "状态"), self)
        self.members = QTableView()
        self.members.setModel(self.members_model)
        self.members.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.members.verticalHeader().hide()
        self.members.doubleClicked.connect(self._edit_member)

        self.form = FieldForm()
        self.form.add_field("head", "户主：", self.head)
        self.form.add_field("points", "积分：", self.points)
        self.form.add_field("liaison", "联户党员：", self.liaison)
        self.form.add_field("note", "备注：", self.note)

        add_member = QPushButton(icons.icon("fa5s.user-plus"), "为本户新增居民")
        add_member.clicked.connect(lambda: self.add_member_requested.emit(self._household_id))
        edit_member = QPushButton(icons.icon("fa5s.edit"), "修改选中的成员")
        edit_member.clicked.connect(self._edit_member)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(add_member)
        member_buttons.addWidget(edit_member)
        member_buttons.addStretch()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(QLabel("家庭成员："))
        layout.addWidget(self.members)
        layout.addLayout(member_buttons)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Read the household afresh: its details and its members."""
        with self._db.read() as session:
            view = compound.household_view(session, self._household_id)
            choices = compound.party_members(session)
            self.points.setText(points.household_summary(session, self._household_id))
        self.setWindowTitle(f"住户 {view.address}")
        self.title.setText(view.address)
        self.head.setText(view.head or "（未登记户主）")
        self.liaison.clear()
        self.liaison.addItem("（无）", None)
        for resident_id, label in choices:
            self.liaison.addItem(label, resident_id)
        if view.liaison_id is not None and self.liaison.findData(view.liaison_id) < 0:
            self.liaison.addItem(view.liaison, view.liaison_id)
        self.liaison.setCurrentIndex(max(0, self.liaison.findData(view.liaison_id)))
        self.note.setText(view.note)
        self._saved = (self.liaison.currentData(), self.note.text())
        self._show_members(view)

    def reload_members(self) -> None:
        """After a member was added or changed: the members and head only, keeping unsaved edits above."""
        with self._db.read() as session:
            view = compound.household_view(session, self._household_id)
        self.head.setText(view.head or "（未登记户主）")
        self._show_members(view)

    def _show_members(self, view: compound.HouseholdView) -> None:
        self.members_model.set_rows(
            [(m.name, m.relation, m.gender, m.phone_masked, m.party_category, "已迁出" if m.moved_out else "在住")
             for m in view.members],
            ids=[m.id for m in view.members],
            grey=[i for i, m in enumerate(view.members) if m.moved_out],
        )

    def _edit_member(self) -> None:
        rows = self.members.selectionModel().selectedRows()
        if not rows:
            messages.info(self, "请先在家庭成员中选中一位。")
            return
        self.edit_member_requested.emit(self.members_model.id_at(rows[0].row()))

    def has_unsaved_changes(self) -> bool:
        chosen = self.liaison.currentData() if self.liaison.findText(self.liaison.currentText()) >= 0 else None
        return (chosen, self.note.text()) != self._saved

    def reject(self) -> None:
        if self.has_unsaved_changes() and not messages.confirm(self, "联户党员或备注改了还没有保存，确定不保存就关闭吗？"):
            return
        super().reject()

    def save(self) -> None:
        if self.liaison.findText(self.liaison.currentText()) < 0:
            self.form.show_errors({"liaison": "请从列表中选择联户党员"})
            return
        try:
            with self._db.write() as session:
                compound.update_household(
                    session, self._staff_id, self._household_id, self.note.text(), self.liaison.currentData()
                )
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.form.clear_errors()
        self.reload()
        self.accept()

