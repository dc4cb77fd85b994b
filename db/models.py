"""Typed SQLAlchemy models of the station's records: compound, residents, staff, points, volunteering, supermarket, meetings, tickets, audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep Alembic's batch migrations on SQLite predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class StationInfo(Base):
    """The station's own settings (站点信息): one row, id 1."""

    __tablename__ = "station_info"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    community: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Staff(Base):
    """A staff account (工作人员) that records changes."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    # scrypt$n$r$p$salt$hash (base64); None until the account first signs in and sets one.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)  # wrong passwords slow the next try
    # A one-time password given by an administrator (a new account, a reset): changed at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class Building(Base):
    """A building (楼栋) of the compound, e.g. number "3" shown as 3栋."""

    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    units: Mapped[list[Unit]] = relationship(back_populates="building", order_by="Unit.sort_key")


class Unit(Base):
    """A unit (单元) of a building."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "number", name="building_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    sort_key: Mapped[int] = mapped_column(Integer, default=0)

    building: Mapped[Building] = relationship(back_populates="units")
    households: Mapped[list[Household]] = relationship(back_populates="unit")


class Household(Base):
    """A household (户), identified by its room in a unit."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("unit_id", "room", name="unit_room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    room: Mapped[str] = mapped_column(String(20))
    room_sort: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    # 党员联户: the party member who looks after this household.
    liaison_id: Mapped[int | None] = mapped_column(
        ForeignKey("residents.id", use_alter=True, name="fk_households_liaison_id_residents"),
        index=True,
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    unit: Mapped[Unit] = relationship(back_populates="households")
    members: Mapped[list[Resident]] = relationship(
        back_populates="household", foreign_keys="Resident.household_id"
    )
    liaison: Mapped[Resident | None] = relationship(foreign_keys=[liaison_id])


class Resident(Base):
    """A resident (居民). Moved-out residents are kept, marked by moved_out_on."""

    __tablename__ = "residents"
    __table_args__ = (
        CheckConstraint("gender IN ('男', '女')", name="gender"),
        # One head (户主) per household among those still living there.
        Index(
            "uq_residents_one_head",
            "household_id",
            unique=True,
            sqlite_where=text("relation = '户主' AND moved_out_on IS NULL"),
        ),
        Index(
            "uq_residents_id_number",
            "id_number",
            unique=True,
            sqlite_where=text("id_number IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    # Indexed for search as you type: SQLite scans the small index, not the table.
    name: Mapped[str] = mapped_column(String(50), index=True)
    # Pinyin search keys, e.g. "zhangsanming zsm" for 张三明 (space separated variants).
    name_pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    id_number: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(30), index=True)
    relation: Mapped[str] = mapped_column(String(10), default="其他")
    # No index on party_category or moved_out_on: too few distinct values; a scan of
    # residents is faster than the index lookups (measured on 30,000 residents).
    party_category: Mapped[str | None] = mapped_column(String(10))
    # Comma-separated, from fixed vocabularies in station.vocab.
    roles: Mapped[str] = mapped_column(String(100), default="")
    care_tags: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    moved_in_on: Mapped[dt.date | None] = mapped_column(Date)
    moved_out_on: Mapped[dt.date | None] = mapped_column(Date)
    moved_out_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    household: Mapped[Household] = relationship(
        back_populates="members", foreign_keys=[household_id]
    )


class AuditEntry(Base):
    """One line of the audit log (操作记录): who changed what, when, before and after.

    Rows are append-only; triggers in the migrations refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON

    staff: Mapped[Staff | None] = relationship()


