"""The demo's volunteer year: teams, activities, attendance, care visits and the points the hours earned."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from db.engine import Database
from db.migrate import open_database
from db.models import (
    Activity,
    Attendance,
    PointEntry,
    PointItem,
    PointReview,
    Resident,
    TeamMember,
)
from station import demo, demo_volunteer, onboarding, points, settings, volunteer

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 10, 0)
SIZE = demo.DemoSize(households=60, residents=150)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("demo")
    database = open_database(folder / "station.sqlite3", folder / "backups")
    with database.write() as session:
        demo.load_demo(session, SIZE, today=TODAY)
    yield database
    database.close()


def test_teams_have_leaders_and_members(demo_db: Database) -> None:
    with demo_db.read() as session:
        teams = volunteer.teams(session)
        assert 4 <= len(teams) <= 6
        for team in teams:
            assert 8 <= team.members <= 40 and team.leader
            assert team.leader_id in {rid for rid, _name, _place in volunteer.members(session, team.id)}
        in_service = session.scalar(
            select(func.count()).select_from(TeamMember).join(Resident, Resident.id == TeamMember.resident_id)
            .where(Resident.party_category == "在职党员"))
        assert in_service  # 双报到


def test_a_year_of_activities_and_some_to_come(demo_db: Database) -> None:
    now = demo_volunteer.demo_now(TODAY)
    with demo_db.read() as session:
        past = volunteer.activities(session, upcoming=False, now=now, first=TODAY - dt.timedelta(days=365),
                                    last=TODAY, limit=10000)
        coming = volunteer.activities(session, upcoming=True, now=now)
    assert len(past) > 300 and past[-1].starts_at.date() <= TODAY - dt.timedelta(days=360)
    assert {"环境整治", "安全巡逻", "政策宣传", "节庆活动", "关爱走访"} <= {a.kind for a in past}
    assert sum(a.title.startswith("每周五大扫除") and not a.cancelled for a in past) >= 50
    assert any(a.ends_at.date() > a.starts_at.date() for a in past)  # night patrols across midnight
    assert sum(a.cancelled for a in past) >= 2 and all(a.people == 0 for a in past if a.cancelled)
    served = [a for a in past if not a.cancelled and a.visited == ""]
    assert all(a.place and a.organiser and a.planned for a in served)
    assert sum(a.people > 0 for a in served) > 0.9 * len(served)
    assert any(a.title.startswith("每周五大扫除") for a in coming)
    assert all(now <= a.ends_at and a.starts_at.date() <= TODAY + dt.timedelta(days=14) for a in coming)
    assert all(a.people == 0 for a in coming)


def test_attendance_has_minutes_and_desk_times(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(select(Attendance.minutes, Attendance.signed_in_at, Attendance.withdrawn)).all()
    assert len(rows) > 1000
    assert all(minutes > 0 for minutes, _in, withdrawn in rows if not withdrawn)
    assert sum(signed is not None for _m, signed, _w in rows) > 0.2 * len(rows)


def test_the_hours_earned_their_points_by_the_rules(demo_db: Database) -> None:
    with demo_db.read() as session:
        rate = settings.get(session, settings.POINTS_PER_HOUR)
        rounding = settings.get(session, settings.ROUNDING)
        default_cap = settings.get(session, settings.ACTIVITY_CAP)
        item = volunteer.volunteer_item(session)
        rows = session.execute(
            select(Attendance.resident_id, Attendance.minutes, Attendance.withdrawn, Activity.points_cap,
                   Activity.starts_at, PointEntry.resident_id, PointEntry.points, PointEntry.deed_date,
                   PointItem.category, PointEntry.id)
            .join(Activity, Activity.id == Attendance.activity_id)
            .outerjoin(PointEntry, PointEntry.id == Attendance.entry_id)
            .outerjoin(PointItem, PointItem.id == PointEntry.item_id)).all()
        month_totals: dict[tuple[int | None, str], int] = defaultdict(int)
        for resident_id, value, day in session.execute(
                select(PointEntry.resident_id, PointEntry.points, PointEntry.deed_date)
                .where(PointEntry.item_id == item.id, PointEntry.kind == "deed")):
            month_totals[(resident_id, points.month_of(day))] += value
    assert item.monthly_cap is not None
    exact = cut = 0
    for who, minutes, withdrawn, cap, starts, entry_who, value, day, category, entry_id in rows:
        earned = volunteer.points_for(minutes, rate, rounding, cap or default_cap)
        full = month_totals[(who, points.month_of(starts.date()))] >= item.monthly_cap
        if entry_id is None:  # nothing earned, taken back, or the month's cap reached
            assert withdrawn or earned == 0 or full
            continue
        assert category == volunteer.VOLUNTEER_CATEGORY and entry_who == who
        assert 0 < value <= earned
        exact += value == earned
        cut += value < earned
    assert exact > 1000 and cut < exact / 10
    assert all(total <= item.monthly_cap for total in month_totals.values())


def test_care_visits_some_on_time_some_overdue(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = volunteer.care_overview(session, TODAY)
        visits = session.scalar(select(func.count()).select_from(Activity).where(Activity.visited_id.is_not(None)))
    assert sum(r.overdue_days > 0 for r in rows) >= 1
    assert sum(r.overdue_days == 0 and r.last_visit is not None for r in rows) >= 2
    assert visits and visits > 50


def test_party_and_team_hours(demo_db: Database) -> None:
    with demo_db.read() as session:
        party = {row.label: row for row in volunteer.party_hours(session, TODAY.year)}
        teams = volunteer.team_hours(session, TODAY.year)
    assert party["在职党员"].minutes > 0 and party["在职党员"].people > 0
    assert all(row.minutes > 0 for row in teams)


def test_reviews_and_closed_months(demo_db: Database) -> None:
    with demo_db.read() as session:
        own = session.scalar(select(func.count()).select_from(PointReview)  # spending is approved as it is made
                             .join(PointEntry, PointEntry.id == PointReview.entry_id)
                             .where(PointReview.reviewed_by == PointEntry.recorded_by,
                                    PointReview.kind != "redemption"))
        hours = aliased(PointEntry)
        decisions = dict(session.execute(
            select(PointReview.decision, func.count()).join(hours, hours.id == PointReview.entry_id)
            .join(Attendance, Attendance.entry_id == hours.id).group_by(PointReview.decision)).all())
        views = points.months(session, TODAY)
        unreviewed_past = session.scalar(
            select(func.count()).select_from(PointEntry)
            .outerjoin(PointReview, PointReview.entry_id == PointEntry.id)
            .where(PointReview.id.is_(None), PointEntry.deed_date < TODAY.replace(day=1)))
    assert own == 0
    assert decisions["approved"] > 1000 and decisions.get("rejected", 0) > 0
    assert views[0].closed_at is None and all(v.closed_at for v in views[1:])
    assert unreviewed_past == 0


# ------------------------------------------------------------------ the bulk copy is what the services write


def _volunteer_year(folder: Path, services_from: dt.datetime | None) -> Database:
    database = open_database(folder / "station.sqlite3", folder / "backups")
    with database.write() as session:
        staff_id = onboarding.set_up(session, demo.DEMO_STATION, demo.DEMO_STAFF)
        demo.generate(session, staff_id, SIZE, today=TODAY)
        demo_volunteer.generate_volunteering(session, staff_id, TODAY, now=NOW, services_from=services_from)
    return database


def _tables(database: Database) -> dict[str, Any]:
    """What the two ways must agree on: every row, but the clock's times."""
    queries = {
        "activities": "SELECT * FROM activities ORDER BY id",
        "attendances": "SELECT * FROM attendances ORDER BY id",
        "point_entries": "SELECT * FROM point_entries ORDER BY id",
        "team_members": "SELECT * FROM team_members ORDER BY id",
        "volunteer_teams": "SELECT * FROM volunteer_teams ORDER BY id",
    }
    clock = {"created_at", "recorded_at"}
    found: dict[str, Any] = {}
    with database.read() as session:
        for table, sql in queries.items():
            result = session.execute(text(sql))
            columns = result.keys()
            keys = [k for k in columns if k not in clock]
            found[table] = [tuple(row._mapping[k] for k in keys) for row in result]
        found["audit_log"] = sorted(session.execute(text(
            "SELECT staff_id, action, entity, entity_id, summary, coalesce(before, ''), coalesce(after, '') "
            "FROM audit_log")).all())
    return found


def test_the_bulk_year_is_what_the_services_write(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "bulk").mkdir()
    # The last three weeks through the services in one, in bulk in the other.
    through_services = _volunteer_year(tmp_path / "services", NOW - dt.timedelta(days=21))
    in_bulk = _volunteer_year(tmp_path / "bulk", None)
    try:
        served, copied = _tables(through_services), _tables(in_bulk)
        with through_services.read() as session:
            recent = session.scalar(select(func.count()).select_from(Attendance).join(
                Activity, Activity.id == Attendance.activity_id).where(
                Activity.starts_at >= NOW - dt.timedelta(days=21), Activity.starts_at < NOW - dt.timedelta(days=1)))
        assert recent and recent > 30  # enough recorded both ways to compare
        for table in served:
            assert served[table] == copied[table], table
    finally:
        through_services.close()
        in_bulk.close()
