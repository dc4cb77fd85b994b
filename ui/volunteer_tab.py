"""The 志愿时长 tab: activities and sign-in at the desk, care visits, teams, hours reports and certificates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import access, residents, volunteer
from station.errors import ValidationError
from station.volunteer import ActivityRow, AttendanceRow, hours_text
from ui import messages
from ui.forms import hint_label
from ui.pickers import PersonPicker
from ui.points_dialogs import ReasonDialog
from ui.pages import Page, PagedTab, make_button, make_table, select_where, selected_rows, toolbar
from ui.reports import make_report
from ui.resident_dialogs import ResidentDialog
from ui.table_models import SimpleTableModel
from ui.volunteer_dialogs import ActivityDialog, HoursDialog, PersonDialog, TeamDialog, VisitDialog

CERTIFICATE = "volunteer-certificate"


def _time(value: dt.datetime | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


class ActivitiesPage(Page):
    """活动: upcoming and past activities; the chosen one's attendance and the sign-in box."""

    ATTENDANCE_HEADERS = ("姓名", "住址", "签到", "签退", "时长（小时）", "积分", "积分状态", "备注")
    now = staticmethod(dt.datetime.now)  # the desk's clock (tests set their own)

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._activities: list[ActivityRow] = []
        self._attendance: list[AttendanceRow] = []
        self.when = QComboBox()
        self.when.setObjectName("when")
        self.when.addItem("今天和以后的活动", True)
        self.when.addItem("以前的活动", False)
        self.when.currentIndexChanged.connect(lambda _i: self.reload())
        self.which = QComboBox()
        self.which.setObjectName("which")
        self.which.addItem("活动（不含走访）", False)
        self.which.addItem("关爱走访", True)
        self.which.addItem("全部", None)
        self.which.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setObjectName("activity_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("活动名称、类别或地点")
        self.search.textChanged.connect(lambda _t: self.reload())
        self.model = SimpleTableModel(("时间", "活动", "类别", "地点", "服务队", "计划", "已到", "时长合计"), self)
        self.table = make_table(self.model, "activities")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_activity())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.new_button = make_button("fa5s.plus", "新建活动", "new_activity")
        self.new_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改", "edit_activity")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.copy_button = make_button("fa5s.copy", "复制到下周", "copy_activity")
        self.copy_button.setToolTip("每周都有的活动（如每周五大扫除）：复制到下一周")
        self.copy_button.clicked.connect(lambda: self.copy_forward())
        self.cancel_button = make_button("fa5s.ban", "取消活动", "cancel_activity")
        self.cancel_button.clicked.connect(lambda: self.cancel())

        # The activity view: its details, the sign-in box, the attendance.
        self.details = QLabel("请在左边选择一个活动")
        self.details.setObjectName("activity_details")
        self.details.setWordWrap(True)
        self.details.setStyleSheet("font-size: 12pt;")
        self.picker = PersonPicker(database)
        self.picker.edit.setPlaceholderText("签到/签退：输入姓名、拼音首字母或电话尾号，按回车")
        self.picker.chosen.connect(self.sign_in_or_out)
        self.done = QLabel()
        self.done.setObjectName("sign_in_message")
        self.done.setStyleSheet("color: #1e7e34;")
        self.attendance_model = SimpleTableModel(self.ATTENDANCE_HEADERS, self)
        self.attendance_table = make_table(self.attendance_model, "attendance")
        self.sign_out_button = make_button("fa5s.sign-out-alt", "签退", "sign_out")
        self.sign_out_button.clicked.connect(lambda: self.sign_out_selected())
        self.hours_button = make_button("fa5s.clock", "补录时长…", "record_hours")
        self.hours_button.setToolTip("活动结束后补登来过的人：时长默认按活动时间")
        self.hours_button.clicked.connect(lambda: self.record_hours())
        self.adjust_button = make_button("fa5s.edit", "调整时长…", "adjust_hours")
        self.adjust_button.clicked.connect(lambda: self.adjust_selected())
        self.withdraw_button = make_button("fa5s.undo", "撤销签到…", "withdraw")
        self.withdraw_button.clicked.connect(lambda: self.withdraw_selected())
        self.walk_in_button = make_button("fa5s.user-plus", "新居民登记并签到…", "walk_in")
        self.walk_in_button.setToolTip("还没有登记的居民来参加：先登记，再签到")
        self.walk_in_button.clicked.connect(lambda: self.walk_in())

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.when)
        filters.addWidget(self.which)
        filters.addWidget(self.search, 1)
        left_layout.addLayout(filters)
        left_layout.addWidget(toolbar(self.new_button, self.edit_button, self.copy_button, self.cancel_button))
        left_layout.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details)
        right_layout.addWidget(self.picker)
        right_layout.addWidget(self.done)
        right_layout.addWidget(toolbar(self.sign_out_button, self.hours_button, self.adjust_button,
                                       self.withdraw_button, self.walk_in_button))
        right_layout.addWidget(self.attendance_table)
        right_layout.addWidget(hint_label("签退后按实际时长换算积分（待审核）。时长改动时，原积分冲正、重新记分。"))
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_activity()

    # ------------------------------------------------------------ the list

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._activities = volunteer.activities(session, upcoming=bool(self.when.currentData()),
                                                    text=self.search.text(), limit=2000,
                                                    visits=self.which.currentData())
        self.model.set_rows([
            (a.when, a.title + ("（已取消）" if a.cancelled else ""), a.kind, a.place, a.team,
             a.planned or "", a.people, hours_text(a.minutes)) for a in self._activities
        ], [a.id for a in self._activities], grey=[n for n, a in enumerate(self._activities) if a.cancelled])
        self.stale = False
        if current is not None:
            self.select_activity(current.id)
        self._show_activity()

    def selected(self) -> ActivityRow | None:
        rows = selected_rows(self.table)
        return self._activities[rows[0]] if rows else None

    def select_activity(self, activity_id: int) -> bool:
        return select_where(self.table, self._activities, lambda row: row.id == activity_id)

    def add(self) -> ActivityDialog:
        dialog = ActivityDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(lambda: self._saved(dialog.activity_id))
        self._open(dialog)
        return dialog

    def _saved(self, activity_id: int | None) -> None:
        self.changed.emit()
        self.reload()
        if activity_id is not None and not self.select_activity(activity_id):
            self.which.setCurrentIndex(self.which.findData(None))  # it is in another list
            if not self.select_activity(activity_id):
                self.when.setCurrentIndex(1 - self.when.currentIndex())
                self.select_activity(activity_id)

    def edit(self) -> ActivityDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = ActivityDialog(self._db, self._staff_id, row.id, self)
        dialog.accepted.connect(lambda: self._saved(row.id))
        self._open(dialog)
        return dialog

    def copy_forward(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if self._run(lambda session: volunteer.copy_forward(session, self._staff_id, row.id, weeks=1, times=1)):
            self.reload()
            self.done.setText(f"已复制到下周：{row.title}")
            return True
        return False

    def cancel(self) -> ReasonDialog | None:
        row = self.selected()
        if row is None:
            return None

        def cancel(reason: str) -> None:
            with self._db.write() as session:
                volunteer.cancel_activity(session, self._staff_id, row.id, reason)
            self.changed.emit()
            self.reload()

        dialog = ReasonDialog("取消活动", f"取消“{row.title}”（{row.when}）。已签到的记录撤销，已记的积分冲正。",
                              cancel, self)
        self._open(dialog)
        return dialog

    # ------------------------------------------------------------ the activity view

    def _show_activity(self) -> None:
        row = self.selected()
        for widget in (self.picker, self.sign_out_button, self.hours_button, self.adjust_button,
                       self.withdraw_button, self.walk_in_button, self.edit_button, self.copy_button,
                       self.cancel_button):
            widget.setEnabled(row is not None and not (row.cancelled and widget is not self.copy_button))
        if row is None:
            self.details.setText("请在左边选择一个活动")
            self._attendance = []
            self.attendance_model.set_rows([])
            return
        planned = f"，计划{row.planned}人" if row.planned else ""
        visited = f"，走访对象：{row.visited}" if row.visited else ""
        self.details.setText(f"<b>{row.title}</b>{'（已取消）' if row.cancelled else ''}<br>{row.when}　"
                             f"{row.place}　{row.kind}{('　' + row.team) if row.team else ''}{planned}{visited}<br>"
                             f"已到 {row.people} 人，共 {hours_text(row.minutes)} 小时")
        with self._db.read() as session:
            self._attendance = volunteer.attendance(session, row.id)
        self.attendance_model.set_rows([
            (a.name, a.address, _time(a.signed_in_at), _time(a.signed_out_at) or ("在场" if a.on_site else ""),
             hours_text(a.minutes) if a.minutes else "", "" if a.points is None else a.points,
             a.points_status or ("本月志愿积分已达上限" if a.capped else ""),
             ("已撤销：" if a.withdrawn else "") + a.reason)
            for a in self._attendance
        ], [a.id for a in self._attendance], grey=[n for n, a in enumerate(self._attendance) if a.withdrawn])

    def _after(self, message: str) -> None:
        self.done.setText(message)
        self.changed.emit()
        self.reload()
        self.picker.edit.clear()
        self.picker.chosen_label.clear()
        self.picker.edit.setFocus()

    def sign_in_or_out(self, resident_id: int) -> None:
        """Enter on a name: sign in someone new; sign out someone already here."""
        row = self.selected()
        if row is None:
            return
        present = next((a for a in self._attendance if a.resident_id == resident_id and a.on_site), None)
        try:
            with self._db.write() as session:
                if present is not None:
                    minutes = volunteer.sign_out(session, self._staff_id, present.id, self.now())
                    message = f"{present.name} 已签退，{hours_text(minutes)}小时"
                else:
                    volunteer.sign_in(session, self._staff_id, row.id, resident_id, self.now())
                    message = f"{self.picker.edit.text()} 已签到（{self.now():%H:%M}）"
        except ValidationError as error:
            self.done.setText("")
            messages.warn(self, error.message)
            self.picker.edit.selectAll()
            return
        self._after(message)

    def _selected_attendance(self) -> AttendanceRow | None:
        rows = selected_rows(self.attendance_table)
        return self._attendance[rows[0]] if rows else None

    def sign_out_selected(self) -> bool:
        attendance = self._selected_attendance()
        if attendance is None:
            messages.info(self, "请先在名单中选择要签退的人。")
            return False
        try:
            with self._db.write() as session:
                minutes = volunteer.sign_out(session, self._staff_id, attendance.id, self.now())
        except ValidationError as error:
            messages.warn(self, error.message)
            return False
        self._after(f"{attendance.name} 已签退，{hours_text(minutes)}小时")
        return True

    def record_hours(self) -> PersonDialog | None:
        """补录: pick the person, then their hours (default: the activity's)."""
        row = self.selected()
        if row is None:
            return None
        picker = PersonDialog(self._db, "补录时长：选择居民", self)

        def picked() -> None:
            resident_id = picker.picker.resident_id
            if resident_id is None:
                return
            name = picker.picker.edit.text()

            def save(hours: str, reason: str) -> None:
                with self._db.write() as session:
                    volunteer.record_hours(session, self._staff_id, row.id, resident_id, hours, reason)
                self._after(f"已补录 {name}")

            default = hours_text(int((row.ends_at - row.starts_at).total_seconds() // 60))
            self._open(HoursDialog("补录时长", f"{name} 参加“{row.title}”的时长（默认按活动时间）。", default, save,
                                   self))

        picker.accepted.connect(picked)
        self._open(picker)
        return picker

    def adjust_selected(self) -> HoursDialog | None:
        attendance = self._selected_attendance()
        if attendance is None or attendance.withdrawn:
            messages.info(self, "请先在名单中选择要调整时长的人。")
            return None

        def save(hours: str, reason: str) -> None:
            with self._db.write() as session:
                volunteer.adjust_hours(session, self._staff_id, attendance.id, hours, reason)
            self._after(f"已调整 {attendance.name} 的时长")

        dialog = HoursDialog("调整时长", f"调整 {attendance.name} 的时长。原积分冲正，按新时长重新记分。",
                             hours_text(attendance.minutes) if attendance.minutes else "", save, self)
        self._open(dialog)
        return dialog

    def withdraw_selected(self) -> ReasonDialog | None:
        attendance = self._selected_attendance()
        if attendance is None or attendance.withdrawn:
            messages.info(self, "请先在名单中选择要撤销的签到。")
            return None

        def withdraw(reason: str) -> None:
            with self._db.write() as session:
                volunteer.withdraw(session, self._staff_id, attendance.id, reason)
            self._after(f"已撤销 {attendance.name} 的签到")

        dialog = ReasonDialog("撤销签到", f"撤销 {attendance.name} 的签到。记录保留并标明撤销，已记的积分冲正。",
                              withdraw, self)
        self._open(dialog)
        return dialog

    def walk_in(self) -> ResidentDialog | None:
        """A newcomer who is not registered yet: register them, then sign them in."""
        if self.selected() is None:
            return None
        dialog = ResidentDialog(self._db, self._staff_id, parent=self)

        def registered() -> None:
            if dialog.resident_id is not None:
                self.picker.edit.setText(dialog.name.text().strip())
                self.sign_in_or_out(dialog.resident_id)

        dialog.accepted.connect(registered)
        self._open(dialog)
        return dialog


class CarePage(Page):
    """关爱走访: residents needing care, when they were last visited, who is overdue."""

    HEADERS = ("姓名", "住址", "关怀标签", "走访间隔", "上次走访", "应访日期", "状态")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[volunteer.CareRow] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "care")
        self.table.doubleClicked.connect(lambda _i: self.log_visit())
        self.visit_button = make_button("fa5s.hand-holding-heart", "登记走访…", "log_visit")
        self.visit_button.clicked.connect(lambda: self.log_visit())
        self.summary = QLabel()
        self.summary.setObjectName("care_summary")
        self._lay_out("独居老人、特困老人等关怀对象按设定的间隔走访；逾期未访的排在最前面（红色）。走访记为“关爱走访”活动，"
                      "走访人的时长同样换算积分。", (self.visit_button, self.summary), self.table)

    def reload(self) -> None:
        with self._db.read() as session:
            if not residents.sees_care(session, self._staff_id):
                self._rows = []
                self.model.set_rows([])
                self.summary.setText("关爱走访名单只对录入员和管理员显示")
                self.visit_button.setEnabled(False)
                self.stale = False
                return
            self._rows = volunteer.care_overview(session)
        self.model.set_rows([
            (r.name, r.address, r.tags, f"每{r.every_days}天", f"{r.last_visit:%Y-%m-%d}" if r.last_visit else "未走访过",
             f"{r.due_on:%Y-%m-%d}", f"逾期{r.overdue_days}天" if r.overdue_days else "按期")
            for r in self._rows
        ], [r.resident_id for r in self._rows], red=[n for n, r in enumerate(self._rows) if r.overdue_days])
        overdue = sum(1 for r in self._rows if r.overdue_days)
        self.summary.setText(f"关怀对象 {len(self._rows)} 人，逾期未访 {overdue} 人")
        self.stale = False

    def log_visit(self) -> VisitDialog | None:
        rows = selected_rows(self.table)
        if not rows:
            messages.info(self, "请先在表中选择要走访的居民。")
            return None
        row = self._rows[rows[0]]
        dialog = VisitDialog(self._db, self._staff_id, row.resident_id, row.name, self)
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog


class TeamsPage(Page):
    """服务队: the teams, their leaders and members."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._teams: list[volunteer.TeamView] = []
        self._members: list[tuple[int, str, str]] = []
        self.model = SimpleTableModel(("服务队", "队长", "队员人数", "说明"), self)
        self.table = make_table(self.model, "teams")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_members())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.members_model = SimpleTableModel(("队员", "住址"), self)
        self.members_table = make_table(self.members_model, "members")
        self.new_button = make_button("fa5s.plus", "新建服务队", "new_team")
        self.new_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改", "edit_team")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.join_button = make_button("fa5s.user-plus", "添加队员…", "join_team")
        self.join_button.clicked.connect(lambda: self.add_member())
        self.leave_button = make_button("fa5s.user-minus", "移出队员", "leave_team")
        self.leave_button.clicked.connect(lambda: self.remove_member())
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.join_button, self.leave_button):
            row.addWidget(button)
        row.addStretch()
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.members_table)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("居民可以参加多个服务队；在职党员编入服务队开展“双报到”服务。"))
        layout.addLayout(row)
        layout.addWidget(splitter)

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._teams = volunteer.teams(session)
        self.model.set_rows([(t.name, t.leader, t.members, t.note) for t in self._teams], [t.id for t in self._teams],
                            grey=[n for n, t in enumerate(self._teams) if not t.active])
        if current is not None:
            select_where(self.table, self._teams, lambda team: team.id == current.id)
        self._show_members()
        self.stale = False

    def selected(self) -> volunteer.TeamView | None:
        rows = selected_rows(self.table)
        return self._teams[rows[0]] if rows else None

    def _show_members(self) -> None:
        team = self.selected()
        with self._db.read() as session:
            self._members = volunteer.members(session, team.id) if team else []
        self.members_model.set_rows([(name, place) for _id, name, place in self._members],
                                    [rid for rid, _n, _p in self._members])
        for button in (self.edit_button, self.join_button, self.leave_button):
            button.setEnabled(team is not None)

    def add(self) -> TeamDialog:
        dialog = TeamDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(self.reload)
        self._open(dialog)
        return dialog

    def edit(self) -> TeamDialog | None:
        team = self.selected()
        if team is None:
            return None
        dialog = TeamDialog(self._db, self._staff_id, team, self)
        dialog.accepted.connect(self.reload)
        self._open(dialog)
        return dialog

    def add_member(self) -> PersonDialog | None:
        team = self.selected()
        if team is None:
            return None
        dialog = PersonDialog(self._db, f"添加队员：{team.name}", self)

        def picked() -> None:
            resident_id = dialog.picker.resident_id
            if resident_id is not None and self._run(
                    lambda session: volunteer.join_team(session, self._staff_id, team.id, resident_id)):
                self.reload()

        dialog.accepted.connect(picked)
        self._open(dialog)
        return dialog

    def remove_member(self) -> bool:
        team = self.selected()
        rows = selected_rows(self.members_table)
        if team is None or not rows:
            messages.info(self, "请先在右边选择要移出的队员。")
            return False
        resident_id, name, _place = self._members[rows[0]]
        if not messages.confirm(self, f"把{name}移出{team.name}？服务时长仍保留在其名下。"):
            return False
        if self._run(lambda session: volunteer.leave_team(session, self._staff_id, team.id, resident_id)):
            self.reload()
            return True
        return False


class HoursPage(Page):
    """统计: party members' hours by category (在职党员 first), teams' hours, one person's hours and certificate."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self.year = QSpinBox()
        self.year.setObjectName("hours_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.party_model = SimpleTableModel(("党员类别", "参加人数", "活动次数", "服务时长（小时）"), self)
        self.party_table = make_table(self.party_model, "party_hours")
        self.team_model = SimpleTableModel(("服务队", "参加人数", "活动次数", "服务时长（小时）"), self)
        self.team_table = make_table(self.team_model, "team_hours")
        self.person = PersonPicker(database)
        self.person.chosen.connect(lambda _id: self._show_person())
        self.person_model = SimpleTableModel((*(f"{m}月" for m in range(1, 13)), "全年"), self)
        self.person_table = make_table(self.person_model, "person_hours")
        self.person_table.setMaximumHeight(70)
        self.certificate_button = make_button("fa5s.certificate", "打印志愿服务时长证明", "certificate")
        self.certificate_button.clicked.connect(lambda: self.print_certificate())
        top = QHBoxLayout()
        top.addWidget(QLabel("年份："))
        top.addWidget(self.year)
        top.addStretch()
        tables = QHBoxLayout()
        for title, table in (("党员服务时长（在职党员“双报到”在前）", self.party_table), ("服务队时长", self.team_table)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(table)
            tables.addLayout(column)
        person = QHBoxLayout()
        person.addWidget(self.person, 1)
        right = QVBoxLayout()
        right.addWidget(self.person_table)
        right.addWidget(self.certificate_button)
        right.addStretch()
        person.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tables, 2)
        layout.addWidget(QLabel("个人服务时长（按月，小时）：输入姓名查找，回车选定"))
        layout.addLayout(person)
        self.certificate_button.setEnabled(False)

    def reload(self) -> None:
        year = self.year.value()
        with self._db.read() as session:
            party = volunteer.party_hours(session, year)
            teams = volunteer.team_hours(session, year)
        self.party_model.set_rows([(r.label, r.people, r.activities, hours_text(r.minutes)) for r in party])
        self.team_model.set_rows([(r.label, r.people, r.activities, hours_text(r.minutes)) for r in teams])
        self._show_person()
        self.stale = False

    def _show_person(self) -> None:
        resident_id = self.person.resident_id
        self.certificate_button.setEnabled(resident_id is not None)
        if resident_id is None:
            self.person_model.set_rows([])
            return
        with self._db.read() as session:
            by_month = volunteer.person_hours(session, resident_id, self.year.value())
        self.person_model.set_rows([(*(hours_text(m) if m else "" for m in by_month), hours_text(sum(by_month)))])

    def print_certificate(self) -> None:
        if self.person.resident_id is not None:
            make_report(self, self._db, self._staff_id, CERTIFICATE, str(self.year.value()), resident_id=self.person.resident_id,
                        person=self.person.edit.text().strip())


class VolunteerTab(PagedTab):
    """志愿时长: the volunteer work, one page each."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        self.activities = ActivitiesPage(database, staff_id)
        self.care = CarePage(database, staff_id)
        self.teams = TeamsPage(database, staff_id)
        self.hours = HoursPage(database, staff_id)
        pages = [(self.activities, "fa5s.calendar-alt", "活动与签到"), (self.care, "fa5s.hand-holding-heart", "关爱走访"),
                 (self.teams, "fa5s.users", "服务队"), (self.hours, "fa5s.chart-bar", "时长统计")]
        if not access.allows(self.care.role, access.SEE_CARE):  # the care list is not offered at all
            pages.remove((self.care, "fa5s.hand-holding-heart", "关爱走访"))
        super().__init__("volunteer_pages", pages, parent)
