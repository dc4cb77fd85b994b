"""首页: what needs doing today (each count opens its list), this month beside a year before, twelve months of charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import access, home, points
from station.errors import ValidationError
from station.home import Series, TodayCounts
from ui import messages
from ui.pages import make_button, make_table, role_of
from ui.reports import make_report, open_file
from ui.table_models import SimpleTableModel

# (count field, what the button says, the list it opens)
COUNTS = (("pending_points", "积分待审核", "points_review"), ("tickets_overdue", "工单逾期", "tickets_overdue"),
          ("follow_ups_due", "工单待回访", "tickets_follow_up"), ("visits_overdue", "关爱走访逾期", "care_visits"),
          ("low_stock", "积分超市库存不足", "low_stock"), ("activities_this_week", "本周志愿活动", "activities"),
          ("meetings_this_week", "本周议事会议", "meetings"), ("matters_waiting", "议题待议", "matters_waiting"))
URGENT = {"tickets_overdue", "visits_overdue", "low_stock"}


class BarChart(QWidget):
    """Twelve months as bars, the latest on the right, with its value above (a small chart, drawn directly)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: Series | None = None
        self.setMinimumSize(200, 64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_series(self, series: Series) -> None:
        self.series = series
        self.setToolTip("；".join(f"{m}：{v:,.0f}{series.unit}" for m, v in zip(series.months, series.values)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.series is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height() * 2 + 4, metrics.height() + 6
        width, height = self.width(), self.height() - top - bottom
        values = self.series.values or [0]
        peak = max(values) or 1
        step = width / max(1, len(values))
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(0, 0, width, metrics.height() + 2), Qt.AlignmentFlag.AlignLeft,
                         f"{self.series.label}（{self.series.unit}，近12个月）")
        for n, (month, value) in enumerate(zip(self.series.months, values)):
            bar = height * value / peak
            x = n * step + step * 0.15
            rect = QRectF(x, top + height - bar, step * 0.7, bar)
            painter.fillRect(rect, QColor("#c0392b" if n == len(values) - 1 else "#e6a59d"))
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(n * step, top + height + 2, step, bottom), Qt.AlignmentFlag.AlignHCenter,
                             f"{int(month[5:])}月")
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(width - step * 2, top - metrics.height() - 2, step * 2, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, f"{values[-1]:,.0f}")
        painter.end()


class HomeTab(QWidget):
    """首页, first in the window; it reads again when shown after a change elsewhere."""

    open_list = Signal(str)  # which list a count opens (the main window knows the tabs)

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.stale = True
        self.counts: TodayCounts | None = None
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        sees_care = access.allows(role_of(database, staff_id), access.SEE_CARE)
        shown = [count for count in COUNTS if sees_care or count[0] != "visits_overdue"]  # care is not everyone's
        for n, (key, label, target) in enumerate(shown):
            button = QPushButton(label)
            button.setObjectName(f"count_{key}")
            button.setMinimumHeight(46)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, target=target: self.open_list.emit(target))
            self.buttons[key] = button
            grid.addWidget(button, n // 4, n % 4)
        today_box = QGroupBox("今天要做的事（点一下打开）")
        today_box.setLayout(grid)
        self.figures = SimpleTableModel(("本月情况", "本月", "去年同月"), self)
        self.figures_table = make_table(self.figures, "month_figures")
        self.month_label = QLabel()
        self.month_label.setObjectName("month_label")
        self.print_button = make_button("fa5s.print", "打印月度工作报表", "print_summary")
        self.print_button.clicked.connect(lambda: self.print_summary())
        self.export_button = make_button("fa5s.file-excel", "导出月度工作报表（Excel）", "export_summary")
        self.export_button.clicked.connect(lambda: self.export_summary())
        self.charts = [BarChart() for _ in range(3)]
        month_box = QGroupBox("本月")
        month_layout = QVBoxLayout(month_box)
        month_layout.addWidget(self.month_label)
        month_layout.addWidget(self.figures_table)
        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.export_button)
        actions.addStretch()
        month_layout.addLayout(actions)
        chart_box = QGroupBox("近12个月")
        chart_layout = QVBoxLayout(chart_box)
        for chart in self.charts:
            chart_layout.addWidget(chart)
        lower = QHBoxLayout()
        lower.addWidget(month_box, 1)
        lower.addWidget(chart_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(today_box)
        layout.addLayout(lower, 1)

    def month(self) -> str:
        return points.month_of(dt.date.today())

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        if self.stale:  # once the window has painted: the program's start is not held up by the counts
            QTimer.singleShot(0, self._reload_if_stale)

    def _reload_if_stale(self) -> None:
        if self.stale and self.isVisible():
            self.reload()

    def refresh(self) -> None:
        """Records changed elsewhere: read again now if shown, else when next shown."""
        self.stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        with self._db.read() as session:
            self.counts = home.today_counts(session, today)
            figures = home.month_figures(session, self.month())
        for key, label, _target in COUNTS:
            value = getattr(self.counts, key)
            button = self.buttons.get(key)
            if button is None:
                continue
            button.setText(f"{label}\n{value}")
            urgent = bool(value) and key in URGENT
            font = QApplication.font()  # a third larger than the text around it, at any 文字大小
            font.setPointSizeF(font.pointSizeF() * 1.35)
            font.setBold(urgent)
            button.setFont(font)
            button.setStyleSheet("color: #c0392b;" if urgent else "")
        self.month_label.setText(f"{points.month_label(self.month())}（与{points.month_label(home.year_before(self.month()))}比较）")
        self.figures.set_rows([(f.label + ("" if f.unit in ("%",) else f"（{f.unit}）"), f.shown, f.shown_year_ago)
                               for f in figures])
        self.stale = False
        QTimer.singleShot(30, self._load_charts)  # the counts are drawn first; the charts a moment later

    def _load_charts(self) -> None:
        with self._db.read() as session:
            series = home.last_twelve_months(session, dt.date.today())
        for chart, data in zip(self.charts, series):
            chart.set_series(data)

    def print_summary(self) -> Path | None:
        return make_report(self, self._db, self._staff_id, "station-summary", self.month())

    def export_summary(self, path: str | None = None) -> Path | None:
        """月度工作报表 as an .xlsx the community combines across stations, recorded in 操作记录."""
        from station import exports, reports
        from station.reports import summary

        month = self.month()
        suggested = f"月度工作报表-{month}.xlsx"
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, "导出月度工作报表", suggested, "Excel 文件 (*.xlsx)")
            if not path:
                return None
        target = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        try:
            with self._db.write() as session:  # the file and its 操作记录 row together
                written = reports.build(session, "station-summary", month, target)
                rows = exports.workbook_rows(written.path).get("指标", 0)
                exports.record_export(session, self._staff_id, f"导出{summary.TITLE}", written.path, rows,
                                      summary.XLSX_COLUMNS, unit="项指标", month=month)
        except ValidationError as error:
            messages.warn(self, error.message)
            return None
        open_file(written.path)
        return written.path
