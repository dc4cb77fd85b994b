"""The points supermarket's prints: the redemption slip, the stock ledger, the donors' thanks, a merchant's statement.

- 兑换凭证 (redemption slip): one redemption, handed to the resident: full name and address,
  the items, the total and the spendable balance right after it. Not public, but no phone or
  ID number is ever printed.
- 积分超市库存台账 (stock ledger): every goods item's opening stock, stock in by source,
  redeemed, stock-take and write-off adjustments and closing stock, for the audit group.
- 捐赠致谢 (donors' thanks): a public notice of the gifts (商户捐赠, 居民众筹) by donor;
  donors are named as entered (they are thanked by their consent), never with a phone number,
  and a resident's name in it is masked (张*明) as on every public notice.
- 商户服务对账单 (merchant statement): a merchant's services redeemed in a month, residents'
  names masked, with totals per service, to be signed by both sides.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Table, TableStyle
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    Building,
    Household,
    Merchant,
    PointReview,
    Redemption,
    RedemptionCancel,
    RedemptionLine,
    Resident,
    ShopItem,
    Staff,
    StockMove,
    Unit,
)
from station import points, shop
from station.compound import address
from station.errors import NotFound, ValidationError
from station.reports.pdf import (
    HEADER_SHADE,
    NoticeDocument,
    WrittenPdf,
    chinese_date,
    grid_commands,
)
from station.validation import clean, mask_name

SLIP_TITLE = "兑换凭证"
LEDGER_TITLE = "积分超市库存台账"
THANKS_TITLE = "捐赠致谢"
STATEMENT_TITLE = "商户服务对账单"
PERIOD_FORMAT = "按月：2026-11，按半年：2026-H2，或按年：2026"
GIFTS = ("商户捐赠", "居民众筹")

_YEAR = re.compile(r"(\d{4})年?")
_BAD_PERIOD = {"period": "期间格式不对：按月填 2026-11，按半年填 2026-H2，按年填 2026"}


# ------------------------------------------------------------------ periods: a month, a half-year or a year


def parse_span(text: str) -> str:
    """A month ("2026-11", "2026年11月"), a half-year ("2026-H2") or a year ("2026") in standard form.

    Raises:
        ValidationError: none of these, in Chinese.
    """
    value = clean(text)
    year = _YEAR.fullmatch(value)
    if year:
        if not 1990 <= int(year.group(1)) <= 2100:
            raise ValidationError({"period": "年份不对"})
        return year.group(1)
    for parse in (points.parse_month, points.parse_half_year):
        try:
            return parse(value)
        except ValidationError:
            continue
    raise ValidationError(_BAD_PERIOD)


def span_bounds(session: Session, period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a month, of the station's rating half-year, or of a calendar year."""
    period = parse_span(period)
    if "H" in period:
        return points.half_year_bounds(session, period)
    if "-" in period:
        return points.month_bounds(period)
    return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)


def span_label(period: str) -> str:
    """2026年11月, 2026年下半年 or 2026年."""
    period = parse_span(period)
    if "H" in period:
        return f"{period[:4]}年{'上' if period.endswith('1') else '下'}半年"
    if "-" in period:
        return points.month_label(period)
    return f"{period}年"


def _dates_text(first: dt.date, last: dt.date) -> str:
    """2026年1月1日至2026年11月22日."""
    return f"{chinese_date(first)}至{chinese_date(last)}"


