"""Printable notices (公示) and reports as PDF: the registry the window and the command line use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from station import points
from station.errors import ValidationError
from station.reports import points_notices
from station.reports.pdf import WrittenPdf


@dataclass(frozen=True)
class ReportSpec:
    """One kind of notice.

    Attributes:
        name: the name used on the command line, e.g. "points-monthly".
        title: what the user sees, e.g. "月度积分公示".
        period_kind: "month" or "half-year".
        public: a masked notice for the notice board (公示栏).
    """

    name: str
    title: str
    period_kind: str
    public: bool


Builder = Callable[[Session, str, Path, dt.date, Sequence[int] | None], WrittenPdf]

REPORTS: dict[str, ReportSpec] = {
    spec.name: spec for spec in (
        ReportSpec("points-monthly", "月度积分公示", "month", True),
        ReportSpec("star-families", "星级家庭光荣榜", "half-year", True),
    )
}

_BUILDERS: dict[str, Builder] = {
    "points-monthly": points_notices.monthly_notice,
    "star-families": points_notices.star_roll,
}

PERIOD_FORMATS = {"month": "按月：2026-11", "half-year": "按半年：2026-H1"}


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
    """The period in its standard form ("2026-11" or "2026-H1"); a Chinese ValidationError if malformed."""
    return points.parse_month(period) if spec.period_kind == "month" else points.parse_half_year(period)


def default_file_name(name: str, period: str) -> str:
    """月度积分公示-2026-11.pdf."""
    spec = spec_for(name)
    return f"{spec.title}-{parse_period(spec, period)}.pdf"


def build(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
          building_ids: Sequence[int] | None = None) -> WrittenPdf:
    """Write the notice ``name`` for ``period`` to ``out``; the written file, its pages and build time."""
    spec = spec_for(name)
    period = parse_period(spec, period)
    return _BUILDERS[spec.name](session, period, Path(out), today or dt.date.today(), building_ids)


def make(session: Session, name: str, period: str, out: Path, today: dt.date | None = None,
         building_ids: Sequence[int] | None = None) -> Path:
    """Write the notice ``name`` for ``period`` (e.g. "2026-11", "2026-H1") to ``out``; the written path.

    ``today`` is the first day of the objection period (公示期); ``building_ids``
    limits the notice to those buildings.

    Raises:
        ValidationError: unknown notice, malformed period, nothing to show, or the file could not be written.
    """
    return build(session, name, period, out, today, building_ids).path


__all__ = ["REPORTS", "ReportSpec", "WrittenPdf", "build", "default_file_name", "describe", "make", "spec_for"]
