"""The points supermarket's prints: redemption slip, stock ledger, donors' thanks, merchant statement."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from db.engine import Database
from station import compound, points, reports, residents, shop, staff
from station.compound import HouseholdInput
from station.errors import NotFound, ValidationError
from station.points import EntryInput, ItemInput
from station.reports import shop_prints
from station.residents import ResidentInput
from station.shop import BasketLine
from station.validation import id_check_digit
from station.vocab import AUDITOR, CLERK
from tests.test_reports import embedded_font_files

# The services stamp stock and redemptions with the clock: the prints are asked for this month.
TODAY = dt.date.today()
MONTH = points.month_of(TODAY)
ZHANG_PHONE = "13812345678"
ZHANG_ID = "11010519560302001" + id_check_digit("11010519560302001")
BARBER_PHONE = "13912340000"
DONOR_PHONE = "13987654321"


@dataclass
class Market:
    db: Database
    admin: int
    clerk: int
    auditor: int
    zhang: int
    li: int
    household: int
    barber: int  # 老街理发店
    first: int  # 张三明: 食用油, 洗衣皂×2, 理发 = 50 points
    second: int  # 张三明: 理发 = 10, cancelled
    third: int  # 李四: 洗衣皂×2 = 10
    fourth: int  # 张三明: 洗衣皂×4 = 20
    whole: int  # 3-2-501 全户: 洗衣皂 = 5


def _give(session: Session, admin: int, clerk: int, auditor: int, resident: int, value: int) -> None:
    item = points.add_item(session, admin, ItemInput("测试", f"测试{resident}-{value}", str(value)))
    entry = points.record(session, clerk, EntryInput(item, resident, None, TODAY.isoformat()), TODAY)
    points.review(session, auditor, [entry], approve=True)


@pytest.fixture
def market(database: Database, staff_id: int) -> Market:
    with database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        h1 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        h2 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", h1, "男", "1956-03-02", relation="户主", phone=ZHANG_PHONE, id_number=ZHANG_ID))
        wife = residents.add_resident(session, staff_id, ResidentInput("刘芳", h1, "女", "1958-05-01", relation="配偶"))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", h2, "男", "1970-01-01", relation="户主"))
        barber = shop.save_merchant(session, staff_id, "老街理发店", "王师傅", BARBER_PHONE, "理发")
        washer = shop.save_merchant(session, staff_id, "洁亮洗车行", "刘老板", "", "洗车")
        oil = shop.save_item(session, staff_id, shop.ItemInput("食用油（5升）", "30", "goods", "粮油", "桶",
                                                               low_stock="3"))
        soap = shop.save_item(session, staff_id, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        haircut = shop.save_item(session, staff_id, shop.ItemInput("理发一次", "10", "service", "商家服务", "次",
                                                                   barber, monthly_quota="5"))
        wash = shop.save_item(session, staff_id, shop.ItemInput("洗车一次", "15", "service", "商家服务", "次", washer))
        shop.stock_in(session, staff_id, oil, "10", "政府支持")
        shop.stock_in(session, staff_id, soap, "20", "商户捐赠", "幸福超市")
        shop.stock_in(session, staff_id, oil, "5", "居民众筹", "3栋居民")
        shop.stock_in(session, staff_id, soap, "6", "商户捐赠", f"老街药房（电话：{DONOR_PHONE}）")
        for resident, value in ((zhang, 100), (wife, 20), (li, 30)):
            _give(session, staff_id, clerk, auditor, resident, value)
    with database.write() as session:
        first = shop.redeem(session, clerk, [BasketLine(oil), BasketLine(soap, 2), BasketLine(haircut)], zhang,
                            today=TODAY)
        second = shop.redeem(session, clerk, [BasketLine(haircut)], zhang, today=TODAY)
        third = shop.redeem(session, clerk, [BasketLine(soap, 2)], li, today=TODAY)
        shop.redeem(session, clerk, [BasketLine(wash)], li, today=TODAY)  # another merchant's
    with database.write() as session:
        shop.cancel_redemption(session, auditor, second, "居民改约下月", TODAY)
        fourth = shop.redeem(session, clerk, [BasketLine(soap, 4)], zhang, today=TODAY)
        whole = shop.redeem(session, clerk, [BasketLine(soap)], household_id=h1, today=TODAY)
        shop.stock_take(session, clerk, soap, "16", "盘点少一块")  # 17 on the books
        shop.write_off(session, clerk, soap, "1", "受潮")
    return Market(database, staff_id, clerk, auditor, zhang, li, h1, barber, first, second, third, fourth, whole)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def norm(text: str) -> str:
    """Full-width brackets and colons as the extraction reads them back: "（" and "(" alike."""
    return unicodedata.normalize("NFKC", text)


def text_of(path: Path) -> str:
    """The PDF's text, normalised, with the spaces taken out (the extraction spaces table cells unevenly)."""
    return norm("".join("".join(page.extract_text() for page in PdfReader(path).pages).split()))


