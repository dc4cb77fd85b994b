"""Points services: catalogue, recording, caps, reversal, approval, monthly close, stars, roll-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from db.engine import Database
from db.models import AuditEntry, PointEntry, PointItem, PointReview, StarRating
from station import compound, points, residents, settings, staff
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import APPROVED, PENDING, REJECTED, EntryInput, ItemInput, LedgerQuery
from station.residents import ResidentInput
from station.vocab import AUDITOR, CLERK

TODAY = dt.date(2026, 11, 22)


@dataclass
class Station:
    db: Database
    admin: int
    clerk: int
    auditor: int
    auditor2: int
    household: int
    other_household: int
    zhang: int  # head of 3-2-501
    wife: int  # same household
    li: int  # head of 3-2-502

    def item(self, name_part: str) -> int:
        with self.db.read() as session:
            return next(i.id for i in points.catalogue(session) if name_part in i.name)

    def record(self, item: int, resident: int | None = None, household: int | None = None,
               day: str = "2026-11-10", by: int | None = None, note: str = "") -> int:
        with self.db.write() as session:
            return points.record(session, by or self.clerk,
                                 EntryInput(item, resident, household, day, note), TODAY)

    def approve(self, *ids: int, by: int | None = None) -> None:
        with self.db.write() as session:
            points.review(session, by or self.auditor, ids, approve=True)

    def balance(self, level: points.Level, key: int, **dates: dt.date) -> int:
        with self.db.read() as session:
            return points.balances(session, level, [key], **dates).get(key, 0)


@pytest.fixture
def station(database: Database, staff_id: int) -> Iterator[Station]:
    with database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        auditor2 = staff.add(session, staff_id, "赵敏", AUDITOR)
        h1 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        h2 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        zhang = residents.add_resident(session, staff_id, ResidentInput("张三明", h1, "男", "1956-03-02",
                                                                         relation="户主", roles=["单元长"]))
        wife = residents.add_resident(session, staff_id, ResidentInput("刘芳", h1, "女", "1958-05-01",
                                                                        relation="配偶"))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", h2, "男", "1970-01-01",
                                                                      relation="户主"))
    yield Station(database, staff_id, clerk, auditor, auditor2, h1, h2, zhang, wife, li)


# ------------------------------------------------------------------ catalogue


def test_a_new_station_starts_with_the_default_catalogue(station: Station) -> None:
    with station.db.read() as session:
        items = points.catalogue(session)
        cats = points.categories(session)
    for category in ("志愿服务", "文明行为", "环境卫生", "政策宣传", "参与社区活动", "协调矛盾纠纷", "排查安全隐患",
                     "违反社会公德", "违规用电用气", "基础积分"):
        assert category in cats
    assert any(i.points < 0 for i in items) and any(i.points > 0 for i in items)
    positive = {i.category for i in items if i.points > 0} - {"基础积分"}
    negative = {i.category for i in items if i.points < 0}
    assert len(positive) >= 10 and len(negative) >= 5
    # awards come before deductions
    assert max(n for n, i in enumerate(items) if i.points > 0) < min(n for n, i in enumerate(items) if i.points < 0)


def test_items_are_added_changed_retired_and_audited(station: Station) -> None:
    with station.db.write() as session:
        item_id = points.add_item(session, station.admin, ItemInput("环境卫生", "认领绿地养护", "3", "6"))
    with station.db.write() as session:
        assert points.update_item(session, station.admin, item_id, ItemInput("环境卫生", "认领绿地养护", "4", "8"))
        points.set_item_active(session, station.admin, item_id, False)
    with station.db.read() as session:
        item = next(i for i in points.catalogue(session) if i.id == item_id)
        assert (item.points, item.monthly_cap, item.active) == (4, 8, False)
        assert item not in points.catalogue(session, include_retired=False)
        summaries = session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "point_item",
                                                                      AuditEntry.entity_id == item_id)).all()
    assert summaries == ["新增积分项目：环境卫生·认领绿地养护", "修改积分项目：环境卫生·认领绿地养护",
                         "停用积分项目：环境卫生·认领绿地养护"]


@pytest.mark.parametrize(("data", "field"), [
    (ItemInput("", "x", "3"), "category"),
    (ItemInput("环境卫生", "", "3"), "name"),
    (ItemInput("环境卫生", "x", "0"), "points"),
    (ItemInput("环境卫生", "x", "三"), "points"),
    (ItemInput("环境卫生", "x", "5", "2"), "monthly_cap"),
    (ItemInput("环境卫生", "x", "5", "-1"), "monthly_cap"),
    (ItemInput("环境卫生", "门前三包落实到位", "5"), "name"),
    (ItemInput("志愿服务", "志愿服务（每小时）", "5"), "name"),  # full-width brackets typed
    (ItemInput("违反社会公德", "乱贴小广告", "3"), "points"),  # a deduction category takes negatives
    (ItemInput("环境卫生", "x", "3", "", "说" * 201), "note"),
])
def test_bad_items_are_refused(station: Station, data: ItemInput, field: str) -> None:
    with pytest.raises(ValidationError) as caught, station.db.write() as session:
        points.add_item(session, station.admin, data)
    assert field in caught.value.errors


def test_only_an_administrator_changes_the_catalogue_and_settings(station: Station) -> None:
    for account in (station.clerk, station.auditor):
        with pytest.raises(ValidationError, match="需要管理员"), station.db.write() as session:
            points.add_item(session, account, ItemInput("环境卫生", "认领绿地养护", "3"))
        with pytest.raises(ValidationError, match="需要管理员"), station.db.write() as session:
            settings.put(session, account, settings.OBJECTION_DAYS, 10)


def test_a_new_award_category_comes_before_the_deductions(station: Station) -> None:
    with station.db.write() as session:
        points.add_item(session, station.admin, ItemInput("垃圾分类", "督导垃圾分类", "2"))
        items = points.catalogue(session)
    new = next(n for n, i in enumerate(items) if i.category == "垃圾分类")
    assert new < min(n for n, i in enumerate(items) if i.points < 0)


def test_a_retired_item_keeps_its_entries_and_takes_no_new_ones(station: Station) -> None:
    item = station.item("好人好事")
    entry = station.record(item, station.zhang)
    with station.db.write() as session:
        points.set_item_active(session, station.admin, item, False)
    with pytest.raises(ValidationError, match="已停用"):
        station.record(item, station.li)
    with station.db.read() as session:
        assert [r.id for r in points.ledger(session, LedgerQuery())] == [entry]


# ------------------------------------------------------------------ recording, caps, reversal


def test_recording_waits_for_approval_and_then_counts(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang, note="拾到钱包交还失主")
    assert station.balance("resident", station.zhang) == 0
    with station.db.read() as session:
        (row,) = points.ledger(session, LedgerQuery())
        assert (row.status, row.points, row.name, row.address, row.recorded_by) == (
            PENDING, 5, "张三明", "3栋2单元501", "王秀兰")
        assert points.pending_count(session) == 1
    station.approve(entry)
    assert station.balance("resident", station.zhang) == 5
    assert station.balance("household", station.household) == 5
    with station.db.read() as session:
        (row,) = points.ledger(session, LedgerQuery())
        assert (row.status, row.reviewed_by) == (APPROVED, "李建国")


def test_household_entries_count_for_the_household_only(station: Station) -> None:
    entry = station.record(station.item("门前三包"), household=station.household)
    station.approve(entry)
    assert station.balance("household", station.household) == 2
    assert station.balance("resident", station.zhang) == 0
    with station.db.read() as session:
        assert points.ledger(session, LedgerQuery())[0].name == "全户"


def test_the_monthly_cap_holds_per_person_and_month(station: Station) -> None:
    item = station.item("及时反映矛盾线索")  # 2 points, at most 6 a month
    station.record(item, station.zhang, day="2026-11-01")
    rejected = station.record(item, station.zhang, day="2026-11-02")
    with station.db.write() as session:
        points.review(session, station.auditor, [rejected], approve=False, reason="重复登记")
    station.record(item, station.zhang, day="2026-11-03")  # the rejected one does not count
    station.record(item, station.zhang, day="2026-11-04")
    with pytest.raises(ValidationError, match="每月最多6分.*已记6分"):
        station.record(item, station.zhang, day="2026-11-05")
    station.record(item, station.wife, day="2026-11-04")  # someone else
    station.record(item, station.zhang, day="2026-10-04")  # another month


def test_household_items_go_to_the_household_with_one_cap(station: Station) -> None:
    item = station.item("门前三包")  # 2 points, at most 4 a month, for the whole household
    first = station.record(item, station.zhang, day="2026-11-01")  # picked a member: the household's
    station.record(item, station.wife, day="2026-11-02")
    with pytest.raises(ValidationError, match="全户2026年11月已记4分"):
        station.record(item, household=station.household, day="2026-11-03")
    with station.db.read() as session:
        row = next(r for r in points.ledger(session, LedgerQuery()) if r.id == first)
    assert row.name == "全户"


def test_a_reversal_in_a_later_month_does_not_free_room_under_the_cap(station: Station) -> None:
    item = station.item("及时反映矛盾线索")
    october = station.record(item, station.zhang, day="2026-10-04")
    station.approve(october)
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        station.record(item, station.zhang, day=day)
    with station.db.write() as session:
        points.reverse(session, station.clerk, october, "核实有误", TODAY)  # dated in November
    with pytest.raises(ValidationError, match="已记6分"):
        station.record(item, station.zhang, day="2026-11-05")


def test_bad_entries_are_refused_and_change_nothing(station: Station) -> None:
    item = station.item("好人好事")
    cases = [
        (EntryInput(item, station.zhang, None, "2026-11-30"), "deed_date"),  # future
        (EntryInput(item, station.zhang, None, "昨天"), "deed_date"),
        (EntryInput(None, station.zhang, None, "2026-11-01"), "item"),
        (EntryInput(item, None, None, "2026-11-01"), "who"),
        (EntryInput(item, station.zhang, None, "2026-11-01", "说" * 201), "note"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as caught, station.db.write() as session:
            points.record(session, station.clerk, data, TODAY)
        assert field in caught.value.errors
    with station.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PointEntry)) == 0


def test_moved_out_residents_keep_points_and_their_household_keeps_them_too(station: Station) -> None:
    item = station.item("好人好事")
    station.approve(station.record(item, station.wife, day="2026-11-01"),
                    station.record(item, station.zhang, day="2026-11-01"))
    with station.db.write() as session:
        residents.move_out(session, station.admin, station.wife, "2026-11-05", "随子女居住")
    assert station.balance("resident", station.wife) == 5
    assert station.balance("household", station.household) == 10
    # moving to another household does not move the points earned here
    with station.db.write() as session:
        residents.undo_move_out(session, station.admin, station.wife)
        data = residents.load_form(session, station.wife)
        residents.update_resident(session, station.admin, station.wife, ResidentInput(
            data.name, station.other_household, data.gender, data.birth_date, None, relation="配偶"))
    assert station.balance("household", station.household) == 10
    assert station.balance("household", station.other_household) == 0
    with station.db.write() as session:
        residents.move_out(session, station.admin, station.wife, "2026-11-05", "随子女居住")
    with pytest.raises(ValidationError, match="已于2026-11-05迁出"):
        station.record(item, station.wife, day="2026-11-06")
    station.record(item, station.wife, day="2026-11-04")  # a deed from before the move counts


def test_reversal_is_a_new_opposite_entry_in_the_open_month(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang, day="2026-10-20")
    station.approve(entry)
    with station.db.write() as session:
        reversal = points.reverse(session, station.clerk, entry, "记错了人", TODAY)
    with station.db.read() as session:
        rows = {r.id: r for r in points.ledger(session, LedgerQuery())}
    assert rows[reversal].points == -5 and rows[reversal].deed_date == TODAY
    assert rows[reversal].reverses_id == entry and rows[entry].reversed_by_id == reversal
    assert "记错了人" in rows[reversal].note and rows[reversal].kind == "reversal"
    assert station.balance("resident", station.zhang) == 5  # until the reversal is approved
    station.approve(reversal)
    assert station.balance("resident", station.zhang) == 0
    with pytest.raises(ValidationError, match="已经冲正过了"), station.db.write() as session:
        points.reverse(session, station.clerk, entry, "再冲一次", TODAY)
    with pytest.raises(ValidationError, match="冲正记录"), station.db.write() as session:
        points.reverse(session, station.clerk, reversal, "x", TODAY)


def test_only_approved_entries_are_reversed_and_a_reason_is_needed(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang)
    with pytest.raises(ValidationError, match="待审核"), station.db.write() as session:
        points.reverse(session, station.clerk, entry, "错了", TODAY)
    station.approve(entry)
    with pytest.raises(ValidationError) as caught, station.db.write() as session:
        points.reverse(session, station.clerk, entry, "  ", TODAY)
    assert "reason" in caught.value.errors


# ------------------------------------------------------------------ approval


def test_an_entry_is_approved_by_someone_else_with_the_auditor_role(station: Station) -> None:
    own = station.record(station.item("好人好事"), station.zhang, by=station.auditor)
    other = station.record(station.item("好人好事"), station.li)
    with pytest.raises(ValidationError, match="本人录入"):
        station.approve(own, other)
    with station.db.read() as session:  # all or nothing
        assert session.scalar(select(func.count()).select_from(PointReview)) == 0
    for not_auditor in (station.clerk, station.admin):
        with pytest.raises(ValidationError, match="需要积分审核员"):
            station.approve(other, by=not_auditor)
    station.approve(own, other, by=station.auditor2)
    with pytest.raises(ValidationError, match="已经审核过了"):
        station.approve(other, by=station.auditor)


def test_an_inactive_auditor_cannot_approve(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang)
    with station.db.write() as session:
        staff.update(session, station.admin, station.auditor, "李建国", AUDITOR, active=False)
    with pytest.raises(ValidationError, match="停用"):
        station.approve(entry)


def test_rejection_needs_a_reason_and_never_counts(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang)
    with pytest.raises(ValidationError) as caught, station.db.write() as session:
        points.review(session, station.auditor, [entry], approve=False)
    assert "reason" in caught.value.errors
    with station.db.write() as session:
        assert points.review(session, station.auditor, [entry], approve=False, reason="无签到记录") == 1
    with station.db.read() as session:
        (row,) = points.ledger(session, LedgerQuery(status=REJECTED))
        assert row.review_reason == "无签到记录"
        assert points.ledger(session, LedgerQuery(status=PENDING)) == []
    assert station.balance("resident", station.zhang) == 0


def test_bulk_approval_writes_one_review_and_one_audit_row_each(station: Station) -> None:
    item = station.item("参加知识宣讲")
    ids = [station.record(item, who) for who in (station.zhang, station.wife, station.li)]
    station.approve(*ids)
    with station.db.read() as session:
        assert session.scalar(select(func.count()).select_from(PointReview)) == 3
        audited = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "approved")).all()
    assert sorted(audited) == ids
    assert station.balance("unit", _unit(station)) == 6


def _unit(station: Station) -> int:
    with station.db.read() as session:
        return compound.household_view(session, station.household).unit_id


def test_the_database_refuses_to_change_or_delete_ledger_rows(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang)
    station.approve(entry)
    statements = [
        f"UPDATE point_entries SET points = 50 WHERE id = {entry}",
        f"DELETE FROM point_entries WHERE id = {entry}",
        "UPDATE point_reviews SET decision = 'rejected'",
        "DELETE FROM point_reviews",
        "DELETE FROM point_items",
    ]
    for statement in statements:
        with pytest.raises(DatabaseError, match="never"), station.db.write() as session:
            session.execute(text(statement))
    assert station.balance("resident", station.zhang) == 5
    # a review repeats its entry's points: a copy that differs is refused
    other = station.record(station.item("好人好事"), station.li)
    with pytest.raises(DatabaseError, match="differs"), station.db.write() as session:
        session.execute(text(
            "INSERT INTO point_reviews (entry_id, decision, reason, reviewed_by, reviewed_at, resident_id, "
            f"household_id, points, deed_date) VALUES ({other}, 'approved', '', {station.auditor}, "
            f"'2026-11-20 10:00:00', {station.li}, {station.other_household}, 50, '2026-11-10')"))


# ------------------------------------------------------------------ monthly close


def test_a_closed_month_refuses_new_entries_and_corrections_go_to_the_open_month(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang, day="2026-10-08")
    with pytest.raises(ValidationError, match="1条积分待审核"), station.db.write() as session:
        points.close_month(session, station.auditor, "2026-10", TODAY)
    station.approve(entry)
    with pytest.raises(ValidationError, match="需要积分审核员或管理员"), station.db.write() as session:
        points.close_month(session, station.clerk, "2026-10", TODAY)
    with station.db.write() as session:
        points.close_month(session, station.auditor, "2026-10", TODAY)
    with pytest.raises(ValidationError) as caught:
        station.record(station.item("好人好事"), station.li, day="2026-10-30")
    assert "已评审结账" in caught.value.errors["deed_date"]
    with station.db.write() as session:  # the correction is dated today, in the open month
        reversal = points.reverse(session, station.clerk, entry, "核实有误", TODAY)
    with station.db.read() as session:
        assert session.get(PointEntry, reversal).deed_date == TODAY  # type: ignore[union-attr]
        (october, *_rest) = [m for m in points.months(session, TODAY) if m.month == "2026-10"]
        assert (october.closed_by, october.entries, october.awarded) == ("李建国", 1, 5)
    with pytest.raises(ValidationError, match="已经结账"), station.db.write() as session:
        points.close_month(session, station.admin, "2026-10", TODAY)
    with pytest.raises(ValidationError, match="还没有过完"), station.db.write() as session:
        points.close_month(session, station.admin, "2026-11", TODAY)


# ------------------------------------------------------------------ star families


@pytest.mark.parametrize(("total", "stars", "voucher"), [
    (59, None, None), (60, 3, 100), (79, 3, 100), (80, 4, 150), (99, 4, 150), (100, 5, 200), (250, 5, 200),
])
def test_star_thresholds(total: int, stars: int | None, voucher: int | None) -> None:
    level = points.star_for(total, settings.DEFAULT_STAR_LEVELS)
    assert (level.stars if level else None, level.voucher if level else None) == (stars, voucher)


def _give(station: Station, household: int, total: int, month: str = "2026-05") -> None:
    """Approved points for a household within one month, in whole-household entries."""
    with station.db.write() as session:
        item = points.add_item(session, station.admin, ItemInput("测试", f"测试{household}-{month}", str(total)))
    station.approve(station.record(item, household=household, day=f"{month}-15"))


def _close(station: Station, *months: str) -> None:
    with station.db.write() as session:
        for month in months:
            points.close_month(session, station.auditor, month, TODAY)


H1_MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")


@pytest.mark.parametrize(("first", "second"), [(59, 60), (79, 80), (99, 100)])
def test_a_half_year_is_rated_at_the_thresholds_and_stored(station: Station, first: int, second: int) -> None:
    _give(station, station.household, first)
    _give(station, station.other_household, second)
    _give(station, station.household, 40, month="2026-07")  # another half-year
    with pytest.raises(ValidationError, match="还有月份没有评审结账"), station.db.write() as session:
        points.rate_half_year(session, station.auditor, "2026-H1", TODAY)
    _close(station, *H1_MONTHS)
    with station.db.write() as session:
        count = points.rate_half_year(session, station.auditor, "2026-H1", TODAY)
    levels = {level.points: level for level in settings.DEFAULT_STAR_LEVELS}
    with station.db.read() as session:
        rated = {r.household_id: (r.points, r.stars, r.voucher) for r in points.ratings(session, "2026-H1")}
    expected = {station.other_household: (second, levels[second].stars, levels[second].voucher)}
    if first >= 60:
        level = points.star_for(first, settings.DEFAULT_STAR_LEVELS)
        assert level is not None
        expected[station.household] = (first, level.stars, level.voucher)
    assert rated == expected and count == len(expected)
    # later entries (a correction in the open month) do not change a stored rating
    with station.db.read() as session:
        entry = points.ledger(session, LedgerQuery(household_id=station.other_household))[0].id
    with station.db.write() as session:
        reversal = points.reverse(session, station.clerk, entry, "核实有误", TODAY)
    station.approve(reversal)
    with station.db.read() as session:
        assert {r.household_id: r.stars for r in points.ratings(session, "2026-H1")}[station.other_household] \
            == levels[second].stars
        assert points.current_stars(session)[station.other_household] == levels[second].stars
    with pytest.raises(ValidationError, match="已经评过星"), station.db.write() as session:
        points.rate_half_year(session, station.auditor, "2026-H1", TODAY)


def test_a_half_year_is_rated_only_once_it_is_over(station: Station) -> None:
    with pytest.raises(ValidationError, match="还没有结束"), station.db.write() as session:
        points.rate_half_year(session, station.auditor, "2026-H2", TODAY)
    with pytest.raises(ValidationError, match="需要积分审核员或管理员"), station.db.write() as session:
        points.rate_half_year(session, station.clerk, "2026-H1", TODAY)
    with station.db.read() as session:
        assert session.scalar(select(func.count()).select_from(StarRating)) == 0


def test_star_settings_change_the_levels_and_the_half_year(station: Station) -> None:
    with station.db.write() as session:
        settings.put(session, station.admin, settings.STAR_LEVELS,
                     [{"points": 50, "stars": 3, "voucher": 80}, {"points": 90, "stars": 5, "voucher": 300}])
        settings.put(session, station.admin, settings.HALF_YEAR_START, 3)
    with station.db.read() as session:
        assert points.star_for(60, settings.star_levels(session)) == settings.StarLevel(50, 3, 80)
        assert points.half_year_bounds(session, "2026-H1") == (dt.date(2026, 3, 1), dt.date(2026, 8, 31))
        assert points.half_year_bounds(session, "2026-H2") == (dt.date(2026, 9, 1), dt.date(2027, 2, 28))
        assert points.half_year_of(session, dt.date(2027, 1, 5)) == "2026-H2"
        assert points.half_year_of(session, dt.date(2026, 2, 5)) == "2025-H2"
    for bad in ([], [{"points": 60, "stars": 3, "voucher": 100}, {"points": 80, "stars": 3, "voucher": 150}],
                [{"points": 0, "stars": 3, "voucher": 100}], "60",
                [{"points": 60, "stars": 3, "voucher": 100}, {"points": 60, "stars": 4, "voucher": 150}],
                [{"points": 60, "stars": 3, "voucher": 300}, {"points": 80, "stars": 4, "voucher": 150}],
                [{"points": 60.7, "stars": 3, "voucher": 100}]):
        with pytest.raises(ValidationError), station.db.write() as session:
            settings.put(session, station.admin, settings.STAR_LEVELS, bad)


# ------------------------------------------------------------------ roll-ups


def test_dual_points_roll_up_to_units_buildings_and_the_branch(station: Station) -> None:
    item = station.item("好人好事")
    station.approve(station.record(item, station.zhang, day="2026-03-02"),
                    station.record(item, station.li, day="2026-03-09"),
                    station.record(item, station.wife, day="2026-11-01"))
    station.record(item, station.li, day="2026-11-02")  # pending: not counted
    with station.db.read() as session:
        rows = points.dual_points(session, 2026)
    by_place = {r.place: r for r in rows}
    unit = by_place["3栋2单元"]
    assert unit.leaders == "张三明" and unit.by_month[2] == 10 and unit.by_month[10] == 5 and unit.total == 15
    assert by_place["3栋"].total == 15 and by_place["小区党支部"].total == 15
    assert [r.level for r in rows] == ["楼栋", "单元", "支部"]


def test_balances_by_building_and_dates(station: Station) -> None:
    item = station.item("好人好事")
    station.approve(station.record(item, station.zhang, day="2026-03-02"),
                    station.record(item, station.li, day="2026-09-09"))
    with station.db.read() as session:
        building = compound.tree(session)[0].id
    assert station.balance("building", building) == 10
    assert station.balance("building", building, first=dt.date(2026, 7, 1)) == 5
    assert station.balance("household", station.household, last=dt.date(2026, 2, 28)) == 0


@pytest.mark.parametrize(("text", "month"), [("2026-11", "2026-11"), ("2026.3", "2026-03"), ("2026年3月", "2026-03")])
def test_months_parse(text: str, month: str) -> None:
    assert points.parse_month(text) == month


@pytest.mark.parametrize("text", ["2026-13", "11月", "2026"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        points.parse_month(text)


def test_the_demo_compound_has_a_true_year_of_points(database: Database) -> None:
    from station import demo

    with database.write() as session:
        demo.load_demo(session, demo.DemoSize(households=60, residents=150), today=TODAY)
    with database.read() as session:
        views = points.months(session, TODAY)
        assert all(v.closed_at for v in views[1:]) and views[0].closed_at is None
        assert views[0].pending > 0 and all(v.pending == 0 for v in views[1:])
        assert points.ratings(session, "2026-H1")
        rows = points.ledger(session, LedgerQuery(limit=100000))
        assert any(r.kind == "reversal" for r in rows) and any(r.status == REJECTED for r in rows)
        assert len({r.category for r in rows}) >= 8
        # nobody approved their own entry (spending in the points supermarket is approved as it is made)
        assert not any(r.recorded_by == r.reviewed_by for r in rows if r.kind != "redemption")
        assert any(r.kind == "redemption" for r in rows)
        assert session.scalar(select(func.count()).select_from(PointItem)) > 20


def test_the_household_view_line(station: Station) -> None:
    station.approve(station.record(station.item("好人好事"), station.zhang, day="2026-03-02"),
                    station.record(station.item("好人好事"), station.wife, day="2026-11-02"))
    with station.db.read() as session:
        assert points.household_summary(session, station.household, TODAY) == "共 10 分，本半年 5 分"


def test_a_reversal_counts_only_with_its_entry(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang)
    with station.db.write() as session:  # the record it came from changed while it was pending
        reversal = points.reverse(session, station.clerk, entry, "考勤更正", TODAY, allow_pending=True)
    with pytest.raises(ValidationError, match="原记录还在待审核"):
        station.approve(reversal)
    station.approve(reversal, entry)  # together is fine
    assert station.balance("resident", station.zhang) == 0
    # rejecting an entry rejects its pending reversal with it
    other = station.record(station.item("好人好事"), station.li)
    with station.db.write() as session:
        second = points.reverse(session, station.clerk, other, "考勤更正", TODAY, allow_pending=True)
        points.review(session, station.auditor, [other], approve=False, reason="未参加")
    with station.db.read() as session:
        rows = {r.id: r for r in points.ledger(session, LedgerQuery())}
    assert rows[second].status == REJECTED and rows[other].status == REJECTED
    assert station.balance("resident", station.li) == 0


def test_the_half_year_start_is_fixed_once_a_half_year_is_rated(station: Station) -> None:
    _close(station, *H1_MONTHS)
    with station.db.write() as session:
        points.rate_half_year(session, station.auditor, "2026-H1", TODAY)
    with pytest.raises(ValidationError, match="重叠"), station.db.write() as session:
        settings.put(session, station.admin, settings.HALF_YEAR_START, 4)
    with station.db.read() as session:
        assert points.half_year_label(session, "2026-H1") == "2026年上半年（2026年1月至2026年6月）"


def test_a_rejected_reversal_leaves_the_entry_free_to_be_reversed_again(station: Station) -> None:
    entry = station.record(station.item("好人好事"), station.zhang, day="2026-11-01")
    station.approve(entry)
    with station.db.write() as session:
        first = points.reverse(session, station.clerk, entry, "记错了", TODAY)
    with station.db.read() as session:
        row = next(r for r in points.ledger(session, LedgerQuery()) if r.id == entry)
    assert row.reversed_by_id == first and not row.reversal_approved and row.counts
    with station.db.write() as session:
        points.review(session, station.auditor, [first], approve=False, reason="没有记错")
    with station.db.read() as session:
        row = next(r for r in points.ledger(session, LedgerQuery()) if r.id == entry)
    assert row.reversed_by_id is None and row.can_reverse
    with station.db.write() as session:
        second = points.reverse(session, station.clerk, entry, "确实记错了", TODAY)
    station.approve(second)
    assert station.balance("resident", station.zhang) == 0


def test_a_household_nobody_lives_in_takes_no_household_points(station: Station) -> None:
    with station.db.write() as session:
        residents.move_out(session, station.admin, station.li, "2026-11-01", "购房搬离")
    with pytest.raises(ValidationError, match="没有人居住"):
        station.record(station.item("门前三包"), household=station.other_household)
    with station.db.read() as session:
        assert station.other_household not in points.heads(session, [station.other_household])


def test_the_database_refuses_entries_in_a_closed_month(station: Station) -> None:
    _close(station, "2026-10")
    with pytest.raises(DatabaseError, match="closed"), station.db.write() as session:
        session.execute(text(
            "INSERT INTO point_entries (kind, resident_id, household_id, item_id, points, deed_date, note, "
            f"recorded_by, recorded_at) VALUES ('deed', {station.zhang}, {station.household}, "
            f"{station.item('好人好事')}, 5, '2026-10-15', '', {station.clerk}, '2026-11-20 10:00:00')"))
