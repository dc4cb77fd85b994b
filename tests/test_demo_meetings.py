"""The demo's year of 说事议事: matters at every level, escalations, monthly meetings with attendance, votes, resolutions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.migrate import open_database
from db.models import Decision, Matter, MatterEvent, Meeting
from station import demo, meetings, reports

TODAY = dt.date(2026, 11, 22)
SIZE = demo.DemoSize(households=60, residents=150)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("demo-meetings")
    database = open_database(folder / "station.sqlite3", folder / "backups")
    with database.write() as session:
        demo.load_demo(session, SIZE, today=TODAY)
    yield database
    database.close()


def test_a_year_of_matters_at_every_level_and_state(demo_db: Database) -> None:
    with demo_db.read() as session:
        levels = set(session.scalars(select(Matter.level)))
        states = set(session.scalars(select(Matter.state)))
        kinds = set(session.scalars(select(MatterEvent.kind)))
        first = session.scalar(select(func.min(Matter.raised_on)))
    assert levels == set(meetings.LEVELS)
    assert {"待议", "办理中", "已办结", "已上报"} <= states
    assert {"raised", "escalated", "level", "agenda", "decided", "done"} <= kinds
    assert first is not None and first <= dt.date(2026, 1, 31)


def test_monthly_round_tables_with_the_six_parties_votes_and_this_months_still_to_come(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = meetings.meetings(session)
        round_tables = [row for row in rows if row.kind == "红六方圆桌会"]
        assert {row.held_at.strftime("%Y-%m") for row in round_tables} >= {f"2026-{m:02d}" for m in range(1, 12)}
        upcoming = [row for row in rows if row.held_at.date() > TODAY]
        assert [row.kind for row in upcoming] == ["红六方圆桌会"]
        assert upcoming[0].people == 0 and upcoming[0].matters > 0  # the agenda is set, nobody has come yet
        held = [row for row in round_tables if row.held_at.date() <= TODAY]
        assert all(row.people >= 10 and row.decided > 0 for row in held)
        parties = {a.party for a in meetings.attendees(session, held[0].id)}
        assert set(meetings.PARTIES) <= parties
        failed = session.scalar(select(func.count()).select_from(Decision).where(Decision.passed.is_(False)))
        owners = [row for row in rows if row.kind == "业主大会"]
        assert len(owners) == 1
        lift = meetings.agenda(session, owners[0].id)[0].decision
        rolled = session.scalar(select(func.count()).select_from(MatterEvent).where(MatterEvent.kind == "rolled"))
    assert failed and rolled  # some votes fail and their matters roll to the next month
    assert lift is not None and lift.by_household and lift.passed and lift.eligible


def test_every_held_meeting_prints(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as session:
        held = [row for row in meetings.meetings(session) if row.held_at.date() <= TODAY]
        for row in held[:3]:
            for name in ("meeting-results", "meeting-minutes", "meeting-sign-in"):
                written = reports.build(session, name, "", tmp_path / f"{name}-{row.id}.pdf", TODAY,
                                        record_id=row.id)
                assert written.pages >= 1
        assert session.scalar(select(func.count()).select_from(Meeting)) == len(meetings.meetings(session))