def build(market: Market, name: str, period: str, out: Path, record_id: int | None = None) -> reports.WrittenPdf:
    with market.db.read() as session:
        return reports.build(session, name, period, out, TODAY, record_id=record_id)


# ------------------------------------------------------------------ 兑换凭证


def test_the_slip_shows_the_items_the_total_and_the_balance_then(market: Market, out_dir: Path) -> None:
    out = out_dir / "slip.pdf"
    written = build(market, "redemption-slip", "", out, market.first)
    text = text_of(out)
    assert written.pages == 1
    assert "积分超市兑换凭证" in text and "测试小区党群服务站" in text
    assert shop_prints.slip_number(market.first) in text and "张三明" in text and "3栋2单元501" in text
    assert norm("食用油（5升）") in text and "洗衣皂" in text and "理发一次" in text
    # the balance right after it, not now (张三明 has spent more since): 100 - 50
    assert norm("本次兑换共使用50积分，兑换后可用积分余额：50分") in text
    assert "兑换人签字" in text and "经办人" in text and "已撤销" not in text
    assert ZHANG_PHONE not in text and ZHANG_ID not in text
    assert "/FontFile2" in embedded_font_files(out)


def test_each_slip_has_its_own_balance(market: Market) -> None:
    with market.db.read() as session:
        figures = {rid: (found.total, found.balance_after) for rid in
                   (market.first, market.second, market.third, market.fourth, market.whole)
                   for found in [shop_prints.slip(session, rid)]}
        now = points.balances(session, "resident", [market.zhang])[market.zhang]
    assert figures[market.first] == (50, 50)
    assert figures[market.second] == (10, 40)
    assert figures[market.third] == (10, 20)  # 李四: 30 - 10 (the car wash came after)
    assert figures[market.fourth] == (20, 30)  # the cancelled 10 came back first: 100 - 50 - 10 + 10 - 20
    # the household: 100 + 20 - 50 - 10 + 10 - 20 - 5
    assert figures[market.whole] == (5, 45)
    assert now == 30


def test_a_cancelled_slip_is_stamped(market: Market, out_dir: Path) -> None:
    out = out_dir / "cancelled.pdf"
    build(market, "redemption-slip", "whatever", out, market.second)
    text = text_of(out)
    assert "已撤销" in text and norm("李建国撤销（居民改约下月）") in text


def test_a_household_slip_names_the_household(market: Market, out_dir: Path) -> None:
    out = out_dir / "whole.pdf"
    build(market, "redemption-slip", "", out, market.whole)
    assert norm("全户（户主：张三明）") in text_of(out)


def test_a_slip_needs_a_redemption_that_exists(market: Market, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="兑换编号"):
        build(market, "redemption-slip", "", out_dir / "x.pdf")
    with pytest.raises(NotFound, match="没有编号为 9999 的兑换记录"):
        build(market, "redemption-slip", "", out_dir / "x.pdf", 9999)
    assert not list(out_dir.iterdir())


# ------------------------------------------------------------------ 库存台账


