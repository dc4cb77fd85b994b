"""Points notices for the notice board: the monthly points notice (一月一示, 一栋一表) and the star-family honour roll.

Both are public: names are masked with ``mask_name`` and no phone or ID number is printed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Building, Household, StarPeriod, Unit
from station import points
from station.compound import room_code, sort_key
from station.errors import ValidationError
from station.reports.pdf import NoticeDocument, WrittenPdf, chinese_date, objection_line
from station.validation import mask_name

NOBODY = "—"


def _short_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _place_key(code: str) -> tuple[int, ...]:
    """"10-2-501" sorts after "9-1-101": by building, unit and room as numbers."""
    return tuple(sort_key(part) for part in code.split("-"))


# ------------------------------------------------------------------ 月度积分公示


@dataclass(frozen=True)
class MonthlyRow:
    """One household's line of the monthly notice, as printed (the head's name masked)."""

    room_code: str
    head: str
    month_points: int
    half_year_points: int
    stars: str


@dataclass(frozen=True)
class BuildingSheet:
    """One building's table of the monthly notice (一栋一表)."""

    building: str
    rows: list[MonthlyRow]

    @property
    def total(self) -> int:
        return sum(row.month_points for row in self.rows)


def monthly_sheets(session: Session, month: str,
                   building_ids: Sequence[int] | None = None) -> list[BuildingSheet]:
    """Every household of each building in room order with its points for the month and half-year.

    A handful of GROUP BY queries, whatever the size of the compound.
    """
    first, last = points.month_bounds(month)
    half_first, _ = points.half_year_bounds(session, points.half_year_of(session, first))
    stmt = (
        select(Household.id, Building.number, Unit.number, Household.room)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .order_by(Building.sort_key, Building.number, Unit.sort_key, Unit.number, Household.room_sort,
                  Household.room)
    )
    if building_ids is not None:
        stmt = stmt.where(Building.id.in_(list(building_ids)))
    households = session.execute(stmt).all()
    names = points.heads(session, [row[0] for row in households])
    in_month = points.balances(session, "household", first=first, last=last, earned=True)
    in_half = points.balances(session, "household", first=half_first, last=last, earned=True)
    stars = points.current_stars(session, before=last)
    sheets: list[BuildingSheet] = []
    for household_id, building, unit, room in households:
        if not sheets or sheets[-1].building != building:
            sheets.append(BuildingSheet(building, []))
        name = names.get(household_id, "")
        level = stars.get(household_id)
        sheets[-1].rows.append(MonthlyRow(
            room_code(building, unit, room), mask_name(name) if name else NOBODY,
            in_month.get(household_id, 0), in_half.get(household_id, 0),
            f"{points.star_label(level)}家庭" if level else "",
        ))
    return sheets


def monthly_notice(session: Session, month: str, out: Path, today: dt.date,
                   building_ids: Sequence[int] | None = None) -> WrittenPdf:
    """月度积分公示: one table per building, each building starting on a new page.

    Raises:
        ValidationError: the month has not begun, or there is no household to show.
    """
    month = points.parse_month(month)
    label = points.month_label(month)
    first, last = points.month_bounds(month)
    if first > today:
        raise ValidationError(f"{label}还没有开始，不能公示")
    sheets = monthly_sheets(session, month, building_ids)
    if not sheets:
        raise ValidationError("所选楼栋没有住户，没有可公示的内容" if building_ids is not None
                              else "小区里还没有住户，没有可公示的内容")
    closed = points.is_closed(session, month)
    half_first, _ = points.half_year_bounds(session, points.half_year_of(session, first))
    rated = points.latest_rated_period(session, before=last)
    stars_note = (f"“星级”为{points.half_year_label(session, rated).partition('（')[0]}评定结果"
                  if rated else "“星级”尚无评定结果")
    note = (f"注：“本月积分”为{_short_date(first)}至{_short_date(last)}经审核通过的积分（加分减分合计）；"
            f"“本半年累计”为{chinese_date(half_first)}至{chinese_date(last)}的累计；{stars_note}。")
    objection = objection_line(session, today)
    document = NoticeDocument(session, "月度积分公示", label, public=True)
    for index, sheet in enumerate(sheets):
        document.section(f"{sheet.building}栋", new_page=index > 0)
        document.title(f"{label}积分公示", f"{sheet.building}栋（一栋一表）")
        document.paragraph(f"根据本小区积分细则，经服务站积分审核小组审核，现将{sheet.building}栋各户"
                           f"{label}积分情况公示如下。")
        if not closed:
            document.warning("本月积分尚未评审结账，以结账后为准")
        document.paragraph(f"{sheet.building}栋　共{len(sheet.rows)}户　本栋本月积分合计：{sheet.total}分",
                           "heading")
        document.table(
            ("户号", "户主", "本月积分", "本半年累计", "星级"),
            [(row.room_code, row.head, str(row.month_points), str(row.half_year_points), row.stars)
             for row in sheet.rows],
            widths=(1.25, 1.1, 1, 1.1, 1.25),
        )
        document.paragraph(note, "note")
        document.paragraph(objection, "plain")
        document.signature(f"{document.station}积分审核小组", chinese_date(today))
    named = sum(1 for sheet in sheets for row in sheet.rows if row.head != NOBODY)
    return document.write(out, people=named)


