"""The points supermarket (积分超市): shelf items, stock as a ledger, redemptions, merchants, vouchers.

A redemption spends points and takes stock in one transaction (the caller's
``Database.write()``, which holds SQLite's write lock from its first
statement), so two desks or a double click cannot overdraw. Stock never goes
below zero: the service checks, and a trigger refuses it too. Nothing is edited:
a stock-take is an adjustment with a reason, a cancelled redemption gives the
points and the goods back with new rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.models import (
    Household,
    Merchant,
    PointEntry,
    PointReview,
    Redemption,
    RedemptionCancel,
    RedemptionLine,
    Resident,
    ShopItem,
    StarRating,
    StockMove,
    Voucher,
    VoucherHandover,
)
from station import access, audit, points
from station.errors import NotFound, ValidationError
from station.access import require_role
from station.validation import clean, clean_text, normalize_phone
from station.vocab import ADMIN, AUDITOR, STAFF_ROLES

SOURCES = ("政府支持", "商户捐赠", "居民众筹", "采购")
KINDS = {"goods": "物品", "service": "商家服务"}
SERVICES = ("洗车", "家政", "理发", "补胎", "餐券", "课程体验")


# ------------------------------------------------------------------ merchants (商家联盟)


@dataclass(frozen=True)
class MerchantView:
    id: int
    name: str
    contact: str
    phone: str
    services: str
    note: str
    active: bool


def merchants(session: Session, active_only: bool = False) -> list[MerchantView]:
    stmt = select(Merchant).order_by(Merchant.active.desc(), Merchant.id)
    if active_only:
        stmt = stmt.where(Merchant.active.is_(True))
    return [MerchantView(m.id, m.name, m.contact, m.phone or "", m.services, m.note, m.active)
            for m in session.scalars(stmt)]


def save_merchant(session: Session, staff_id: int, name: str, contact: str = "", phone: str = "",
                  services: str = "", note: str = "", merchant_id: int | None = None, active: bool = True) -> int:
    """Add a merchant to the alliance, or change one."""
    require_role(session, staff_id, access.SHELF, "修改商家联盟")
    errors: dict[str, str] = {}
    name = clean(name)
    if not name:
        errors["name"] = "请填写商户名称"
    elif len(name) > 60:
        errors["name"] = "商户名称不超过60个字"
    elif session.scalar(select(Merchant.id).where(Merchant.name == name, Merchant.id != (merchant_id or 0))):
        errors["name"] = f"已经有“{name}”了"
    number: str | None = None
    if clean(phone):
        try:
            number = normalize_phone(phone)
        except ValueError as problem:
            errors["phone"] = str(problem)
    if errors:
        raise ValidationError(errors)
    values = {"name": name, "contact": clean(contact)[:30], "phone": number, "services": clean_text(services),
              "note": clean_text(note), "active": active}
    if merchant_id is None:
        merchant = Merchant(**values)
        session.add(merchant)
        session.flush()
        audit.record(session, staff_id, "create", "merchant", merchant.id, f"新增联盟商户：{name}", after=values)
        return merchant.id
    found = session.get(Merchant, merchant_id)
    if found is None:
        raise NotFound("找不到这个商户")
    before = {key: getattr(found, key) for key in values}
    for key, value in values.items():
        setattr(found, key, value)
    audit.record(session, staff_id, "update", "merchant", merchant_id, f"修改联盟商户：{name}", before=before,
                 after=values)
    return merchant_id


# ------------------------------------------------------------------ the shelf


@dataclass
class ItemInput:
    """What the item dialog sends, as typed."""

    name: str
    price: str
    kind: str = "goods"
    category: str = ""
    unit: str = "件"
    merchant_id: int | None = None
    monthly_quota: str = ""
    low_stock: str = ""


def _whole(text: str, field: str, label: str, errors: dict[str, str], low: int = 1) -> int | None:
    value = clean(text)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = f"{label}请填整数"
        return None
    if not low <= number <= 100000:
        errors[field] = f"{label}应在{low}至100000之间"
    return number


def _check_item(session: Session, data: ItemInput, item_id: int | None) -> dict[str, object]:
    errors: dict[str, str] = {}
    name = clean(data.name)
    if not name:
        errors["name"] = "请填写名称"
    elif len(name) > 60:
        errors["name"] = "名称不超过60个字"
    elif session.scalar(select(ShopItem.id).where(ShopItem.name == name, ShopItem.id != (item_id or 0))):
        errors["name"] = f"货架上已经有“{name}”了"
    price = _whole(data.price, "price", "兑换积分", errors)
    if price is None and "price" not in errors:
        errors["price"] = "请填写兑换所需积分"
    if data.kind not in KINDS:
        errors["kind"] = "请选择物品或商家服务"
    if data.kind == "service" and (data.merchant_id is None or session.get(Merchant, data.merchant_id) is None):
        errors["merchant"] = "商家服务请选择提供服务的联盟商户"
    quota = _whole(data.monthly_quota, "monthly_quota", "每月名额", errors)
    low = _whole(data.low_stock, "low_stock", "库存提醒数", errors, low=0)
    if errors:
        raise ValidationError(errors)
    goods = data.kind == "goods"
    return {"name": name, "price": price, "kind": data.kind, "category": clean(data.category)[:20],
            "unit": clean(data.unit)[:10] or "件", "merchant_id": None if goods else data.merchant_id,
            "monthly_quota": None if goods else quota, "low_stock": low if goods else None}


def save_item(session: Session, staff_id: int, data: ItemInput, item_id: int | None = None) -> int:
    """Put an item on the shelf, or change one (a new price counts from the next redemption)."""
    require_role(session, staff_id, access.SHELF, "修改积分超市货架")
    values = _check_item(session, data, item_id)
    if item_id is None:
        item = ShopItem(active=True, **values)
        session.add(item)
        session.flush()
        audit.record(session, staff_id, "create", "shop_item", item.id, f"上架：{item.name}（{item.price}积分）",
                     after=values)
        return item.id
    found = session.get(ShopItem, item_id)
    if found is None:
        raise NotFound("找不到这个物品")
    if found.kind != values["kind"]:
        raise ValidationError({"kind": "物品和商家服务不能互相改换：请另外上架"})
    before = {key: getattr(found, key) for key in values}
    for key, value in values.items():
        setattr(found, key, value)
    audit.record(session, staff_id, "update", "shop_item", item_id, f"修改：{found.name}", before=before, after=values)
    return item_id


def set_item_active(session: Session, staff_id: int, item_id: int, active: bool) -> None:
    """Take an item off the shelf (下架) or put it back; its history stays."""
    require_role(session, staff_id, access.SHELF, "修改积分超市货架")
    item = session.get(ShopItem, item_id)
    if item is None:
        raise NotFound("找不到这个物品")
    if item.active != active:
        item.active = active
        audit.record(session, staff_id, "update", "shop_item", item_id, f"{'上架' if active else '下架'}：{item.name}")


def on_hand(session: Session, item_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Stock on hand per goods item: the sum of its movements."""
    stmt = select(StockMove.item_id, func.sum(StockMove.quantity)).group_by(StockMove.item_id)
    if item_ids is not None:
        stmt = stmt.where(StockMove.item_id.in_(list(item_ids)))
    return {item_id: int(total) for item_id, total in session.execute(stmt)}


