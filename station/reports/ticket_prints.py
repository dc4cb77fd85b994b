"""The tickets' prints: the month's public notice, one ticket's full record, the month's figures for the community.

- 民生事项办理公示 (public, 公开晒事 / 订单): the month's tickets — what, where, state, result;
  reporters masked (张*明), no phone or ID number.
- 工单记录 (internal, for the file): one ticket with every field and its whole timeline.
- 民生事项月度统计 (internal, for the community): by category, accepted, closed, on time and the
  on-time rate, still open, 回访 and satisfaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.models import Resident, Ticket
from station import points, tickets
from station.errors import ValidationError
from station.reports.pdf import NoticeDocument, WrittenPdf, chinese_date, objection_line
from station.tickets import TicketQuery, TicketRow
from station.validation import mask_name

NOTICE_TITLE = "民生事项办理公示"
RECORD_TITLE = "工单记录"
FIGURES_TITLE = "民生事项月度统计"


def _month_rows(session: Session, month: str) -> list[TicketRow]:
    """The month's tickets: accepted in it, or closed in it (accepted earlier), in the order they came in."""
    first, last = points.month_bounds(month)
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    ids = list(session.scalars(select(Ticket.id).where(or_(
        and_(Ticket.accepted_at >= start, Ticket.accepted_at < end),
        and_(Ticket.closed_at >= start, Ticket.closed_at < end)))))
    rows = tickets.tickets(session, TicketQuery(), today=last, limit=100000, ids=ids)
    return sorted(rows, key=lambda row: (row.accepted_at, row.id))


PRIVATE_CATEGORY = "困难帮扶"  # people in difficulty: only that it was handled goes on the notice board


def _public(row: TicketRow, names: Sequence[str]) -> tuple[str, str, str, str, str, str]:
    """A row of the public notice: category, place, what, reporter (masked), state, result.

    The reporters' names (``names``, the month's) are masked wherever they were written; a 困难帮扶 ticket
    shows neither who, where, what nor how; a ticket still open (or opened again) shows 正在办理, not a
    result it no longer has.
    """
    state = row.state + (f"（{row.handed_to}）" if row.handed_to and row.state == tickets.HANDED_ON else "")
    if row.category == PRIVATE_CATEGORY:
        return (row.category, "—", "困难群众帮扶", "—", state, "正在办理" if row.closed_at is None else "已帮扶")
    masked = mask_name(row.reporter) if row.reporter else "—"

    def masking(text: str) -> str:
        for name in names:
            text = text.replace(name, mask_name(name))
        return text

    result = masking(row.result) if row.closed_at is not None and row.result else "正在办理"
    return (row.category, masking(row.place) or "—", masking(row.title), masked, state, result)


def _begun(month: str, today: dt.date) -> tuple[str, dt.date, dt.date]:
    month = points.parse_month(month)
    first, last = points.month_bounds(month)
    if first > today:
        raise ValidationError(f"{points.month_label(month)}还没有开始")
    return month, first, last


def monthly_notice(session: Session, month: str, out: Path, today: dt.date) -> WrittenPdf:
    """民生事项办理公示 for a month, for the notice board.

    Raises:
        ValidationError: the month has not begun, it had no tickets, or the file could not be written.
    """
    month, first, last = _begun(month, today)
    label = points.month_label(month)
    rows = _month_rows(session, month)
    if not rows:
        raise ValidationError(f"{label}没有受理或办结的民生事项，没有可公示的内容")
    total = tickets.month_figures(session, month)[-1]
    document = NoticeDocument(session, NOTICE_TITLE, label, public=True, wide=True)
    reporters = {row.reporter_id for row in rows if row.reporter_id is not None}
    names = sorted({row.reporter for row in rows if len(row.reporter) > 1}, key=len, reverse=True)
    for phone, id_number in session.execute(select(Resident.phone, Resident.id_number)
                                            .where(Resident.id.in_(list(reporters)))):
        document.withhold("手机号码", phone)
        document.withhold("身份证号码", id_number)
    document.title(f"{label}{NOTICE_TITLE}", f"（{chinese_date(first)}至{chinese_date(min(last, today))}）")
    document.paragraph(
        f"本月共受理民生事项{total.accepted}件，办结{total.closed}件，其中按时办结{total.on_time}件"
        f"（按时办结率{tickets.rate_text(total.on_time_rate)}）。本着“事事有回音、件件有着落”，现将办理情况公示如下：")
    document.table(
        ("序号", "编号", "受理日期", "类别", "地点", "反映的问题", "反映人", "办理情况", "办理结果"),
        [(str(n), row.number, f"{row.accepted_at:%m-%d}", *_public(row, names)) for n, row in enumerate(rows, 1)],
        widths=(0.45, 0.95, 0.75, 0.8, 1.2, 2.2, 0.75, 1.0, 2.3),
        align=("CENTER", "CENTER", "CENTER", "CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT"),
        wrap=(4, 5, 7, 8),
    )
    document.spacer(4)
    document.paragraph("正在办理的事项办结后将及时回访反映人，并在下月公示。", "note")
    if any(row.category == PRIVATE_CATEGORY for row in rows):
        document.paragraph(f"{PRIVATE_CATEGORY}事项涉及个人和家庭情况，只公示办理情况。", "note")
    document.paragraph(objection_line(session, today, "服务站"), "plain")
    document.signature(document.station, chinese_date(today))
    shown = {row.reporter_id if row.reporter_id is not None else row.reporter for row in rows
             if row.reporter and row.category != PRIVATE_CATEGORY}
    return document.write(out, people=len(shown))


