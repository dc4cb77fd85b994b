"""月度工作报表: the month's figures for the community (社区), as a PDF and as a spreadsheet to combine.

The PDF has the figures beside the same month a year before, then the matters decided and the tickets
settled. The spreadsheet has one row per figure with stable column names, so the community can put every
station's file together.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from station import home, onboarding, points
from station.errors import ValidationError
from station.reports.pdf import NoticeDocument, WrittenPdf, chinese_date, save_problem

TITLE = "月度工作报表"
XLSX_COLUMNS = ("站点", "社区", "街道", "月份", "指标代码", "指标", "单位", "本月", "去年同月")


def _month(month: str, today: dt.date) -> tuple[str, str]:
    month = points.parse_month(month)
    if points.month_bounds(month)[0] > today:
        raise ValidationError(f"{points.month_label(month)}还没有开始")
    return month, points.month_label(month)


def summary_pdf(session: Session, month: str, out: Path, today: dt.date) -> WrittenPdf:
    """The monthly summary as a PDF for the community (internal: names in full, no phone or ID number)."""
    month, label = _month(month, today)
    figures = home.month_figures(session, month)
    document = NoticeDocument(session, TITLE, label, public=False)
    details = onboarding.details(session)
    where = "　".join(part for part in ((details.community, details.street) if details else ()) if part)
    document.title(f"{label}{TITLE}", f"{document.station}{'　' + where if where else ''}")
    document.table(("指标", "本月", "去年同月", "单位"),
                   [(f.label, f.shown, f.shown_year_ago, f.unit) for f in figures], widths=(2.4, 1, 1, 0.7),
                   align=("LEFT", "RIGHT", "RIGHT", "CENTER"))
    decided = home.matters_decided(session, month)
    document.heading(f"议定的议题（{len(decided)}个）", min_space=30)
    if decided:
        document.table(("会议日期", "议题", "决议", "责任方", "现在"),
                       [(f"{d.held_on:%m-%d}", d.title, d.resolution, d.responsible or "—", d.state) for d in decided],
                       widths=(0.8, 1.8, 2.8, 1.0, 0.8), align=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER"),
                       wrap=(1, 2, 3))
    else:
        document.paragraph("本月没有议定的议题。", "plain")
    settled = home.tickets_settled(session, month)
    document.heading(f"办结的民生事项（{len(settled)}件）", min_space=30)
    if settled:
        document.table(("编号", "类别", "地点", "问题", "结果", "办结"),
                       [(t.number, t.category, t.place or "—", t.title, t.result,
                         f"{t.closed_at:%m-%d}" if t.closed_at else "") for t in settled],
                       widths=(0.95, 0.8, 1.0, 2.0, 2.2, 0.6), align=("CENTER", "CENTER", "LEFT", "LEFT", "LEFT", "CENTER"),
                       wrap=(2, 3, 4))
    else:
        document.paragraph("本月没有办结的民生事项。", "plain")
    document.spacer(8)
    document.signature(document.station, chinese_date(today))
    return document.write(out)


def summary_rows(session: Session, month: str) -> list[tuple[str, str, str, str, str, str, str, float, float]]:
    """One row per figure: 站点, 社区, 街道, 月份, 指标代码, 指标, 单位, 本月, 去年同月."""
    month = points.parse_month(month)
    details = onboarding.details(session)
    name, community, street = (details.name, details.community, details.street) if details else ("", "", "")
    return [(name, community, street, month, f.code, f.label, f.unit, round(f.value, 2), round(f.year_ago, 2))
            for f in home.month_figures(session, month)]


def summary_xlsx(session: Session, month: str, out: Path, today: dt.date) -> Path:
    """The monthly summary as an .xlsx: 指标 (one row per figure), 议题 and 工单 sheets.

    Raises:
        ValidationError: the month has not begun, or the file could not be written.
    """
    from openpyxl import Workbook

    month, _label = _month(month, today)
    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(XLSX_COLUMNS)
    for row in summary_rows(session, month):
        sheet.append(list(row))
    decided = book.create_sheet("议题")
    decided.append(("会议日期", "会议", "议题", "决议", "责任方", "现在"))
    for d in home.matters_decided(session, month):
        decided.append((d.held_on, d.meeting, d.title, d.resolution, d.responsible, d.state))
    settled = book.create_sheet("工单")
    settled.append(("编号", "受理时间", "类别", "地点", "问题", "结果", "办结时间"))
    for t in home.tickets_settled(session, month):
        settled.append((t.number, t.accepted_at, t.category, t.place, t.title, t.result, t.closed_at))
    for ws in (sheet, decided, settled):
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 16
    try:
        book.save(out)
    except OSError as problem:
        raise ValidationError(save_problem(problem, out).replace("PDF", "Excel文件")) from problem
    return out
