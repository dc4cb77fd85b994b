"""Printable notices (公示), certificates and reports as PDF: the registry the window and the command line use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from station import points
from station.errors import ValidationError
from station.reports import points_notices, volunteer_certificate
from station.reports.pdf import WrittenPdf


@dataclass(frozen=True)
class ReportSpec:
    """One kind of notice or certificate.

    Attributes:
        name: the name used on the command line, e.g. "points-monthly".
        title: what the user sees, e.g. "月度积分公示".
        period_kind: "month", "half-year" or "year-or-range" (2026, or 2026-01-01..2026-06-30).
        public: a masked notice for the notice board (公示栏).
        needs_resident: about one resident (a certificate), who must be given.
    """

    name: str
    title: str
    period_kind: str
    public: bool
    needs_resident: bool = False


Builder = Callable[[Session, str, Path, dt.date, Sequence[int] | None, int | None], WrittenPdf]
"""(session, period in standard form, out, today, building ids or None, resident id or None) -> the written PDF."""


def _monthly_notice(session: Session, period: str, out: Path, today: dt.date,
                    building_ids: Sequence[int] | None, resident_id: int | None) -> WrittenPdf:
    return points_notices.monthly_notice(session, period, out, today, building_ids)


def _star_roll(session: Session, period: str, out: Path, today: dt.date,
               building_ids: Sequence[int] | None, resident_id: int | None) -> WrittenPdf:
    return points_notices.star_roll(session, period, out, today, building_ids)


def _volunteer_certificate(session: Session, period: str, out: Path, today: dt.date,
                           building_ids: Sequence[int] | None, resident_id: int | None) -> WrittenPdf:
    if resident_id is None:
        raise ValidationError({"resident": "开具志愿服务时长证明需要指定居民"})
    first, last = volunteer_certificate.period_bounds(period)
    return volunteer_certificate.certificate_pdf(session, resident_id, first, last, out, today)


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec for spec in (
        ReportSpec("points-monthly", "月度积分公示", "month", True),
        ReportSpec("star-families", "星级家庭光荣榜", "half-year", True),
        ReportSpec("volunteer-certificate", volunteer_certificate.TITLE, "year-or-range", False,
                   needs_resident=True),
    )
}

_BUILDERS: dict[str, Builder] = {
    "points-monthly": _monthly_notice,
    "star-families": _star_roll,
    "volunteer-certificate": _volunteer_certificate,
}

PERIOD_FORMATS = {"month": "按月：2026-11", "half-year": "按半年：2026-H1",
                  "year-or-range": volunteer_certificate.PERIOD_FORMAT}


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
    return volunteer_certificate.parse_period(period)


def default_file_name(name: str, period: str, person: str = "") -> str:
    """月度积分公示-2026-11.pdf; with a person, 志愿服务时长证明-张三明-2026.pdf."""
    spec = spec_for(name)
    period = parse_period(spec, period).replace("..", "至")
    return "-".join(part for part in (spec.title, person, period) if part) + ".pdf"


def build(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
          building_ids: Sequence[int] | None = None, resident_id: int | None = None) -> WrittenPdf:
    """Write the notice ``name`` for ``period`` to ``out``; the written file, its pages and build time."""
    spec = spec_for(name)
    period = parse_period(spec, period)
    return _BUILDERS[spec.name](session, period, Path(out), today or dt.date.today(), building_ids, resident_id)


def make(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
         building_ids: Sequence[int] | None = None, resident_id: int | None = None) -> Path:
    """Write the notice ``name`` for ``period`` (e.g. "2026-11", "2026-H1", "2026") to ``out``; the written path.

    ``today`` is the first day of the objection period (公示期), or the day a
    certificate is issued; ``building_ids`` limits a notice to those buildings;
    ``resident_id`` is the person a certificate is for.

    Raises:
        ValidationError: unknown notice, malformed period, no resident for a certificate, nothing to show,
            or the file could not be written.
    """
    return build(session, name, period, out, today, building_ids, resident_id).path


__all__ = ["PERIOD_FORMATS", "REPORTS", "ReportSpec", "WrittenPdf", "build", "default_file_name", "describe",
           "make", "parse_period", "spec_for"]