def _period_for_print(session: Session, period: str, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(label, first, last) of a period up to ``today`` at the latest.

    Raises:
        ValidationError: the period has not begun.
    """
    label = span_label(period)
    first, last = span_bounds(session, period)
    if first > today:
        raise ValidationError({"period": f"{label}还没有开始，没有可打印的内容"})
    return label, first, min(last, today)


def _day_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())


def _signed(number: int) -> str:
    """+3, -2 or 0."""
    return f"{number:+d}" if number else "0"


# ------------------------------------------------------------------ tables of our own


# ------------------------------------------------------------------ 兑换凭证


def slip_number(redemption_id: int) -> str:
    """DH000123: the redemption's number as printed on its slip (the same however often it is printed)."""
    return f"DH{redemption_id:06d}"


@dataclass(frozen=True)
class SlipLine:
    name: str
    unit: str
    quantity: int
    price: int

    @property
    def subtotal(self) -> int:
        return self.quantity * self.price


@dataclass(frozen=True)
class Slip:
    """What a redemption slip shows."""

    id: int
    at: dt.datetime
    who: str  # the resident's full name, or 全户
    address: str
    household_id: int
    resident_id: int | None
    lines: list[SlipLine]
    total: int
    balance_after: int
    recorded_by: str
    cancelled: str  # "" or the line saying when, by whom and why it was cancelled

    @property
    def number(self) -> str:
        return slip_number(self.id)


def balance_after(session: Session, redemption: Redemption) -> int:
    """The points that could be spent right after the redemption.

    The approved points as they stood then: reviews written no later than the redemption's own
    (its debit) and dated no later than it. For a resident, never more than the household's.
    """
    own = session.scalar(select(PointReview.id).where(PointReview.entry_id == redemption.entry_id))
    if own is None:  # every redemption is approved with its debit; should it lack one, nothing is counted
        own = 0
    then = or_(PointReview.id == own,
               and_(PointReview.id < own, PointReview.reviewed_at <= redemption.redeemed_at))
    total = select(func.coalesce(func.sum(PointReview.points), 0)).where(PointReview.decision == "approved", then)
    household = int(session.scalar(total.where(PointReview.household_id == redemption.household_id)) or 0)
    if redemption.resident_id is None:
        return household
    resident = int(session.scalar(total.where(PointReview.resident_id == redemption.resident_id)) or 0)
    return min(resident, household)


def slip(session: Session, redemption_id: int) -> Slip:
    """The redemption ``redemption_id`` as its slip shows it.

    Raises:
        NotFound: no such redemption.
    """
    redemption = session.get(Redemption, redemption_id)
    if redemption is None:
        raise NotFound({"record": f"没有编号为 {redemption_id} 的兑换记录"})
    building, unit, room = session.execute(
        select(Building.number, Unit.number, Household.room).join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Unit.building_id).where(Household.id == redemption.household_id)).one()
    if redemption.resident_id is not None:
        resident = session.get(Resident, redemption.resident_id)
        who = resident.name if resident is not None else ""
    else:
        head = points.heads(session, [redemption.household_id]).get(redemption.household_id, "")
        who = f"全户（户主：{head}）" if head else "全户"
    lines = [SlipLine(name, unit_name, quantity, price) for name, unit_name, quantity, price in session.execute(
        select(ShopItem.name, ShopItem.unit, RedemptionLine.quantity, RedemptionLine.price)
        .join(ShopItem, ShopItem.id == RedemptionLine.item_id)
        .where(RedemptionLine.redemption_id == redemption_id).order_by(RedemptionLine.id))]
    staff_names = dict(session.execute(select(Staff.id, Staff.name)).all())
    cancelled = ""
    cancel = session.get(RedemptionCancel, redemption_id)
    if cancel is not None:
        cancelled = (f"已撤销：{chinese_date(cancel.cancelled_at.date())}由{staff_names.get(cancel.cancelled_by, '')}"
                     f"撤销（{cancel.reason}），积分和物品已退回。")
    return Slip(redemption.id, redemption.redeemed_at, who, address(building, unit, room), redemption.household_id,
                redemption.resident_id, lines, redemption.points, balance_after(session, redemption),
                staff_names.get(redemption.recorded_by, ""), cancelled)


