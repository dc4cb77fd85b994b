"""Dialogs of 说事议事: a matter, a step in its history, a meeting, its agenda, minutes and a vote."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import Matter, Meeting
from station import compound, meetings, onboarding
from station.errors import ValidationError
from station.meetings import DecisionInput, MatterInput, MatterRow, MeetingInput
from ui.forms import ERROR_STYLE, FieldForm, combo, dialog_buttons, fit, hint_label, line_edit, text_box
from ui.pickers import PersonPicker


class MatterDialog(QDialog):
    """登记议题: what, who raised it (居民提事/党员问事), where, the category and level."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.matter_id: int | None = None
        self.setWindowTitle("登记议题")
        with database.read() as session:
            self._buildings = compound.tree(session)
        self.title_edit = line_edit("title", placeholder="例如 3栋楼道堆放杂物、小区停车位不够")
        self.source = combo("source", meetings.SOURCES)
        self.picker = PersonPicker(database)
        self.picker.edit.setPlaceholderText("提出人：输入姓名、拼音首字母、电话尾号或房号，按回车")
        self.category = combo("category", meetings.CATEGORIES, "其他")
        self.picker.chosen.connect(lambda _id: self.category.setFocus())
        self.level = combo("level", meetings.LEVELS)
        self.lead = QLabel()
        self.lead.setObjectName("lead")
        self.level.currentTextChanged.connect(lambda text: self.lead.setText(f"{meetings.LEADS[text]}"))
        self.lead.setText(meetings.LEADS[self.level.currentText()])
        self.building = QComboBox()
        self.building.setObjectName("building")
        self.building.addItem("全小区", None)
        for node in self._buildings:
            self.building.addItem(f"{node.number}栋", node.id)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.building.currentIndexChanged.connect(lambda _i: self._fill_units())
        self._fill_units()
        self.raised_on = line_edit("raised_on", f"{dt.date.today():%Y-%m-%d}")
        self.description = text_box("description", placeholder="选填：具体情况，例如 楼道堆放纸箱和旧家具，影响通行和消防安全")
        level_row = QHBoxLayout()
        level_row.addWidget(self.level)
        level_row.addWidget(self.lead, 1)
        place_row = QHBoxLayout()
        place_row.addWidget(self.building)
        place_row.addWidget(self.unit)
        self.form = FieldForm()
        self.form.add_field("title", "议题：", self.title_edit)
        self.form.add_field("source", "来源：", self.source)
        self.form.add_field("raised_by", "提出人：", self.picker)
        self.form.add_field("category", "类别：", self.category)
        self.form.add_field("level", "层级：", layout=level_row)
        self.form.add_field("place", "涉及：", layout=place_row)
        self.form.add_field("raised_on", "提出日期：", self.raised_on)
        self.form.add_field("description", "情况说明：", self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("邻里小事由党员牵头议，单元琐事由楼栋党小组协调议，小区公事由党支部组织议，"
                                    "复杂难事上报社区提级议。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "登记", self.save))
        fit(self, 560)

    def _fill_units(self) -> None:
        self.unit.clear()
        self.unit.addItem("整栋" if self.building.currentData() is not None else "—", None)
        for node in self._buildings:
            if node.id == self.building.currentData():
                for unit in node.units:
                    self.unit.addItem(f"{unit.number}单元", unit.id)
        self.unit.setEnabled(self.building.currentData() is not None)

    def collect(self) -> MatterInput:
        return MatterInput(self.title_edit.text(), self.picker.resident_id, self.source.currentText(),
                           self.category.currentText(), self.level.currentText(), self.building.currentData(),
                           self.unit.currentData(), self.description.toPlainText(), self.raised_on.text())

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.matter_id = meetings.raise_matter(session, self._staff_id, self.collect())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


def escalation_targets(database: Database) -> list[str]:
    """Who a station escalates to: its community's party committee, the community, the street."""
    with database.read() as session:
        details = onboarding.details(session)
    if details is None:
        return []
    found = [f"{details.community}党委", f"{details.community}居委会", details.street] if details.community else []
    return [name for name in found if name]


class MeetingDialog(QDialog):
    """新建会议 / 修改会议: kind, when, where, who hosts, the vote rule and quorum."""

    def __init__(self, database: Database, staff_id: int, meeting_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.meeting_id = meeting_id
        self.setWindowTitle("修改议事会议" if meeting_id else "新建议事会议")
        with database.read() as session:
            found = session.get(Meeting, meeting_id) if meeting_id else None
        self.kind = combo("kind", meetings.MEETING_KINDS, found.kind if found else "红六方圆桌会")
        self.title_edit = line_edit("title", found.title if found else "", "不填时为“2026年11月红六方圆桌会”")
        self.date = line_edit("date", f"{found.held_at:%Y-%m-%d}" if found else f"{dt.date.today():%Y-%m-%d}")
        self.time = line_edit("time", f"{found.held_at:%H:%M}" if found else "19:00")
        self.place = line_edit("place", found.place if found else "党群服务站", "例如 党群服务站议事厅")
        self.host = line_edit("host", found.host if found else "", "例如 小区党支部书记")
        self.rule = QComboBox()
        self.rule.setObjectName("vote_rule")
        for key, label in meetings.VOTE_RULES.items():
            self.rule.addItem(label, key)
        self.rule.setCurrentIndex(self.rule.findData(found.vote_rule if found else meetings.default_rule(
            self.kind.currentText())))
        self.quorum = line_edit("quorum", str(found.quorum) if found and found.quorum else "",
                            "至少到会多少人（按户表决时为多少户）表决才有效，不限请留空")
        self.note = line_edit("note", found.note if found else "", "选填")
        self.kind.currentTextChanged.connect(self._kind_chosen)
        self.form = FieldForm()
        self.form.add_field("kind", "会议类别：", self.kind)
        self.form.add_field("title", "会议名称：", self.title_edit)
        self.form.add_field("date", "日期：", self.date)
        self.form.add_field("time", "开始时间：", self.time)
        self.form.add_field("place", "地点：", self.place)
        self.form.add_field("host", "主持人：", self.host)
        self.form.add_field("vote_rule", "表决规则：", self.rule)
        self.form.add_field("quorum", "法定人数：", self.quorum)
        self.form.add_field("note", "备注：", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("每月议事：先由“三长”初议，再开“红六方圆桌会”商议（网格党支部、业委会、物业公司、"
                                    "网格员、共建单位、职能部门）。业主大会按全体住户过半数表决。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        fit(self, 540)

    def _kind_chosen(self, kind: str) -> None:
        self.rule.setCurrentIndex(self.rule.findData(meetings.default_rule(kind)))

    def collect(self) -> MeetingInput:
        return MeetingInput(self.kind.currentText(), self.date.text(), self.time.text(), self.title_edit.text(),
                            self.place.text(), self.host.text(), self.rule.currentData(), self.quorum.text(),
                            self.note.text())

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.meeting_id = meetings.save_meeting(session, self._staff_id, self.collect(), self.meeting_id)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class AgendaDialog(QDialog):
    """列入议程: tick the matters waiting for a meeting."""

    def __init__(self, database: Database, staff_id: int, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._meeting_id = meeting_id
        self.added = 0
        self.setWindowTitle("列入议程")
        with database.read() as session:
            on = {row.matter.id for row in meetings.agenda(session, meeting_id)}
            held = meetings.meeting(session, meeting_id).held_at.date()
            waiting = [row for state in (meetings.WAITING, meetings.DISCUSSED, meetings.IN_HAND)
                       for row in meetings.matters(session, state=state)
                       if row.id not in on and row.raised_on <= held]
        self.choices = QListWidget()
        self.choices.setObjectName("choices")
        for row in waiting:
            entry = QListWidgetItem(f"【{row.state}】{row.title}　{row.level}　{row.place}　{row.raiser}提出"
                                    f"（{row.raised_on:%m-%d}）")
            entry.setData(Qt.ItemDataRole.UserRole, row.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if row.state == meetings.WAITING else Qt.CheckState.Unchecked)
            self.choices.addItem(entry)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("待议的议题已勾选；办理中的议题也可以列入，听取办理情况（成效评议）。"))
        layout.addWidget(self.choices)
        if not waiting:
            layout.addWidget(QLabel("没有可以列入的议题：请先在“议题”页登记。"))
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, "列入议程", self.save))
        self.resize(600, 420)

    def checked(self) -> list[int]:
        return [int(self.choices.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(self.choices.count())
                if self.choices.item(n).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.added = meetings.add_to_agenda(session, self._staff_id, self._meeting_id, self.checked())
        except ValidationError as error:
            self.error.setText(error.message)
            return
        self.accept()


class MinutesDialog(QDialog):
    """会议记录 of one matter: what was said, by whom."""

    def __init__(self, database: Database, staff_id: int, meeting_id: int, matter: MatterRow, minutes: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._meeting_id = meeting_id
        self._matter = matter
        self.setWindowTitle(f"会议记录：{matter.title}")
        self.text = text_box("minutes", minutes, "各方发言要点，例如 物业公司表示月底前清理；业委会建议……", 220)
        self.form = FieldForm()
        self.form.add_field("minutes", "记录：", self.text)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{matter.title}</b>　{matter.level}　{matter.raiser}提出"))
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        self.resize(620, 380)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                meetings.save_minutes(session, self._staff_id, self._meeting_id, self._matter.id,
                                      self.text.toPlainText())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


RESPONSIBLE = ("物业公司", "业委会", "网格党支部", "楼栋长", "单元长", "网格员", "共建单位", "社区居委会")


class DecisionDialog(QDialog):
    """表决与决议: the resolution, who carries it out by when, and the vote — a paper count or by household."""

    def __init__(self, database: Database, staff_id: int, meeting_id: int, matter: MatterRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._meeting_id = meeting_id
        self._matter = matter
        self.setWindowTitle(f"表决与决议：{matter.title}")
        with database.read() as session:
            row = meetings.meeting(session, meeting_id)
            earlier = next((item.decision for item in meetings.agenda(session, meeting_id)
                            if item.matter.id == matter.id), None)
            rooms = meetings.ballots(session, earlier.id) if earlier is not None and earlier.by_household else {}
            target = session.get(Matter, matter.id)
            self._eligible = len(meetings.eligible_households(session, target)) if target is not None else 0
        self._rule, self._quorum, self._present = row.vote_rule, row.quorum, row.people
        self.resolution = text_box("resolution", earlier.resolution if earlier else "",
                                    "例如 由物业公司于11月30日前清理楼道杂物，党员志愿者协助")
        self.responsible = combo("responsible", RESPONSIBLE, editable=True)
        self.responsible.setCurrentText(earlier.responsible if earlier else "")
        self.deadline = line_edit("deadline", f"{earlier.deadline:%Y-%m-%d}" if earlier and earlier.deadline else "",
                              "选填，例如 2026-11-30")
        self.voted = QCheckBox("进行了表决")
        self.voted.setObjectName("voted")
        self.voted.setChecked(earlier is None or earlier.voted)
        self.paper = QRadioButton("按票数（纸质计票）")
        self.paper.setObjectName("paper")
        self.by_household = QRadioButton("按户表决（填写房号）")
        self.by_household.setObjectName("by_household")
        household = earlier.by_household if earlier is not None and earlier.voted else row.vote_rule == "households"
        (self.by_household if household else self.paper).setChecked(True)
        # a correction starts from the count being corrected
        paper = earlier if earlier is not None and earlier.voted and not earlier.by_household else None
        self.votes_for = line_edit("votes_for", str(paper.votes_for) if paper else "", "赞成票数")
        self.votes_against = line_edit("votes_against", str(paper.votes_against) if paper else "", "反对票数")
        self.votes_abstain = line_edit("votes_abstain", str(paper.votes_abstain) if paper else "", "弃权票数")
        self.present = line_edit("present", str(paper.present) if paper and row.vote_rule != "households" else "",
                             f"不填为已登记的{row.people}人")
        self.rooms_for = line_edit("rooms_for", " ".join(rooms.get("for", [])), "赞成的房号，例如 3-2-501 3-2-502")
        self.rooms_against = line_edit("rooms_against", " ".join(rooms.get("against", [])), "反对的房号")
        self.rooms_abstain = line_edit("rooms_abstain", " ".join(rooms.get("abstain", [])), "弃权的房号")
        self.correction = line_edit("correction", placeholder="例如 补计一张书面表决票")
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("font-size: 12pt;")
        how = QHBoxLayout()
        how.addWidget(self.voted)
        how.addWidget(self.paper)
        how.addWidget(self.by_household)
        how.addStretch()
        self.form = FieldForm()
        self.form.add_field("resolution", "决议内容：", self.resolution)
        self.form.add_field("responsible", "责任方：", self.responsible)
        self.form.add_field("deadline", "完成时限：", self.deadline)
        self.form.add_field("voted", "表决：", layout=how)
        self.form.add_field("votes_for", "赞成：", self.votes_for)
        self.form.add_field("votes_against", "反对：", self.votes_against)
        self.form.add_field("votes_abstain", "弃权：", self.votes_abstain)
        self.form.add_field("present", "到会人数：", self.present)
        self.form.add_field("rooms_for", "赞成的户：", self.rooms_for)
        self.form.add_field("rooms_against", "反对的户：", self.rooms_against)
        self.form.add_field("rooms_abstain", "弃权的户：", self.rooms_abstain)
        self.form.add_field("correction", "更正原因：", self.correction)
        self._show_row(self.correction, earlier is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{matter.title}</b>　{matter.level}　表决规则：{row.rule_text}"))
        if earlier is not None:
            layout.addWidget(hint_label(f"本次会议已有决议（{earlier.result}）：再次保存是更正，原记录保留。"))
        layout.addLayout(self.form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存决议", self.save))
        for widget in (self.voted, self.paper, self.by_household):
            widget.toggled.connect(lambda _on: self._update())
        for edit in (self.votes_for, self.votes_against, self.votes_abstain, self.present, self.rooms_for,
                     self.rooms_against, self.rooms_abstain):
            edit.textChanged.connect(lambda _t: self._update())
        self._update()
        fit(self, 600)

    def _show_row(self, field: QWidget, shown: bool) -> None:
        box = field.parentWidget()
        if box is not None:
            self.form.setRowVisible(box, shown)

    def _update(self) -> None:
        """Show the fields of the chosen way of counting, and what the count typed so far gives."""
        voted, household = self.voted.isChecked(), self.by_household.isChecked()
        self.paper.setEnabled(voted)
        self.by_household.setEnabled(voted)
        for edit in (self.votes_for, self.votes_against, self.votes_abstain):
            self._show_row(edit, voted and not household)
        # by households, those who voted are those present
        self._show_row(self.present, voted and not household and self._rule != "households")
        for edit in (self.rooms_for, self.rooms_against, self.rooms_abstain):
            self._show_row(edit, voted and household)
        self.outcome.setText(self._preview() if voted else "不表决：决议直接议定")
        self.adjustSize()

    def _preview(self) -> str:
        def number(edit: QLineEdit) -> int | None:
            text = edit.text().strip()
            return int(text) if text.isdigit() else None

        if self.by_household.isChecked():
            rooms = [len(meetings.room_list(e.text())) for e in (self.rooms_for, self.rooms_against,
                                                                   self.rooms_abstain)]
            return self._household_preview(rooms[0], sum(rooms))
        votes = [number(e) for e in (self.votes_for, self.votes_against, self.votes_abstain)]
        if votes[0] is None:
            return ""
        total = sum(v or 0 for v in votes)
        if self._rule == "households":
            return self._household_preview(votes[0] or 0, total)
        present = number(self.present) if self.present.text().strip() else self._present
        if not present:
            return "请填写到会人数"
        outcome = meetings.tally(self._rule, votes[0], present, None, self._quorum)
        if not outcome.quorum_met:
            return f"到会{present}人，不足法定人数{self._quorum}人，表决无效"
        return f"到会{present}人，至少{outcome.needed}票赞成才通过：{'通过' if outcome.passed else '未通过'}"

    def _household_preview(self, votes_for: int, voted: int) -> str:
        """What the households typed so far give: 应参加表决10户，实际表决7户，至少6户赞成才通过：通过."""
        eligible = f"应参加表决{self._eligible}户，"
        if not voted:
            return f"{eligible}请填写表决的住户房号" if self.by_household.isChecked() else eligible
        if self._rule == "households" and not self._eligible:
            return "没有应参加表决的住户（本议题涉及的楼栋里没有人居住）"
        outcome = meetings.tally(self._rule, votes_for, voted, self._eligible, self._quorum)
        if not outcome.quorum_met:
            return f"{eligible}实际表决{voted}户，不足法定人数{self._quorum}户，表决无效"
        return (f"{eligible}实际表决{voted}户，至少{outcome.needed}户赞成才通过："
                f"{'通过' if outcome.passed else '未通过'}"
                + ("（房号在保存时核对）" if self.by_household.isChecked() else ""))

    def collect(self) -> DecisionInput:
        return DecisionInput(
            self._meeting_id, self._matter.id, self.resolution.toPlainText(), self.responsible.currentText(),
            self.deadline.text(), self.voted.isChecked(), self.by_household.isChecked(), self.votes_for.text(),
            self.votes_against.text(), self.votes_abstain.text(), self.present.text(), self.rooms_for.text(),
            self.rooms_against.text(), self.rooms_abstain.text(), self.correction.text())

    def save(self) -> None:
        try:
            with self._db.write() as session:
                meetings.record_decision(session, self._staff_id, self.collect())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()