def _month_bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(following, dt.time())


def _used_this_month(session: Session, item_ids: Sequence[int], today: dt.date) -> dict[int, int]:
    """How many of each service were redeemed this month (cancelled redemptions not counted)."""
    start, end = _month_bounds(today)
    cancelled = select(RedemptionCancel.redemption_id)
    rows = session.execute(
        select(RedemptionLine.item_id, func.sum(RedemptionLine.quantity))
        .join(Redemption, Redemption.id == RedemptionLine.redemption_id)
        .where(RedemptionLine.item_id.in_(list(item_ids)), Redemption.redeemed_at >= start,
               Redemption.redeemed_at < end, Redemption.id.not_in(cancelled))
        .group_by(RedemptionLine.item_id))
    return {item_id: int(total) for item_id, total in rows}


@dataclass(frozen=True)
class ShelfRow:
    id: int
    name: str
    category: str
    unit: str
    price: int
    kind: str
    merchant: str
    stock: int | None  # goods only
    low_stock: int | None
    monthly_quota: int | None
    quota_left: int | None
    active: bool
    merchant_active: bool = True  # services: the merchant is still in the alliance

    @property
    def low(self) -> bool:
        return self.stock is not None and self.low_stock is not None and self.stock <= self.low_stock

    @property
    def available(self) -> int | None:
        """How many can be redeemed now (None: no limit)."""
        if self.kind == "goods":
            return self.stock
        return self.quota_left if self.merchant_active else 0


