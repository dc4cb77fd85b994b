"""Points supermarket services: stock ledger, redemption in one transaction, no overdraw, cancellation, vouchers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from db.engine import Database
from db.migrate import open_database
from db.models import PointEntry, Redemption, StockMove
from station import compound, points, residents, shop, staff
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import EntryInput, ItemInput, LedgerQuery
from station.residents import ResidentInput
from station.shop import BasketLine
from station.vocab import AUDITOR, CLERK

# Redemptions and stock movements are stamped with the clock: the quota month and the ledger day are today's.
TODAY = dt.date.today()


@dataclass
class Shop:
    db: Database
    admin: int
    clerk: int
    auditor: int
    zhang: int
    wife: int
    li: int
    household: int
    oil: int  # 食用油, goods
    soap: int  # 洗衣皂, goods
    haircut: int  # 理发, a merchant's service with a quota

    def give(self, resident: int, value: int) -> None:
        """Approved points for a resident."""
        with self.db.write() as session:
            item = points.add_item(session, self.admin, ItemInput("测试", f"测试{resident}-{value}", str(value)))
            entry = points.record(session, self.clerk, EntryInput(item, resident, None, f"{TODAY:%Y-%m-%d}"), TODAY)
            points.review(session, self.auditor, [entry], approve=True)

    def stock(self, item: int) -> int:
        with self.db.read() as session:
            return shop.on_hand(session, [item]).get(item, 0)

    def balance(self, resident: int) -> int:
        with self.db.read() as session:
            return points.balances(session, "resident", [resident]).get(resident, 0)


@pytest.fixture
def market(database: Database, staff_id: int) -> Iterator[Shop]:
    with database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        h1 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        h2 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        zhang = residents.add_resident(session, staff_id, ResidentInput("张三明", h1, "男", "1956-03-02",
                                                                         relation="户主"))
        wife = residents.add_resident(session, staff_id, ResidentInput("刘芳", h1, "女", "1958-05-01",
                                                                        relation="配偶"))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", h2, "男", "1970-01-01", relation="户主"))
        barber = shop.save_merchant(session, staff_id, "老街理发店", "王师傅", "13912345678", "理发")
        oil = shop.save_item(session, staff_id, shop.ItemInput("食用油（5升）", "30", "goods", "粮油", "桶",
                                                               low_stock="3"))
        soap = shop.save_item(session, staff_id, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        haircut = shop.save_item(session, staff_id, shop.ItemInput("理发一次", "10", "service", "商家服务", "次",
                                                                   barber, monthly_quota="2"))
        shop.stock_in(session, staff_id, oil, "10", "政府支持")
        shop.stock_in(session, staff_id, soap, "20", "商户捐赠", "幸福超市")
    yield Shop(database, staff_id, clerk, auditor, zhang, wife, li, h1, oil, soap, haircut)


def test_a_redemption_spends_points_and_takes_stock(market: Shop) -> None:
    market.give(market.zhang, 50)
    with market.db.read() as session:
        offer = shop.quote(session, [BasketLine(market.oil), BasketLine(market.soap, 2)], market.zhang, today=TODAY)
    assert (offer.total, offer.balance_before, offer.balance_after) == (40, 50, 10)
    with market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.oil), BasketLine(market.soap, 2)], market.zhang,
                    today=TODAY)
    assert market.balance(market.zhang) == 10
    assert (market.stock(market.oil), market.stock(market.soap)) == (9, 18)
    with market.db.read() as session:
        row = next(r for r in points.ledger(session, LedgerQuery()) if r.kind == "redemption")
        assert (row.category, row.points, row.status) == ("积分兑换", -40, points.APPROVED)
        # spending does not lower what was earned: ratings and notices use earned points
        assert points.balances(session, "household", [market.household], earned=True)[market.household] == 50


@pytest.mark.parametrize(("basket", "message"), [
    ([BasketLine(2, 1)], "积分不够：需要5分"),  # soap, with no points
])
def test_not_enough_points_changes_nothing(market: Shop, basket: list[BasketLine], message: str) -> None:
    with pytest.raises(ValidationError, match=message), market.db.write() as session:
        shop.redeem(session, market.clerk, basket, market.li, today=TODAY)
    assert market.stock(market.soap) == 20


def test_not_enough_stock_a_retired_item_or_a_used_quota_are_refused(market: Shop) -> None:
    market.give(market.zhang, 500)
    with pytest.raises(ValidationError, match="库存只有10桶"), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.oil, 11)], market.zhang, today=TODAY)
    with market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.haircut, 2)], market.zhang, today=TODAY)
    with pytest.raises(ValidationError, match="本月名额只剩0个"), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.haircut)], market.zhang, today=TODAY)
    with market.db.write() as session:
        shop.set_item_active(session, market.admin, market.soap, False)
    with pytest.raises(ValidationError, match="已下架"), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.soap)], market.zhang, today=TODAY)
    assert market.balance(market.zhang) == 480 and market.stock(market.oil) == 10


def test_a_failure_midway_leaves_points_and_stock_untouched(market: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    market.give(market.zhang, 100)

    def broken(*_args: object, **_kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(shop, "_move", broken)  # the stock movement fails after the points were debited
    with pytest.raises(OSError), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.oil)], market.zhang, today=TODAY)
    assert market.balance(market.zhang) == 100 and market.stock(market.oil) == 10
    with market.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Redemption)) == 0
        assert session.scalar(select(func.count()).select_from(PointEntry).where(PointEntry.kind == "redemption")) == 0


def test_two_desks_cannot_overdraw(market: Shop, data_dir: Path) -> None:
    """Two programs on the same file redeem everything at once: one wins, the other is told."""
    market.give(market.zhang, 30)
    desks = [open_database(data_dir / "station.sqlite3", data_dir / "backups") for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(database: Database) -> None:
        start.wait()
        try:
            with database.write() as session:
                shop.redeem(session, market.clerk, [BasketLine(market.oil)], market.zhang, today=TODAY)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=desk, args=(d,)) for d in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in desks:
        database.close()
    assert outcomes.count("ok") == 1
    assert [o for o in outcomes if o != "ok"][0].startswith("积分不够")
    assert market.balance(market.zhang) == 0 and market.stock(market.oil) == 9


def test_the_household_and_the_resident_both_limit_spending(market: Shop) -> None:
    market.give(market.zhang, 20)
    market.give(market.wife, 20)
    with market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.oil)], household_id=market.household, today=TODAY)
    # the household has 10 left; 张三明's own 20 cannot spend more than that
    with pytest.raises(ValidationError, match="现有10分"), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.soap, 3)], market.zhang, today=TODAY)


def test_stock_take_and_write_off_math(market: Shop) -> None:
    with market.db.write() as session:
        assert shop.stock_take(session, market.clerk, market.oil, "10", "") is None  # agrees: nothing written
        with pytest.raises(ValidationError) as caught:
            shop.stock_take(session, market.clerk, market.oil, "8", "")
        assert "reason" in caught.value.errors
        shop.stock_take(session, market.clerk, market.oil, "8", "盘点少了两桶")
        shop.write_off(session, market.clerk, market.oil, "1", "过期")
        shop.stock_in(session, market.clerk, market.oil, "5", "居民众筹", "3栋居民")
    assert market.stock(market.oil) == 12
    with market.db.read() as session:
        moves = shop.movements(session, market.oil)
        (line,) = [line for line in shop.stock_ledger(session, TODAY, TODAY) if line.item_id == market.oil]
        low = {row.id: row.low for row in shop.shelf(session, today=TODAY)}
    assert [m.quantity for m in moves] == [10, -2, -1, 5] and moves[-1].balance == 12
    assert (line.opening, line.in_by_source["政府支持"], line.in_by_source["居民众筹"], line.out, line.adjusted,
            line.closing) == (0, 10, 5, 0, -3, 12)
    assert low == {market.oil: False, market.soap: False, market.haircut: False}
    with market.db.write() as session:
        shop.write_off(session, market.clerk, market.oil, "9", "受潮")
    with market.db.read() as session:
        assert {row.id: row.low for row in shop.shelf(session, today=TODAY)}[market.oil]  # 3 left: low


def test_the_database_refuses_stock_below_zero_and_edits(market: Shop) -> None:
    with pytest.raises(DatabaseError, match="below zero"), market.db.write() as session:
        session.execute(text(f"INSERT INTO stock_moves (item_id, kind, quantity, source, donor, reason, moved_at, "
                             f"recorded_by) VALUES ({market.oil}, 'out', -11, '', '', '', '2026-11-22', {market.clerk})"))
    with pytest.raises(DatabaseError, match="never"), market.db.write() as session:
        session.execute(text("UPDATE stock_moves SET quantity = 100"))


def test_cancellation_by_an_auditor_gives_points_and_goods_back(market: Shop) -> None:
    market.give(market.zhang, 50)
    with market.db.write() as session:
        redemption = shop.redeem(session, market.clerk, [BasketLine(market.oil), BasketLine(market.haircut)],
                                 market.zhang, today=TODAY)
    with pytest.raises(ValidationError, match="需要积分审核员"), market.db.write() as session:
        shop.cancel_redemption(session, market.clerk, redemption, "拿错了", TODAY)
    with market.db.write() as session:
        shop.cancel_redemption(session, market.auditor, redemption, "居民退回", TODAY)
    assert market.balance(market.zhang) == 50 and market.stock(market.oil) == 10
    with market.db.read() as session:
        (row,) = shop.redemptions(session)
        assert row.cancelled
        assert {r.id: r.quota_left for r in shop.shelf(session, today=TODAY)}[market.haircut] == 2
    with pytest.raises(ValidationError, match="已经撤销"), market.db.write() as session:
        shop.cancel_redemption(session, market.auditor, redemption, "再撤一次", TODAY)


def test_vouchers_are_issued_once_per_household_and_handed_over(market: Shop) -> None:
    with market.db.write() as session:
        big = points.add_item(session, market.admin, ItemInput("测试", "八十分", "80"))
        entry = points.record(session, market.clerk, EntryInput(big, market.zhang, None, "2026-03-02"), TODAY)
        points.review(session, market.auditor, [entry], approve=True)
        for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
            points.close_month(session, market.auditor, month, TODAY)
        points.rate_half_year(session, market.auditor, "2026-H1", TODAY)
        assert shop.issue_vouchers(session, market.admin, "2026-H1") == 1
        assert shop.issue_vouchers(session, market.admin, "2026-H1") == 0
        (voucher,) = shop.vouchers(session, "2026-H1")
        assert (voucher.household_id, voucher.stars, voucher.amount) == (market.household, 4, 150)
        shop.hand_over(session, market.clerk, voucher.id, "张三明")
        with pytest.raises(ValidationError, match="已经发放"):
            shop.hand_over(session, market.clerk, voucher.id, "张三明")
        assert shop.vouchers(session, "2026-H1")[0].receiver == "张三明"
    with pytest.raises(ValidationError, match="还没有评定"), market.db.write() as session:
        shop.issue_vouchers(session, market.admin, "2026-H2")


@pytest.mark.parametrize(("data", "field"), [
    (shop.ItemInput("", "5"), "name"),
    (shop.ItemInput("毛巾", "0"), "price"),
    (shop.ItemInput("毛巾", "五"), "price"),
    (shop.ItemInput("洗车", "10", "service"), "merchant"),
    (shop.ItemInput("洗衣皂", "5"), "name"),
])
def test_bad_items_are_refused(market: Shop, data: shop.ItemInput, field: str) -> None:
    with pytest.raises(ValidationError) as caught, market.db.write() as session:
        shop.save_item(session, market.admin, data)
    assert field in caught.value.errors


def test_stock_in_needs_a_known_source_and_a_donor_for_gifts(market: Shop) -> None:
    with market.db.write() as session:
        with pytest.raises(ValidationError) as caught:
            shop.stock_in(session, market.clerk, market.oil, "5", "别人送的")
        assert "source" in caught.value.errors
        with pytest.raises(ValidationError) as caught:
            shop.stock_in(session, market.clerk, market.oil, "5", "商户捐赠")
        assert "donor" in caught.value.errors
        with pytest.raises(ValidationError, match="商家服务没有库存"):
            shop.stock_in(session, market.clerk, market.haircut, "5", "采购")
    with market.db.read() as session:
        assert session.scalar(select(func.count()).select_from(StockMove)) == 2


def test_every_problem_of_a_stock_in_or_a_write_off_is_told_at_once(market: Shop) -> None:
    with market.db.write() as session:
        with pytest.raises(ValidationError) as caught:
            shop.stock_in(session, market.clerk, market.oil, "五", "", "")
        assert caught.value.errors == {"quantity": "数量请填整数", "source": "请选择来源：政府支持、商户捐赠、居民众筹、采购"}
        with pytest.raises(ValidationError) as caught:
            shop.write_off(session, market.clerk, market.oil, "11", "")
        assert caught.value.errors == {"reason": "请写明报损原因，例如 过期、破损",
                                       "quantity": "食用油(5升)现有库存10桶，报损不能超过这个数"}
    assert market.stock(market.oil) == 10


def test_a_merchant_who_left_the_alliance_offers_nothing(market: Shop) -> None:
    market.give(market.zhang, 50)
    with market.db.write() as session:
        (barber,) = [m for m in shop.merchants(session) if m.name == "老街理发店"]
        shop.save_merchant(session, market.admin, barber.name, barber.contact, barber.phone, barber.services,
                           merchant_id=barber.id, active=False)
    with pytest.raises(ValidationError, match="“理发一次”的商户已退出商家联盟，不能兑换"), market.db.write() as session:
        shop.redeem(session, market.clerk, [BasketLine(market.haircut)], market.zhang, today=TODAY)
    with market.db.read() as session:
        (row,) = [r for r in shop.shelf(session, today=TODAY) if r.id == market.haircut]
    assert not row.merchant_active and row.available == 0
    assert market.balance(market.zhang) == 50
