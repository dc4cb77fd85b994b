"""Dialogs of the volunteer work: an activity, hours afterwards or corrected, a care visit, a team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import settings, volunteer
from station.errors import ValidationError
from station.volunteer import ActivityInput
from station.vocab import CARE_TAGS
from ui import icons
from ui.forms import FieldForm, hint_label
from ui.pickers import PersonPicker


def _buttons(dialog: QDialog, ok_text: str, save: Callable[[], None]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setObjectName("ok")
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class WhenFields:
    """A day and a start and end time on one line of a form, each with its own error line."""

    def __init__(self, form: FieldForm, label: str, start: str, end: str) -> None:
        self.date = QLineEdit(f"{dt.date.today():%Y-%m-%d}")
        self.date.setObjectName("date")
        self.start = QLineEdit(start)
        self.start.setObjectName("start")
        self.end = QLineEdit(end)
        self.end.setObjectName("end")
        line = QHBoxLayout()
        line.addWidget(self.date, 2)
        line.addWidget(QLabel("从"))
        line.addWidget(self.start, 1)
        line.addWidget(QLabel("到"))
        line.addWidget(self.end, 1)
        form.add_field("date", label, layout=line)
        form.add_field("start", "", None)
        form.add_field("end", "", None)


class ActivityDialog(QDialog):
    """新建/修改活动: title, kind, day and times (an end before the start is the next day), place, team."""

    def __init__(self, database: Database, staff_id: int, activity_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.activity_id = activity_id
        self.setWindowTitle("修改活动" if activity_id else "新建活动")
        with database.read() as session:
            teams = volunteer.teams(session, active_only=True)
            current = volunteer.activity_form(session, activity_id) if activity_id else None
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText("例如 每周五大扫除、反诈宣传进楼栋")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.setEditable(True)
        self.kind.addItems(volunteer.KINDS)
        self.place = QLineEdit()
        self.place.setPlaceholderText("例如 小区中心花园、党群服务站")
        self.organiser = QLineEdit()
        self.team = QComboBox()
        self.team.setObjectName("team")
        self.team.addItem("（不限服务队）", None)
        for team in teams:
            self.team.addItem(team.name, team.id)
        self.headcount = QLineEdit()
        self.headcount.setObjectName("planned_headcount")
        self.cap = QLineEdit()
        self.cap.setObjectName("points_cap")
        with database.read() as session:
            default_cap = settings.get(session, settings.ACTIVITY_CAP)
        self.cap.setPlaceholderText(f"留空按设置（每次活动每人最多{default_cap}分）")
        self.description = QLineEdit()
        self.form = FieldForm()
        self.form.add_field("title", "活动名称：", self.title)
        self.form.add_field("kind", "类别：", self.kind)
        when = WhenFields(self.form, "日期和时间：", "09:00", "11:00")
        self.date, self.start, self.end = when.date, when.start, when.end
        self.form.add_field("place", "地点：", self.place)
        self.form.add_field("organiser", "组织者：", self.organiser)
        self.form.add_field("team", "服务队：", self.team)
        self.form.add_field("planned_headcount", "计划人数：", self.headcount)
        self.form.add_field("points_cap", "每人积分上限：", self.cap)
        self.form.add_field("description", "说明：", self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("结束时间早于开始时间时，按第二天结束计算（如夜间巡逻 22:00 到 02:00）。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(_buttons(self, "保存", self.save))
        if current is not None:
            self.title.setText(current.title)
            self.kind.setCurrentText(current.kind)
            self.date.setText(current.date)
            self.start.setText(current.start)
            self.end.setText(current.end)
            self.place.setText(current.place)
            self.organiser.setText(current.organiser)
            self.team.setCurrentIndex(max(0, self.team.findData(current.team_id)))
            self.headcount.setText(current.planned_headcount)
            self.cap.setText(current.points_cap)
            self.description.setText(current.description)
            self._visited = current.visited_id
        else:
            self._visited = None
        self.resize(520, 460)

    def collect(self) -> ActivityInput:
        return ActivityInput(self.title.text(), self.kind.currentText(), self.date.text(), self.start.text(),
                             self.end.text(), self.place.text(), self.organiser.text(), self.team.currentData(),
                             self.headcount.text(), self.description.text(), self.cap.text(), self._visited)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                if self.activity_id is None:
                    self.activity_id = volunteer.add_activity(session, self._staff_id, self.collect())
                else:
                    volunteer.update_activity(session, self._staff_id, self.activity_id, self.collect())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class HoursDialog(QDialog):
    """补录时长 (someone who came, entered afterwards) or 调整时长 (correct someone's hours), with a reason."""

    def __init__(self, title: str, prompt: str, hours: str, action: Callable[[str, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._action = action
        self.hours = QLineEdit(hours)
        self.hours.setObjectName("hours")
        self.hours.setPlaceholderText("小时，例如 2 或 2.5")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("时长与活动时间不同时必填，例如 提前离开")
        self.form = FieldForm()
        self.form.add_field("hours", "时长（小时）：", self.hours)
        self.form.add_field("reason", "原因：", self.reason)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(_buttons(self, title, self.save))
        self.resize(420, 220)

    def save(self) -> None:
        try:
            self._action(self.hours.text(), self.reason.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class VisitDialog(QDialog):
    """登记走访: the visit to a resident needing care, who went, when; their hours count."""

    def __init__(self, database: Database, staff_id: int, visited_id: int, visited_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._visited = visited_id
        self.setWindowTitle(f"登记走访：{visited_name}")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("例如 送米面油、测血压、了解近况")
        self.picker = PersonPicker(database)
        self.visitors = QListWidget()
        self.visitors.setObjectName("visitors")
        self.visitors.setMaximumHeight(90)
        self.picker.chosen.connect(self._add_visitor)
        remove = QPushButton(icons.icon("fa5s.times"), "移除所选走访人")
        remove.clicked.connect(lambda: [self.visitors.takeItem(self.visitors.row(i))
                                        for i in self.visitors.selectedItems()])
        self.form = FieldForm()
        self.form.addRow("走访对象：", QLabel(visited_name))
        when = WhenFields(self.form, "走访时间：", "15:00", "16:00")
        self.date, self.start, self.end = when.date, when.start, when.end
        self.form.add_field("visitors", "走访人：", self.picker)
        self.form.addRow("", self.visitors)
        self.form.addRow("", remove)
        self.form.add_field("note", "情况：", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(_buttons(self, "登记", self.save))
        self.resize(520, 460)

    def _add_visitor(self, resident_id: int) -> None:
        if any(self.visitors.item(n).data(Qt.ItemDataRole.UserRole) == resident_id
               for n in range(self.visitors.count())):
            return
        entry = QListWidgetItem(self.picker.chosen_label.text().removeprefix("已选："))
        entry.setData(Qt.ItemDataRole.UserRole, resident_id)
        self.visitors.addItem(entry)
        self.picker.edit.clear()
        self.picker.chosen_label.clear()

    def visitor_ids(self) -> list[int]:
        return [int(self.visitors.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(self.visitors.count())]

    def save(self) -> None:
        try:
            with self._db.write() as session:
                volunteer.log_visit(session, self._staff_id, self._visited, self.date.text(), self.start.text(),
                                    self.end.text(), self.visitor_ids(), self.note.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class TeamDialog(QDialog):
    """新建/修改服务队: its name, leader (a resident) and what it does."""

    def __init__(self, database: Database, staff_id: int, team: volunteer.TeamView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._team = team
        self.setWindowTitle("修改服务队" if team else "新建志愿服务队")
        self.name = QLineEdit(team.name if team else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText("例如 红色志愿服务队、平安巡逻队")
        self.leader = PersonPicker(database)
        if team and team.leader_id:
            self.leader.choose(team.leader_id)
        self.note = QLineEdit(team.note if team else "")
        self.active = QCheckBox("在用（停用后不再出现在新活动的服务队中，已有记录保留）")
        self.active.setObjectName("team_active")
        self.active.setChecked(team.active if team else True)
        self.active.setEnabled(team is not None)
        self.form = FieldForm()
        self.form.add_field("name", "名称：", self.name)
        self.form.add_field("leader", "队长：", self.leader)
        self.form.add_field("note", "说明：", self.note)
        self.form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(_buttons(self, "保存", self.save))
        self.resize(480, 360)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                volunteer.save_team(session, self._staff_id, self.name.text(), self.leader.resident_id,
                                    self.note.text(), self._team.id if self._team else None,
                                    self.active.isChecked())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class PersonDialog(QDialog):
    """Pick one resident (add a team member)."""

    def __init__(self, database: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.picker = PersonPicker(database)
        self.picker.chosen.connect(lambda _id: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 280)


class VolunteerSettingsDialog(QDialog):
    """志愿积分设置: points per hour, rounding, the cap per activity, how often each care group is visited."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.setWindowTitle("志愿时长设置")
        with database.read() as session:
            rate = settings.get(session, settings.POINTS_PER_HOUR)
            rounding = settings.get(session, settings.ROUNDING)
            cap = settings.get(session, settings.ACTIVITY_CAP)
            visits = settings.get(session, settings.VISIT_DAYS)
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("rate")
        self.rate.setRange(0.5, 20)
        self.rate.setSingleStep(0.5)
        self.rate.setDecimals(1)
        self.rate.setValue(float(rate))
        self.rate.setSuffix(" 分/小时")
        self.rounding = QComboBox()
        self.rounding.setObjectName("rounding")
        for key, label in settings.ROUNDINGS.items():
            self.rounding.addItem(label, key)
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(rounding)))
        self.cap = QSpinBox()
        self.cap.setObjectName("cap")
        self.cap.setRange(1, 100)
        self.cap.setValue(int(cap))
        self.cap.setSuffix(" 分")
        form = QFormLayout()
        form.addRow("每小时积分：", self.rate)
        form.addRow("不足1分时：", self.rounding)
        form.addRow("每次活动每人最多：", self.cap)
        self.visits: dict[str, QSpinBox] = {}
        for tag in CARE_TAGS:
            days = QSpinBox()
            days.setRange(0, 365)
            days.setSpecialValueText("不走访")
            days.setValue(int(visits.get(tag, 0)))
            days.setSuffix(" 天一次")
            self.visits[tag] = days
            form.addRow(f"走访{tag}：", days)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint_label("已记的积分不变；新的换算用于以后的签退、补录和时长调整。"))
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "保存", self.save))

    def save(self) -> None:
        rate = self.rate.value()
        values = {
            settings.POINTS_PER_HOUR: int(rate) if rate.is_integer() else rate,
            settings.ROUNDING: self.rounding.currentData(),
            settings.ACTIVITY_CAP: self.cap.value(),
            settings.VISIT_DAYS: {tag: box.value() for tag, box in self.visits.items() if box.value()},
        }
        try:
            with self._db.write() as session:
                for key, value in values.items():
                    settings.put(session, self._staff_id, key, value)
        except ValidationError as error:
            self.error.setText(error.message)
            return
        self.accept()