def shelf(session: Session, include_retired: bool = False, today: dt.date | None = None) -> list[ShelfRow]:
    """Every item with its stock (goods) or what is left of this month's quota (services)."""
    today = today or dt.date.today()
    stmt = (select(ShopItem, Merchant.name, Merchant.active)
            .outerjoin(Merchant, Merchant.id == ShopItem.merchant_id))
    if not include_retired:
        stmt = stmt.where(ShopItem.active.is_(True))
    found = session.execute(stmt.order_by(ShopItem.kind, ShopItem.category, ShopItem.name)).all()
    stock = on_hand(session, [item.id for item, _m, _a in found if item.kind == "goods"])
    used = _used_this_month(session, [item.id for item, _m, _a in found if item.monthly_quota], today)
    return [ShelfRow(item.id, item.name, item.category, item.unit, item.price, item.kind, merchant or "",
                     stock.get(item.id, 0) if item.kind == "goods" else None, item.low_stock, item.monthly_quota,
                     item.monthly_quota - used.get(item.id, 0) if item.monthly_quota else None, item.active,
                     merchant_active is not False)
            for item, merchant, merchant_active in found]


# ------------------------------------------------------------------ stock movements


def _goods(session: Session, item_id: int) -> ShopItem:
    item = session.get(ShopItem, item_id)
    if item is None:
        raise NotFound("找不到这个物品")
    if item.kind != "goods":
        raise ValidationError("商家服务没有库存")
    return item


def _move(session: Session, staff_id: int, item: ShopItem, kind: str, quantity: int, summary: str,
          source: str = "", donor: str = "", reason: str = "", redemption_id: int | None = None) -> int:
    move = StockMove(item_id=item.id, kind=kind, quantity=quantity, source=source, donor=donor, reason=reason,
                     redemption_id=redemption_id, recorded_by=staff_id)
    session.add(move)
    session.flush()
    audit.record(session, staff_id, kind, "stock_move", move.id, summary,
                 after={"item": item.name, "quantity": quantity, "source": source, "donor": donor, "reason": reason})
    return move.id


def _quantity(text: str) -> int:
    errors: dict[str, str] = {}
    number = _whole(text, "quantity", "数量", errors)
    if errors or number is None:
        raise ValidationError(errors or {"quantity": "请填写数量"})
    return number


def stock_in(session: Session, staff_id: int, item_id: int, quantity: str, source: str, donor: str = "",
             note: str = "") -> int:
    """Goods come in (入库) with their source (政府支持/商户捐赠/居民众筹/采购) and donor."""
    require_role(session, staff_id, STAFF_ROLES, "入库")
    item = _goods(session, item_id)
    errors: dict[str, str] = {}  # every problem at once, beside its field
    count = 0
    try:
        count = _quantity(quantity)
    except ValidationError as problem:
        errors.update(problem.errors)
    if source not in SOURCES:
        errors["source"] = "请选择来源：" + "、".join(SOURCES)
    donor = clean_text(donor)
    if source in ("商户捐赠", "居民众筹") and not donor:
        errors["donor"] = "捐赠和众筹请写明捐赠人（单位）"
    if errors:
        raise ValidationError(errors)
    return _move(session, staff_id, item, "in", count, f"入库：{item.name} {count}{item.unit}（{source}）",
                 source=source, donor=donor[:100], reason=clean_text(note))


