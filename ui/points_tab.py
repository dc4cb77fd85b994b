"""The 积分 tab: record points, the ledger, approval, the monthly close, star families, dual points, the catalogue."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.orm import Session

from db.engine import Database
from station import access, compound, points, settings, staff
from station.errors import ValidationError
from station.points import LedgerQuery, LedgerRow
from ui import messages
from ui.points_dialogs import (
    LEDGER_HEADERS,
    ItemDialog,
    ReasonDialog,
    RecordDialog,
    item_text,
    ledger_cells,
    ledger_greys,
)
from ui.forms import hint_label
from ui.login import ActAsDialog
from ui.reports import make_report
from ui.pages import Page, PagedTab, make_button, make_table, select_where, selected_rows
from ui.table_models import SimpleTableModel

MONTHLY_NOTICE = "points-monthly"
STAR_ROLL = "star-families"


class LedgerPage(Page):
    """积分台账: every entry, filtered by month, state, building or a word."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[LedgerRow] = []
        self.month = QComboBox()
        self.month.setObjectName("month")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status")
        self.status_filter.addItem("全部状态", "")
        for status in points.STATUSES:
            self.status_filter.addItem(status, status)
        self.building = QComboBox()
        self.building.setObjectName("building")
        self.search = QLineEdit()
        self.search.setObjectName("ledger_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("姓名、拼音首字母或项目")
        for widget in (self.month, self.status_filter, self.building):
            widget.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())

        self.model = SimpleTableModel(LEDGER_HEADERS, self)
        self.table = make_table(self.model, "ledger")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.count = QLabel()
        self.record_button = make_button("fa5s.plus-circle", "记分", "record")
        self.record_button.setToolTip("记分 (Ctrl+J)")
        self.record_button.clicked.connect(lambda: self.record())
        self.reverse_button = make_button("fa5s.undo", "冲正", "reverse")
        self.reverse_button.setToolTip("已审核通过的记录记错了：另记一条相反的记录，原记录保留")
        self.reverse_button.clicked.connect(lambda: self.reverse())
        self.print_button = make_button("fa5s.print", "打印月度公示", "print_monthly")
        self.print_button.clicked.connect(lambda: self.print_notice())

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.month, 1)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.building, 1)
        actions = QHBoxLayout()
        for button in (self.record_button, self.reverse_button, self.print_button):
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table)
        self._fill_filters()

    def _fill_filters(self) -> None:
        for combo in (self.month, self.building):
            combo.blockSignals(True)
            combo.clear()
        chosen_month, chosen_building = self.month.currentData(), self.building.currentData()
        with self._db.read() as session:
            months = points.ledger_months(session)
            buildings = compound.tree(session)
        self.month.addItem("全部月份", "")
        for month in months:
            self.month.addItem(points.month_label(month), month)
        index = self.month.findData(chosen_month) if chosen_month is not None else 1
        self.month.setCurrentIndex(index if index >= 0 else 1)
        self.building.addItem("全部楼栋", None)
        for node in buildings:
            self.building.addItem(f"{node.number}栋", node.id)
        self.building.setCurrentIndex(max(0, self.building.findData(chosen_building)))
        for combo in (self.month, self.building):
            combo.blockSignals(False)

    def query(self) -> LedgerQuery:
        return LedgerQuery(month=self.month.currentData() or "", status=self.status_filter.currentData() or "",
                           building_id=self.building.currentData(), text=self.search.text())

    def reload(self) -> None:
        if self.stale:
            self._fill_filters()  # a new month, or a new building
        query = self.query()
        with self._db.read() as session:
            self._rows = points.ledger(session, query)
            count, total = points.ledger_summary(session, query)
        self.model.set_rows([ledger_cells(r) for r in self._rows], [r.id for r in self._rows],
                            grey=ledger_greys(self._rows))
        shown = f"共 {count} 条" + (f"，显示最近 {len(self._rows)} 条" if count > len(self._rows) else "")
        self.count.setText(shown + f"；审核通过的合计 {total:+d} 分")
        self.stale = False
        self._update_buttons()

    def selected(self) -> LedgerRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def select_entry(self, entry_id: int) -> bool:
        return select_where(self.table, self._rows, lambda row: row.id == entry_id)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.reverse_button.setEnabled(row is not None and row.can_reverse)

    def record(self, resident_id: int | None = None) -> RecordDialog:
        dialog = RecordDialog(self._db, self._staff_id, resident_id, self)
        dialog.recorded.connect(lambda _id: self.changed.emit())
        self._open(dialog)
        return dialog

    def reverse(self) -> ReasonDialog | None:
        row = self.selected()
        if row is None or not row.can_reverse:
            return None

        def reverse(reason: str) -> None:
            with self._db.write() as session:
                points.reverse(session, self._staff_id, row.id, reason)
            self.changed.emit()

        dialog = ReasonDialog(
            "冲正", f"冲正第{row.id}号记录：{row.name} {row.item} {row.points:+d}分（{row.deed_date:%Y-%m-%d}）。\n"
            "原记录保留，另记一条相反的记录，记在本月，经审核通过后生效。", reverse, self)
        self._open(dialog)
        return dialog

    def print_notice(self) -> None:
        month = self.month.currentData() or points.month_of(dt.date.today())
        make_report(self, self._db, self._staff_id, MONTHLY_NOTICE, month, [self.building.currentData()]
                    if self.building.currentData() is not None else None)