def redemption_slip(session: Session, redemption_id: int, out: Path, today: dt.date) -> WrittenPdf:
    """Write the 兑换凭证 of one redemption (``today`` is unused: the slip carries the redemption's own date).

    Raises:
        NotFound: no such redemption.
        ValidationError: the file could not be written.
    """
    found = slip(session, redemption_id)
    document = NoticeDocument(session, SLIP_TITLE, found.number, public=False)
    for phone, id_number in session.execute(select(Resident.phone, Resident.id_number)
                                            .where(Resident.household_id == found.household_id)):
        document.withhold("手机号码", phone)
        document.withhold("身份证号码", id_number)
    document.title(f"积分超市{SLIP_TITLE}", document.station)
    document.fields([
        ("凭证编号", found.number, "兑换时间", f"{chinese_date(found.at.date())} {found.at:%H:%M}"),
        ("兑换人", found.who, "住址", found.address),
        ("登记人", found.recorded_by or "—", "状态", "已撤销" if found.cancelled else "有效"),
    ], widths=(1, 2, 1, 2))
    document.spacer(8)
    count = sum(line.quantity for line in found.lines)
    document.table(
        ("序号", "名称", "数量", "单价（积分）", "小计（积分）"),
        [(str(index), line.name, f"{line.quantity}{line.unit}", str(line.price), str(line.subtotal))
         for index, line in enumerate(found.lines, 1)],
        widths=(0.6, 2.6, 0.9, 1.1, 1.1),
        align=("CENTER", "LEFT", "CENTER", "RIGHT", "RIGHT"),
        wrap=(1,),
        total=("合计", "", f"共{count}件", "", str(found.total)),
        total_span=2,
    )
    document.spacer(4)
    document.paragraph(f"本次兑换共使用{found.total}积分，兑换后可用积分余额：{found.balance_after}分。", "plain")
    if found.cancelled:
        document.warning(found.cancelled)
    document.paragraph("注：积分兑换以服务站积分台账为准；撤销兑换须经积分审核员办理，积分和物品同时退回。", "note")
    document.spacer(14)
    document.signature_lines(("兑换人签字：", "经办人："))
    return document.write(out, people=1)


# ------------------------------------------------------------------ 积分超市库存台账


def stock_ledger_pdf(session: Session, period: str, out: Path, today: dt.date) -> WrittenPdf:
    """Write the 积分超市库存台账 for a month, half-year or year (up to ``today``), landscape.

    Raises:
        ValidationError: the period has not begun, there are no goods, or the file could not be written.
    """
    label, first, last = _period_for_print(session, period, today)
    lines = shop.stock_ledger(session, first, last)
    if not lines:
        raise ValidationError("积分超市还没有上架物品，没有可打印的库存台账")
    document = NoticeDocument(session, LEDGER_TITLE, label, public=False, wide=True)
    document.title(f"{label}{LEDGER_TITLE}", f"（{_dates_text(first, last)}）")
    categories = dict(session.execute(select(ShopItem.id, ShopItem.category)
                                      .where(ShopItem.id.in_([line.item_id for line in lines]))).all())
    sources = list(shop.SOURCES)
    header = ["序号", "类别", "物品名称", "单位", "期初库存", "入库", *[""] * len(sources), "兑换出库",
              "盘点/报损调整", "期末库存"]
    second = ["", "", "", "", "", *sources, "入库小计", "", "", ""]
    rows = []
    for index, line in enumerate(lines, 1):
        came = sum(line.in_by_source.values())
        rows.append([str(index), categories.get(line.item_id, ""), line.name, line.unit, str(line.opening),
                     *[str(line.in_by_source[source]) for source in sources], str(came), str(line.out),
                     _signed(line.adjusted), str(line.closing)])
    total = ["合计", "", "", "", str(sum(line.opening for line in lines)),
             *[str(sum(line.in_by_source[source] for line in lines)) for source in sources],
             str(sum(sum(line.in_by_source.values()) for line in lines)), str(sum(line.out for line in lines)),
             _signed(sum(line.adjusted for line in lines)), str(sum(line.closing for line in lines))]
    widths = [0.5, 0.8, 2.4, 0.55, 0.85, *[0.85] * len(sources), 0.85, 0.85, 1.1, 0.85]
    scale = document.width / sum(widths)
    style = document.styles["cell"]
    cells: list[list[Any]] = [header, second]
    cells += [[Paragraph(escape(text), style) if column == 2 else text for column, text in enumerate(row)]
              for row in rows]
    cells.append(total)
    last_in = 5 + len(sources)
    commands = grid_commands(document.font.name, header_rows=2) + [
        ("FONT", (0, 0), (-1, -1), document.font.name, 10, 12.5),  # a little tighter: a shelf on one page
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("SPAN", (5, 0), (last_in, 0)),
        *[("SPAN", (column, 0), (column, 1)) for column in (0, 1, 2, 3, 4, last_in + 1, last_in + 2, last_in + 3)],
        ("ALIGN", (4, 2), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, -1), (-1, -1), HEADER_SHADE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black),
        ("SPAN", (0, -1), (3, -1)),
        ("ALIGN", (0, -1), (3, -1), "CENTER"),
    ]
    table = Table(cells, colWidths=[w * scale for w in widths], repeatRows=2, style=TableStyle(commands),
                  hAlign="CENTER")
    document.add(table, [*header, *second, *[text for row in rows for text in row], *total])
    document.paragraph("注：期初库存＋入库小计－兑换出库＋盘点/报损调整＝期末库存；兑换出库已扣除撤销兑换退回的数量；"
                       "盘点/报损调整正数为盘盈，负数为盘亏或报损。各物品单位不同，合计数仅供核对。", "note")
    document.paragraph("积分审核小组审核意见：", "plain")
    document.spacer(4)
    document.signature_lines(("保管人：", "审核人：", "审核人：", "审核日期："))
    return document.write(out)


