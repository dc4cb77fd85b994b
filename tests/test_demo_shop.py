"""The demo's points supermarket: merchants and shelf, a year of stock and redemptions, the desk's day, vouchers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from db.engine import Database
from db.migrate import open_database
from db.models import (
    Merchant,
    PointEntry,
    Redemption,
    RedemptionCancel,
    RedemptionLine,
    ShopItem,
    StockMove,
)
from station import (
    demo,
    demo_points,
    demo_shop,
    demo_volunteer,
    onboarding,
    points,
    reports,
    shop,
)
from station.reports import shop_prints
from station.validation import clean

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 10, 0)
SIZE = demo.DemoSize(households=60, residents=150)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("demo-shop")
    database = open_database(folder / "station.sqlite3", folder / "backups")
    with database.write() as session:
        demo.load_demo(session, SIZE, today=TODAY)
    yield database
    database.close()


def test_the_shelf_has_goods_and_the_merchants_services(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = shop.shelf(session, today=TODAY)
        merchants = shop.merchants(session)
        sources = dict(session.execute(select(StockMove.source, func.count()).where(StockMove.kind == "in")
                                       .group_by(StockMove.source)).all())
        gifts = session.execute(select(StockMove.source, StockMove.donor)
                                .where(StockMove.source.in_(("商户捐赠", "居民众筹")))).all()
    goods = [r for r in rows if r.kind == "goods"]
    services = [r for r in rows if r.kind == "service"]
    assert 12 <= len(goods) <= 20 and len(services) >= 5
    assert 4 <= len(merchants) <= 5 and all(m.services and m.phone for m in merchants)
    assert {r.merchant for r in services} == {m.name for m in merchants}
    assert any(r.monthly_quota for r in services) and any(r.monthly_quota is None for r in services)
    assert all(5 <= r.price <= 80 for r in rows)
    assert all(r.low_stock is not None for r in goods)
    assert set(sources) == set(shop.SOURCES)
    assert gifts and all(donor for _source, donor in gifts)
    assert {"幸福超市", "3栋居民"} <= {donor for _source, donor in gifts}


def test_stock_never_goes_below_zero(demo_db: Database) -> None:
    with demo_db.read() as session:
        moves = session.execute(select(StockMove.item_id, StockMove.quantity)
                                .order_by(StockMove.moved_at, StockMove.id)).all()
        on_hand = shop.on_hand(session)
    running: dict[int, int] = defaultdict(int)
    for item_id, quantity in moves:
        running[item_id] += quantity
        assert running[item_id] >= 0
    assert dict(running) == on_hand and len(on_hand) >= 12


def test_a_year_of_redemptions_within_the_quotas(demo_db: Database) -> None:
    first = points.month_bounds(demo_points.demo_months(TODAY)[0])[0]
    with demo_db.read() as session:
        rows = session.execute(select(Redemption.redeemed_at, Redemption.resident_id, Redemption.points,
                                      PointEntry.deed_date, PointEntry.points)
                               .join(PointEntry, PointEntry.id == Redemption.entry_id)).all()
        used = session.execute(
            select(ShopItem.monthly_quota, func.substr(Redemption.redeemed_at, 1, 7), func.sum(RedemptionLine.quantity))
            .join(RedemptionLine, RedemptionLine.item_id == ShopItem.id)
            .join(Redemption, Redemption.id == RedemptionLine.redemption_id)
            .where(ShopItem.monthly_quota.is_not(None), Redemption.id.not_in(select(RedemptionCancel.redemption_id)))
            .group_by(ShopItem.id, func.substr(Redemption.redeemed_at, 1, 7))).all()
    assert len(rows) > 150
    assert all(first <= at.date() <= TODAY for at, *_rest in rows)
    assert len({at.strftime("%Y-%m") for at, *_rest in rows}) >= 11
    assert all(day == at.date() and debit == -spent for at, _who, spent, day, debit in rows)
    assert sum(who is None for _at, who, *_rest in rows) > 10  # whole households too
    assert all(count <= quota for quota, _month, count in used)


def test_spending_never_overdraws(demo_db: Database) -> None:
    """Right after every redemption, and now, nobody who spent has less than nothing."""
    with demo_db.read() as session:
        spenders = session.execute(select(Redemption.id, Redemption.resident_id, Redemption.household_id)).all()
        after = {rid: shop_prints.slip(session, rid).balance_after for rid, _r, _h in spenders}
        residents = points.balances(session, "resident", [r for _i, r, _h in spenders if r is not None])
        households = points.balances(session, "household", [h for _i, _r, h in spenders])
    assert min(after.values()) >= 0
    assert min(residents.values()) >= 0 and min(households.values()) >= 0
    assert max(after.values()) > 0


def test_the_desk_day(demo_db: Database) -> None:
    with demo_db.read() as session:
        low = [row for row in shop.shelf(session, today=TODAY) if row.low]
        (cancel,) = session.scalars(select(RedemptionCancel)).all()
        refund = session.get(PointEntry, cancel.entry_id)
        kinds = dict(session.execute(select(StockMove.kind, func.count()).group_by(StockMove.kind)).all())
        cancelled = [row for row in shop.redemptions(session, limit=5000) if row.cancelled]
    assert low and clean(demo_shop.EGGS) in {row.name for row in low}  # names are stored cleaned: "鸡蛋(15枚)"
    assert refund is not None and refund.points > 0 and refund.deed_date == TODAY
    assert cancel.reason == demo_shop.CANCEL_REASON and len(cancelled) == 1
    assert kinds["adjust"] == 1 and kinds["write_off"] == 1 and kinds["cancel"] >= 1 and kinds["out"] > 150


def test_the_rated_half_years_vouchers_are_issued_and_most_handed_over(demo_db: Database) -> None:
    with demo_db.read() as session:
        rated = [row for row in points.ratings(session, "2026-H1") if row.voucher > 0]
        issued = shop.vouchers(session, "2026-H1")
    assert rated and len(issued) == len(rated)
    handed = [v for v in issued if v.handed_at is not None]
    assert 0.6 * len(issued) <= len(handed) < len(issued)
    assert all(v.receiver for v in handed)


def test_the_demo_prints(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as session:
        barber = session.scalar(select(Merchant.id).where(Merchant.name == "老街理发店"))
        latest = session.scalar(select(func.max(Redemption.id)))
        pages = {
            name: reports.build(session, name, period, tmp_path / f"{name}.pdf", TODAY, record_id=record).pages
            for name, period, record in (("stock-ledger", "2026", None), ("donor-thanks", "2026", None),
                                         ("merchant-statement", "2026-10", barber),
                                         ("redemption-slip", "", latest))
        }
    assert pages["redemption-slip"] == 1 and pages["stock-ledger"] <= 2
    assert all(count >= 1 for count in pages.values())


# ------------------------------------------------------------------ the bulk year is what the services write


def _shop_year(folder: Path, services_from: dt.datetime | None) -> Database:
    database = open_database(folder / "station.sqlite3", folder / "backups")
    with database.write() as session:
        staff_id = onboarding.set_up(session, demo.DEMO_STATION, demo.DEMO_STAFF)
        demo.generate(session, staff_id, SIZE, today=TODAY)
        demo_volunteer.generate_volunteering(session, staff_id, TODAY, now=NOW)
        demo_points.generate_points(session, staff_id, TODAY)
        demo_shop.generate_shop(session, staff_id, TODAY, now=NOW, services_from=services_from)
    return database


def _tables(database: Database) -> dict[str, Any]:
    """What the two ways must agree on: every row, but the clock's times."""
    tables = ("point_entries", "point_reviews", "redemptions", "redemption_lines", "redemption_cancellations",
              "stock_moves")
    clock = {"recorded_at", "reviewed_at", "redeemed_at", "moved_at", "cancelled_at"}
    found: dict[str, Any] = {}
    with database.read() as session:
        for table in tables:
            result = session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            keys = [k for k in result.keys() if k not in clock]  # noqa: SIM118 - a Result, not a dict
            found[table] = [tuple(row._mapping[k] for k in keys) for row in result]
        found["audit_log"] = sorted(session.execute(text(
            "SELECT staff_id, action, entity, entity_id, summary, coalesce(before, ''), coalesce(after, '') "
            "FROM audit_log")).all())
    return found


def test_the_bulk_year_is_what_the_services_write(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "bulk").mkdir()
    # The last three weeks through the services in one, in bulk in the other.
    through_services = _shop_year(tmp_path / "services", NOW - dt.timedelta(days=21))
    in_bulk = _shop_year(tmp_path / "bulk", None)
    try:
        served, copied = _tables(through_services), _tables(in_bulk)
        with in_bulk.read() as session:  # at the plan's times: these went through the services in the other
            recent = session.scalar(select(func.count()).select_from(Redemption).where(
                Redemption.redeemed_at >= NOW - dt.timedelta(days=21), Redemption.redeemed_at < NOW))
        assert recent and recent > 10 and len(served["redemptions"]) > 150
        assert len(served["stock_moves"]) > 100 and served["redemption_cancellations"]
        for table in served:
            assert served[table] == copied[table], table
    finally:
        through_services.close()
        in_bulk.close()
