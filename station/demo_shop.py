"""A year of the points supermarket (积分超市) for the demo compound: the alliance's merchants, the shelf,
stock coming in from every source, a year of redemptions, a stock-take, a write-off, a cancellation and the
star families' vouchers.

The shelf goes up through the shop services. The year is planned first, against the points each resident
and household could spend at each moment, the stock on the shelf and the services' monthly quotas, then
written: the earlier days as bulk inserts that repeat, row for row, what ``shop.stock_in`` and
``shop.redeem`` write (points debit and its approval, redemption, lines, stock movements, audit lines, at
the plan's times); the last day through the services themselves, with the desk's stock-take, write-off and
a cancellation. tests/test_demo_shop.py writes part of the year both ways and compares.

It runs before the months are closed: a debit is an entry of its month, and a closed month takes none.
A redemption spends only points approved before it, less every deduction of the year (even later ones),
so no balance that spent points ever goes below zero.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.models import (
    AuditEntry,
    Base,
    Building,
    Household,
    PointEntry,
    PointReview,
    Redemption,
    RedemptionLine,
    Resident,
    ShopItem,
    StarRating,
    StockMove,
    Unit,
    Voucher,
)
from station import audit, points, shop
from station.demo_points import demo_accounts, demo_months
from station.demo_volunteer import _audit_row, demo_now
from station.shop import BasketLine
from station.validation import clean_text

# (name, contact, phone, services, note, [(service, points, unit, monthly quota or None)])
MERCHANTS: tuple[tuple[str, str, str, str, str, tuple[tuple[str, int, str, int | None], ...]], ...] = (
    ("洁亮洗车行", "刘师傅", "13991230101", "洗车", "北门外50米，凭兑换凭证洗车",
     (("洗车一次（小型车）", 15, "次", 20),)),
    ("安心家政服务社", "陈女士", "13991230102", "家政", "提前一天电话预约",
     (("家政保洁2小时", 40, "次", 6),)),
    ("老街理发店", "王师傅", "13991230103", "理发", "行动不便的老人可上门",
     (("理发一次", 10, "次", 30), ("老人上门理发", 15, "次", 8))),
    ("顺达电动车维修", "赵师傅", "13991230104", "补胎", "",
     (("电动车补胎", 8, "次", None),)),
    ("幸福里长者食堂", "孙经理", "13991230105", "餐券、课程体验", "午餐11:00-12:30",
     (("长者食堂午餐券", 10, "张", 40), ("老年书法体验课", 20, "次", 10))),
)

# (name, points, category, unit, low-stock threshold, batch, [(source, donor)]) — sources taken in turn
EGGS = "鸡蛋（15枚）"
GOODS: tuple[tuple[str, int, str, str, int, int, tuple[tuple[str, str], ...]], ...] = (
    ("食用油（5升）", 45, "粮油", "桶", 3, 10, (("政府支持", ""), ("居民众筹", "3栋居民"))),
    ("大米（10斤）", 30, "粮油", "袋", 4, 12, (("政府支持", ""), ("采购", ""))),
    ("挂面（1千克）", 8, "粮油", "把", 8, 30, (("政府支持", ""), ("商户捐赠", "幸福超市"))),
    (EGGS, 15, "副食", "盒", 6, 20, (("采购", ""),)),
    ("酱油（500毫升）", 8, "副食", "瓶", 6, 24, (("商户捐赠", "幸福超市"), ("采购", ""))),
    ("洗衣液（2千克）", 20, "日用品", "瓶", 5, 20, (("采购", ""), ("居民众筹", "5栋居民"))),
    ("洗洁精", 8, "日用品", "瓶", 8, 30, (("商户捐赠", "幸福超市"),)),
    ("牙膏", 8, "日用品", "支", 8, 30, (("商户捐赠", "老街药房"), ("采购", ""))),
    ("毛巾", 10, "日用品", "条", 8, 30, (("商户捐赠", "老街药房"), ("居民众筹", "楼栋长们"))),
    ("抽纸（6包）", 12, "日用品", "提", 8, 24, (("采购", ""), ("商户捐赠", "华联便利店"))),
    ("香皂", 5, "日用品", "块", 10, 40, (("商户捐赠", "老街药房"),)),
    ("雨伞", 25, "生活用品", "把", 3, 12, (("商户捐赠", "华联便利店"),)),
    ("保温杯", 30, "生活用品", "个", 3, 8, (("居民众筹", "3栋居民"), ("采购", ""))),
    ("环保购物袋", 5, "生活用品", "个", 10, 50, (("政府支持", ""),)),
    ("电蚊香液", 10, "生活用品", "瓶", 5, 20, (("采购", ""),)),
)
# How often an item is chosen when it can be (eggs, oil and rice go first).
POPULAR = {EGGS: 4.0, "食用油（5升）": 2.5, "大米（10斤）": 2.5, "洗衣液（2千克）": 2.0, "抽纸（6包）": 2.0,
           "理发一次": 2.5, "长者食堂午餐券": 2.5, "洗车一次（小型车）": 1.5}

CANCEL_REASON = "兑换时登记错了人，撤销后重新办理"
STOCK_TAKE_REASON = "月底盘点实际比账面少1条，经查系兑换时多发"
WRITE_OFF_REASON = "运输途中破损"


# ------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class Delivery:
    """Goods coming in (入库), as ``shop.stock_in`` takes them."""

    at: dt.datetime
    staff_id: int
    item_id: int
    quantity: int
    source: str
    donor: str = ""
    note: str = ""


@dataclass(frozen=True)
class Basket:
    """A redemption (兑换) by a resident, or by a whole household (``resident_id`` None)."""

    at: dt.datetime
    staff_id: int
    resident_id: int | None
    household_id: int
    lines: tuple[tuple[int, int], ...]  # (item id, quantity)


Event = Delivery | Basket


@dataclass
class _Item:
    id: int
    name: str
    price: int
    kind: str
    low_stock: int | None
    quota: int | None
    batch: int = 0
    sources: tuple[tuple[str, str], ...] = ()
    turn: int = 0


@dataclass
class _Spendable:
    """Approved points of one resident or household: the positive ones by the time they were approved,
    the negative ones all together (a later deduction is already kept back)."""

    times: list[dt.datetime] = field(default_factory=list)
    running: list[int] = field(default_factory=list)
    negative: int = 0
    spent: int = 0

    def at(self, moment: dt.datetime) -> int:
        count = bisect.bisect_left(self.times, moment)
        return (self.running[count - 1] if count else 0) + self.negative - self.spent


def _spendable(session: Session) -> tuple[dict[int, _Spendable], dict[int, _Spendable]]:
    """Per resident and per household: what they could spend at any moment of the year."""
    residents: dict[int, _Spendable] = {}
    households: dict[int, _Spendable] = {}
    rows = session.execute(
        select(PointReview.resident_id, PointReview.household_id, PointReview.points, PointReview.reviewed_at)
        .where(PointReview.decision == "approved").order_by(PointReview.reviewed_at, PointReview.id))
    for resident_id, household_id, value, at in rows:
        for book in ([households.setdefault(household_id, _Spendable())]
                     + ([residents.setdefault(resident_id, _Spendable())] if resident_id is not None else [])):
            if value < 0:
                book.negative += value
            else:
                book.times.append(at)
                book.running.append((book.running[-1] if book.running else 0) + value)
    return residents, households


class Planner:
    """Plans the year's deliveries and redemptions, keeping stock, quotas and balances true at every moment."""

    def __init__(self, session: Session, rng: random.Random, items: dict[str, _Item], recorders: Sequence[int],
                 today: dt.date, now: dt.datetime) -> None:
        self.rng, self.items, self.recorders, self.today, self.now = rng, items, list(recorders), today, now
        self.by_id = {item.id: item for item in items.values()}
        self.stock: dict[int, int] = {item.id: 0 for item in items.values() if item.kind == "goods"}
        self.used: dict[tuple[int, str], int] = {}
        self.residents, self.households = _spendable(session)
        self.people = [(rid, hid) for rid, hid in session.execute(
            select(Resident.id, Resident.household_id).where(Resident.moved_out_on.is_(None))
            .order_by(Resident.id)) if rid in self.residents]
        self.homes = sorted(self.households)
        self.events: list[Event] = []
        # The eggs' purchase is late at the end of the year: the shelf shows them running low.
        self.late = dt.datetime.combine(now.date() - dt.timedelta(days=35), dt.time())

    def _clerk(self) -> int:
        return self.recorders[-1] if self.rng.random() < 0.8 else self.recorders[0]

    def deliver(self, at: dt.datetime, item: _Item, quantity: int | None = None) -> None:
        source, donor = item.sources[item.turn % len(item.sources)]
        item.turn += 1
        count = quantity or item.batch
        note = "街道积分超市物资" if source == "政府支持" else "积分超市经费采购" if source == "采购" else ""
        self.events.append(Delivery(at, self._clerk(), item.id, count, source, donor, note))
        self.stock[item.id] += count

    def restock(self, at: dt.datetime) -> None:
        """Goods at or below their threshold are stocked again (the eggs not at the end of the year)."""
        for item in self.items.values():
            if item.kind != "goods" or self.stock[item.id] > (item.low_stock or 0):
                continue
            if item.name == EGGS and at >= self.late:
                continue
            self.deliver(at, item)

    def _choices(self, at: dt.datetime, budget: int) -> list[_Item]:
        month = points.month_of(at.date())
        found = []
        for item in self.items.values():
            if item.price > budget:
                continue
            if item.kind == "goods" and self.stock[item.id] <= 0:
                continue
            if item.quota is not None and self.used.get((item.id, month), 0) >= item.quota:
                continue
            found.append(item)
        return found

    def basket(self, at: dt.datetime, resident_id: int | None, household_id: int, available: int) -> Basket | None:
        """What one person takes with what they can spend: one to three things, rarely all of it."""
        budget = max(5, int(available * self.rng.uniform(0.45, 1.0)))
        month = points.month_of(at.date())
        lines: dict[int, int] = {}
        total = 0
        eggs = self.items[EGGS]
        # At the end of the year the eggs' purchase is late and everyone asks for them.
        first = eggs if at >= self.late and self.stock[eggs.id] > (eggs.low_stock or 0) else None
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
            choices = [item for item in self._choices(at, budget - total) if item.id not in lines]
            if not choices:
                break
            item = first if first in choices else self.rng.choices(choices, [POPULAR.get(i.name, 1.0)
                                                                              for i in choices])[0]
            first = None
            most = (budget - total) // item.price
            if item.kind == "goods":
                most = min(most, self.stock[item.id])
            if item.quota is not None:
                most = min(most, item.quota - self.used.get((item.id, month), 0))
            count = 1 if most <= 1 or item.price > 12 or self.rng.random() < 0.7 else 2
            lines[item.id] = count
            total += count * item.price
            if item.kind == "goods":
                self.stock[item.id] -= count
            if item.quota is not None:
                self.used[(item.id, month)] = self.used.get((item.id, month), 0) + count
        if not lines:
            return None
        self.households[household_id].spent += total
        if resident_id is not None:
            self.residents[resident_id].spent += total
        return Basket(at, self._clerk(), resident_id, household_id, tuple(lines.items()))

    def _desk_times(self, first: dt.date, last: dt.date, count: int) -> list[dt.datetime]:
        """``count`` moments in the desk's hours (weekdays and Saturday mornings) between the days, before now."""
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        days = [day for day in days if day.weekday() < 6]
        times = []
        for _ in range(count if days else 0):
            day = self.rng.choice(days)
            morning = day.weekday() == 5 or self.rng.random() < 0.55
            minute = self.rng.randrange(9 * 60, 11 * 60 + 30) if morning else self.rng.randrange(14 * 60 + 30, 17 * 60)
            moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
            if moment < self.now:
                times.append(moment)
        return sorted(times)

    def year(self, months: Sequence[str]) -> list[Event]:
        first_day = points.month_bounds(months[0])[0]
        opening = dt.datetime.combine(first_day + dt.timedelta(days=2), dt.time(10, 0))
        for item in self.items.values():
            if item.kind == "goods":
                self.deliver(opening, item, item.batch * 2 if item.batch <= 12 else item.batch)
        for index, month in enumerate(months):
            first, last = points.month_bounds(month)
            last = min(last, self.today)
            delivery_day = dt.datetime.combine(first + dt.timedelta(days=3), dt.time(10, 30))
            if index and delivery_day < self.now:
                self.restock(delivery_day)
            if index == 0:
                continue  # the first month's points are still being reviewed
            start = first + dt.timedelta(days=4)
            if start > last:
                continue
            wanted = 30 + self.rng.randrange(12)
            if last < points.month_bounds(month)[1]:  # the month under way
                wanted = wanted * ((last - start).days + 1) // 27
            mid: dt.datetime | None = dt.datetime.combine(first + dt.timedelta(days=16), dt.time(10, 30))
            for moment in self._desk_times(start, last, wanted):
                if mid is not None and moment >= mid:
                    self.restock(mid)
                    mid = None
                if moment >= self.late:
                    self.restock(moment)  # the eggs stay late
                self._one(moment)
            if mid is not None and mid < self.now:
                self.restock(mid)
        return sorted(self.events, key=lambda event: (event.at, isinstance(event, Basket)))

    def _one(self, moment: dt.datetime) -> None:
        """Someone who can spend comes to the desk: a resident, or now and then a whole household; those who
        saved up come more often."""
        found: list[tuple[int, int | None, int]] = []
        for _ in range(10):
            if self.rng.random() < 0.25:
                household_id = self.rng.choice(self.homes)
                available = self.households[household_id].at(moment)
                resident_id = None
            else:
                resident_id, household_id = self.rng.choice(self.people)
                available = min(self.residents[resident_id].at(moment), self.households[household_id].at(moment))
            if available >= 10:
                found.append((available, resident_id, household_id))
            if len(found) == 4:
                break
        if not found:
            return
        available, resident_id, household_id = max(found, key=lambda f: f[0]) if self.rng.random() < 0.5 else found[0]
        planned = self.basket(moment, resident_id, household_id, available)
        if planned is not None:
            self.events.append(planned)