# ------------------------------------------------------------------ 捐赠致谢

_PHONE_LABEL = r"(?:联系)?(?:电话|手机|手机号|tel|Tel|TEL)?[:：]?\s*"
_NUMBERS = re.compile(
    r"[（(]?\s*" + _PHONE_LABEL
    + r"(?:(?<!\d)1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)|(?<!\d)\d{7,8}(?!\d)"
    r"|(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z]))\s*[）)]?")


def donor_name(donor: str) -> str:
    """The donor as entered, without any phone or ID number typed into it: "幸福超市 13912345678" -> "幸福超市"."""
    text = unicodedata.normalize("NFKC", donor)
    return re.sub(r"\s{2,}", " ", _NUMBERS.sub(" ", text)).strip(" ，,、;；") or "爱心人士"


@dataclass(frozen=True)
class DonorGifts:
    """One donor's gifts over a period: (item, quantity, unit) in order of the first gift, and the days."""

    donor: str
    kinds: tuple[str, ...]  # 商户捐赠 / 居民众筹
    items: tuple[tuple[str, int, str], ...]
    days: tuple[dt.date, ...]

    @property
    def quantity(self) -> int:
        return sum(count for _name, count, _unit in self.items)


def _mask_residents(text: str, names: Sequence[str]) -> str:
    """The donor with every resident's name in it masked: "张三明一家" -> "张*明一家" (longest names first)."""
    for name in names:
        if name in text:
            text = text.replace(name, mask_name(name))
    return text


def donations(session: Session, first: dt.date, last: dt.date) -> list[DonorGifts]:
    """The gifts (stock in as 商户捐赠 or 居民众筹) from ``first`` to ``last``, by donor in order of the first gift.

    Donors are named for a public notice: no number typed into them, residents' names masked.
    """
    start, end = _day_range(first, last)
    rows = session.execute(
        select(StockMove.donor, StockMove.source, StockMove.moved_at, StockMove.quantity, ShopItem.name, ShopItem.unit)
        .join(ShopItem, ShopItem.id == StockMove.item_id)
        .where(StockMove.kind == "in", StockMove.source.in_(GIFTS), StockMove.moved_at >= start,
               StockMove.moved_at < end)
        .order_by(StockMove.moved_at, StockMove.id)).all()
    names = sorted({name for name in session.scalars(select(Resident.name).distinct()) if len(name) >= 2},
                   key=len, reverse=True) if rows else []
    found: dict[str, dict[str, Any]] = {}
    for donor, source, at, quantity, name, unit in rows:
        entry = found.setdefault(_mask_residents(donor_name(donor), names), {"kinds": {}, "items": {}, "days": {}})
        entry["kinds"][source] = True
        held = entry["items"].get(name)
        entry["items"][name] = (name, (held[1] if held else 0) + quantity, unit)
        entry["days"][at.date()] = True
    return [DonorGifts(donor, tuple(entry["kinds"]), tuple(entry["items"].values()), tuple(entry["days"]))
            for donor, entry in found.items()]


