"""The 问题工单 tab: the tickets with their filters and timeline, the desk's quick entry, inspection rounds, prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.orm import Session

from db.engine import Database
from station import compound, points, tickets
from station.tickets import CheckRow, RoundRow, TicketQuery, TicketRow
from ui.forms import StepDialog, combo, hint_label, line_edit
from ui.pages import Page, PagedTab, make_button, make_table, select_where, selected_rows, toolbar
from ui.reports import make_report
from ui.table_models import SimpleTableModel
from ui.ticket_dialogs import CheckDialog, RoundDialog, TicketDialog

OPEN, OVERDUE, FOLLOW_UP, ALL = "open", "overdue", "follow_up", "all"


def _day(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def recent_months(today: dt.date, count: int = 13) -> list[str]:
    """This month and the ones before it, newest first: the months a notice can be printed for."""
    months = points.months_between(dt.date(today.year - 2, today.month, 1), today)
    return list(reversed(months))[:count]


class TicketsPage(Page):
    """工单: the list by view (未办结, 逾期, 待回访 …), category and building; the chosen ticket's timeline."""

    HEADERS = ("编号", "受理时间", "反映的问题", "类别", "地点", "反映人", "状态", "承办", "办理时限", "回访")
    HISTORY_HEADERS = ("时间", "经过", "状态", "说明", "经办人")
    counted = Signal(object)  # tickets.Counts, after every reload (the status bar shows them)

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[TicketRow] = []
        self.view = QComboBox()
        self.view.setObjectName("view")
        self.view.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # the counts stay readable
        self.view.currentIndexChanged.connect(lambda _i: self.reload())
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.addItem("全部类别", None)
        for name in tickets.CATEGORIES:
            self.category.addItem(name, name)
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        self.building = QComboBox()
        self.building.setObjectName("building")
        self.building.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setObjectName("ticket_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("编号（GD000123）、问题、反映人或承办单位")
        self.search.textChanged.connect(lambda _t: self.reload())
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "tickets")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_ticket())
        self.details = QLabel()
        self.details.setObjectName("ticket_details")
        self.details.setWordWrap(True)
        self.history_model = SimpleTableModel(self.HISTORY_HEADERS, self)
        self.history_table = make_table(self.history_model, "ticket_history")
        self.history_table.horizontalHeader().setStretchLastSection(False)
        self.history_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # 说明
        self.new_button = make_button("fa5s.plus", "受理登记（Ctrl+T）", "new_ticket")
        self.new_button.clicked.connect(lambda: self.add())
        self.start_button = make_button("fa5s.play", "开始处理", "start")
        self.start_button.clicked.connect(lambda: self.start())
        self.on_spot_button = make_button("fa5s.check", "现场办结…", "on_spot")
        self.on_spot_button.clicked.connect(lambda: self.settle_on_spot())
        self.hand_button = make_button("fa5s.share", "转办…", "hand_over")
        self.hand_button.clicked.connect(lambda: self.hand_over())
        self.finish_button = make_button("fa5s.check-double", "办结…", "finish")
        self.finish_button.clicked.connect(lambda: self.finish())
        self.follow_button = make_button("fa5s.phone", "回访…", "follow_up")
        self.follow_button.clicked.connect(lambda: self.follow_up())
        self.reopen_button = make_button("fa5s.redo", "重新办理…", "reopen")
        self.reopen_button.clicked.connect(lambda: self.reopen())
        self.record_button = make_button("fa5s.print", "打印工单记录", "print_record")
        self.record_button.clicked.connect(lambda: self.print_record())
        self.month = QComboBox()
        self.month.setObjectName("notice_month")
        for month in recent_months(dt.date.today()):
            self.month.addItem(points.month_label(month), month)
        self.notice_button = make_button("fa5s.print", "打印办理公示", "print_notice")
        self.notice_button.clicked.connect(lambda: self.print_month("tickets-monthly"))
        self.figures_button = make_button("fa5s.chart-bar", "打印月度统计", "print_figures")
        self.figures_button.clicked.connect(lambda: self.print_month("tickets-figures"))
        self.done = QLabel()
        self.done.setObjectName("ticket_message")
        self.done.setStyleSheet("color: #1e7e34;")

        filters = QHBoxLayout()
        for widget in (self.view, self.category, self.building):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        prints = QHBoxLayout()
        prints.addStretch()
        prints.addWidget(QLabel("月份："))
        prints.addWidget(self.month)
        prints.addWidget(self.notice_button)
        prints.addWidget(self.figures_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(toolbar(self.new_button, self.start_button, self.on_spot_button, self.hand_button,
                                     self.finish_button, self.follow_button, self.reopen_button, self.record_button))
        top_layout.addWidget(self.done)
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.details)
        bottom_layout.addWidget(self.history_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([460, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("事事有回音、件件有着落：受理 → 现场办结或转办 → 办结 → 回访。逾期的工单标红排在最前。"))
        layout.addWidget(splitter)
        layout.addLayout(prints)
        # Tab goes from the filters to the list and from the chosen ticket straight to what can be done with it
        chain = (self.view, self.category, self.building, self.search, self.table, self.new_button, self.start_button,
                 self.on_spot_button, self.hand_button, self.finish_button, self.follow_button, self.reopen_button,
                 self.record_button, self.history_table, self.month, self.notice_button, self.figures_button)
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)
        self._fill_views(None)
        self._fill_buildings()
        self._show_ticket()

    def _fill_views(self, counts: tickets.Counts | None) -> None:
        current = self.view.currentData() if self.view.count() else OPEN
        self.view.blockSignals(True)
        self.view.clear()
        if counts is None:
            self.view.addItem("未办结", OPEN)
            self.view.addItem("逾期", OVERDUE)
            self.view.addItem("待回访", FOLLOW_UP)
        else:
            self.view.addItem(f"未办结（{counts.open}）", OPEN)
            self.view.addItem(f"逾期（{counts.overdue}）", OVERDUE)
            self.view.addItem(f"待回访（{counts.follow_up_due}）", FOLLOW_UP)
        self.view.addItem("全部工单", ALL)
        for state in tickets.STATES:
            self.view.addItem(state, state)
        self.view.setCurrentIndex(max(0, self.view.findData(current)))
        self.view.blockSignals(False)

    def _fill_buildings(self) -> None:
        with self._db.read() as session:
            nodes = compound.tree(session)
        current = self.building.currentData()
        self.building.blockSignals(True)
        self.building.clear()
        self.building.addItem("全部楼栋", None)
        for node in nodes:
            self.building.addItem(f"{node.number}栋", node.id)
        self.building.setCurrentIndex(max(0, self.building.findData(current)))
        self.building.blockSignals(False)

    def show_view(self, view: str) -> None:
        """Open the list on 逾期, 待回访 … (the status bar and other tabs send the desk here)."""
        self.view.setCurrentIndex(max(0, self.view.findData(view)))

    def query(self) -> TicketQuery:
        view = self.view.currentData()
        return TicketQuery(state=view if view in tickets.STATES else None, category=self.category.currentData(),
                           building_id=self.building.currentData(), open_only=view == OPEN, overdue=view == OVERDUE,
                           follow_up=view == FOLLOW_UP, text=self.search.text())

    def reload(self) -> None:
        current = self.selected()
        today = dt.date.today()
        query = self.query()
        with self._db.read() as session:
            counts = tickets.counts(session, today)
            rows = tickets.tickets(session, query, today=today)
        self._rows = rows
        self._fill_views(counts)
        self.model.set_rows([
            (r.number, f"{r.accepted_at:%Y-%m-%d %H:%M}", r.title, r.category + ("（紧急）" if r.priority == "紧急" else ""),
             r.place, r.reporter, r.state + ("（逾期）" if r.overdue else ""), r.handed_to, _day(r.due_on),
             f"{'待回访' if r.follow_up_due else '回访日'} {r.follow_up_on:%m-%d}" if r.follow_up_on
             else r.satisfaction)
            for r in rows
        ], [r.id for r in rows], grey=[n for n, r in enumerate(rows) if r.state == tickets.FOLLOWED_UP],
            red=[n for n, r in enumerate(rows) if r.overdue or r.follow_up_due])
        self.stale = False
        if current is not None:
            self.select_ticket(current.id)
        self._show_ticket()
        self.counted.emit(counts)

    def selected(self) -> TicketRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def select_ticket(self, ticket_id: int) -> bool:
        return select_where(self.table, self._rows, lambda row: row.id == ticket_id)

    def _show_ticket(self) -> None:
        row = self.selected()
        state = row.state if row is not None else ""
        self.start_button.setEnabled(state in (tickets.ACCEPTED, tickets.HANDED_ON))
        self.start_button.setText("收回处理" if state == tickets.HANDED_ON else "开始处理")
        self.on_spot_button.setEnabled(state in (tickets.ACCEPTED, tickets.HANDLING))
        self.hand_button.setEnabled(state in (tickets.ACCEPTED, tickets.HANDLING))
        self.finish_button.setEnabled(state in (tickets.HANDLING, tickets.HANDED_ON))
        self.follow_button.setEnabled(state in tickets.AWAITING_FOLLOW_UP)
        self.reopen_button.setEnabled(state in tickets.CLOSED)
        self.record_button.setEnabled(row is not None)
        if row is None:
            self.details.setText("选择一张工单，这里显示它的办理经过")
            self.history_model.set_rows([])
            return
        late = "　<span style='color:#c0392b'>已逾期</span>" if row.overdue else ""
        result = f"<br>办理结果：{row.result}" if row.result else ""
        self.details.setText(f"<b>{row.number}　{row.title}</b>　{row.category}　{row.place}　{row.state}{late}<br>"
                             f"受理：{row.accepted_at:%Y-%m-%d %H:%M}（{row.source}{'，' + row.reporter if row.reporter else ''}）"
                             f"　办理时限：{_day(row.due_on)}{result}")
        with self._db.read() as session:
            steps = tickets.history(session, row.id)
        self.history_model.set_rows([
            (f"{s.at:%Y-%m-%d %H:%M}", s.what, f"{s.from_state} → {s.to_state}" if s.from_state else s.to_state,
             s.note + (f"（转给：{s.to_whom}）" if s.to_whom else ""), s.staff) for s in steps])

    # ------------------------------------------------------------ actions

    def add(self) -> TicketDialog:
        dialog = TicketDialog(self._db, self._staff_id, self)
        dialog.accepted.connect(lambda: self._saved(dialog.ticket_id, "已受理"))
        self._open(dialog)
        return dialog

    def _saved(self, ticket_id: int | None, doing: str) -> None:
        self.changed.emit()
        self.reload()
        if ticket_id is None:
            return
        if not self.select_ticket(ticket_id):
            self.show_view(ALL)
            self.select_ticket(ticket_id)
        self.done.setText(f"{doing}：{tickets.ticket_number(ticket_id)}")

    def start(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        doing = "已收回处理" if row.state == tickets.HANDED_ON else "已开始处理"
        if self._run(lambda session: tickets.start(session, self._staff_id, row.id)):
            self._saved(row.id, doing)
            return True
        return False

    def _step(self, title: str, prompt: str, fields: list[tuple[str, str, QWidget]],
              action: Callable[[Session, Any], object], doing: str, ok_text: str = "") -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._step_dialog(row, title, prompt, fields, action, lambda: self._saved(row.id, doing),
                             ok_text)

    def settle_on_spot(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        result = line_edit("result", placeholder="例如 当场协调，双方同意错峰停车")
        return self._step("现场办结", f"{row.number}“{row.title}”当场解决了。", [("result", "办理结果：", result)],
                          lambda s, r: tickets.settle_on_spot(s, self._staff_id, r.id, result.text()), "已现场办结")

    def hand_over(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        whom = combo("to_whom", tickets.HAND_TO, editable=True)
        whom.setCurrentText("")
        note = line_edit("note", placeholder="选填，例如 请三日内答复")
        return self._step("转办", f"{row.number}“{row.title}”转给有关单位办理，服务站跟踪到办结。",
                          [("to_whom", "转给：", whom), ("note", "说明：", note)],
                          lambda s, r: tickets.hand_over(s, self._staff_id, r.id, whom.currentText(), note.text()),
                          "已转办")

    def finish(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        result = line_edit("result", placeholder="例如 物业已更换路灯，恢复照明")
        return self._step("办结", f"{row.number}“{row.title}”办好了；办结后按时回访反映人。",
                          [("result", "办理结果：", result)],
                          lambda s, r: tickets.finish(s, self._staff_id, r.id, result.text()), "已办结")

    def follow_up(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        rating = combo("satisfaction", tickets.SATISFACTION)
        rating.setCurrentIndex(-1)  # the resident's word, not a default: nothing is chosen until asked
        rating.setPlaceholderText("请选择居民的评价")
        note = line_edit("note", placeholder="居民的意见；不满意时必填，工单会重新办理")
        who = f"反映人{row.reporter}" if row.reporter else "现场"
        return self._step("回访", f"{row.number}“{row.title}”：把办理结果告诉{who}，听取评价。",
                          [("satisfaction", "评价：", rating), ("note", "意见：", note)],
                          lambda s, r: tickets.follow_up(s, self._staff_id, r.id, rating.currentText(), note.text()),
                          "已回访", "记录回访")

    def reopen(self) -> StepDialog | None:
        row = self.selected()
        if row is None:
            return None
        reason = line_edit("reason", placeholder="例如 误点了办结；居民反映问题又出现了")
        return self._step("重新办理", f"{row.number}“{row.title}”重新办理，原来的记录保留。",
                          [("reason", "原因：", reason)],
                          lambda s, r: tickets.reopen(s, self._staff_id, r.id, reason.text()), "已重新办理")

    def print_record(self) -> None:
        row = self.selected()
        if row is not None:
            make_report(self, self._db, self._staff_id, "ticket-record", "", person=row.number, record_id=row.id)

    def print_month(self, name: str) -> None:
        make_report(self, self._db, self._staff_id, name, self.month.currentData())


class InspectionsPage(Page):
    """排查 (点单): rounds with a checklist of buildings; a finding becomes a ticket in one step."""

    CHECK_HEADERS = ("楼栋", "排查日期", "排查人", "情况", "发现问题", "未办结")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rounds: list[RoundRow] = []
        self._checks: list[CheckRow] = []
        self.model = SimpleTableModel(("开始日期", "排查", "已排查", "发现问题", "未办结"), self)
        self.table = make_table(self.model, "rounds")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_round())
        self.new_button = make_button("fa5s.search-location", "开展排查", "new_round")
        self.new_button.clicked.connect(lambda: self.add())
        self.check_model = SimpleTableModel(self.CHECK_HEADERS, self)
        self.check_table = make_table(self.check_model, "checks")
        self.check_table.selectionModel().selectionChanged.connect(lambda *_: self._enable_check_buttons())
        self.check_table.doubleClicked.connect(lambda _i: self.check())
        self.check_button = make_button("fa5s.clipboard-check", "登记排查…", "check")
        self.check_button.clicked.connect(lambda: self.check())
        self.finding_button = make_button("fa5s.exclamation-triangle", "发现问题，转成工单…", "finding")
        self.finding_button.clicked.connect(lambda: self.record_finding())
        self.details = QLabel()
        self.details.setObjectName("round_details")
        self.done = QLabel()
        self.done.setObjectName("round_message")
        self.done.setStyleSheet("color: #1e7e34;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(toolbar(self.new_button))
        left_layout.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details)
        right_layout.addWidget(toolbar(self.check_button, self.finding_button))
        right_layout.addWidget(self.done)
        right_layout.addWidget(self.check_table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("点单：安全隐患拉网式排查、矛盾纠纷全覆盖排查、困难群体逐个式排查，逐栋登记，"
                                    "发现的问题转成工单跟踪办理。"))
        layout.addWidget(splitter)
        self._show_round()

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._rounds = tickets.rounds(session)
        self.model.set_rows([(_day(r.started_on), r.title, f"{r.checked}/{r.buildings}栋", r.findings, r.open_findings)
                             for r in self._rounds], [r.id for r in self._rounds])
        self.stale = False
        if current is not None:
            select_where(self.table, self._rounds, lambda row: row.id == current.id)
        self._show_round()

    def selected(self) -> RoundRow | None:
        rows = selected_rows(self.table)
        return self._rounds[rows[0]] if rows else None

    def selected_check(self) -> CheckRow | None:
        rows = selected_rows(self.check_table)
        return self._checks[rows[0]] if rows else None

    def _enable_check_buttons(self) -> None:
        """登记排查 and 发现问题 are about one building of the round: choose it first."""
        chosen = self.selected() is not None and self.selected_check() is not None
        self.check_button.setEnabled(chosen)
        self.finding_button.setEnabled(chosen)

    def _show_round(self) -> None:
        row = self.selected()
        if row is None:
            self.details.setText("选择一次排查，这里显示各楼栋的排查情况")
            self._checks = []
            self.check_model.set_rows([])
            self._enable_check_buttons()
            return
        self.details.setText(f"<b>{row.title}</b>　{_day(row.started_on)}开始　已排查{row.checked}/{row.buildings}栋　"
                             f"发现问题{row.findings}个，未办结{row.open_findings}个")
        with self._db.read() as session:
            self._checks = tickets.checklist(session, row.id)
        self.check_model.set_rows([(f"{c.building}栋", _day(c.checked_on) or "未排查", c.checked_by, c.note,
                                    c.findings or "", c.open_findings or "") for c in self._checks],
                                  [c.id for c in self._checks],
                                  grey=[n for n, c in enumerate(self._checks) if c.checked_on is None])
        self._enable_check_buttons()

    def _after(self, message: str) -> None:
        check = self.selected_check()
        self.done.setText(message)
        self.changed.emit()
        self.reload()
        if check is not None:
            select_where(self.check_table, self._checks, lambda row: row.id == check.id)

    def add(self) -> RoundDialog:
        dialog = RoundDialog(self._db, self._staff_id, self)

        def made() -> None:
            self.changed.emit()
            self.reload()
            if dialog.round_id is not None:
                select_where(self.table, self._rounds, lambda row: row.id == dialog.round_id)

        dialog.accepted.connect(made)
        self._open(dialog)
        return dialog

    def check(self) -> CheckDialog | None:
        check = self.selected_check()
        if check is None:
            return None
        dialog = CheckDialog(self._db, self._staff_id, check, self)
        dialog.accepted.connect(lambda: self._after(f"已登记{check.building}栋的排查"))
        self._open(dialog)
        return dialog

    def record_finding(self) -> TicketDialog | None:
        row, check = self.selected(), self.selected_check()
        if row is None or check is None:
            return None
        dialog = TicketDialog(self._db, self._staff_id, self, check_id=check.id, building_id=check.building_id,
                              category=tickets.INSPECTION_CATEGORY.get(row.kind, ""))
        dialog.accepted.connect(lambda: self._after(
            f"已转成工单{tickets.ticket_number(dialog.ticket_id or 0)}（{check.building}栋）"))
        self._open(dialog)
        return dialog


class TicketsTab(PagedTab):
    """问题工单: 工单 and 排查."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        self.tickets = TicketsPage(database, staff_id)
        self.inspections = InspectionsPage(database, staff_id)
        super().__init__("ticket_pages", [(self.tickets, "fa5s.clipboard-list", "工单"),
                                          (self.inspections, "fa5s.search-location", "排查")], parent)