class ReviewPage(Page):
    """待审核: the audit group approves or rejects entries, one or many at a time, as the signed-in account.

    换人审核 lets a member of the audit group who is not signed in approve at this desk with their own
    password; the action is theirs, and the desk stays with its own person.
    """

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[LedgerRow] = []
        self.model = SimpleTableModel(LEDGER_HEADERS, self)
        self.table = make_table(self.model, "pending", multi=True)
        self.approve_button = make_button("fa5s.check", "通过所选", "approve")
        self.approve_button.clicked.connect(lambda: self.approve())
        self.reject_button = make_button("fa5s.times", "驳回所选…", "reject")
        self.reject_button.clicked.connect(lambda: self.reject_selected())
        self.act_as_button = make_button("fa5s.user-check", "换人审核…", "act_as")
        self.act_as_button.setToolTip("审核小组的另一位成员在这台电脑上审核：输入他自己的账号和密码，审核记在他名下")
        self.act_as_button.clicked.connect(lambda: self.review_as_other())
        select_all = make_button("fa5s.check-double", "全选", "select_all")
        select_all.clicked.connect(self.table.selectAll)
        self.count = QLabel()
        self.may_review = self.offer(access.APPROVE_POINTS, self.approve_button, self.reject_button)
        actions = QHBoxLayout()
        for button in (select_all, self.approve_button, self.reject_button, self.act_as_button):
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.count)
        who = (f"审核人：{self.staff_name()}。" if self.may_review else
               f"{access.needs(access.APPROVE_POINTS, '审核积分')}；审核小组成员可以点“换人审核”，输入自己的密码审核。")
        hint = hint_label(who + "自己录入的积分不能由自己审核。审核通过的积分才计入居民和住户的积分。")
        hint.setObjectName("review_hint")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(self.table)

    def staff_name(self) -> str:
        with self._db.read() as session:
            return staff.get(session, self._staff_id).name

    def reload(self) -> None:
        with self._db.read() as session:
            self._rows = points.ledger(session, LedgerQuery(status=points.PENDING, limit=5000))
            waiting = points.pending_count(session)
        self.model.set_rows([ledger_cells(r) for r in self._rows], [r.id for r in self._rows])
        self.count.setText(f"待审核 {waiting} 条" + (f"，显示最早的 {len(self._rows)} 条" if waiting > len(self._rows)
                                                    else ""))
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(self.may_review and bool(self._rows))
        self.act_as_button.setEnabled(bool(self._rows))
        self.stale = False

    def selected_ids(self) -> list[int]:
        return [self._rows[n].id for n in selected_rows(self.table)]

    def _chosen(self) -> list[int] | None:
        ids = self.selected_ids()
        if not ids:
            messages.info(self, "请先在表中选择要审核的记录（可按住 Ctrl 或 Shift 多选，或点“全选”）。")
            return None
        return ids

    def approve(self) -> bool:
        """通过所选, as the signed-in auditor."""
        ids = self._chosen() if self.may_review else None
        if ids is None:
            return False
        if len(ids) > 1 and not messages.confirm(self, f"审核通过所选的{len(ids)}条记录？"):
            return False
        return self._run(lambda session: points.review(session, self._staff_id, ids, approve=True))

    def reject_selected(self) -> ReasonDialog | None:
        """驳回所选…, as the signed-in auditor, with a reason."""
        ids = self._chosen() if self.may_review else None
        if ids is None:
            return None

        def reject(reason: str) -> None:
            with self._db.write() as session:
                points.review(session, self._staff_id, ids, approve=False, reason=reason)
            self.changed.emit()

        dialog = ReasonDialog("驳回", f"驳回所选的{len(ids)}条记录。被驳回的记录保留在台账中，不计分。", reject, self)
        self._open(dialog)
        return dialog

    def review_as_other(self) -> ActAsDialog | None:
        """换人审核: another auditor types their own account and password; the review is theirs alone."""
        ids = self._chosen()
        if ids is None:
            return None
        verdict = QComboBox()
        verdict.setObjectName("verdict")
        verdict.addItem("通过", True)
        verdict.addItem("驳回", False)
        reason = QLineEdit()
        reason.setObjectName("reason")
        reason.setPlaceholderText("驳回时必填")

        def review(session: Session, account_id: int) -> None:
            points.review(session, account_id, ids, approve=bool(verdict.currentData()), reason=reason.text())

        dialog = ActAsDialog(self._db, "换人审核", f"所选的{len(ids)}条记录由审核小组的另一位成员审核：请他选自己的账号，"
                             "输入自己的密码。审核记在他的名下，这台电脑仍是现在的操作员。", "审核积分",
                             access.APPROVE_POINTS, review, self, exclude=self._staff_id, ok_text="审核",
                             fields=(("verdict", "审核结果：", verdict), ("reason", "驳回原因：", reason)))
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog


class MonthsPage(Page):
    """月度评审: each month's figures; a reviewed month is closed (一月一评) and its notice printed."""

    HEADERS = ("月份", "记录", "待审核", "加分", "减分", "状态", "结账人", "结账时间")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._months: list[points.MonthView] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "months")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.close_button = make_button("fa5s.lock", "结账", "close_month")
        self.close_button.setToolTip("本月审核完毕后结账：结账后不能再记入该月")
        self.close_button.clicked.connect(lambda: self.close_selected())
        self.print_button = make_button("fa5s.print", "打印月度积分公示", "print_month")
        self.print_button.clicked.connect(lambda: self.print_selected())
        self._lay_out("一月一评、一月一示：每月审核完毕后结账，并按楼栋打印积分公示张贴。结账后的更正记在当月。",
                      (self.close_button, self.print_button), self.table)
        self.may_close = self.offer(access.CLOSE_MONTH, self.close_button)

    def reload(self) -> None:
        with self._db.read() as session:
            self._months = points.months(session)
        self.model.set_rows([
            (m.label, m.entries, m.pending, m.awarded, m.deducted, "已结账" if m.closed_at else "未结账",
             m.closed_by, f"{m.closed_at:%Y-%m-%d %H:%M}" if m.closed_at else "")
            for m in self._months
        ], [m.month for m in self._months], grey=[n for n, m in enumerate(self._months) if m.closed_at])
        self.stale = False
        self._update_buttons()

    def _update_buttons(self) -> None:
        month = self.selected()
        ended = month is not None and points.month_bounds(month.month)[1] < dt.date.today()
        self.close_button.setEnabled(self.may_close and month is not None and ended and month.closed_at is None
                                     and not month.pending)
        self.close_button.setToolTip(
            "本月审核完毕后结账：结账后不能再记入该月" if month is None or self.close_button.isEnabled()
            else "已结账" if month.closed_at else "还有待审核的记录" if month.pending else "这个月还没有过完")

    def selected(self) -> points.MonthView | None:
        rows = selected_rows(self.table)
        return self._months[rows[0]] if rows else None

    def close_selected(self) -> bool:
        month = self.selected()
        if not self.may_close:
            return False
        if month is None:
            messages.info(self, "请先选择要结账的月份。")
            return False
        if not messages.confirm(self, f"{month.label}结账后不能再记入该月，确定结账？"):
            return False
        return self._run(lambda session: points.close_month(session, self._staff_id, month.month))

    def print_selected(self) -> None:
        month = self.selected()
        make_report(self, self._db, self._staff_id, MONTHLY_NOTICE, month.month if month else points.month_of(dt.date.today()))