def stock_take(session: Session, staff_id: int, item_id: int, counted: str, reason: str) -> int | None:
    """Stock-take (盘点): the counted number becomes the stock by an adjustment with a reason.

    Returns the movement's id, or None when the count agrees with the books.
    """
    require_role(session, staff_id, STAFF_ROLES, "盘点")
    item = _goods(session, item_id)
    errors: dict[str, str] = {}
    number = _whole(counted, "counted", "实际数量", errors, low=0)
    if errors or number is None:
        raise ValidationError(errors or {"counted": "请填写盘点的实际数量"})
    difference = number - on_hand(session, [item_id]).get(item_id, 0)
    if difference == 0:
        return None
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "盘点数与账面不符，请写明原因"})
    return _move(session, staff_id, item, "adjust", difference,
                 f"盘点：{item.name} 实际{number}{item.unit}（{difference:+d}）", reason=reason)


def write_off(session: Session, staff_id: int, item_id: int, quantity: str, reason: str) -> int:
    """Write goods off (报损): damaged or expired, with a reason."""
    require_role(session, staff_id, STAFF_ROLES, "报损")
    item = _goods(session, item_id)
    errors: dict[str, str] = {}
    count = 0
    try:
        count = _quantity(quantity)
    except ValidationError as problem:
        errors.update(problem.errors)
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = "请写明报损原因，例如 过期、破损"
    left = on_hand(session, [item_id]).get(item_id, 0)
    if count > left:
        errors["quantity"] = f"{item.name}现有库存{left}{item.unit}，报损不能超过这个数"
    if errors:
        raise ValidationError(errors)
    return _move(session, staff_id, item, "write_off", -count, f"报损：{item.name} {count}{item.unit}（{reason}）",
                 reason=reason)


MOVE_LABELS = {"in": "入库", "out": "兑换出库", "adjust": "盘点调整", "write_off": "报损", "cancel": "撤销兑换退回"}


@dataclass(frozen=True)
class MoveRow:
    at: dt.datetime
    kind: str
    quantity: int
    balance: int
    source: str
    donor: str
    reason: str
    redemption_id: int | None


def movements(session: Session, item_id: int) -> list[MoveRow]:
    """An item's movements in order, with the running stock (newest last)."""
    rows, balance = [], 0
    for move in session.scalars(select(StockMove).where(StockMove.item_id == item_id)
                                .order_by(StockMove.moved_at, StockMove.id)):
        balance += move.quantity
        rows.append(MoveRow(move.moved_at, MOVE_LABELS[move.kind], move.quantity, balance, move.source, move.donor,
                            move.reason, move.redemption_id))
    return rows


# ------------------------------------------------------------------ redemption (积分兑换)


@dataclass(frozen=True)
class BasketLine:
    item_id: int
    quantity: int = 1


@dataclass(frozen=True)
class Quote:
    """What a basket costs and what the balance will be, before confirming."""

    total: int
    balance_before: int
    balance_after: int
    lines: tuple[tuple[str, int, int, int], ...]  # name, quantity, price, subtotal


def _who(session: Session, resident_id: int | None, household_id: int | None) -> tuple[int | None, int, str]:
    if resident_id is not None:
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise NotFound("找不到这位居民")
        if resident.moved_out_on is not None:
            raise ValidationError(f"{resident.name}已迁出，不能兑换")
        return resident.id, resident.household_id, resident.name
    if household_id is not None:
        household = session.get(Household, household_id)
        if household is None:
            raise NotFound("这户不存在")
        unit = household.unit
        return None, household.id, f"{unit.building.number}栋{unit.number}单元{household.room}全户"
    raise ValidationError({"who": "请先选择兑换的居民或住户"})


def _available(session: Session, resident_id: int | None, household_id: int) -> int:
    """Points that can be spent: the resident's (never more than the household's), or the household's."""
    household = points.balances(session, "household", [household_id]).get(household_id, 0)
    if resident_id is None:
        return household
    return min(points.balances(session, "resident", [resident_id]).get(resident_id, 0), household)


