"""Volunteer services: teams, activities, sign-in and out, hours into points, corrections, care visits, reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Attendance, PointEntry
from station import compound, points, residents, settings, staff, volunteer
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import LedgerQuery
from station.residents import ResidentInput
from station.volunteer import ActivityInput
from station.vocab import AUDITOR, CLERK

TODAY = dt.date(2026, 11, 22)


@dataclass
class Desk:
    db: Database
    admin: int
    clerk: int
    auditor: int
    zhang: int
    wang: int
    li: int
    granny: int  # 独居老人

    def activity(self, date: str = "2026-11-20", start: str = "09:00", end: str = "11:30", **more: object) -> int:
        with self.db.write() as session:
            return volunteer.add_activity(session, self.clerk, ActivityInput(
                "清理绿化带白色垃圾", "环境整治", date, start, end, place="小区中心花园", **more))  # type: ignore[arg-type]

    def entries(self) -> list[points.LedgerRow]:
        with self.db.read() as session:
            return points.ledger(session, LedgerQuery())


@pytest.fixture
def desk(database: Database, staff_id: int) -> Iterator[Desk]:
    with database.write() as session:
        clerk = staff.add(session, staff_id, "王秀兰", CLERK)
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        h1 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        h2 = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", h1, "男", "1956-03-02", relation="户主", party_category="在职党员", phone="13812341234"))
        wang = residents.add_resident(session, staff_id, ResidentInput("王秀英", h1, "女", "1958-07-15",
                                                                        relation="配偶", party_category="离退休党员"))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", h2, "男", "1970-01-01", relation="户主"))
        granny = residents.add_resident(session, staff_id, ResidentInput(
            "赵桂英", compound.add_household(session, staff_id, HouseholdInput("3", "1", "101")), "女", "1940-01-01",
            relation="户主", care_tags=["独居老人"]))
    yield Desk(database, staff_id, clerk, auditor, zhang, wang, li, granny)


# ------------------------------------------------------------------ hours and points


@pytest.mark.parametrize(("start", "end", "minutes"), [
    ("09:00", "11:30", 150), ("22:00", "02:00", 240), ("23:30", "00:15", 45), ("08:00", "08:00", 24 * 60),
])
def test_hours_across_midnight(start: str, end: str, minutes: int) -> None:
    starts, ends = volunteer.span(dt.date(2026, 11, 20), volunteer.parse_time(start, "start"),
                                  volunteer.parse_time(end, "end"))
    assert volunteer.minutes_between(starts, ends) == minutes


@pytest.mark.parametrize(("minutes", "rate", "rounding", "cap", "expected"), [
    (150, 1, "down", 10, 2), (150, 1, "nearest", 10, 3), (150, 1, "up", 10, 3),
    (140, 1, "nearest", 10, 2), (60, 1, "down", 10, 1), (50, 1, "down", 10, 0), (50, 1, "up", 10, 1),
    (600, 1, "down", 4, 4), (90, 2, "down", 10, 3), (90, 0.5, "nearest", 10, 1),
])
def test_points_for_hours_with_rounding_and_cap(minutes: int, rate: float, rounding: str, cap: int,
                                                expected: int) -> None:
    assert volunteer.points_for(minutes, rate, rounding, cap) == expected


@pytest.mark.parametrize(("text", "minutes"), [("2", 120), ("2.5", 150), ("1:30", 90), ("０.５", 30)])
def test_hours_typed(text: str, minutes: int) -> None:
    assert volunteer.parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["两小时", "0", "25", "-1", "inf", "nan", "1e1"])
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        volunteer.parse_hours(text)


# ------------------------------------------------------------------ activities


def test_an_activity_across_midnight_and_bad_ones(desk: Desk) -> None:
    patrol = desk.activity(start="22:00", end="02:00")
    with desk.db.read() as session:
        row = volunteer.activity(session, patrol)
    assert row.ends_at == dt.datetime(2026, 11, 21, 2, 0) and row.when == "2026-11-20 22:00–次日02:00"
    bad = [ActivityInput("", "环境整治", "2026-11-20", "09:00", "10:00"),
           ActivityInput("巡逻", "安全巡逻", "2026-13-01", "09:00", "10:00"),
           ActivityInput("巡逻", "安全巡逻", "2026-11-20", "9点", "10:00"),
           ActivityInput("巡逻", "安全巡逻", "2026-11-20", "09:00", "10:00", planned_headcount="很多")]
    for data, field in zip(bad, ("title", "date", "start", "planned_headcount")):
        with pytest.raises(ValidationError) as caught, desk.db.write() as session:
            volunteer.add_activity(session, desk.clerk, data)
        assert field in caught.value.errors


def test_sign_in_and_out_earns_pending_points(desk: Desk) -> None:
    activity = desk.activity()
    with desk.db.write() as session:
        first = volunteer.sign_in(session, desk.clerk, activity, desk.zhang, dt.datetime(2026, 11, 20, 8, 55))
        volunteer.sign_in(session, desk.clerk, activity, desk.wang, dt.datetime(2026, 11, 20, 9, 5))
    with pytest.raises(ValidationError, match="已经签到"), desk.db.write() as session:
        volunteer.sign_in(session, desk.clerk, activity, desk.zhang)
    with desk.db.write() as session:
        minutes = volunteer.sign_out(session, desk.clerk, first, dt.datetime(2026, 11, 20, 11, 40), TODAY)
    assert minutes == 150  # 08:55–11:40, counted within the activity's 09:00–11:30
    with desk.db.read() as session:
        rows = {r.name: r for r in volunteer.attendance(session, activity)}
    assert rows["张三明"].points == 2 and rows["张三明"].points_status == points.PENDING
    assert rows["王秀英"].on_site and rows["王秀英"].points is None
    (entry,) = desk.entries()
    assert (entry.name, entry.category, entry.points, entry.status) == ("张三明", "志愿服务", 2, points.PENDING)
    assert "清理绿化带白色垃圾" in entry.note and "2.5小时" in entry.note


def test_hours_entered_afterwards_default_to_the_activity(desk: Desk) -> None:
    activity = desk.activity()
    with desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, activity, desk.li, today=TODAY)
        with pytest.raises(ValidationError) as caught:
            volunteer.record_hours(session, desk.clerk, activity, desk.zhang, "1", today=TODAY)
        assert "reason" in caught.value.errors
        volunteer.record_hours(session, desk.clerk, activity, desk.zhang, "1", "提前离开", today=TODAY)
    with desk.db.read() as session:
        rows = {r.name: r for r in volunteer.attendance(session, activity)}
    assert (rows["李四"].minutes, rows["李四"].points) == (150, 2)
    assert (rows["张三明"].minutes, rows["张三明"].points, rows["张三明"].reason) == (60, 1, "提前离开")


def test_changing_hours_reverses_and_records_anew(desk: Desk) -> None:
    activity = desk.activity(start="08:00", end="12:00")
    with desk.db.write() as session:
        attendance = volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
    (first,) = desk.entries()
    with desk.db.write() as session:
        points.review(session, desk.auditor, [first.id], approve=True)
        volunteer.adjust_hours(session, desk.clerk, attendance, "2", "实际只服务了两小时", TODAY)
    rows = {r.id: r for r in desk.entries()}
    assert len(rows) == 3
    reversal = next(r for r in rows.values() if r.kind == "reversal")
    new = next(r for r in rows.values() if r.kind == "deed" and r.id != first.id)
    assert (reversal.reverses_id, reversal.points, new.points) == (first.id, -4, 2)
    assert rows[first.id].points == 4  # never edited
    with desk.db.read() as session:
        assert session.get(Attendance, attendance).entry_id == new.id  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(PointEntry)) == 3


def test_a_pending_entry_is_reversed_too_and_both_are_decided_together(desk: Desk) -> None:
    activity = desk.activity()
    with desk.db.write() as session:
        attendance = volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
        volunteer.withdraw(session, desk.clerk, attendance, "签错了人", TODAY)
    entries = desk.entries()
    assert sorted(r.points for r in entries) == [-2, 2]
    with desk.db.write() as session:
        points.review(session, desk.auditor, [r.id for r in entries], approve=True)
    with desk.db.read() as session:
        assert points.balances(session, "resident", [desk.zhang]).get(desk.zhang, 0) == 0
        (row,) = volunteer.attendance(session, activity)
    assert row.withdrawn and row.reason == "签错了人"


def test_the_activity_cap_and_the_rate_are_settings(desk: Desk) -> None:
    with desk.db.write() as session:
        settings.put(session, desk.admin, settings.POINTS_PER_HOUR, 2)
        settings.put(session, desk.admin, settings.ROUNDING, "nearest")
    long_one = desk.activity(start="08:00", end="14:00")
    capped = desk.activity(date="2026-11-21", start="08:00", end="14:00", points_cap="3")
    with desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, long_one, desk.zhang, today=TODAY)
        volunteer.record_hours(session, desk.clerk, capped, desk.zhang, today=TODAY)
    assert sorted(r.points for r in desk.entries()) == [3, 4]  # default cap 4, the activity's own 3


def test_the_catalogue_monthly_cap_still_holds(desk: Desk) -> None:
    with desk.db.write() as session:
        settings.put(session, desk.admin, settings.ACTIVITY_CAP, 12)
    for day in ("2026-11-02", "2026-11-09"):
        activity = desk.activity(date=day, start="08:00", end="20:00")
        with desk.db.write() as session:
            volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
    # 志愿服务（每小时） allows 20 a month: 12, then the 8 left
    assert sorted(r.points for r in desk.entries()) == [8, 12]


def test_changing_the_activity_times_recounts_those_who_took_its_times(desk: Desk) -> None:
    activity = desk.activity(start="09:00", end="11:00")
    with desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
        volunteer.record_hours(session, desk.clerk, activity, desk.li, "1", "提前离开", today=TODAY)
        volunteer.update_activity(session, desk.clerk, activity, ActivityInput(
            "清理绿化带白色垃圾", "环境整治", "2026-11-20", "09:00", "12:00"), TODAY)
    with desk.db.read() as session:
        rows = {r.name: r for r in volunteer.attendance(session, activity)}
    assert (rows["张三明"].minutes, rows["张三明"].points) == (180, 3)
    assert rows["李四"].minutes == 60  # adjusted by hand: stays


def test_cancelling_an_activity_withdraws_everyone(desk: Desk) -> None:
    activity = desk.activity()
    with desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
        volunteer.cancel_activity(session, desk.clerk, activity, "下雨改期", TODAY)
    assert sum(r.points for r in desk.entries()) == 0
    with pytest.raises(ValidationError, match="取消"), desk.db.write() as session:
        volunteer.sign_in(session, desk.clerk, activity, desk.li)


def test_a_recurring_activity_is_copied_forward(desk: Desk) -> None:
    activity = desk.activity(date="2026-11-20")  # a Friday
    with desk.db.write() as session:
        copies = volunteer.copy_forward(session, desk.clerk, activity, weeks=1, times=3)
    with desk.db.read() as session:
        days = [volunteer.activity(session, c).starts_at.date() for c in copies]
    assert days == [dt.date(2026, 11, 27), dt.date(2026, 12, 4), dt.date(2026, 12, 11)]


def test_upcoming_and_past_activities(desk: Desk) -> None:
    past, soon = desk.activity(date="2026-11-20"), desk.activity(date="2026-11-27")
    now = dt.datetime(2026, 11, 22, 10, 0)
    with desk.db.read() as session:
        assert [a.id for a in volunteer.activities(session, upcoming=True, now=now)] == [soon]
        assert [a.id for a in volunteer.activities(session, upcoming=False, now=now)] == [past]
        assert volunteer.activities(session, upcoming=False, text="花园", now=now)[0].place == "小区中心花园"


def test_a_moved_out_resident_cannot_sign_in(desk: Desk) -> None:
    with desk.db.write() as session:
        residents.move_out(session, desk.admin, desk.li, "2026-11-01", "购房搬离")
    activity = desk.activity()
    with pytest.raises(ValidationError, match="迁出"), desk.db.write() as session:
        volunteer.sign_in(session, desk.clerk, activity, desk.li)


# ------------------------------------------------------------------ teams


def test_teams_with_a_leader_and_members(desk: Desk) -> None:
    with desk.db.write() as session:
        team = volunteer.save_team(session, desk.clerk, "红色志愿服务队", desk.zhang)
        volunteer.join_team(session, desk.clerk, team, desk.wang)
        other = volunteer.save_team(session, desk.clerk, "平安巡逻队", None)
        volunteer.join_team(session, desk.clerk, other, desk.wang)
        volunteer.leave_team(session, desk.clerk, team, desk.wang)
    with desk.db.read() as session:
        found = {t.name: t for t in volunteer.teams(session)}
        assert found["红色志愿服务队"].leader == "张三明" and found["红色志愿服务队"].members == 1
        assert [name for _id, name, _a in volunteer.members(session, other)] == ["王秀英"]
    with pytest.raises(ValidationError), desk.db.write() as session:
        volunteer.save_team(session, desk.clerk, "平安巡逻队", None)


# ------------------------------------------------------------------ care visits


def test_overdue_care_visits(desk: Desk) -> None:
    with desk.db.read() as session:
        (row,) = volunteer.care_overview(session, TODAY)
    assert (row.name, row.every_days, row.last_visit, row.overdue_days) == ("赵桂英", 7, None, 0)
    with desk.db.write() as session:
        volunteer.log_visit(session, desk.clerk, desk.granny, "2026-11-10", "15:00", "16:00", [desk.zhang],
                            "送米面油", TODAY)
    with desk.db.read() as session:
        (row,) = volunteer.care_overview(session, TODAY)
        assert (row.last_visit, row.due_on, row.overdue_days) == (dt.date(2026, 11, 10), dt.date(2026, 11, 17), 5)
        (on_time,) = volunteer.care_overview(session, dt.date(2026, 11, 16))
        assert on_time.overdue_days == 0
        visit = volunteer.activities(session, upcoming=False, now=dt.datetime(2026, 11, 22))[0]
    assert visit.kind == "关爱走访" and visit.visited == "赵桂英" and visit.people == 1
    with desk.db.write() as session:
        settings.put(session, desk.admin, settings.VISIT_DAYS, {"独居老人": 3})
    with desk.db.read() as session:
        assert volunteer.care_overview(session, TODAY)[0].overdue_days == 9


# ------------------------------------------------------------------ reports


def test_hours_by_person_party_category_and_team(desk: Desk) -> None:
    with desk.db.write() as session:
        team = volunteer.save_team(session, desk.clerk, "红色志愿服务队", desk.zhang)
    march = desk.activity(date="2026-03-06", team_id=team)
    november = desk.activity(date="2026-11-20", team_id=team)
    last_year = desk.activity(date="2025-11-20")
    with desk.db.write() as session:
        for activity in (march, november, last_year):
            volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
        volunteer.record_hours(session, desk.clerk, november, desk.wang, "1", "提前离开", today=TODAY)
    with desk.db.read() as session:
        by_month = volunteer.person_hours(session, desk.zhang, 2026)
        party = volunteer.party_hours(session, 2026)
        by_team = volunteer.team_hours(session, 2026)
        cert = volunteer.certificate(session, desk.zhang, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert by_month[2] == 150 and by_month[10] == 150 and sum(by_month) == 300
    assert party[0].label == "在职党员" and (party[0].people, party[0].minutes) == (1, 300)
    assert next(r for r in party if r.label == "离退休党员").minutes == 60
    assert (by_team[0].label, by_team[0].activities, by_team[0].minutes) == ("红色志愿服务队", 2, 360)
    assert cert.name == "张三明" and cert.minutes == 300 and len(cert.lines) == 2
    assert cert.teams == ("红色志愿服务队",)


def test_hours_count_within_the_activity_only(desk: Desk) -> None:
    activity = desk.activity(start="09:00", end="11:00")
    with pytest.raises(ValidationError, match="不在活动时间内"), desk.db.write() as session:
        volunteer.sign_in(session, desk.clerk, activity, desk.zhang, dt.datetime(2026, 11, 23, 9, 0))
    with desk.db.write() as session:
        first = volunteer.sign_in(session, desk.clerk, activity, desk.zhang, dt.datetime(2026, 11, 20, 8, 30))
        # a forgotten sign-out, days later, counts to the activity's end
        assert volunteer.sign_out(session, desk.clerk, first, dt.datetime(2026, 11, 22, 18, 0), TODAY) == 120
    with pytest.raises(ValidationError, match="不能超过活动时长2小时"), desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, activity, desk.li, "5", "干了一整天", TODAY)
    future = desk.activity(date="2026-12-05")
    with pytest.raises(ValidationError, match="还没有开始"), desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, future, desk.li, today=TODAY)


def test_moving_an_activity_to_another_day_re_records_its_points(desk: Desk) -> None:
    activity = desk.activity(date="2026-11-20")
    with desk.db.write() as session:
        volunteer.record_hours(session, desk.clerk, activity, desk.zhang, today=TODAY)
        volunteer.update_activity(session, desk.clerk, activity, ActivityInput(
            "清理绿化带白色垃圾", "环境整治", "2026-11-13", "09:00", "11:30"), TODAY)
    live = [r for r in desk.entries() if r.kind == "deed" and r.reversed_by_id is None]
    assert [r.deed_date for r in live] == [dt.date(2026, 11, 13)]


def test_a_visit_counts_only_when_someone_went_and_is_not_copied(desk: Desk) -> None:
    with desk.db.write() as session:
        planned = volunteer.add_activity(session, desk.clerk, ActivityInput(
            "走访赵桂英", "关爱走访", "2026-11-20", "15:00", "16:00", visited_id=desk.granny))
        with pytest.raises(ValidationError, match="不能复制"):
            volunteer.copy_forward(session, desk.clerk, planned)
        with pytest.raises(ValidationError) as caught:
            volunteer.log_visit(session, desk.clerk, desk.granny, "2026-11-20", "15:00", "16:00", [], "", TODAY)
        assert "visitors" in caught.value.errors
        with pytest.raises(ValidationError, match="被走访的人"):
            volunteer.log_visit(session, desk.clerk, desk.granny, "2026-11-20", "15:00", "16:00", [desk.granny])
    with desk.db.read() as session:
        (row,) = volunteer.care_overview(session, TODAY)
    assert row.last_visit is None  # planned, nobody went


def test_someone_never_visited_is_due_from_moving_in(desk: Desk) -> None:
    with desk.db.write() as session:
        household = compound.add_household(session, desk.admin, HouseholdInput("5", "1", "101"))
        residents.add_resident(session, desk.admin, ResidentInput(
            "钱秀英", household, "女", "1938-02-02", relation="户主", care_tags=["特困老人"], moved_in_on="2026-10-01"))
    with desk.db.read() as session:
        found = volunteer.care_overview(session, TODAY)
    rows = {r.name: r for r in found}
    assert rows["钱秀英"].due_on == dt.date(2026, 10, 8) and rows["钱秀英"].overdue_days == 45
    assert found[0].name == "钱秀英"  # most overdue first


def test_copying_twice_to_the_same_day_is_refused(desk: Desk) -> None:
    activity = desk.activity(date="2026-11-20")
    with desk.db.write() as session:
        volunteer.copy_forward(session, desk.clerk, activity)
    with pytest.raises(ValidationError, match="2026-11-27已经有"), desk.db.write() as session:
        volunteer.copy_forward(session, desk.clerk, activity)