class ArchivedAuditEntry(Base):
    """An 操作记录 row of a period a restore undid (恢复前), carried into the restored file.

    A restore puts an older copy in place of the data; the audit rows written since that copy would go
    with it. They are kept here instead, under the restore's own audit row, so that nobody can erase
    their own trail by restoring. The staff member is kept by name: the older copy may not know them.
    """

    __tablename__ = "audit_archive"

    id: Mapped[int] = mapped_column(primary_key=True)
    restore_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), index=True)
    original_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    staff_name: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class Setting(Base):
    """One station setting (设置), stored as JSON under a dotted key such as ``points.stars``."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class PointItem(Base):
    """An item of the rule catalogue (积分细则): what a deed is worth.

    ``points`` is positive for an award (加分) and negative for a deduction
    (减分). A retired item (停用) keeps its entries; it is never deleted.
    """

    __tablename__ = "point_items"
    __table_args__ = (
        UniqueConstraint("category", "name", name="category_name"),
        CheckConstraint("points <> 0", name="points_not_zero"),
        CheckConstraint("monthly_cap IS NULL OR monthly_cap > 0", name="cap_positive"),
        CheckConstraint("scope IN ('person', 'household')", name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60))
    points: Mapped[int] = mapped_column(Integer)
    # Most points (as a magnitude) one resident or household may get from this item in a month.
    monthly_cap: Mapped[int | None] = mapped_column(Integer)
    # "household": recorded for the whole household only (门前三包, 基础积分); the cap is per household.
    scope: Mapped[str] = mapped_column(String(10), default="person")
    active: Mapped[bool] = mapped_column(default=True)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class PointEntry(Base):
    """One line of the points ledger (积分台账): an award, a deduction or a reversal.

    Entries are append-only: a wrong one is reversed by a new entry whose
    ``reverses_id`` names it. An entry counts once an auditor approved it
    (a ``PointReview``). ``household_id`` is the resident's household when the
    deed was done, so a household keeps its points when a member moves out.
    ``resident_id`` is empty for an entry given to the whole household.
    """

    __tablename__ = "point_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('deed', 'reversal', 'redemption')", name="kind"),
        CheckConstraint("points <> 0", name="points_not_zero"),
        Index("ix_point_entries_household_points", "household_id", "deed_date", "points"),
        Index("ix_point_entries_resident_points", "resident_id", "deed_date", "points"),
        # Not unique: a reversal the auditors rejected leaves the entry free to be reversed again.
        Index("ix_point_entries_reverses_id", "reverses_id", sqlite_where=text("reverses_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="deed")
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    # None for a redemption (积分兑换) and its cancellation: points spent, not earned.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("point_items.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    deed_date: Mapped[dt.date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class PointReview(Base):
    """The audit group's decision (积分审核) on one ledger entry: approved or rejected.

    One decision per entry, never changed; an entry without one is 待审核.
    The row repeats its entry's resident, household, points and date (a
    trigger refuses a copy that differs), so balances are sums over approved
    reviews read from one covering index, without joining a million entries.
    """

    __tablename__ = "point_reviews"
    __table_args__ = (
        CheckConstraint("decision IN ('approved', 'rejected')", name="decision"),
        Index("ix_point_reviews_household", "decision", "household_id", "deed_date", "points", "kind"),
        Index("ix_point_reviews_resident", "decision", "resident_id", "deed_date", "points", "kind"),
        Index("ix_point_reviews_deed_date", "deed_date", "decision", "points", "household_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    # Copies of the entry's fields (checked by a trigger).
    resident_id: Mapped[int | None] = mapped_column(Integer)
    household_id: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    deed_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10), default="deed", server_default="deed")


class PointMonth(Base):
    """A closed month (一月一评): its entries were reviewed; it takes no new ones."""

    __tablename__ = "point_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    closed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class StarPeriod(Base):
    """A rated half-year (半年评星): its dates and the thresholds it was rated with."""

    __tablename__ = "star_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-H1"
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    thresholds: Mapped[str] = mapped_column(Text)  # JSON, as rated
    rated_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class StarRating(Base):
    """A household's star rating (星级家庭) for one half-year, stored as rated."""

    __tablename__ = "star_ratings"
    __table_args__ = (UniqueConstraint("period", "household_id", name="period_household"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(ForeignKey("star_periods.period"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    stars: Mapped[int] = mapped_column(Integer)
    voucher: Mapped[int] = mapped_column(Integer)  # yuan


class VolunteerTeam(Base):
    """A volunteer team (志愿服务队) with a leader; residents may be in several."""

    __tablename__ = "volunteer_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class TeamMember(Base):
    """A resident's membership of a team; leaving marks ``left_on``, the row stays."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "resident_id", name="team_resident"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("volunteer_teams.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)


class Activity(Base):
    """A volunteer activity (志愿活动): a clean-up, a patrol, a care visit (关爱走访) …

    A care visit names the resident visited in ``visited_id``.
    """

    __tablename__ = "activities"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(100), default="")
    organiser: Mapped[str] = mapped_column(String(50), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_teams.id"), index=True)
    planned_headcount: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    # Most points one person gets for this activity (None: the station's default).
    points_cap: Mapped[int | None] = mapped_column(Integer)
    visited_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Attendance(Base):
    """One person at one activity (签到): when they came and left, the minutes counted.

    ``entry_id`` is the points entry the hours earned now; a change reverses
    it and records a new one. A wrong sign-in is withdrawn (``withdrawn``), not deleted.
    """

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("activity_id", "resident_id", name="activity_resident"),
        # Covers the activity list's head counts and hours without reading the rows.
        Index("ix_attendances_activity_figures", "activity_id", "withdrawn", "resident_id", "minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    signed_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_out_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    adjust_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("point_entries.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Merchant(Base):
    """A merchant of the alliance (商家联盟) offering services for points: 洗车, 家政, 理发 …"""

    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    contact: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str | None] = mapped_column(String(30))
    services: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class ShopItem(Base):
    """A shelf item of the points supermarket (积分超市): goods with stock, or a merchant's service."""

    __tablename__ = "shop_items"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("kind IN ('goods', 'service')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    category: Mapped[str] = mapped_column(String(20), default="")
    unit: Mapped[str] = mapped_column(String(10), default="件")
    price: Mapped[int] = mapped_column(Integer)  # points
    kind: Mapped[str] = mapped_column(String(10), default="goods")
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"))
    monthly_quota: Mapped[int | None] = mapped_column(Integer)  # services: how many a month
    low_stock: Mapped[int | None] = mapped_column(Integer)  # goods: flag when stock is at or below
    photo: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class StockMove(Base):
    """One movement of stock (库存台账): in with its source, out by redemption, stock-take, write-off.

    Stock on hand is the sum; never an edited number. A trigger refuses a movement that would
    take stock below zero.
    """

    __tablename__ = "stock_moves"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint("kind IN ('in', 'out', 'adjust', 'write_off', 'cancel')", name="kind"),
        Index("ix_stock_moves_item", "item_id", "moved_at", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("shop_items.id"))
    kind: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), default="")  # 政府支持 / 商户捐赠 / 居民众筹 / 采购
    donor: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemptions.id"), index=True)
    moved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))


class Redemption(Base):
    """A redemption (积分兑换): a basket paid with one points entry, at the desk."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"))
    redeemed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))


class RedemptionLine(Base):
    """One item of a redemption's basket, at the price of the day."""

    __tablename__ = "redemption_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("shop_items.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)