def ticket_record(session: Session, ticket_id: int, out: Path, today: dt.date) -> WrittenPdf:
    """工单记录: one ticket complete, for the file (not for the notice board).

    Raises:
        NotFound: no such ticket.
        ValidationError: the file could not be written.
    """
    steps = tickets.history(session, ticket_id)
    row = tickets.tickets(session, ids=[ticket_id], today=today)[0]
    ticket = session.get(Ticket, ticket_id)
    assert ticket is not None
    document = NoticeDocument(session, RECORD_TITLE, row.number, public=False)
    if row.reporter_id is not None:
        reporter = session.get(Resident, row.reporter_id)
        if reporter is not None:
            document.withhold("身份证号码", reporter.id_number)
    document.title(RECORD_TITLE, f"{row.number}　{row.title}")
    closed = f"{row.closed_at:%Y-%m-%d %H:%M}" if row.closed_at else "—"
    document.fields([
        ("编号", row.number, "来源", row.source),
        ("受理时间", f"{row.accepted_at:%Y-%m-%d %H:%M}", "类别", f"{row.category}（{row.priority}）"),
        ("反映人", row.reporter or "—", "地点", row.place or "—"),
        ("办理时限", chinese_date(row.due_on), "状态", row.state + ("（已逾期）" if row.overdue else "")),
        ("承办单位", row.handed_to or "—", "办结时间", closed),
        ("办理结果", row.result or "—", "回访", row.satisfaction or "—"),
    ], widths=(1, 2, 1, 2))
    if ticket.description:
        document.spacer(4)
        document.paragraph(f"情况说明：{ticket.description}", "plain")
    document.heading("办理经过", min_space=40)
    document.table(("时间", "经过", "状态", "说明", "经办人"),
                   [(f"{s.at:%Y-%m-%d %H:%M}", s.what, f"{s.from_state} → {s.to_state}" if s.from_state else s.to_state,
                     s.note + (f"（转给：{s.to_whom}）" if s.to_whom else ""), s.staff) for s in steps],
                   widths=(1.3, 0.8, 1.4, 3.0, 0.8), align=("CENTER", "CENTER", "CENTER", "LEFT", "CENTER"),
                   wrap=(3,))
    document.spacer(14)
    document.signature_lines(("经办人：", "负责人："))
    return document.write(out, people=1 if row.reporter else 0)


def figures_pdf(session: Session, month: str, out: Path, today: dt.date) -> WrittenPdf:
    """民生事项月度统计 for the community: by category, with the on-time and satisfaction rates.

    Raises:
        ValidationError: the month has not begun, or the file could not be written.
    """
    month, first, last = _begun(month, today)
    label = points.month_label(month)
    figures = tickets.month_figures(session, month)
    document = NoticeDocument(session, FIGURES_TITLE, label, public=False)
    document.title(f"{label}{FIGURES_TITLE}", f"（{chinese_date(first)}至{chinese_date(min(last, today))}）")
    total = figures[-1]
    document.paragraph(f"本月受理{total.accepted}件，办结{total.closed}件，按时办结{total.on_time}件，"
                       f"按时办结率{tickets.rate_text(total.on_time_rate)}；月末未办结{total.open_at_end}件；"
                       f"回访{total.visited}件，满意（含基本满意）{total.satisfied}件。")

    def satisfied(f: tickets.CategoryFigures) -> str:
        return tickets.rate_text(f.satisfied / f.visited if f.visited else None)

    document.table(("类别", "受理", "办结", "按时办结", "按时办结率", "月末未办结", "回访", "满意率"),
                   [(f.category, str(f.accepted), str(f.closed), str(f.on_time), tickets.rate_text(f.on_time_rate),
                     str(f.open_at_end), str(f.visited), satisfied(f)) for f in figures[:-1]],
                   widths=(1.2, 0.8, 0.8, 0.9, 1.0, 1.0, 0.8, 0.9),
                   total=(total.category, str(total.accepted), str(total.closed), str(total.on_time),
                          tickets.rate_text(total.on_time_rate), str(total.open_at_end), str(total.visited),
                          satisfied(total)))
    document.paragraph("注：按时办结指在该类别的办理时限内办结（现场办结或办结）；一件工单计入它办结的月份，重新办理后再次办结的，也计入再次办结的月份。", "note")
    document.signature(document.station, chinese_date(today))
    return document.write(out)