def _short_days(days: Sequence[dt.date], one_year: bool) -> str:
    return "、".join(f"{day.month}月{day.day}日" if one_year else chinese_date(day) for day in days)


def donor_thanks(session: Session, period: str, out: Path, today: dt.date) -> WrittenPdf:
    """Write the public 捐赠致谢 for a month, half-year or year: the gifts by donor and a thank-you.

    Raises:
        ValidationError: the period has not begun, nothing was given in it, or the file could not be written.
        PrivateDataInNotice: a phone or ID number would have been printed.
    """
    label, first, last = _period_for_print(session, period, today)
    gifts = donations(session, first, last)
    if not gifts:
        raise ValidationError(f"{label}没有商户捐赠或居民众筹的入库记录，没有可致谢的内容")
    document = NoticeDocument(session, THANKS_TITLE, label, public=True)
    document.title("积分超市爱心捐赠致谢", f"（{label}）")
    merchants = sum(1 for gift in gifts if "商户捐赠" in gift.kinds)
    people = len(gifts) - merchants
    who = "、".join(part for part in (f"{merchants}家爱心商户（单位）" if merchants else "",
                                      f"{people}位（批）居民" if people else "") if part)
    batches = sum(len(gift.days) for gift in gifts)
    document.paragraph(
        f"{label}，{who}热心公益、情系邻里，向本站积分超市捐赠物品{batches}批次，共计{sum(g.quantity for g in gifts)}"
        "件（份），全部用于居民积分兑换，让积极参与社区建设的居民得到实实在在的回报。捐赠情况如下：")
    one_year = first.year == last.year
    document.table(
        ("序号", "捐赠人（单位）", "方式", "捐赠物品及数量", "捐赠日期"),
        [(str(index), gift.donor, "、".join(gift.kinds),
          "、".join(f"{name}{count}{unit}" for name, count, unit in gift.items), _short_days(gift.days, one_year))
         for index, gift in enumerate(gifts, 1)],
        widths=(0.55, 1.7, 0.95, 2.9, 1.5),
        align=("CENTER", "LEFT", "CENTER", "LEFT", "LEFT"),
        wrap=(1, 3, 4),
    )
    document.spacer(6)
    document.paragraph("涓涓细流汇成江海，点点爱心温暖邻里。在此，谨向以上爱心商户和居民表示衷心的感谢！"
                       "欢迎更多商户和居民参与积分超市共建，携手共建和谐美好家园。")
    document.signature(document.station, chinese_date(today))
    return document.write(out, people=people)  # the residents among the donors (a merchant is not a person)


# ------------------------------------------------------------------ 商户服务对账单


@dataclass(frozen=True)
class StatementLine:
    at: dt.datetime
    service: str
    unit: str
    quantity: int
    price: int
    resident: str  # masked
    cancelled: bool
    person: tuple[int, int | None] = (0, None)  # (household, resident or None for the whole household)


@dataclass(frozen=True)
class ServiceTotal:
    service: str
    unit: str
    quantity: int  # not cancelled
    cancelled: int
    points: int  # not cancelled


def merchant_lines(session: Session, merchant_id: int, first: dt.date, last: dt.date) -> list[StatementLine]:
    """Every redemption line of the merchant's services from ``first`` to ``last``, oldest first, names masked."""
    start, end = _day_range(first, last)
    cancelled = set(session.scalars(select(RedemptionCancel.redemption_id)))
    rows = session.execute(
        select(Redemption.id, Redemption.redeemed_at, Redemption.household_id, Resident.name, ShopItem.name,
               ShopItem.unit, RedemptionLine.quantity, RedemptionLine.price, Redemption.resident_id)
        .join(RedemptionLine, RedemptionLine.redemption_id == Redemption.id)
        .join(ShopItem, ShopItem.id == RedemptionLine.item_id)
        .outerjoin(Resident, Resident.id == Redemption.resident_id)
        .where(ShopItem.merchant_id == merchant_id, Redemption.redeemed_at >= start, Redemption.redeemed_at < end)
        .order_by(Redemption.redeemed_at, Redemption.id, RedemptionLine.id)).all()
    heads = points.heads(session, {row[2] for row in rows if row[3] is None})
    found = []
    for rid, at, household_id, name, service, unit, quantity, price, resident_id in rows:
        if name is None:
            head = heads.get(household_id, "")
            who = f"{mask_name(head)}（全户）" if head else "全户"
        else:
            who = mask_name(name)
        found.append(StatementLine(at, service, unit, quantity, price, who, rid in cancelled,
                                   (household_id, resident_id)))
    return found