def _priced(session: Session, lines: Sequence[BasketLine], today: dt.date) -> list[tuple[ShopItem, int]]:
    if not lines:
        raise ValidationError({"basket": "请先选择要兑换的物品"})
    merged: dict[int, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise ValidationError({"basket": "数量应大于0"})
        merged[line.item_id] = merged.get(line.item_id, 0) + line.quantity
    items = {item.id: item for item in session.scalars(select(ShopItem).where(ShopItem.id.in_(list(merged))))}
    gone = set(session.scalars(select(Merchant.id).where(
        Merchant.id.in_([item.merchant_id for item in items.values() if item.merchant_id]),
        Merchant.active.is_(False))))
    stock = on_hand(session, list(merged))
    used = _used_this_month(session, list(merged), today)
    problems = []
    for item_id, count in merged.items():
        item = items.get(item_id)
        if item is None:
            raise NotFound("有物品找不到了，请刷新货架")
        if not item.active:
            problems.append(f"“{item.name}”已下架")
        elif item.merchant_id in gone:
            problems.append(f"“{item.name}”的商户已退出商家联盟，不能兑换")
        elif item.kind == "goods" and stock.get(item_id, 0) < count:
            problems.append(f"“{item.name}”库存只有{stock.get(item_id, 0)}{item.unit}")
        elif item.monthly_quota is not None and used.get(item_id, 0) + count > item.monthly_quota:
            left = item.monthly_quota - used.get(item_id, 0)
            problems.append(f"“{item.name}”本月名额只剩{max(left, 0)}个")
    if problems:
        raise ValidationError({"basket": "；".join(problems)})
    return [(items[item_id], count) for item_id, count in merged.items()]


def quote(session: Session, lines: Sequence[BasketLine], resident_id: int | None = None,
          household_id: int | None = None, today: dt.date | None = None) -> Quote:
    """The basket's cost and the balance before and after (nothing is written)."""
    today = today or dt.date.today()
    rid, hid, _name = _who(session, resident_id, household_id)
    priced = _priced(session, lines, today)
    total = sum(item.price * count for item, count in priced)
    before = _available(session, rid, hid)
    return Quote(total, before, before - total,
                 tuple((item.name, count, item.price, item.price * count) for item, count in priced))


def redeem(session: Session, staff_id: int, lines: Sequence[BasketLine], resident_id: int | None = None,
           household_id: int | None = None, today: dt.date | None = None) -> int:
    """Redeem a basket (兑换): points debited and stock taken in this one transaction. Returns its id.

    Not enough points, not enough stock, a used-up quota or a retired item: a
    clear message, and nothing changes.
    """
    require_role(session, staff_id, STAFF_ROLES, "积分兑换")
    today = today or dt.date.today()
    rid, hid, name = _who(session, resident_id, household_id)
    priced = _priced(session, lines, today)
    total = sum(item.price * count for item, count in priced)
    available = _available(session, rid, hid)
    if total > available:
        raise ValidationError({"basket": f"积分不够：需要{total}分，{name}现有{available}分"})
    summary = "、".join(f"{item.name}×{count}" for item, count in priced)
    debit = PointEntry(kind="redemption", resident_id=rid, household_id=hid, item_id=None, points=-total,
                       deed_date=today, note=f"积分兑换：{summary}"[:200], recorded_by=staff_id)
    session.add(debit)
    session.flush()
    # Spending needs no audit group: it counts at once (the cancellation is the auditors').
    session.add(PointReview(entry_id=debit.id, decision="approved", reason="兑换即时生效", reviewed_by=staff_id,
                            resident_id=rid, household_id=hid, points=-total, deed_date=today, kind="redemption"))
    redemption = Redemption(resident_id=rid, household_id=hid, points=total, entry_id=debit.id,
                            recorded_by=staff_id)
    session.add(redemption)
    session.flush()
    session.execute(insert(RedemptionLine), [
        {"redemption_id": redemption.id, "item_id": item.id, "quantity": count, "price": item.price}
        for item, count in priced
    ])
    for item, count in priced:
        if item.kind == "goods":
            _move(session, staff_id, item, "out", -count, f"兑换出库：{item.name} {count}{item.unit}（{name}）",
                  redemption_id=redemption.id)
    audit.record(session, staff_id, "redeem", "redemption", redemption.id, f"积分兑换：{name} {summary}，{total}分",
                 after={"resident_id": rid, "household_id": hid, "points": total, "items": summary})
    return redemption.id


def cancel_redemption(session: Session, staff_id: int, redemption_id: int, reason: str,
                      today: dt.date | None = None) -> None:
    """Cancel a redemption (撤销兑换) — by an auditor: the points and the goods come back by new rows."""
    auditor = require_role(session, staff_id, access.CANCEL_REDEMPTION, "撤销兑换")
    today = today or dt.date.today()
    redemption = session.get(Redemption, redemption_id)
    if redemption is None:
        raise NotFound("找不到这次兑换")
    if session.get(RedemptionCancel, redemption_id) is not None:
        raise ValidationError("这次兑换已经撤销了")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "请写明撤销原因"})
    refund = PointEntry(kind="redemption", resident_id=redemption.resident_id, household_id=redemption.household_id,
                        item_id=None, points=redemption.points, deed_date=today, reverses_id=redemption.entry_id,
                        note=f"撤销第{redemption_id}号兑换：{reason}"[:200], recorded_by=auditor.id)
    session.add(refund)
    session.flush()
    session.add(PointReview(entry_id=refund.id, decision="approved", reason="撤销兑换", reviewed_by=auditor.id,
                            resident_id=redemption.resident_id, household_id=redemption.household_id,
                            points=redemption.points, deed_date=today, kind="redemption"))
    for line, item in session.execute(select(RedemptionLine, ShopItem).join(ShopItem, ShopItem.id == RedemptionLine.item_id)
                                      .where(RedemptionLine.redemption_id == redemption_id)):
        if item.kind == "goods":
            _move(session, auditor.id, item, "cancel", line.quantity, f"撤销兑换退回：{item.name} {line.quantity}{item.unit}",
                  reason=reason, redemption_id=redemption_id)
    session.add(RedemptionCancel(redemption_id=redemption_id, reason=reason, entry_id=refund.id,
                                 cancelled_by=auditor.id))
    audit.record(session, auditor.id, "cancel", "redemption", redemption_id, f"撤销兑换：{reason}")