class RedemptionCancel(Base):
    """A cancelled redemption (撤销兑换): by an auditor, with the entry that gave the points back."""

    __tablename__ = "redemption_cancellations"

    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[int] = mapped_column(ForeignKey("point_entries.id"))
    cancelled_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    cancelled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Voucher(Base):
    """A star family's voucher (奖券) for a rated half-year: issued once, handed over once."""

    __tablename__ = "vouchers"
    __table_args__ = (UniqueConstraint("period", "household_id", name="period_household"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(ForeignKey("star_periods.period"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    stars: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)  # yuan
    issued_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class VoucherHandover(Base):
    """When a voucher was handed over (发放), to whom, by whom."""

    __tablename__ = "voucher_handovers"

    voucher_id: Mapped[int] = mapped_column(ForeignKey("vouchers.id"), primary_key=True)
    receiver: Mapped[str] = mapped_column(String(50))
    handed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    handed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Matter(Base):
    """A matter (议题) raised by a resident (居民提事) or a party member (党员问事).

    ``level`` and ``state`` are the current ones; every change is also a ``MatterEvent``.
    """

    __tablename__ = "matters"
    __table_args__ = (
        CheckConstraint("level IN ('邻里小事', '单元琐事', '小区公事', '复杂难事')", name="level"),
        CheckConstraint("state IN ('待议', '已议', '办理中', '已办结', '已上报')", name="state"),
        Index("ix_matters_state_level", "state", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10))  # 居民提事 / 党员问事
    raised_by: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    raised_on: Mapped[dt.date] = mapped_column(Date, index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    category: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default="待议")
    responsible: Mapped[str] = mapped_column(String(100), default="")  # who carries the resolution out
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")  # how it was settled (办结情况)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class MatterEvent(Base):
    """One step in a matter's history: raised, level changed, escalated (上报提级), on an agenda, decided, done."""

    __tablename__ = "matter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))  # after the step
    state: Mapped[str] = mapped_column(String(10))  # after the step
    note: Mapped[str] = mapped_column(Text, default="")
    to_whom: Mapped[str] = mapped_column(String(100), default="")  # escalated to
    on_date: Mapped[dt.date] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Meeting(Base):
    """A discussion meeting (议事会议): 三长初议, 红六方圆桌会, 民情恳谈会 … 业主大会.

    ``vote_rule`` decides when a vote passes; ``quorum`` is the least number present for a valid vote.
    """

    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("vote_rule IN ('majority', 'two_thirds', 'households')", name="vote_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    held_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    host: Mapped[str] = mapped_column(String(50), default="")
    vote_rule: Mapped[str] = mapped_column(String(10), default="majority")
    quorum: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AgendaItem(Base):
    """A matter on a meeting's agenda, with the minutes of its discussion (会议记录)."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "matter_id", name="meeting_matter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)


class MeetingAttendee(Base):
    """Someone at a meeting: a resident, or a party of the round table (红六方) by name."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (
        Index("uq_meeting_attendees_resident", "meeting_id", "resident_id", unique=True,
              sqlite_where=text("resident_id IS NOT NULL AND withdrawn = 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    party: Mapped[str] = mapped_column(String(20), default="")  # 居民 or one of the 红六方
    name: Mapped[str] = mapped_column(String(50))
    withdrawn: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Decision(Base):
    """A meeting's decision on a matter (决议): the resolution and, when voted, the count and its result.

    Never changed: a corrected count is a new decision; the newest one for a meeting and matter counts.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_meeting_matter", "meeting_id", "matter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    resolution: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    voted: Mapped[bool] = mapped_column(default=False)
    by_household: Mapped[bool] = mapped_column(default=False)
    votes_for: Mapped[int] = mapped_column(Integer, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, default=0)
    votes_abstain: Mapped[int] = mapped_column(Integer, default=0)
    present: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int | None] = mapped_column(Integer)  # households entitled to vote (业主大会)
    rule: Mapped[str] = mapped_column(String(10), default="majority")
    quorum: Mapped[int | None] = mapped_column(Integer)
    quorum_met: Mapped[bool] = mapped_column(default=True)
    passed: Mapped[bool] = mapped_column(default=True)
    correction: Mapped[str] = mapped_column(Text, default="")  # why an earlier decision was corrected
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Ballot(Base):
    """One household's vote, when a decision is counted by household (按户表决)."""

    __tablename__ = "ballots"
    __table_args__ = (CheckConstraint("choice IN ('for', 'against', 'abstain')", name="choice"),)

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    choice: Mapped[str] = mapped_column(String(10))


class InspectionRound(Base):
    """An inspection round (排查, 点单): 安全隐患拉网式排查, 矛盾纠纷全覆盖排查, 困难群体逐个式排查."""

    __tablename__ = "inspection_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    started_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class InspectionCheck(Base):
    """One building of a round's checklist: when it was gone through, by whom; findings become tickets."""

    __tablename__ = "inspection_checks"
    __table_args__ = (UniqueConstraint("round_id", "building_id", name="round_building"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id"))
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"))
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    checked_by: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Ticket(Base):
    """An issue ticket (问题工单): a problem found or reported, followed until the reporter hears the result.

    ``state`` and the dates are the current ones; every step is also a ``TicketEvent``.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint("state IN ('已受理', '处理中', '现场办结', '已转办', '已办结', '已回访')", name="state"),
        # The overdue list and count read only open tickets by their due day.
        Index("ix_tickets_open_due", "due_on", sqlite_where=text("closed_at IS NULL")),
        Index("ix_tickets_follow_up", "closed_at", sqlite_where=text("state IN ('现场办结', '已办结')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(10))
    priority: Mapped[str] = mapped_column(String(4), default="一般")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    place: Mapped[str] = mapped_column(String(100), default="")  # a public area: 北门停车场
    state: Mapped[str] = mapped_column(String(10), default="已受理")
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    handed_to: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    satisfaction: Mapped[str] = mapped_column(String(10), default="")
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_checks.id"), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class TicketEvent(Base):
    """One step of a ticket's history: who moved it from which state to which, when, and why."""

    __tablename__ = "ticket_events"
    # The month's settled tickets (figures, the home tab) are read by the time of the step.
    __table_args__ = (Index("ix_ticket_events_at", "at", "to_state", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(10), default="")
    to_state: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    to_whom: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


# Tables whose rows are never deleted (nothing is lost); enforced by triggers.
NO_DELETE_TABLES = ("buildings", "units", "households", "residents", "staff", "point_items",
                    "volunteer_teams", "team_members", "activities", "attendances", "merchants", "shop_items",
                    "matters", "meetings", "agenda_items", "meeting_attendees", "inspection_rounds",
                    "inspection_checks", "tickets")
# Tables whose rows are never changed or deleted: ledgers and decisions.
APPEND_ONLY_TABLES = ("audit_log", "audit_archive", "point_entries", "point_reviews", "point_months",
                      "star_periods", "star_ratings", "stock_moves", "redemptions", "redemption_lines",
                      "redemption_cancellations", "vouchers", "voucher_handovers",
                      "matter_events", "decisions", "ballots", "ticket_events")