def service_totals(lines: Sequence[StatementLine]) -> list[ServiceTotal]:
    """Per service, in order of first appearance: the quantity and points that count, and how many were cancelled."""
    totals: dict[str, list[Any]] = {}
    for line in lines:
        entry = totals.setdefault(line.service, [line.unit, 0, 0, 0])
        if line.cancelled:
            entry[2] += line.quantity
        else:
            entry[1] += line.quantity
            entry[3] += line.quantity * line.price
    return [ServiceTotal(service, unit, quantity, cancelled, value)
            for service, (unit, quantity, cancelled, value) in totals.items()]


def merchant_statement(session: Session, merchant_id: int, month: str, out: Path, today: dt.date) -> WrittenPdf:
    """Write a merchant's 商户服务对账单 for ``month``: every service redeemed, totals, signature lines.

    Residents' names are masked: the statement goes to the merchant.

    Raises:
        NotFound: no such merchant.
        ValidationError: the month has not begun, or the file could not be written.
    """
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound({"record": f"没有编号为 {merchant_id} 的联盟商户"})
    month = points.parse_month(month)
    label = points.month_label(month)
    first, last = points.month_bounds(month)
    if first > today:
        raise ValidationError({"period": f"{label}还没有开始，不能对账"})
    lines = merchant_lines(session, merchant_id, first, last)
    services = list(session.scalars(select(ShopItem.name).where(ShopItem.merchant_id == merchant_id)
                                    .order_by(ShopItem.id)))
    document = NoticeDocument(session, STATEMENT_TITLE, label, public=True)
    document.title(STATEMENT_TITLE, f"（{label}）")
    document.fields([
        ("商户名称", merchant.name, "联系人", merchant.contact or "—"),
        ("对账期间", _dates_text(first, last), "服务项目", "、".join(services) or "—"),
    ], widths=(1, 2.3, 1, 2.3))
    document.spacer(4)
    if not lines:
        document.paragraph(f"{label}没有居民兑换{merchant.name}的服务。", "plain")
    else:
        document.paragraph("一、兑换明细", "heading")
        document.table(
            ("序号", "兑换时间", "服务项目", "数量", "居民", "积分", "状态"),
            [(str(index), f"{line.at.month}月{line.at.day}日 {line.at:%H:%M}", line.service,
              f"{line.quantity}{line.unit}", line.resident, str(line.quantity * line.price),
              "已撤销" if line.cancelled else "有效")
             for index, line in enumerate(lines, 1)],
            widths=(0.55, 1.35, 2.0, 0.7, 1.15, 0.7, 0.75),
            align=("CENTER", "CENTER", "LEFT", "CENTER", "CENTER", "RIGHT", "CENTER"),
            wrap=(2,),
        )
        totals = service_totals(lines)
        document.heading("二、按服务项目合计", min_space=40)
        document.table(
            ("服务项目", "有效次数", "已撤销", "积分合计"),
            [(total.service, f"{total.quantity}{total.unit}", f"{total.cancelled}{total.unit}" if total.cancelled
              else "—", str(total.points)) for total in totals],
            widths=(2.6, 1.1, 1.1, 1.1),
            align=("LEFT", "CENTER", "CENTER", "RIGHT"),
            wrap=(0,),
            total=("合计", str(sum(t.quantity for t in totals)), str(sum(t.cancelled for t in totals) or "—"),
                   str(sum(t.points for t in totals))),
        )
    document.paragraph("注：居民姓名已作隐私处理；已撤销的兑换不计入合计。请商户核对无误后签字盖章，一式两份，"
                       "商户和服务站各执一份。", "note")
    document.spacer(14)
    document.signature_lines(("商户（签字盖章）：", "服务站经办人："), ("日期：", "日期："))
    return document.write(out, people=len({line.person for line in lines}))