@dataclass(frozen=True)
class RedemptionRow:
    id: int
    at: dt.datetime
    who: str
    household_id: int
    items: str
    points: int
    recorded_by: int
    cancelled: bool


def redemptions(session: Session, limit: int = 500) -> list[RedemptionRow]:
    """The latest redemptions, newest first."""
    cancelled = set(session.scalars(select(RedemptionCancel.redemption_id)))
    rows = session.execute(
        select(Redemption, Resident.name).outerjoin(Resident, Resident.id == Redemption.resident_id)
        .order_by(Redemption.redeemed_at.desc(), Redemption.id.desc()).limit(limit)).all()
    ids = [r.id for r, _n in rows]
    items: dict[int, list[str]] = {}
    for rid, name, count in session.execute(
            select(RedemptionLine.redemption_id, ShopItem.name, RedemptionLine.quantity)
            .join(ShopItem, ShopItem.id == RedemptionLine.item_id).where(RedemptionLine.redemption_id.in_(ids))):
        items.setdefault(rid, []).append(f"{name}×{count}")
    return [RedemptionRow(r.id, r.redeemed_at, name or "全户", r.household_id, "、".join(items.get(r.id, [])),
                          r.points, r.recorded_by, r.id in cancelled) for r, name in rows]


# ------------------------------------------------------------------ star-family vouchers (奖券)


def issue_vouchers(session: Session, staff_id: int, period: str) -> int:
    """Issue the vouchers of a rated half-year, once per household. Returns how many were new."""
    require_role(session, staff_id, access.ISSUE_VOUCHERS, "发放星级家庭奖券")
    period = points.parse_half_year(period)
    ratings = session.execute(select(StarRating.household_id, StarRating.stars, StarRating.voucher)
                              .where(StarRating.period == period)).all()
    if not ratings:
        raise ValidationError(f"{period}还没有评定星级家庭，或没有星级家庭")
    issued = set(session.scalars(select(Voucher.household_id).where(Voucher.period == period)))
    new = [{"period": period, "household_id": hid, "stars": stars, "amount": amount, "issued_by": staff_id,
            "issued_at": dt.datetime.now().replace(microsecond=0)}
           for hid, stars, amount in ratings if hid not in issued and amount > 0]
    if new:
        session.execute(insert(Voucher), new)
        audit.record(session, staff_id, "issue", "voucher", None,
                     f"{period}星级家庭奖券：{len(new)}张，共{sum(v['amount'] for v in new)}元")  # type: ignore[misc]
    return len(new)