class StarsPage(Page):
    """星级家庭: each half-year's rating — a preview until it is rated, then the stored result."""

    HEADERS = ("星级", "户号", "住址", "户主", "半年积分", "奖券（元）")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._periods: list[points.PeriodView] = []
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.currentIndexChanged.connect(lambda _i: self._show_period())
        self.state = QLabel()
        self.state.setObjectName("rating_state")
        self.levels = QLabel()
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "ratings")
        self.rate_button = make_button("fa5s.star", "评定星级家庭", "rate")
        self.rate_button.clicked.connect(lambda: self.rate())
        self.print_button = make_button("fa5s.print", "打印光荣榜", "print_roll")
        self.print_button.clicked.connect(lambda: self.print_roll())
        self.settings_button = make_button("fa5s.sliders-h", "评星标准…", "star_settings")
        self.settings_button.clicked.connect(lambda: self.edit_settings())
        top = QHBoxLayout()
        top.addWidget(QLabel("半年："))
        top.addWidget(self.period)
        top.addWidget(self.rate_button)
        top.addWidget(self.print_button)
        top.addStretch()
        top.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.levels)
        layout.addWidget(self.state)
        layout.addWidget(self.table)
        self.may_rate = self.offer(access.RATE_STARS, self.rate_button)
        self.offer(access.SETTINGS, self.settings_button)

    def reload(self) -> None:
        current = self.period.currentData()
        with self._db.read() as session:
            self._periods = points.periods(session)
            levels = settings.star_levels(session)
        self.levels.setText("评星标准：" + "，".join(
            f"≥{lv.points}分 {points.star_label(lv.stars)}家庭（¥{lv.voucher}奖券）" for lv in levels))
        self.period.blockSignals(True)
        self.period.clear()
        for view in self._periods:
            self.period.addItem(view.label + ("（已评定）" if view.rated_at else ""), view.period)
        ended = [n for n, view in enumerate(self._periods) if view.last < dt.date.today()]
        index = self.period.findData(current) if current else (ended[0] if ended else 0)
        self.period.setCurrentIndex(max(index, 0))
        self.period.blockSignals(False)
        self._show_period()
        self.stale = False

    def selected(self) -> points.PeriodView | None:
        index = self.period.currentIndex()
        return self._periods[index] if 0 <= index < len(self._periods) else None

    def _show_period(self) -> None:
        view = self.selected()
        if view is None:
            return
        with self._db.read() as session:
            rows = points.ratings(session, view.period) if view.rated_at else points.rating_preview(
                session, view.period)
        if view.rated_at:
            self.state.setText(f"已于 {view.rated_at:%Y-%m-%d} 由 {view.rated_by} 评定，共 {len(rows)} 户星级家庭。"
                               "评定结果已保存，以后的更正不再改变它。")
        else:
            self.state.setText(f"尚未评定。以下是按目前已审核积分的预览：{len(rows)} 户达到星级。"
                               "半年结束、各月结账后才能评定。")
        self.model.set_rows([
            (f"{points.star_label(r.stars)}家庭", r.room_code, r.address, r.head, r.points, r.voucher) for r in rows
        ], [r.household_id for r in rows])
        self.rate_button.setEnabled(self.may_rate and view.rated_at is None and view.last < dt.date.today())
        self.print_button.setEnabled(view.rated_at is not None)

    def rate(self) -> bool:
        view = self.selected()
        if view is None:
            return False
        if not messages.confirm(self, f"评定{view.label}的星级家庭？评定结果将保存，不再改变。"):
            return False
        return self._run(lambda session: points.rate_half_year(session, self._staff_id, view.period))

    def print_roll(self) -> None:
        view = self.selected()
        if view is not None:
            make_report(self, self._db, self._staff_id, STAR_ROLL, view.period)

    def edit_settings(self) -> StarSettingsDialog:
        dialog = StarSettingsDialog(self._db, self._staff_id, self)
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog


class StarSettingsDialog(QDialog):
    """评星标准: the three levels' thresholds and vouchers, when the half-year starts, days of a notice."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.setWindowTitle("评星标准")
        with database.read() as session:
            levels = settings.star_levels(session)
            start = settings.get(session, settings.HALF_YEAR_START)
            days = settings.get(session, settings.OBJECTION_DAYS)
        form = QFormLayout()
        self.rows: list[tuple[int, QSpinBox, QSpinBox]] = []
        for level in levels:
            threshold, voucher = QSpinBox(), QSpinBox()
            threshold.setRange(1, 10000)
            threshold.setValue(level.points)
            threshold.setSuffix(" 分")
            voucher.setRange(0, 100000)
            voucher.setValue(level.voucher)
            voucher.setPrefix("¥")
            line = QHBoxLayout()
            line.addWidget(QLabel("积分达到"))
            line.addWidget(threshold)
            line.addWidget(QLabel("奖券面值"))
            line.addWidget(voucher)
            form.addRow(f"{points.star_label(level.stars)}家庭：", line)
            self.rows.append((level.stars, threshold, voucher))
        self.start = QSpinBox()
        self.start.setRange(1, 6)
        self.start.setValue(start)
        self.start.setSuffix(" 月")
        form.addRow("上半年从几月开始：", self.start)
        self.days = QSpinBox()
        self.days.setRange(1, 60)
        self.days.setValue(days)
        self.days.setSuffix(" 天")
        form.addRow("公示期：", self.days)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = hint_label("已评定的半年保留当时的标准和结果，修改只影响以后的评定。")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        levels = [{"points": t.value(), "stars": stars, "voucher": v.value()} for stars, t, v in self.rows]
        try:
            with self._db.write() as session:
                settings.put(session, self._staff_id, settings.STAR_LEVELS, levels)
                settings.put(session, self._staff_id, settings.HALF_YEAR_START, self.start.value())
                settings.put(session, self._staff_id, settings.OBJECTION_DAYS, self.days.value())
        except ValidationError as error:
            self.error.setText(error.message)
            return
        self.accept()


class DualPointsPage(Page):
    """居民+支部 双积分: residents' points summed to units, buildings and the branch, month by month."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.reload())
        headers = ("层级", "范围", "负责人", *(f"{m}月" for m in range(1, 13)), "全年")
        self.model = SimpleTableModel(headers, self)
        self.table = make_table(self.model, "dual_points")
        top = QHBoxLayout()
        top.addWidget(QLabel("年份："))
        top.addWidget(self.year)
        top.addStretch()
        hint = hint_label("居民的积分按月逐级汇总到单元长、楼栋长和小区党支部，作为支部年度评定的依据。")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table)

    def reload(self) -> None:
        with self._db.read() as session:
            rows = points.dual_points(session, self.year.value())
        self.model.set_rows([(r.level, ("　" if r.level == "单元" else "") + r.place, r.leaders, *r.by_month, r.total)
                             for r in rows], [r.place for r in rows])
        self.stale = False