# ------------------------------------------------------------------ 星级家庭光荣榜


def star_roll(session: Session, period: str, out: Path, today: dt.date,
              building_ids: Sequence[int] | None = None) -> WrittenPdf:
    """半年星级家庭光荣榜 from the stored rating: five-star families first, then four, then three.

    Raises:
        ValidationError: the half-year has not been rated.
    """
    period = points.parse_half_year(period)
    label = points.half_year_label(session, period)
    stored = session.get(StarPeriod, period)
    if stored is None:
        raise ValidationError(f"{label}还没有评定星级家庭：请先在“积分 → 星级家庭”中评定，再打印光荣榜")
    name = label.partition("（")[0]
    rows = points.ratings(session, period)
    place = ""
    if building_ids is not None:
        numbers = list(session.scalars(
            select(Building.number).where(Building.id.in_(list(building_ids))).order_by(Building.sort_key)))
        rows = [row for row in rows if row.building in numbers]
        place = "、".join(f"{number}栋" for number in numbers)
    thresholds = {int(level["stars"]): level for level in json.loads(stored.thresholds)}
    levels = sorted({row.stars for row in rows}, reverse=True)
    counts = "、".join(f"{points.star_label(stars)}家庭{sum(1 for r in rows if r.stars == stars)}户"
                       for stars in levels)
    span = (f"{stored.starts_on.year}年{stored.starts_on.month}月至"
            f"{stored.ends_on.year}年{stored.ends_on.month}月")
    document = NoticeDocument(session, "星级家庭光荣榜", name, public=True)
    document.title(f"{name}星级家庭光荣榜", f"（{span}{'　' + place if place else ''}）")
    if rows:
        document.paragraph(
            f"经服务站积分审核小组评定，{name}{place or '本小区'}共有{len(rows)}户家庭获评星级家庭，其中{counts}。"
            "特此表彰，向获评家庭表示热烈祝贺！希望广大居民向他们学习，积极参与社区建设，共建和谐美好家园。")
    else:
        document.paragraph(f"{name}{place or '本小区'}没有家庭达到星级家庭标准。")
    for stars in levels:
        group = sorted((row for row in rows if row.stars == stars),
                       key=lambda row: (-row.points, _place_key(row.room_code)))
        level = thresholds.get(stars)
        rule = f"　半年积分{level['points']}分及以上，奖券面值¥{level['voucher']}" if level else ""
        document.heading(f"{'★' * stars}　{points.star_label(stars)}家庭（{len(group)}户）{rule}")
        document.table(
            ("序号", "户号", "户主", "半年积分", "奖券面值"),
            [(str(number), row.room_code, mask_name(row.head) if row.head else NOBODY, str(row.points),
              f"¥{row.voucher}") for number, row in enumerate(group, 1)],
            widths=(0.7, 1.3, 1.2, 1.1, 1.1),
        )
    document.spacer(8)
    document.paragraph(objection_line(session, today), "plain")
    document.signature(f"{document.station}积分审核小组", chinese_date(today))
    return document.write(out, people=sum(1 for row in rows if row.head))