def _numbers(path: Path, start: str) -> list[int]:
    """The numbers of the table row that starts with the cell ``start``: "1次" reads 1, a unit cell is skipped."""
    cells = [norm(cell) for page in PdfReader(path).pages for cell in page.extract_text().split()]
    at = cells.index(norm(start))
    found: list[int] = []
    for cell in cells[at + 1:]:
        number = re.fullmatch(r"([+-]?\d+)[^\d]{0,2}", cell)
        if number:
            found.append(int(number.group(1)))
        elif found:
            break
    return found


def test_the_stock_ledger_adds_up(market: Market, out_dir: Path) -> None:
    out = out_dir / "ledger.pdf"
    written = build(market, "stock-ledger", MONTH, out)
    text = text_of(out)
    assert written.pages == 1
    assert f"{points.month_label(MONTH)}积分超市库存台账" in text
    assert all(word in text for word in ("期初库存", "政府支持", "商户捐赠", "居民众筹", "采购", "兑换出库",
                                         "盘点/报损调整", "期末库存", "审核人", "积分审核小组"))
    # opening, in by source (政府支持, 商户捐赠, 居民众筹, 采购), in, out, adjusted, closing
    oil = _numbers(out, "食用油（5升）")[:9]
    soap = _numbers(out, "洗衣皂")[:9]
    assert oil == [0, 10, 0, 5, 0, 15, 1, 0, 14]
    assert soap == [0, 0, 26, 0, 0, 26, 9, -2, 15]
    total = _numbers(out, "合计")[:9]
    assert total == [a + b for a, b in zip(oil, soap, strict=True)]
    for row in (oil, soap, total):
        assert row[0] + row[5] - row[6] + row[7] == row[8]
        assert sum(row[1:5]) == row[5]
    with market.db.read() as session:
        assert shop.on_hand(session) == {1: 14, 2: 15}
    assert "/FontFile2" in embedded_font_files(out)


def test_the_stock_ledger_takes_a_half_year_and_a_year(market: Market, out_dir: Path) -> None:
    with market.db.read() as session:
        half = points.half_year_of(session, TODAY)
    for period in (half, str(TODAY.year)):
        out = out_dir / f"ledger-{period}.pdf"
        build(market, "stock-ledger", period, out)
        assert _numbers(out, "洗衣皂")[:9] == [0, 0, 26, 0, 0, 26, 9, -2, 15]
    with pytest.raises(ValidationError, match="期间格式不对"):
        build(market, "stock-ledger", "2026-13", out_dir / "bad.pdf")
    with pytest.raises(ValidationError, match="还没有开始"):
        build(market, "stock-ledger", str(TODAY.year + 1), out_dir / "bad.pdf")


@pytest.mark.parametrize(("typed", "standard"), [("2026-11", "2026-11"), ("2026年3月", "2026-03"),
                                                 ("2026h2", "2026-H2"), ("2026", "2026"), ("2026年", "2026")])
def test_the_periods_of_the_shop_prints(typed: str, standard: str) -> None:
    assert shop_prints.parse_span(typed) == standard


# ------------------------------------------------------------------ 捐赠致谢


def test_the_donors_are_thanked_without_their_phone(market: Market, out_dir: Path) -> None:
    out = out_dir / "thanks.pdf"
    written = build(market, "donor-thanks", MONTH, out)
    text = text_of(out)
    assert written.pages == 1
    assert "积分超市爱心捐赠致谢" in text and "衷心的感谢" in text
    assert "幸福超市" in text and "洗衣皂20块" in text
    assert "3栋居民" in text and norm("食用油（5升）5桶") in text and "居民众筹" in text
    assert "老街药房" in text and "洗衣皂6块" in text
    assert DONOR_PHONE not in text and "电话" not in text
    assert "政府支持" not in text  # not a gift
    assert "/FontFile2" in embedded_font_files(out)


