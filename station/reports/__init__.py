"""Printable notices (公示), certificates, the points supermarket's and the meetings' prints as PDF: the registry the window and the command line use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from station import points
from station.errors import ValidationError
from station.reports import meeting_prints, points_notices, shop_prints, summary, ticket_prints, volunteer_certificate
from station.reports.pdf import WrittenPdf
from station.tickets import ticket_number


@dataclass(frozen=True)
class ReportSpec:
    """One kind of notice or certificate.

    Attributes:
        name: the name used on the command line, e.g. "points-monthly".
        title: what the user sees, e.g. "月度积分公示".
        period_kind: "month", "half-year", "year-or-range" (2026, or 2026-01-01..2026-06-30),
            "span" (a month, a half-year or a year: 2026-11, 2026-H2, 2026) or "none" (no period).
        public: a masked notice for the notice board (公示栏).
        needs_resident: about one resident (a certificate), who must be given.
        record: about one record, which must be given as ``record_id``: "redemption" (a redemption's
            slip), "merchant" (a merchant's statement), "meeting" (a meeting's notice, minutes or
            sign-in sheet) or "ticket" (a ticket's record); "" for none.
    """

    name: str
    title: str
    period_kind: str
    public: bool
    needs_resident: bool = False
    record: str = ""


RECORD_KINDS = {"redemption": "兑换编号", "merchant": "商户编号", "meeting": "会议编号", "ticket": "工单编号"}
"""What ``record_id`` is for each kind of record, as the user is asked for it."""

Builder = Callable[[Session, str, Path, dt.date, Sequence[int] | None, int | None, int | None], WrittenPdf]
"""(session, period in standard form, out, today, building ids or None, resident id or None, record id or None)
-> the written PDF."""


def _monthly_notice(session: Session, period: str, out: Path, today: dt.date,
                    building_ids: Sequence[int] | None, resident_id: int | None,
                    record_id: int | None) -> WrittenPdf:
    return points_notices.monthly_notice(session, period, out, today, building_ids)


def _star_roll(session: Session, period: str, out: Path, today: dt.date,
               building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    return points_notices.star_roll(session, period, out, today, building_ids)


def _volunteer_certificate(session: Session, period: str, out: Path, today: dt.date,
                           building_ids: Sequence[int] | None, resident_id: int | None,
                           record_id: int | None) -> WrittenPdf:
    if resident_id is None:
        raise ValidationError({"resident": "开具志愿服务时长证明需要指定居民"})
    first, last = volunteer_certificate.period_bounds(period)
    return volunteer_certificate.certificate_pdf(session, resident_id, first, last, out, today)


def _redemption_slip(session: Session, period: str, out: Path, today: dt.date,
                     building_ids: Sequence[int] | None, resident_id: int | None,
                     record_id: int | None) -> WrittenPdf:
    if record_id is None:
        raise ValidationError({"record": "打印兑换凭证需要指定是哪一次兑换（兑换编号）"})
    return shop_prints.redemption_slip(session, record_id, out, today)


def _stock_ledger(session: Session, period: str, out: Path, today: dt.date,
                  building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    return shop_prints.stock_ledger_pdf(session, period, out, today)


def _donor_thanks(session: Session, period: str, out: Path, today: dt.date,
                  building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    return shop_prints.donor_thanks(session, period, out, today)


def _merchant_statement(session: Session, period: str, out: Path, today: dt.date,
                        building_ids: Sequence[int] | None, resident_id: int | None,
                        record_id: int | None) -> WrittenPdf:
    if record_id is None:
        raise ValidationError({"record": "打印商户服务对账单需要指定是哪一家联盟商户（商户编号）"})
    return shop_prints.merchant_statement(session, record_id, period, out, today)


def _meeting_print(build: Callable[[Session, int, Path, dt.date], WrittenPdf], title: str) -> Builder:
    def make(session: Session, period: str, out: Path, today: dt.date, building_ids: Sequence[int] | None,
             resident_id: int | None, record_id: int | None) -> WrittenPdf:
        if record_id is None:
            raise ValidationError({"record": f"打印{title}需要指定是哪一次会议（会议编号）"})
        return build(session, record_id, out, today)

    return make


def _tickets_notice(session: Session, period: str, out: Path, today: dt.date,
                    building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    return ticket_prints.monthly_notice(session, period, out, today)


def _ticket_figures(session: Session, period: str, out: Path, today: dt.date,
                    building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    return ticket_prints.figures_pdf(session, period, out, today)


def _ticket_record(session: Session, period: str, out: Path, today: dt.date,
                   building_ids: Sequence[int] | None, resident_id: int | None, record_id: int | None) -> WrittenPdf:
    if record_id is None:
        raise ValidationError({"record": "打印工单记录需要指定是哪一张工单（工单编号）"})
    return ticket_prints.ticket_record(session, record_id, out, today)


def _summary(session: Session, period: str, out: Path, today: dt.date, building_ids: Sequence[int] | None,
             resident_id: int | None, record_id: int | None) -> WrittenPdf:
    if out.suffix.lower() == ".xlsx":  # the community's spreadsheet, one row per figure
        written = summary.summary_xlsx(session, period, out, today)
        return WrittenPdf(written, 0, 0.0)
    return summary.summary_pdf(session, period, out, today)


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec for spec in (
        ReportSpec("points-monthly", "月度积分公示", "month", True),
        ReportSpec("star-families", "星级家庭光荣榜", "half-year", True),
        ReportSpec("volunteer-certificate", volunteer_certificate.TITLE, "year-or-range", False,
                   needs_resident=True),
        ReportSpec("redemption-slip", shop_prints.SLIP_TITLE, "none", False, record="redemption"),
        ReportSpec("stock-ledger", shop_prints.LEDGER_TITLE, "span", False),
        ReportSpec("donor-thanks", shop_prints.THANKS_TITLE, "span", True),
        ReportSpec("merchant-statement", shop_prints.STATEMENT_TITLE, "month", False, record="merchant"),
        ReportSpec("meeting-results", meeting_prints.NOTICE_TITLE, "none", True, record="meeting"),
        ReportSpec("meeting-minutes", meeting_prints.MINUTES_TITLE, "none", False, record="meeting"),
        ReportSpec("meeting-sign-in", meeting_prints.SIGN_IN_TITLE, "none", False, record="meeting"),
        ReportSpec("tickets-monthly", ticket_prints.NOTICE_TITLE, "month", True),
        ReportSpec("tickets-figures", ticket_prints.FIGURES_TITLE, "month", False),
        ReportSpec("ticket-record", ticket_prints.RECORD_TITLE, "none", False, record="ticket"),
        ReportSpec("station-summary", summary.TITLE, "month", False),
    )
}

_BUILDERS: dict[str, Builder] = {
    "points-monthly": _monthly_notice,
    "star-families": _star_roll,
    "volunteer-certificate": _volunteer_certificate,
    "redemption-slip": _redemption_slip,
    "stock-ledger": _stock_ledger,
    "donor-thanks": _donor_thanks,
    "merchant-statement": _merchant_statement,
    "meeting-results": _meeting_print(meeting_prints.results_notice, meeting_prints.NOTICE_TITLE),
    "meeting-minutes": _meeting_print(meeting_prints.minutes_pdf, meeting_prints.MINUTES_TITLE),
    "meeting-sign-in": _meeting_print(meeting_prints.sign_in_sheet, meeting_prints.SIGN_IN_TITLE),
    "tickets-monthly": _tickets_notice,
    "tickets-figures": _ticket_figures,
    "ticket-record": _ticket_record,
    "station-summary": _summary,
}

PERIOD_FORMATS = {"month": "按月：2026-11", "half-year": "按半年：2026-H1",
                  "year-or-range": volunteer_certificate.PERIOD_FORMAT, "span": shop_prints.PERIOD_FORMAT,
                  "none": "不分期间，每条记录一张"}


def describe(spec: ReportSpec) -> str:
    """月度积分公示（按月：2026-11）."""
    return f"{spec.title}（{PERIOD_FORMATS[spec.period_kind]}）"


def spec_for(name: str) -> ReportSpec:
    """The notice called ``name``.

    Raises:
        ValidationError: no such notice; the message names the known ones.
    """
    spec = REPORTS.get(name.strip())
    if spec is None:
        known = "、".join(f"{s.name}（{s.title}）" for s in REPORTS.values())
        raise ValidationError({"name": f"没有名为“{name}”的公示，可以生成的有：{known}"})
    return spec


def parse_period(spec: ReportSpec, period: str) -> str:
    """The period in its standard form ("2026-11", "2026-H1", "2026" or "2026-01-01..2026-06-30").

    Raises:
        ValidationError: malformed, in Chinese.
    """
    if spec.period_kind == "month":
        return points.parse_month(period)
    if spec.period_kind == "half-year":
        return points.parse_half_year(period)
    if spec.period_kind == "span":
        return shop_prints.parse_span(period)
    if spec.period_kind == "none":
        return ""
    return volunteer_certificate.parse_period(period)


def default_file_name(name: str, period: str, person: str = "", record_id: int | None = None) -> str:
    """月度积分公示-2026-11.pdf; with a person, 志愿服务时长证明-张三明-2026.pdf; a slip, 兑换凭证-DH000123.pdf."""
    spec = spec_for(name)
    period = parse_period(spec, period).replace("..", "至")
    number = ""
    if spec.record == "redemption" and record_id is not None:
        number = shop_prints.slip_number(record_id)
    elif spec.record == "ticket" and record_id is not None:
        number = ticket_number(record_id)
    return "-".join(part for part in (spec.title, person, period, number) if part) + ".pdf"


def build(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
          building_ids: Sequence[int] | None = None, resident_id: int | None = None,
          record_id: int | None = None) -> WrittenPdf:
    """Write the notice ``name`` for ``period`` to ``out``; the written file, its pages and build time."""
    spec = spec_for(name)
    period = parse_period(spec, period)
    return _BUILDERS[spec.name](session, period, Path(out), today or dt.date.today(), building_ids, resident_id,
                                record_id)


def record_print(session: Session, staff_id: int | None, name: str, written: WrittenPdf,
                 os_user: str = "") -> None:
    """One 操作记录 row for a print or an export of ``name``: what, how many pages and people, which file.

    From the window ``staff_id`` is the signed-in account; from the command line it is None and
    ``os_user`` names the computer's user who ran the command.
    """
    from station import audit

    spec = spec_for(name)
    where = f"（命令行，电脑用户 {os_user}）" if os_user else ""
    people = f"，{written.people}人" if written.people else ""
    pages = f"，{written.pages}页" if written.pages else ""
    audit.record(session, staff_id, "print", "document", None,
                 f"打印{spec.title}{where}：{written.path.name}{pages}{people}",
                 after={"file": written.path.name, "people": written.people, "os_user": os_user or None})


def make(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
         building_ids: Sequence[int] | None = None, resident_id: int | None = None,
         record_id: int | None = None) -> Path:
    """Write the notice ``name`` for ``period`` (e.g. "2026-11", "2026-H1", "2026") to ``out``; the written path.

    ``today`` is the first day of the objection period (公示期), or the day a
    certificate is issued; ``building_ids`` limits a notice to those buildings;
    ``resident_id`` is the person a certificate is for; ``record_id`` the one record a print
    is about (``spec.record``: the redemption of a slip, the merchant of a statement).

    Raises:
        ValidationError: unknown notice, malformed period, no resident for a certificate, no record or an
            unknown one for a slip or statement, nothing to show, or the file could not be written.
    """
    return build(session, name, period, out, today, building_ids, resident_id, record_id).path


__all__ = ["PERIOD_FORMATS", "RECORD_KINDS", "REPORTS", "ReportSpec", "WrittenPdf", "build", "default_file_name",
           "describe", "make", "parse_period", "record_print", "spec_for"]