class CataloguePage(Page):
    """积分细则: the rule catalogue, edited by the station; retired items keep their entries."""

    HEADERS = ("类别", "项目", "分值", "每月上限", "记给", "状态", "已记次数", "说明")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._items: list[points.ItemView] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "catalogue")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button = make_button("fa5s.plus", "新增项目", "add_item")
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改", "edit_item")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.retire_button = make_button("fa5s.ban", "停用", "retire_item")
        self.retire_button.clicked.connect(lambda: self.toggle_active())
        self.default_button = make_button("fa5s.file-download", "载入默认细则", "load_default")
        self.default_button.clicked.connect(lambda: self.load_default())
        self._lay_out("积分 = 基础积分 + 正面加分 − 负面减分。减分项的分值为负数。停用的项目不能再记分，已记的记录保留。",
                      (self.add_button, self.edit_button, self.retire_button, self.default_button), self.table)
        self.may_edit = self.offer(access.CATALOGUE, self.add_button, self.edit_button, self.retire_button,
                                   self.default_button)

    def reload(self) -> None:
        with self._db.read() as session:
            self._items = points.catalogue(session)
        self.model.set_rows([
            (i.category, i.name, f"{i.points:+d}", i.monthly_cap or "不限", points.SCOPES[i.scope],
             "在用" if i.active else "已停用", i.entries, i.note) for i in self._items
        ], [i.id for i in self._items], grey=[n for n, i in enumerate(self._items) if not i.active],
            red=[n for n, i in enumerate(self._items) if i.points < 0 and i.active])
        self.default_button.setVisible(self.may_edit and not self._items)
        self.stale = False
        self._update_buttons()

    def selected(self) -> points.ItemView | None:
        rows = selected_rows(self.table)
        return self._items[rows[0]] if rows else None

    def _update_buttons(self) -> None:
        item = self.selected()
        self.edit_button.setEnabled(self.may_edit and item is not None)
        self.retire_button.setEnabled(self.may_edit and item is not None)
        self.retire_button.setText("启用" if item is not None and not item.active else "停用")

    def add(self) -> ItemDialog:
        dialog = ItemDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog

    def edit(self) -> ItemDialog | None:
        item = self.selected()
        if item is None or not self.may_edit:
            return None
        dialog = ItemDialog(self._db, self._staff_id, item, self)
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog

    def toggle_active(self) -> bool:
        item = self.selected()
        if item is None:
            return False
        if item.active and not messages.confirm(self, f"停用“{item_text(item)}”？停用后不能再记这一项，已记的记录保留。"):
            return False
        return self._run(lambda session: points.set_item_active(session, self._staff_id, item.id, not item.active))

    def load_default(self) -> bool:
        return self._run(lambda session: points.load_default_catalogue(session, self._staff_id))


class PointsTab(PagedTab):
    """积分: the points system's work, one page each."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        self._db = database
        self.ledger = LedgerPage(database, staff_id)
        self.review = ReviewPage(database, staff_id)
        self.months = MonthsPage(database, staff_id)
        self.stars = StarsPage(database, staff_id)
        self.dual = DualPointsPage(database, staff_id)
        self.catalogue = CataloguePage(database, staff_id)
        super().__init__("points_pages", ((self.ledger, "fa5s.list", "积分台账"),
                                          (self.review, "fa5s.user-check", "待审核"),
                                          (self.months, "fa5s.calendar-check", "月度评审"),
                                          (self.stars, "fa5s.star", "星级家庭"),
                                          (self.dual, "fa5s.sitemap", "双积分"),
                                          (self.catalogue, "fa5s.book", "积分细则")), parent)
        self._update_pending()

    def refresh(self) -> None:
        super().refresh()
        self._update_pending()

    def _update_pending(self) -> None:
        with self._db.read() as session:
            pending = points.pending_count(session)
        self.pages.setTabText(1, f"待审核 ({pending})" if pending else "待审核")

    def record(self, resident_id: int | None = None) -> RecordDialog:
        self.show_page(self.ledger)
        return self.ledger.record(resident_id)
