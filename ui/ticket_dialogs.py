"""Dialogs of 问题工单: taking a report at the desk (keyboard only), an inspection round, a building checked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from db.engine import Database
from station import compound, settings, tickets
from station.errors import ValidationError
from station.tickets import TicketInput
from ui.forms import FieldForm, combo, dialog_buttons, fit, hint_label, line_edit, text_box
from ui.pickers import PersonPicker


class TicketDialog(QDialog):
    """受理登记: who reports (Enter), the category (Enter), what (Enter saves); the place follows the reporter."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None, *,
                 check_id: int | None = None, building_id: int | None = None, unit_id: int | None = None,
                 category: str = "", matter_id: int | None = None, title: str = "", description: str = "",
                 place: str = "") -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._check_id = check_id
        self._matter_id = matter_id
        self.ticket_id: int | None = None
        self._guessed: tuple[object, object] | None = None  # the place taken from the reporter's home
        self.setWindowTitle("登记排查发现的问题" if check_id else "议事决议转成工单" if matter_id else "受理登记")
        with database.read() as session:
            self._buildings = compound.tree(session)
            limits = settings.get(session, settings.TICKET_DAYS)
            urgent_days = int(settings.get(session, settings.URGENT_DAYS))
        self.source = combo("source", [s for s in tickets.SOURCES if s != tickets.FROM_INSPECTION or check_id])
        if check_id is not None:
            self.source.setCurrentText(tickets.FROM_INSPECTION)
            self.source.setEnabled(False)
        elif matter_id is not None:
            self.source.setCurrentText(tickets.FROM_MEETING)
            self.source.setEnabled(False)
        self.picker = PersonPicker(database)
        self.picker.edit.setPlaceholderText("反映人：输入姓名、拼音首字母、电话尾号或房号，按回车（匿名可不填）")
        self.picker.chosen.connect(self._reporter_chosen)
        self.picker.edit.installEventFilter(self)  # Enter with nobody typed: an anonymous report, move on
        self.category = QComboBox()
        self.category.setObjectName("category")
        for name in tickets.CATEGORIES:
            self.category.addItem(f"{name}（{limits.get(name, 7)}天内）", name)
        if category:
            self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.category.installEventFilter(self)
        self.priority = combo("priority", tickets.PRIORITIES)
        self.title_edit = line_edit("title", title, "例如 3栋门口路灯不亮")
        self.building = QComboBox()
        self.building.setObjectName("building")
        self.building.addItem("公共区域（不属于某栋）", None)
        for node in self._buildings:
            self.building.addItem(f"{node.number}栋", node.id)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.building.currentIndexChanged.connect(lambda _i: self._fill_units())
        if building_id is not None:
            self.building.setCurrentIndex(max(0, self.building.findData(building_id)))
            self.building.setEnabled(check_id is None)
        self._fill_units()
        if unit_id is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(unit_id)))
        self.place = line_edit("place", place, placeholder="公共区域请写明，例如 北门停车场；楼内可补充，例如 楼顶")
        self.description = text_box("description", description, "选填：具体情况")
        self.accepted_at = line_edit("accepted_at", placeholder="不填为现在；补登时填，例如 2026-12-01 09:30")
        where = QHBoxLayout()
        where.addWidget(self.building)
        where.addWidget(self.unit)
        how = QHBoxLayout()
        how.addWidget(self.category, 2)
        how.addWidget(self.priority, 1)
        self.form = FieldForm()
        self.form.add_field("source", "来源：", self.source)
        self.form.add_field("reporter", "反映人：", self.picker)
        self.form.add_field("category", "类别：", layout=how)
        self.form.add_field("title", "反映的问题：", self.title_edit)
        self.form.add_field("place", "地点：", layout=where)
        self.form.add_field("place_text", "具体位置：", self.place)
        self.form.add_field("description", "情况说明：", self.description)
        self.form.add_field("accepted_at", "受理时间：", self.accepted_at)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("回车依次到下一项，填好“反映的问题”后回车即受理。办理时限按类别计算（设置里可以改），"
                                    f"紧急的{urgent_days}天内办理。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "受理", self.save))
        self.picker.edit.setFocus()
        fit(self, 580)

    def _fill_units(self) -> None:
        self.unit.clear()
        building = self.building.currentData()
        self.unit.addItem("整栋" if building is not None else "—", None)
        for node in self._buildings:
            if node.id == building:
                for unit in node.units:
                    self.unit.addItem(f"{unit.number}单元", unit.id)
        self.unit.setEnabled(building is not None)

    def _reporter_chosen(self, resident_id: int) -> None:
        """A report is usually about where the reporter lives: start from their building and unit.

        The place follows the reporter while it is the one the reporter brought (another person chosen
        instead moves it too); a place the desk chose itself is kept.
        """
        where = (self.building.currentData(), self.unit.currentData())
        if self._check_id is None and (where[0] is None or where == self._guessed):
            with self._db.read() as session:
                found = tickets.reporter_place(session, resident_id)
            if found is not None:
                self.building.setCurrentIndex(max(0, self.building.findData(found[0])))
                self.unit.setCurrentIndex(max(0, self.unit.findData(found[1])))
                self._guessed = (self.building.currentData(), self.unit.currentData())
        self.category.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is self.category:
                self.title_edit.setFocus()
                return True
            if watched is self.picker.edit and not self.picker.edit.text().strip():
                self.category.setFocus()  # nobody named (匿名, 12345): on to the category, nothing saved yet
                return True
        return super().eventFilter(watched, event)

    def collect(self) -> TicketInput:
        return TicketInput(self.title_edit.text(), self.category.currentData(), self.source.currentText(),
                           self.priority.currentText(), self.picker.resident_id, self.building.currentData(),
                           self.unit.currentData(), self.place.text(), self.description.toPlainText(),
                           self.accepted_at.text(), self._matter_id)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                data = self.collect()
                if self._check_id is not None:
                    self.ticket_id = tickets.record_finding(session, self._staff_id, self._check_id, data)
                else:
                    self.ticket_id = tickets.open_ticket(session, self._staff_id, data)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class RoundDialog(QDialog):
    """开展排查: the kind of round and when it starts; every building goes on its checklist."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.round_id: int | None = None
        self.setWindowTitle("开展排查")
        self.kind = combo("kind", tickets.INSPECTION_KINDS)
        self.started_on = line_edit("started_on", f"{dt.date.today():%Y-%m-%d}")
        self.title_edit = line_edit("title", placeholder="不填时为“2026年12月安全隐患拉网式排查”")
        self.form = FieldForm()
        self.form.add_field("kind", "排查类别：", self.kind)
        self.form.add_field("started_on", "开始日期：", self.started_on)
        self.form.add_field("title", "名称：", self.title_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("每栋楼一行，逐栋登记排查情况；发现的问题一步转成工单，跟踪到办结。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "开始排查", self.save))
        fit(self, 480)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.round_id = tickets.start_round(session, self._staff_id, self.kind.currentText(),
                                                    self.started_on.text(), self.title_edit.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class CheckDialog(QDialog):
    """登记排查: a building gone through — by whom, when, what was seen."""

    def __init__(self, database: Database, staff_id: int, check: tickets.CheckRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._check = check
        self.setWindowTitle(f"登记排查：{check.building}栋")
        self.checked_by = line_edit("checked_by", check.checked_by, "例如 楼栋长张三明、网格员小刘")
        self.on = line_edit("on", f"{check.checked_on or dt.date.today():%Y-%m-%d}")
        self.note = line_edit("note", check.note, "选填，例如 无隐患；或 楼道堆放杂物两处")
        self.form = FieldForm()
        self.form.addRow("楼栋：", QLabel(f"{check.building}栋"))
        self.form.add_field("checked_by", "排查人：", self.checked_by)
        self.form.add_field("on", "排查日期：", self.on)
        self.form.add_field("note", "情况：", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        fit(self, 480)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                tickets.check_building(session, self._staff_id, self._check.id, self.checked_by.text(),
                                       self.note.text(), self.on.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class TicketSettingsDialog(QDialog):
    """工单时限与回访: days per category, for urgent tickets, and until the 回访 is due."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.setWindowTitle("工单时限与回访")
        with database.read() as session:
            limits = settings.get(session, settings.TICKET_DAYS)
            urgent = settings.get(session, settings.URGENT_DAYS)
            follow = settings.get(session, settings.FOLLOW_UP_DAYS)
        self.days = {name: line_edit(f"days_{name}", str(limits.get(name, 7))) for name in tickets.CATEGORIES}
        self.urgent = line_edit("urgent", str(urgent))
        self.follow_up = line_edit("follow_up", str(follow))
        self.form = FieldForm()
        for name, edit in self.days.items():
            self.form.add_field(f"days_{name}", f"{name}（天）：", edit)
        self.form.add_field("urgent", "紧急工单（天）：", self.urgent)
        self.form.add_field("follow_up", "办结后几天内回访：", self.follow_up)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("办理时限从受理之日算起；改动只影响以后受理的工单。"))
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        fit(self, 420)

    def save(self) -> None:
        errors: dict[str, str] = {}

        def number(key: str, edit: QLineEdit) -> int:
            text = edit.text().strip()
            if not text.isdigit():
                errors[key] = "请填整数天数"
                return 0
            return int(text)

        limits = {name: number(f"days_{name}", edit) for name, edit in self.days.items()}
        urgent, follow = number("urgent", self.urgent), number("follow_up", self.follow_up)
        if errors:
            self.form.show_errors(errors)
            return
        try:
            with self._db.write() as session:
                settings.put(session, self._staff_id, settings.TICKET_DAYS, limits)
                settings.put(session, self._staff_id, settings.URGENT_DAYS, urgent)
                settings.put(session, self._staff_id, settings.FOLLOW_UP_DAYS, follow)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()