# ------------------------------------------------------------------ recording


class ShopReplica:
    """Writes what ``shop.stock_in`` and ``shop.redeem`` write, row for row, as bulk inserts.

    Times are the plan's rather than the clock's. ``write`` inserts the points debits and their
    approvals, the redemptions and their lines, the stock movements (in the plan's order, so the
    database's never-below-zero check passes row by row) and the audit lines.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.items = {item.id: item for item in session.scalars(select(ShopItem))}
        self.entries: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.redemptions: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.moves: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.next_entry = int(session.scalar(select(func.max(PointEntry.id))) or 0) + 1
        self.next_redemption = int(session.scalar(select(func.max(Redemption.id))) or 0) + 1
        self.next_move = int(session.scalar(select(func.max(StockMove.id))) or 0) + 1
        self.names = dict(session.execute(select(Resident.id, Resident.name)).all())
        self.places = {hid: f"{b}栋{u}单元{room}全户" for hid, b, u, room in session.execute(
            select(Household.id, Building.number, Unit.number, Household.room)
            .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id))}

    def add(self, event: Event) -> int:
        return self.stock_in(event) if isinstance(event, Delivery) else self.redeem(event)

    def _move(self, at: dt.datetime, staff_id: int, item: ShopItem, kind: str, quantity: int, summary: str,
              source: str = "", donor: str = "", reason: str = "", redemption_id: int | None = None) -> int:
        """``shop._move``."""
        move_id, self.next_move = self.next_move, self.next_move + 1
        self.moves.append({"id": move_id, "item_id": item.id, "kind": kind, "quantity": quantity, "source": source,
                           "donor": donor, "reason": reason, "redemption_id": redemption_id, "moved_at": at,
                           "recorded_by": staff_id})
        self.audits.append(_audit_row(at, staff_id, kind, "stock_move", move_id, summary,
                                      {"item": item.name, "quantity": quantity, "source": source, "donor": donor,
                                       "reason": reason}))
        return move_id

    def stock_in(self, delivery: Delivery) -> int:
        """``shop.stock_in``."""
        item = self.items[delivery.item_id]
        donor = clean_text(delivery.donor)
        count = delivery.quantity
        return self._move(delivery.at, delivery.staff_id, item, "in", count,
                          f"入库：{item.name} {count}{item.unit}（{delivery.source}）", source=delivery.source,
                          donor=donor[:100], reason=clean_text(delivery.note))

    def redeem(self, basket: Basket) -> int:
        """``shop.redeem``: the debit, its approval, the redemption, its lines, the goods out, the audit line."""
        at, staff_id, rid, hid = basket.at, basket.staff_id, basket.resident_id, basket.household_id
        merged: dict[int, int] = {}
        for item_id, count in basket.lines:
            merged[item_id] = merged.get(item_id, 0) + count
        priced = [(self.items[item_id], count) for item_id, count in merged.items()]
        total = sum(item.price * count for item, count in priced)
        name = self.names[rid] if rid is not None else self.places[hid]
        summary = "、".join(f"{item.name}×{count}" for item, count in priced)
        day = at.date()
        entry_id, self.next_entry = self.next_entry, self.next_entry + 1
        self.entries.append({"id": entry_id, "kind": "redemption", "resident_id": rid, "household_id": hid,
                             "item_id": None, "points": -total, "deed_date": day, "note": f"积分兑换：{summary}"[:200],
                             "reverses_id": None, "recorded_by": staff_id, "recorded_at": at})
        self.reviews.append({"entry_id": entry_id, "decision": "approved", "reason": "兑换即时生效",
                             "reviewed_by": staff_id, "reviewed_at": at, "resident_id": rid, "household_id": hid,
                             "points": -total, "deed_date": day, "kind": "redemption"})
        redemption_id, self.next_redemption = self.next_redemption, self.next_redemption + 1
        self.redemptions.append({"id": redemption_id, "resident_id": rid, "household_id": hid, "points": total,
                                 "entry_id": entry_id, "redeemed_at": at, "recorded_by": staff_id})
        self.lines += [{"redemption_id": redemption_id, "item_id": item.id, "quantity": count, "price": item.price}
                       for item, count in priced]
        for item, count in priced:
            if item.kind == "goods":
                self._move(at, staff_id, item, "out", -count, f"兑换出库：{item.name} {count}{item.unit}（{name}）",
                           redemption_id=redemption_id)
        self.audits.append(_audit_row(at, staff_id, "redeem", "redemption", redemption_id,
                                      f"积分兑换：{name} {summary}，{total}分",
                                      {"resident_id": rid, "household_id": hid, "points": total, "items": summary}))
        return redemption_id

    def write(self) -> None:
        """Insert everything gathered, each table after the ones it names."""
        for model, rows in ((PointEntry, self.entries), (PointReview, self.reviews), (Redemption, self.redemptions),
                            (RedemptionLine, self.lines), (StockMove, self.moves), (AuditEntry, self.audits)):
            if rows:
                self.session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)
            rows.clear()


def through_services(session: Session, event: Event) -> int:
    """Record one planned event the way the desk does, through the shop services."""
    if isinstance(event, Delivery):
        return shop.stock_in(session, event.staff_id, event.item_id, str(event.quantity), event.source, event.donor,
                             event.note)
    lines = [BasketLine(item_id, count) for item_id, count in event.lines]
    if event.resident_id is not None:
        return shop.redeem(session, event.staff_id, lines, resident_id=event.resident_id, today=event.at.date())
    return shop.redeem(session, event.staff_id, lines, household_id=event.household_id, today=event.at.date())


# ------------------------------------------------------------------ the shelf and the year


def make_shelf(session: Session, admin_id: int) -> dict[str, _Item]:
    """The alliance's merchants and the shelf, through the services. Returns the items by name."""
    found: dict[str, _Item] = {}
    for name, contact, phone, services, note, offers in MERCHANTS:
        merchant = shop.save_merchant(session, admin_id, name, contact, phone, services, note)
        for service, price, unit, quota in offers:
            item_id = shop.save_item(session, admin_id, shop.ItemInput(
                service, str(price), "service", "商家服务", unit, merchant, str(quota or "")))
            found[service] = _Item(item_id, service, price, "service", None, quota)
    for name, price, category, unit, low, batch, sources in GOODS:
        item_id = shop.save_item(session, admin_id, shop.ItemInput(name, str(price), "goods", category, unit,
                                                                   low_stock=str(low)))
        found[name] = _Item(item_id, name, price, "goods", low, None, batch, sources)
    return found