def hand_over(session: Session, staff_id: int, voucher_id: int, receiver: str) -> None:
    """Record that a voucher was handed over (已发放), to whom."""
    require_role(session, staff_id, STAFF_ROLES, "登记奖券领取")
    voucher = session.get(Voucher, voucher_id)
    if voucher is None:
        raise NotFound("找不到这张奖券")
    receiver = clean(receiver)
    if not receiver:
        raise ValidationError({"receiver": "请填写领取人姓名"})
    if session.get(VoucherHandover, voucher_id) is not None:
        raise ValidationError("这张奖券已经发放过了")
    session.add(VoucherHandover(voucher_id=voucher_id, receiver=receiver[:50], handed_by=staff_id))
    audit.record(session, staff_id, "hand_over", "voucher", voucher_id, f"发放奖券：{voucher.amount}元，领取人{receiver}")


@dataclass(frozen=True)
class VoucherRow:
    id: int
    household_id: int
    stars: int
    amount: int
    handed_at: dt.datetime | None
    receiver: str


def vouchers(session: Session, period: str) -> list[VoucherRow]:
    rows = session.execute(
        select(Voucher, VoucherHandover.handed_at, VoucherHandover.receiver)
        .outerjoin(VoucherHandover, VoucherHandover.voucher_id == Voucher.id)
        .where(Voucher.period == points.parse_half_year(period)).order_by(Voucher.stars.desc(), Voucher.id))
    return [VoucherRow(v.id, v.household_id, v.stars, v.amount, at, receiver or "") for v, at, receiver in rows]


# ------------------------------------------------------------------ the stock ledger for the audit group


@dataclass(frozen=True)
class LedgerLine:
    """One item's stock over a period: opening, in by source, out, adjustments, closing."""

    item_id: int
    name: str
    unit: str
    opening: int
    in_by_source: dict[str, int]
    out: int  # redeemed (net of cancellations), as a positive number
    adjusted: int  # stock-takes and write-offs, signed
    closing: int


def stock_ledger(session: Session, first: dt.date, last: dt.date) -> list[LedgerLine]:
    """Every goods item's stock account for the period (the figures add up: opening + in − out + adjusted = closing)."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    opening = dict(session.execute(select(StockMove.item_id, func.sum(StockMove.quantity))
                                   .where(StockMove.moved_at < start).group_by(StockMove.item_id)).all())
    in_period = session.execute(
        select(StockMove.item_id, StockMove.kind, StockMove.source, func.sum(StockMove.quantity))
        .where(StockMove.moved_at >= start, StockMove.moved_at < end)
        .group_by(StockMove.item_id, StockMove.kind, StockMove.source)).all()
    figures: dict[int, dict[str, int]] = {}
    for item_id, kind, source, total in in_period:
        key = f"in:{source}" if kind == "in" else kind
        figures.setdefault(item_id, {})[key] = int(total)
    lines = []
    for item in session.scalars(select(ShopItem).where(ShopItem.kind == "goods").order_by(ShopItem.category,
                                                                                        ShopItem.name)):
        f = figures.get(item.id, {})
        start_count = int(opening.get(item.id, 0) or 0)
        ins = {source: f.get(f"in:{source}", 0) for source in SOURCES}
        out = -(f.get("out", 0) + f.get("cancel", 0))
        adjusted = f.get("adjust", 0) + f.get("write_off", 0)
        lines.append(LedgerLine(item.id, item.name, item.unit, start_count, ins, out, adjusted,
                                start_count + sum(ins.values()) - out + adjusted))
    return lines

