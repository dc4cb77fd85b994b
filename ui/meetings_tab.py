"""The 说事议事 tab: the matter board by state and level, and the meetings with agenda, attendance, minutes and votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.orm import Session

from db.engine import Database
from station import meetings
from station.tickets import CATEGORIES as TICKET_CATEGORIES
from station.tickets import ticket_number
from station.meetings import AgendaRow, AttendeeRow, MatterRow, MeetingRow
from ui import messages
from ui.forms import StepDialog, hint_label
from ui.meeting_dialogs import (
    AgendaDialog,
    DecisionDialog,
    MatterDialog,
    MeetingDialog,
    MinutesDialog,
    escalation_targets,
)
from ui.pages import Page, PagedTab, make_button, make_table, select_where, selected_rows, toolbar
from ui.pickers import PersonPicker
from ui.ticket_dialogs import TicketDialog
from ui.points_dialogs import ReasonDialog
from ui.reports import make_report
from ui.table_models import SimpleTableModel

RED_STATES = (meetings.ESCALATED,)


def _date(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


class MattersPage(Page):
    """议题: every matter by state and level; the chosen one's history below."""

    HEADERS = ("提出日期", "议题", "类别", "层级", "牵头", "状态", "提出人", "涉及", "责任方", "完成时限")
    HISTORY_HEADERS = ("日期", "经过", "层级", "状态", "说明", "会议", "经办人")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[MatterRow] = []
        self.state = QComboBox()
        self.state.setObjectName("state")
        self.state.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # 全部（120）grows with its count
        self.state.currentIndexChanged.connect(lambda _i: self.reload())
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.level.addItem("全部层级", None)
        for level in meetings.LEVELS:
            self.level.addItem(level, level)
        self.level.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setObjectName("matter_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("议题、类别、提出人或责任方")
        self.search.textChanged.connect(lambda _t: self.reload())
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "matters")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_history())
        self.history_model = SimpleTableModel(self.HISTORY_HEADERS, self)
        self.history_table = make_table(self.history_model, "matter_history")
        self.details = QLabel()
        self.details.setObjectName("matter_details")
        self.details.setWordWrap(True)
        self.new_button = make_button("fa5s.plus", "登记议题", "new_matter")
        self.new_button.clicked.connect(lambda: self.add())
        self.level_button = make_button("fa5s.level-up-alt", "调整层级…", "change_level")
        self.level_button.clicked.connect(lambda: self.change_level())
        self.escalate_button = make_button("fa5s.share-square", "上报提级…", "escalate")
        self.escalate_button.setToolTip("复杂难事上报社区（上报提级议）")
        self.escalate_button.clicked.connect(lambda: self.escalate())
        self.finish_button = make_button("fa5s.check", "办结…", "finish")
        self.finish_button.clicked.connect(lambda: self.finish())
        self.reopen_button = make_button("fa5s.redo", "重新办理…", "reopen")
        self.reopen_button.clicked.connect(lambda: self.reopen())

        filters = QHBoxLayout()
        filters.addWidget(self.state)
        filters.addWidget(self.level)
        filters.addWidget(self.search, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(hint_label("多点听事：居民提事、党员问事都在这里登记；待议的议题在每月议事会上议定（每事必议），"
                                        "议定后合力办事，办结后公开晒事。"))
        top_layout.addLayout(filters)
        top_layout.addWidget(toolbar(self.new_button, self.level_button, self.escalate_button, self.finish_button,
                                     self.reopen_button))
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.details)
        bottom_layout.addWidget(self.history_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([460, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._fill_states({})
        self._show_history()

    def _fill_states(self, counts: dict[str, int]) -> None:
        """The state filter, each with its count: 待议（12）."""
        current = self.state.currentData() if self.state.count() else meetings.WAITING
        self.state.blockSignals(True)
        self.state.clear()
        self.state.addItem(f"全部（{sum(counts.values())}）" if counts else "全部", None)
        for state in meetings.STATES:
            self.state.addItem(f"{state}（{counts.get(state, 0)}）" if counts else state, state)
        self.state.setCurrentIndex(max(0, self.state.findData(current)))
        self.state.blockSignals(False)

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._fill_states(meetings.state_counts(session))
            self._rows = meetings.matters(session, state=self.state.currentData(), level=self.level.currentData(),
                                          text=self.search.text())
        self.model.set_rows([
            (_date(r.raised_on), r.title, r.category, r.level, r.lead, r.state + ("（逾期）" if r.overdue else ""),
             f"{r.raiser}（{r.source}）", r.place, r.responsible, _date(r.deadline)) for r in self._rows
        ], [r.id for r in self._rows], grey=[n for n, r in enumerate(self._rows) if r.state == meetings.DONE],
            red=[n for n, r in enumerate(self._rows) if r.overdue])
        self.stale = False
        if current is not None:
            self.select_matter(current.id)
        self._show_history()

    def selected(self) -> MatterRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def select_matter(self, matter_id: int) -> bool:
        return select_where(self.table, self._rows, lambda row: row.id == matter_id)

    def _show_history(self) -> None:
        row = self.selected()
        for button in (self.level_button, self.escalate_button, self.finish_button):
            button.setEnabled(row is not None and row.state != meetings.DONE)
        self.escalate_button.setEnabled(row is not None and row.state not in (meetings.DONE, meetings.ESCALATED))
        self.reopen_button.setEnabled(row is not None and row.state == meetings.DONE)
        if row is None:
            self.details.setText("选择一个议题，这里显示它的全部经过")
            self.history_model.set_rows([])
            return
        result = f"<br>办理结果：{row.result}" if row.result else ""
        description = f"<br>{row.description}" if row.description else ""
        self.details.setText(f"<b>{row.title}</b>　{row.level}（{row.lead}）　{row.state}{description}{result}")
        with self._db.read() as session:
            steps = meetings.history(session, row.id)
        self.history_model.set_rows([
            (_date(s.on_date), s.what, s.level, s.state,
             s.note + (f"（上报：{s.to_whom}）" if s.to_whom else ""), s.meeting, s.staff) for s in steps])

    # ------------------------------------------------------------ actions

    def add(self) -> MatterDialog:
        dialog = MatterDialog(self._db, self._staff_id, self)
        dialog.accepted.connect(lambda: self._done(dialog.matter_id))
        self._open(dialog)
        return dialog

    def _done(self, matter_id: int | None) -> None:
        self.changed.emit()
        self.reload()
        if matter_id is not None and not self.select_matter(matter_id):
            self.state.setCurrentIndex(0)  # it moved to another state: show all
            self.level.setCurrentIndex(0)
            self.select_matter(matter_id)

    def _step(self, title: str, prompt: str, fields: list[tuple[str, str, QWidget]],
              action: Callable[[Session, Any], object], ok_text: str = "") -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._step_dialog(row, title, prompt, fields, action, lambda: self._done(row.id), ok_text)

    def change_level(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        level = QComboBox()
        level.setObjectName("level")
        level.addItems([name for name in meetings.LEVELS if name != row.level])
        reason = QLineEdit()
        reason.setObjectName("reason")
        reason.setPlaceholderText("例如 涉及整个单元，由楼栋党小组协调")
        return self._step("调整层级", f"“{row.title}”现在是{row.level}。", [("level", "调整为：", level),
                                                                       ("reason", "原因：", reason)],
                          lambda s, r: meetings.change_level(s, self._staff_id, r.id, level.currentText(),
                                                             reason.text()))

    def escalate(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        to_whom = QComboBox()
        to_whom.setObjectName("to_whom")
        to_whom.setEditable(True)
        to_whom.addItems(escalation_targets(self._db))
        on_date = QLineEdit(f"{dt.date.today():%Y-%m-%d}")
        on_date.setObjectName("on_date")
        reason = QLineEdit()
        reason.setObjectName("reason")
        reason.setPlaceholderText("选填，例如 涉及规划审批，需要住建部门协调")
        return self._step("上报提级", f"“{row.title}”作为复杂难事上报，由上级组织议事。",
                          [("to_whom", "上报给：", to_whom), ("on_date", "上报日期：", on_date),
                           ("reason", "说明：", reason)],
                          lambda s, r: meetings.escalate(s, self._staff_id, r.id, to_whom.currentText(),
                                                         on_date.text(), reason.text()), "上报")

    def finish(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        result = QLineEdit()
        result.setObjectName("result")
        result.setPlaceholderText("例如 杂物已清理，楼道畅通，居民满意")
        on_date = QLineEdit(f"{dt.date.today():%Y-%m-%d}")
        on_date.setObjectName("on_date")
        return self._step("办结", f"“{row.title}”办结后，办理结果会写进议事结果公示。",
                          [("result", "办理结果：", result), ("on_date", "办结日期：", on_date)],
                          lambda s, r: meetings.finish(s, self._staff_id, r.id, result.text(), on_date.text()))

    def reopen(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        reason = QLineEdit()
        reason.setObjectName("reason")
        reason.setPlaceholderText("例如 居民反映问题又出现了")
        return self._step("重新办理", f"“{row.title}”已办结；重新办理后回到{'办理中' if row.responsible else '待议'}。",
                          [("reason", "原因：", reason)],
                          lambda s, r: meetings.reopen(s, self._staff_id, r.id, reason.text()))


class MeetingsPage(Page):
    """议事会议: the meetings; the chosen one's agenda with minutes and votes, and who came."""

    AGENDA_HEADERS = ("议题", "层级", "状态", "提出人", "记录", "决议", "表决结果", "责任方", "完成时限")
    ATTENDEE_HEADERS = ("姓名", "身份/单位", "住址")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._meetings: list[MeetingRow] = []
        self._agenda: list[AgendaRow] = []
        self._attendees: list[AttendeeRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("meeting_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("会议名称、类别或地点")
        self.search.textChanged.connect(lambda _t: self.reload())
        self.model = SimpleTableModel(("时间", "会议", "类别", "地点", "议题", "已议定", "到会"), self)
        self.table = make_table(self.model, "meetings")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_meeting())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.new_button = make_button("fa5s.plus", "新建会议", "new_meeting")
        self.new_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改", "edit_meeting")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.cancel_button = make_button("fa5s.ban", "取消会议…", "cancel_meeting")
        self.cancel_button.clicked.connect(lambda: self.cancel())

        self.details = QLabel("请在左边选择一次会议")
        self.details.setObjectName("meeting_details")
        self.details.setWordWrap(True)
        self.details.setStyleSheet("font-size: 12pt;")
        self.agenda_model = SimpleTableModel(self.AGENDA_HEADERS, self)
        self.agenda_table = make_table(self.agenda_model, "agenda")
        self.agenda_table.doubleClicked.connect(lambda _i: self.decide())
        self.add_matter_button = make_button("fa5s.list", "列入议程…", "add_to_agenda")
        self.add_matter_button.clicked.connect(lambda: self.add_matters())
        self.roll_button = make_button("fa5s.angle-double-right", "转入待议议题", "roll_forward")
        self.roll_button.setToolTip("把所有待议的议题（包括上次会议没有议结的）列入本次议程：每事必议")
        self.roll_button.clicked.connect(lambda: self.roll_forward())
        self.withdraw_button = make_button("fa5s.minus", "撤出议程…", "withdraw_matter")
        self.withdraw_button.clicked.connect(lambda: self.withdraw_matter())
        self.minutes_button = make_button("fa5s.pen", "会议记录…", "minutes")
        self.minutes_button.clicked.connect(lambda: self.write_minutes())
        self.decide_button = make_button("fa5s.gavel", "表决与决议…", "decide")
        self.decide_button.clicked.connect(lambda: self.decide())
        self.ticket_button = make_button("fa5s.clipboard-list", "转成工单…", "to_ticket")
        self.ticket_button.setToolTip("合力办事：把通过的决议交给问题工单跟踪，办结后回访")
        self.ticket_button.clicked.connect(lambda: self.to_ticket())

        self.picker = PersonPicker(database)
        self.picker.edit.setPlaceholderText("参会居民：输入姓名、拼音首字母或电话尾号，按回车登记")
        self.picker.chosen.connect(self.add_resident)
        self.party = QComboBox()
        self.party.setObjectName("party")
        self.party.addItems(list(meetings.PARTIES))
        self.party_name = QLineEdit()
        self.party_name.setObjectName("party_name")
        self.party_name.setPlaceholderText("各方代表姓名或职务，例如 王经理")
        self.party_name.returnPressed.connect(lambda: self.add_party())
        self.party_button = make_button("fa5s.user-tie", "登记", "add_party")
        self.party_button.clicked.connect(lambda: self.add_party())
        self.done = QLabel()
        self.done.setObjectName("meeting_message")
        self.done.setStyleSheet("color: #1e7e34;")
        self.attendee_model = SimpleTableModel(self.ATTENDEE_HEADERS, self)
        self.attendee_table = make_table(self.attendee_model, "attendees")
        self.remove_attendee_button = make_button("fa5s.user-minus", "撤销登记", "remove_attendee")
        self.remove_attendee_button.clicked.connect(lambda: self.remove_attendee())
        self.sign_in_button = make_button("fa5s.print", "打印签到表", "print_sign_in")
        self.sign_in_button.clicked.connect(lambda: self.print_document("meeting-sign-in"))
        self.minutes_print_button = make_button("fa5s.print", "打印会议记录", "print_minutes")
        self.minutes_print_button.clicked.connect(lambda: self.print_document("meeting-minutes"))
        self.notice_button = make_button("fa5s.print", "打印议事结果公示", "print_results")
        self.notice_button.clicked.connect(lambda: self.print_document("meeting-results"))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(toolbar(self.new_button, self.edit_button, self.cancel_button))
        left_layout.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details)
        right_layout.addWidget(QLabel("<b>议程</b>（双击议题记录表决与决议）"))
        right_layout.addWidget(toolbar(self.roll_button, self.add_matter_button, self.withdraw_button,
                                       self.minutes_button, self.decide_button, self.ticket_button))
        right_layout.addWidget(self.agenda_table, 3)
        right_layout.addWidget(QLabel("<b>参会人员</b>"))
        party_row = QHBoxLayout()
        party_row.addWidget(self.party)
        party_row.addWidget(self.party_name, 1)
        party_row.addWidget(self.party_button)
        right_layout.addWidget(self.picker)
        right_layout.addLayout(party_row)
        right_layout.addWidget(self.done)
        right_layout.addWidget(self.attendee_table, 2)
        right_layout.addWidget(toolbar(self.remove_attendee_button, self.sign_in_button, self.minutes_print_button,
                                       self.notice_button))
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_meeting()

    # ------------------------------------------------------------ the list

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._meetings = meetings.meetings(session, text=self.search.text())
        self.model.set_rows([
            (m.when, m.title + ("（已取消）" if m.cancelled else ""), m.kind, m.place, m.matters, m.decided, m.people)
            for m in self._meetings
        ], [m.id for m in self._meetings], grey=[n for n, m in enumerate(self._meetings) if m.cancelled])
        self.stale = False
        if current is not None:
            self.select_meeting(current.id)
        self._show_meeting()

    def selected(self) -> MeetingRow | None:
        rows = selected_rows(self.table)
        return self._meetings[rows[0]] if rows else None

    def select_meeting(self, meeting_id: int) -> bool:
        return select_where(self.table, self._meetings, lambda row: row.id == meeting_id)

    def add(self) -> MeetingDialog:
        dialog = MeetingDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(lambda: self._saved(dialog.meeting_id))
        self._open(dialog)
        return dialog

    def edit(self) -> MeetingDialog | None:
        row = self.selected()
        if row is None or row.cancelled:
            return None
        dialog = MeetingDialog(self._db, self._staff_id, row.id, self)
        dialog.accepted.connect(lambda: self._saved(row.id))
        self._open(dialog)
        return dialog

    def _saved(self, meeting_id: int | None) -> None:
        self.changed.emit()
        self.search.clear()
        self.reload()
        if meeting_id is not None:
            self.select_meeting(meeting_id)

    def cancel(self) -> ReasonDialog | None:
        row = self.selected()
        if row is None or row.cancelled:
            return None

        def cancel(reason: str) -> None:
            with self._db.write() as session:
                meetings.cancel_meeting(session, self._staff_id, row.id, reason)
            self._saved(row.id)

        dialog = ReasonDialog("取消会议", f"取消“{row.title}”（{row.when}）。议程上的议题留待下次会议。", cancel, self)
        self._open(dialog)
        return dialog

    # ------------------------------------------------------------ the meeting

    def _show_meeting(self) -> None:
        row = self.selected()
        usable = row is not None and not row.cancelled
        for widget in (self.edit_button, self.cancel_button, self.add_matter_button, self.roll_button,
                       self.withdraw_button, self.minutes_button, self.decide_button, self.ticket_button,
                       self.picker, self.party,
                       self.party_name, self.party_button, self.remove_attendee_button, self.sign_in_button,
                       self.notice_button):
            widget.setEnabled(usable)
        self.minutes_print_button.setEnabled(row is not None)
        if row is None:
            self.details.setText("请在左边选择一次会议")
            self._agenda, self._attendees = [], []
            self.agenda_model.set_rows([])
            self.attendee_model.set_rows([])
            return
        note = f"<br>备注：{row.note}" if row.note else ""
        self.details.setText(f"<b>{row.title}</b>{'（已取消）' if row.cancelled else ''}<br>{row.when}　{row.place}　"
                             f"{'主持：' + row.host if row.host else ''}<br>表决规则：{row.rule_text}　"
                             f"到会 {row.people} 人　议题 {row.matters} 个，已议定 {row.decided} 个{note}")
        with self._db.read() as session:
            self._agenda = meetings.agenda(session, row.id)
            self._attendees = meetings.attendees(session, row.id)
        self.agenda_model.set_rows([
            (a.matter.title, a.matter.level, a.matter.state, a.matter.raiser, "有" if a.minutes else "",
             a.decision.resolution if a.decision else "", a.decision.summary if a.decision else "未议定",
             a.decision.responsible if a.decision else "", _date(a.decision.deadline) if a.decision else "")
            for a in self._agenda
        ], [a.matter.id for a in self._agenda],
            red=[n for n, a in enumerate(self._agenda) if a.decision is not None and not a.decision.passed])
        self.attendee_model.set_rows([(a.name, a.party, a.address) for a in self._attendees],
                                     [a.id for a in self._attendees])

    def _selected_item(self) -> AgendaRow | None:
        rows = selected_rows(self.agenda_table)
        return self._agenda[rows[0]] if rows else None

    def _after(self, message: str) -> None:
        self.done.setText(message)
        self.changed.emit()
        current = self._selected_item()
        self.reload()
        if current is not None:
            select_where(self.agenda_table, self._agenda, lambda row: row.matter.id == current.matter.id)

    def add_matters(self) -> AgendaDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = AgendaDialog(self._db, self._staff_id, row.id, self)
        dialog.accepted.connect(lambda: self._after(f"已列入议程：{dialog.added}个议题"))
        self._open(dialog)
        return dialog

    def roll_forward(self) -> int:
        row = self.selected()
        if row is None:
            return 0
        added: list[int] = []
        if self._run(lambda session: added.append(meetings.roll_forward(session, self._staff_id, row.id))):
            self._after(f"已把{added[0]}个待议议题列入本次议程" if added[0] else "没有待议的议题")
        return added[0] if added else 0

    def withdraw_matter(self) -> ReasonDialog | None:
        row, item = self.selected(), self._selected_item()
        if row is None or item is None:
            return None

        def withdraw(reason: str) -> None:
            with self._db.write() as session:
                meetings.withdraw_from_agenda(session, self._staff_id, row.id, item.matter.id, reason)
            self._after(f"已撤出议程：{item.matter.title}")

        dialog = ReasonDialog("撤出议程", f"把“{item.matter.title}”撤出本次议程，留待下次会议。", withdraw, self)
        self._open(dialog)
        return dialog

    def write_minutes(self) -> MinutesDialog | None:
        row, item = self.selected(), self._selected_item()
        if row is None or item is None:
            return None
        dialog = MinutesDialog(self._db, self._staff_id, row.id, item.matter, item.minutes, self)
        dialog.accepted.connect(lambda: self._after(f"已保存会议记录：{item.matter.title}"))
        self._open(dialog)
        return dialog

    def decide(self) -> DecisionDialog | None:
        row, item = self.selected(), self._selected_item()
        if row is None or item is None or row.cancelled:
            return None
        dialog = DecisionDialog(self._db, self._staff_id, row.id, item.matter, self)
        dialog.accepted.connect(lambda: self._after(f"已记录决议：{item.matter.title}"))
        self._open(dialog)
        return dialog

    def to_ticket(self) -> TicketDialog | None:
        """A passed resolution handed to the tickets, to be followed until done (合力办事)."""
        item = self._selected_item()
        if item is None or item.decision is None or not item.decision.passed:
            messages.warn(self, "请先选择一个已通过决议的议题")
            return None
        matter, decision = item.matter, item.decision
        kind = matter.category if matter.category in TICKET_CATEGORIES else "其他"
        who = f"（责任方：{decision.responsible}）" if decision.responsible else ""
        dialog = TicketDialog(self._db, self._staff_id, self, building_id=matter.building_id, unit_id=matter.unit_id,
                              category=kind, matter_id=matter.id, title=matter.title,
                              description=f"议事决议：{decision.resolution}{who}",
                              place="" if matter.building_id else matter.place)
        dialog.accepted.connect(lambda: self._after(
            f"已转成工单{ticket_number(dialog.ticket_id or 0)}：{matter.title}"))
        self._open(dialog)
        return dialog

    def add_resident(self, resident_id: int) -> None:
        row = self.selected()
        if row is None:
            return
        name = self.picker.edit.text()
        if self._run(lambda session: meetings.add_resident_attendee(session, self._staff_id, row.id, resident_id)):
            self._after(f"已登记参会：{name}")
        self.picker.edit.clear()
        self.picker.chosen_label.clear()
        self.picker.edit.setFocus()

    def add_party(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        party, name = self.party.currentText(), self.party_name.text()
        if self._run(lambda session: meetings.add_party_attendee(session, self._staff_id, row.id, party, name)):
            self.party_name.clear()
            self._after(f"已登记参会：{party} {name.strip()}")
            return True
        return False

    def remove_attendee(self) -> bool:
        rows = selected_rows(self.attendee_table)
        if not rows:
            return False
        person = self._attendees[rows[0]]
        if not messages.confirm(self, f"撤销{person.name}的参会登记？"):
            return False
        if self._run(lambda session: meetings.withdraw_attendee(session, self._staff_id, person.id)):
            self._after(f"已撤销参会登记：{person.name}")
            return True
        return False

    def print_document(self, name: str) -> None:
        """签到表, 会议记录 or 议事结果公示 of the chosen meeting, saved as a PDF and opened."""
        row = self.selected()
        if row is not None:
            make_report(self, self._db, self._staff_id, name, "", person=row.label, record_id=row.id)


class MeetingsTab(PagedTab):
    """说事议事: 议题 and 议事会议."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        self.matters = MattersPage(database, staff_id)
        self.meetings = MeetingsPage(database, staff_id)
        super().__init__("meeting_pages", [(self.matters, "fa5s.comment-dots", "议题"),
                                           (self.meetings, "fa5s.users", "议事会议")], parent)