@dataclass(frozen=True)
class ShopYear:
    """What ``generate_shop`` made."""

    deliveries: int
    redemptions: int
    cancelled: int | None  # the cancelled redemption
    low: str  # the item left at or below its threshold


def generate_shop(session: Session, admin_id: int, today: dt.date, now: dt.datetime | None = None,
                  seed: int = 2026, services_from: dt.datetime | None = None) -> ShopYear:
    """The merchants, the shelf and a year of stock and redemptions up to ``now``; then the desk's day:
    a stock-take that finds one missing, a write-off and a cancelled redemption.

    Runs after the year's points are reviewed and before the months are closed. Events from
    ``services_from`` (default: the start of ``today``) go through the services, earlier ones in bulk.
    """
    now = now or demo_now(today)
    services_from = services_from or dt.datetime.combine(today, dt.time())
    rng = random.Random(seed)
    recorders, auditors = demo_accounts(session, admin_id)
    items = make_shelf(session, admin_id)
    plan = Planner(session, rng, items, recorders, today, now).year(demo_months(today))
    replica = ShopReplica(session)
    written: list[tuple[Event, int]] = []
    for event in plan:
        if event.at < services_from:
            written.append((event, replica.add(event)))
    replica.write()
    for event in plan:
        if event.at >= services_from:
            written.append((event, through_services(session, event)))
    baskets = [(event, rid) for event, rid in written if isinstance(event, Basket)]

    # The desk's day, through the services: a redemption of the last days was registered to the wrong
    # person and is cancelled by an auditor; the towels are counted; some eggs came in broken.
    clerk = recorders[-1]
    goods = {item.id for item in items.values() if item.kind == "goods"}
    recent = [rid for event, rid in baskets if event.at <= now - dt.timedelta(days=2)
              and any(item_id in goods for item_id, _count in event.lines)]
    cancelled = recent[-1] if recent else None
    if cancelled is not None:
        shop.cancel_redemption(session, auditors[0], cancelled, CANCEL_REASON, today)
    towels = items["毛巾"].id
    counted = shop.on_hand(session, [towels]).get(towels, 0)
    if counted > 0:
        shop.stock_take(session, clerk, towels, str(counted - 1), STOCK_TAKE_REASON)
    eggs, noodles = items[EGGS], items["挂面（1千克）"]
    stock = shop.on_hand(session, [eggs.id, noodles.id])
    if stock.get(eggs.id, 0) >= 2:
        shop.write_off(session, clerk, eggs.id, "2", WRITE_OFF_REASON)
    elif stock.get(noodles.id, 0) >= 2:
        shop.write_off(session, clerk, noodles.id, "2", "受潮")
    left = shop.on_hand(session, [eggs.id]).get(eggs.id, 0)
    if left > (eggs.low_stock or 0) and not any(row.low for row in shop.shelf(session, today=today)):
        # Should the eggs not have run low by themselves: the rest of the damaged batch.
        shop.write_off(session, clerk, eggs.id, str(left - (eggs.low_stock or 0)), WRITE_OFF_REASON)
    audit.record(session, admin_id, "demo", "redemption", None,
                 f"示例积分超市：{len(items)}种物品和服务，{len(written) - len(baskets)}次入库，{len(baskets)}次兑换")
    return ShopYear(len(written) - len(baskets), len(baskets), cancelled, EGGS)


def hand_out_vouchers(session: Session, admin_id: int, period: str | None, seed: int = 2026) -> tuple[int, int]:
    """The rated half-year's star-family vouchers issued, and most of them handed over to the families.

    Returns (issued, handed over).
    """
    if period is None or session.scalar(select(StarRating.household_id).where(StarRating.period == period)
                                        .limit(1)) is None:
        return 0, 0
    rng = random.Random(seed)
    recorders, _auditors = demo_accounts(session, admin_id)
    issued = shop.issue_vouchers(session, admin_id, period)
    rows = session.execute(select(Voucher.id, Voucher.household_id).where(Voucher.period == period)
                           .order_by(Voucher.id)).all()
    heads = points.heads(session, [hid for _vid, hid in rows])
    handed = 0
    for voucher_id, household_id in rows:
        receiver = heads.get(household_id)
        if receiver and rng.random() < 0.85:
            shop.hand_over(session, recorders[-1], voucher_id, receiver)
            handed += 1
    return issued, handed