def test_a_resident_thanked_by_name_is_masked(market: Market, out_dir: Path) -> None:
    with market.db.write() as session:
        (soap,) = [row.id for row in shop.shelf(session) if row.name == "洗衣皂"]
        shop.stock_in(session, market.clerk, soap, "3", "居民众筹", "张三明")
        shop.stock_in(session, market.clerk, soap, "2", "居民众筹", "李四等3户")
    out = out_dir / "thanks.pdf"
    build(market, "donor-thanks", MONTH, out)
    text = text_of(out)
    assert "张*明" in text and "李*等3户" in text
    assert "张三明" not in text and "李四" not in text
    assert "幸福超市" in text and "3栋居民" in text  # merchants and groups as entered


def test_donor_names_lose_any_number_typed_into_them() -> None:
    assert shop_prints.donor_name("幸福超市 13912345678") == "幸福超市"
    assert shop_prints.donor_name("老街药房（电话：139-1234-5678）") == "老街药房"
    assert shop_prints.donor_name("张大爷 tel:02988881234") == "张大爷"
    assert shop_prints.donor_name("3栋居民") == "3栋居民"


def test_no_gifts_no_thanks(market: Market, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="没有商户捐赠或居民众筹"):
        build(market, "donor-thanks", str(TODAY.year - 1), out_dir / "none.pdf")


# ------------------------------------------------------------------ 商户服务对账单


def test_the_merchant_statement_lists_the_services_and_their_totals(market: Market, out_dir: Path) -> None:
    out = out_dir / "statement.pdf"
    written = build(market, "merchant-statement", MONTH, out, market.barber)
    text = text_of(out)
    assert written.pages == 1
    assert "商户服务对账单" in text and "老街理发店" in text and "王师傅" in text
    assert "张*明" in text and "张三明" not in text
    assert text.count("理发一次") == 4  # the service listed, two lines, one total
    assert "已撤销" in text and "洗车" not in text
    assert BARBER_PHONE not in text
    totals = _numbers(out, "合计")
    assert totals[:3] == [1, 1, 10]  # counted, cancelled, points
    assert norm("商户（签字盖章）") in text and "服务站经办人" in text
    with market.db.read() as session:
        rows = shop_prints.service_totals(shop_prints.merchant_lines(session, market.barber, TODAY, TODAY))
    assert [(r.service, r.quantity, r.cancelled, r.points) for r in rows] == [("理发一次", 1, 1, 10)]


def test_a_merchant_statement_needs_a_merchant(market: Market, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="商户编号"):
        build(market, "merchant-statement", MONTH, out_dir / "x.pdf")
    with pytest.raises(NotFound, match="没有编号为 99 的联盟商户"):
        build(market, "merchant-statement", MONTH, out_dir / "x.pdf", 99)


def test_a_quiet_month_is_still_a_statement(market: Market, out_dir: Path) -> None:
    earlier = points.month_of(TODAY.replace(day=1) - dt.timedelta(days=1))
    out = out_dir / "quiet.pdf"
    build(market, "merchant-statement", earlier, out, market.barber)
    assert "没有居民兑换老街理发店的服务" in text_of(out)


# ------------------------------------------------------------------ the registry


def test_the_shop_prints_are_registered() -> None:
    assert reports.REPORTS["redemption-slip"].record == "redemption"
    assert reports.REPORTS["merchant-statement"].record == "merchant"
    assert reports.REPORTS["donor-thanks"].public and not reports.REPORTS["stock-ledger"].public
    assert reports.default_file_name("redemption-slip", "", record_id=12) == "兑换凭证-DH000012.pdf"
    assert reports.default_file_name("stock-ledger", "2026h2") == "积分超市库存台账-2026-H2.pdf"
    assert reports.default_file_name("merchant-statement", "2026-11", "老街理发店") == "商户服务对账单-老街理发店-2026-11.pdf"


def test_make_takes_the_record(market: Market, out_dir: Path) -> None:
    with market.db.read() as session:
        path = reports.make(session, "redemption-slip", "", out_dir / "slip.pdf", record_id=market.third)
    assert "李四" in text_of(path)
