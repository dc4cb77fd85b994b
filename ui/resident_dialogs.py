"""Resident dialogs: 新增/修改居民, 迁出, 修改记录."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import residents
from station.errors import ValidationError
from station.residents import ResidentInput
from station.vocab import CARE_TAGS, GENDERS, PARTY_CATEGORIES, RELATIONS, ROLES
from ui import icons
from ui.forms import FieldForm
from ui.household_dialogs import HouseholdPicker, NewHouseholdDialog
from ui.table_models import SimpleTableModel

NOT_PARTY = "（非党员）"


class ResidentDialog(QDialog):
    """Add a resident (resident_id None) or correct one. Errors show next to their fields."""

    def __init__(self, database: Database, staff_id: int, resident_id: int | None = None,
                 household_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.resident_id = resident_id
        self.setWindowTitle("修改居民信息" if resident_id else "新增居民")

        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.gender = QComboBox()
        self.gender.addItems(GENDERS)
        self.gender.setCurrentIndex(-1)
        self.gender.setPlaceholderText("请选择")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("id_number")
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText("18位，可不填；填了会自动核对出生日期和性别")
        self.birth_date = QLineEdit()
        self.birth_date.setObjectName("birth_date")
        self.birth_date.setPlaceholderText("例如 1956-03-02，填了身份证号可不填")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText("手机11位，座机如 029-88881234")
        self.household = HouseholdPicker(database)
        new_household = QPushButton(icons.icon("fa5s.home"), "新建住户…")
        new_household.clicked.connect(self._new_household)
        household_row = QHBoxLayout()
        household_row.addWidget(self.household, 1)
        household_row.addWidget(new_household)
        self.relation = QComboBox()
        self.relation.addItems(RELATIONS)
        self.relation.setCurrentText("其他")
        self.party = QComboBox()
        self.party.addItem(NOT_PARTY, "")
        for category in PARTY_CATEGORIES:
            self.party.addItem(category, category)
        self.roles = {role: QCheckBox(role) for role in ROLES}
        self.care_tags = {tag: QCheckBox(tag) for tag in CARE_TAGS}
        self.moved_in = QLineEdit()
        self.moved_in.setPlaceholderText("例如 2010-05-01，可不填")
        self.note = QLineEdit()

        self.form = FieldForm()
        self.form.add_field("name", "姓名：", self.name)
        self.form.add_field("household", "住户：", layout=household_row)
        self.form.add_field("relation", "与户主关系：", self.relation)
        self.form.add_field("id_number", "身份证号：", self.id_number)
        self.form.add_field("gender", "性别：", self.gender)
        self.form.add_field("birth_date", "出生日期：", self.birth_date)
        self.form.add_field("phone", "电话：", self.phone)
        self.form.add_field("party_category", "党员类别：", self.party)
        self.form.add_field("roles", "职务：", layout=_row(self.roles.values()))
        care_error = self.form.add_field("care_tags", "关怀标签：", layout=_row(self.care_tags.values()))
        with database.read() as session:
            self.care_hidden = not residents.sees_care(session, staff_id)
        care_row = care_error.parentWidget()
        if self.care_hidden and care_row is not None:  # the role does not see care tags; the service keeps them
            self.form.setRowVisible(care_row, False)
        self.form.add_field("moved_in_on", "入住日期：", self.moved_in)
        self.form.add_field("note", "备注：", self.note)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.form)
        body_layout.addWidget(self.form.general_error)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(620, 640)

        self._had_id_number = False
        if resident_id is not None:
            self._load(resident_id)
        elif household_id is not None:
            self._select_household(household_id)
        self.name.setFocus()

    def _load(self, resident_id: int) -> None:
        with self._db.write() as session:  # opening the full record is logged (who viewed whom)
            form = residents.load_form(session, resident_id, viewer_id=self._staff_id)
        self.setWindowTitle(f"修改居民信息：{form.name}")
        self.name.setText(form.name)
        self.gender.setCurrentText(form.gender)
        self.birth_date.setText(form.birth_date)
        if form.id_number_masked:
            self._had_id_number = True
            self.id_number.setPlaceholderText(f"已登记 {form.id_number_masked}；重新填写才会修改")
        self.phone.setText(form.phone)
        self.household.select(form.building_id, form.unit_id, form.household_id)
        self.relation.setCurrentText(form.relation)
        self.party.setCurrentIndex(max(0, self.party.findData(form.party_category)))
        for role, box in self.roles.items():
            box.setChecked(role in form.roles)
        for tag, box in self.care_tags.items():
            box.setChecked(tag in form.care_tags)
        self.moved_in.setText(form.moved_in_on)
        self.note.setText(form.note)

    def _select_household(self, household_id: int) -> None:
        from station import compound

        with self._db.read() as session:
            view = compound.household_view(session, household_id)
        self.household.select(view.building_id, view.unit_id, household_id)

    def _new_household(self) -> None:
        dialog = NewHouseholdDialog(self._db, self._staff_id, self, self.household.building.currentText(),
                                    self.household.unit.currentText())
        dialog.accepted.connect(lambda: self._household_created(dialog.household_id))
        dialog.open()

    def _household_created(self, household_id: int | None) -> None:
        self.household.reload()
        if household_id is not None:
            self._select_household(household_id)

    def collect(self) -> ResidentInput:
        typed_id = self.id_number.text().strip()
        return ResidentInput(
            name=self.name.text(),
            household_id=self.household.household_id(),
            gender=self.gender.currentText(),
            birth_date=self.birth_date.text(),
            id_number=None if (self._had_id_number and not typed_id) else typed_id,
            phone=self.phone.text(),
            relation=self.relation.currentText(),
            party_category=self.party.currentData() or "",
            roles=[role for role, box in self.roles.items() if box.isChecked()],
            care_tags=[tag for tag, box in self.care_tags.items() if box.isChecked()],
            moved_in_on=self.moved_in.text(),
            note=self.note.text(),
        )

    def save(self) -> None:
        data = self.collect()
        try:
            with self._db.write() as session:
                if self.resident_id is None:
                    self.resident_id = residents.add_resident(session, self._staff_id, data)
                else:
                    residents.update_resident(session, self._staff_id, self.resident_id, data)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


def _row(widgets: object) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:  # type: ignore[attr-defined]
        row.addWidget(widget)
    row.addStretch()
    return row


class MoveOutDialog(QDialog):
    """迁出: the date and where they went. The resident stays on record."""

    def __init__(self, database: Database, staff_id: int, resident_id: int, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._resident_id = resident_id
        self.setWindowTitle(f"迁出：{name}")
        self.date = QLineEdit(f"{dt.date.today():%Y-%m-%d}")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如 购房搬离、随子女居住")
        self.form = FieldForm()
        self.form.add_field("moved_out_on", "迁出日期：", self.date)
        self.form.add_field("moved_out_reason", "迁出原因/去向：", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确认迁出")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name} 迁出后仍保留全部记录，默认不在名单中显示，可以撤销。"))
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                residents.move_out(session, self._staff_id, self._resident_id, self.date.text(),
                                   self.reason.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class HistoryDialog(QDialog):
    """修改记录: every change to a resident, who made it and when."""

    def __init__(self, database: Database, resident_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"修改记录：{name}")
        self.resize(760, 420)
        with database.read() as session:
            items = residents.history(session, resident_id)
        self.model = SimpleTableModel(("时间", "操作人", "操作", "内容"), self)
        self.model.set_rows([
            (f"{item.at:%Y-%m-%d %H:%M}", item.staff, item.action,
             "；".join(f"{c.field}：{c.before} → {c.after}" for c in item.changes) or item.summary)
            for item in items
        ])
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
