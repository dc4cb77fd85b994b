"""Prints that leave the station name nobody they should not: every print of the registry, from the demo compound.

- 志愿服务时长证明 and 兑换凭证 (handed to a resident): no full name of any resident but their subject;
  a care visit is 关爱走访, never 「走访孙秋婷」.
- Public notices (公示栏) and the merchant's statement (handed to the merchant): no full name of any
  resident at all (they are masked 张*明), and no phone or ID number.
- Every print that leaves the station (the above, and the figures for the community): no care
  recipient (a resident with a care tag, or one visited) but the subject.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.engine import Database
from db.migrate import open_database
from db.models import (
    Activity,
    Attendance,
    Decision,
    Meeting,
    MeetingAttendee,
    Redemption,
    RedemptionLine,
    Resident,
    ShopItem,
    Staff,
    Ticket,
)
from station import demo, onboarding, reports
from station.reports.pdf import WrittenPdf

TODAY = dt.date(2026, 11, 22)
SIZE = demo.DemoSize(households=40, residents=100)
PERIODS = {"month": "2026-10", "half-year": "2026-H1", "year-or-range": "2026", "span": "2026", "none": ""}
PERSONAL = ("volunteer-certificate", "redemption-slip")
"""Handed to the resident they are about: their subject's full name only."""
TO_THE_COMMUNITY = ("tickets-figures", "station-summary")
"""Figures for the community (社区): internal, but they leave the station."""
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)\d{11}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


@dataclass
class Printed:
    written: WrittenPdf
    text: str  # as extracted, with its spaces and line breaks
    flat: str  # without any white space: a name broken over two lines is whole again
    subject: str  # the resident's full name it is about, or ""


@dataclass
class Compound:
    names: set[str]  # every resident's full name of two characters or more, but those in the fixed text
    care: set[str]  # the names of care recipients: a care tag, or visited
    phones: set[str]
    id_numbers: set[str]
    printed: dict[str, Printed]


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def compound(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Compound]:
    folder = tmp_path_factory.mktemp("privacy")
    database: Database = open_database(folder / "station.sqlite3", folder / "backups")
    out = tmp_path_factory.mktemp("prints")
    try:
        with database.write() as session:
            demo.load_demo(session, SIZE, today=TODAY)
        with database.read() as session:
            people = session.execute(select(Resident.id, Resident.name, Resident.phone, Resident.id_number,
                                            Resident.care_tags)).all()
            by_id = {rid: name for rid, name, *_rest in people}
            visited = set(session.scalars(select(Activity.visited_id).where(Activity.visited_id.is_not(None))))
            # The fixed text: signers are staff, the header the station; a resident sharing such a name by
            # chance is not looked for.
            details = onboarding.details(session)
            assert details is not None
            fixed = " ".join([*session.scalars(select(Staff.name)), details.name, details.community,
                              details.street, *(spec.title for spec in reports.REPORTS.values())])
            names = {name for _rid, name, *_rest in people if len(name) >= 2 and name not in fixed}
            care = {name for rid, name, _phone, _id, tags in people if (tags or rid in visited) and name in names}
            # the records: the volunteer with the most care visits, a resident's redemption, a merchant's busy
            # month, a decided meeting with people present, the latest ticket with a reporter
            visitor = session.execute(
                select(Attendance.resident_id).join(Activity, Activity.id == Attendance.activity_id)
                .where(Activity.visited_id.is_not(None), Attendance.minutes > 0)
                .group_by(Attendance.resident_id).order_by(func.count().desc(), Attendance.resident_id)).scalar()
            assert visitor is not None
            slip, slip_for = session.execute(select(Redemption.id, Redemption.resident_id)
                                             .where(Redemption.resident_id.is_not(None))
                                             .order_by(Redemption.id.desc())).first() or (None, None)
            merchant, at = session.execute(
                select(ShopItem.merchant_id, Redemption.redeemed_at)
                .join(RedemptionLine, RedemptionLine.item_id == ShopItem.id)
                .join(Redemption, Redemption.id == RedemptionLine.redemption_id)
                .where(ShopItem.merchant_id.is_not(None)).order_by(Redemption.redeemed_at.desc())).first() \
                or (None, None)
            meeting = session.scalar(
                select(Meeting.id).join(Decision, Decision.meeting_id == Meeting.id)
                .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
                .where(Meeting.cancelled.is_(False)).order_by(Meeting.held_at.desc()).limit(1))
            ticket = session.scalar(select(Ticket.id).where(Ticket.reporter_id.is_not(None))
                                    .order_by(Ticket.id.desc()).limit(1))
            assert None not in (slip, merchant, meeting, ticket)
            assert slip_for is not None
            assert at is not None
            periods = dict(PERIODS)
            records = {"redemption": slip, "merchant": merchant, "meeting": meeting, "ticket": ticket}
            printed = {}
            for spec in reports.REPORTS.values():
                period = f"{at:%Y-%m}" if spec.name == "merchant-statement" else periods[spec.period_kind]
                resident = visitor if spec.needs_resident else None
                written = reports.build(session, spec.name, period, out / f"{spec.name}.pdf", TODAY, None,
                                        resident, records.get(spec.record))
                text = _text(written.path)
                subject = by_id[visitor] if spec.needs_resident else by_id[slip_for] \
                    if spec.name == "redemption-slip" else ""
                printed[spec.name] = Printed(written, text, "".join(text.split()), subject)
        yield Compound(names, care, {p for _r, _n, p, _i, _t in people if p}, {i for _r, _n, _p, i, _t in people if i},
                       printed)
    finally:
        database.close()


def names_in(compound: Compound, printed: Printed, among: set[str]) -> list[str]:
    """The full names of ``among`` the print holds, but its subject's (and names within it: 张三 in 张三明)."""
    return sorted(name for name in among
                  if name in printed.flat and name not in printed.subject)


def test_every_print_is_built(compound: Compound) -> None:
    assert set(compound.printed) == set(reports.REPORTS)
    assert all(p.written.pages >= 1 for p in compound.printed.values())


@pytest.mark.parametrize("name", PERSONAL)
def test_a_personal_print_names_only_its_subject(compound: Compound, name: str) -> None:
    printed = compound.printed[name]
    assert printed.subject and printed.subject in printed.flat
    assert names_in(compound, printed, compound.names) == []
    assert printed.written.people == 1


def test_the_certificate_shows_care_visits_as_such(compound: Compound) -> None:
    printed = compound.printed["volunteer-certificate"]
    assert printed.flat.count("关爱走访") >= 4  # the subject made several care visits
    assert "走访" not in printed.flat.replace("关爱走访", "")  # never 「走访孙秋婷」


@pytest.mark.parametrize("name", [spec.name for spec in reports.REPORTS.values() if spec.public]
                         + ["merchant-statement"])
def test_a_public_notice_names_nobody_in_full_and_shows_no_number(compound: Compound, name: str) -> None:
    printed = compound.printed[name]
    assert names_in(compound, printed, compound.names) == []
    assert PHONE.findall(printed.text) == [] and ID_NUMBER.findall(printed.text) == []
    assert not [phone for phone in compound.phones if phone in printed.flat]
    assert not [number for number in compound.id_numbers if number in printed.flat]


def test_the_notices_still_name_their_people_masked(compound: Compound) -> None:
    for name in ("points-monthly", "star-families", "tickets-monthly", "merchant-statement"):
        printed = compound.printed[name]
        assert re.search(r"[\u4e00-\u9fff]\*", printed.text), name  # 张*明
        assert printed.written.people > 0, name


@pytest.mark.parametrize("name", [spec.name for spec in reports.REPORTS.values() if spec.public]
                         + ["merchant-statement", *PERSONAL, *TO_THE_COMMUNITY])
def test_no_print_that_leaves_the_station_names_a_care_recipient(compound: Compound, name: str) -> None:
    assert names_in(compound, compound.printed[name], compound.care) == []


def test_the_prints_count_the_people_they_name(compound: Compound) -> None:
    people = {name: printed.written.people for name, printed in compound.printed.items()}
    assert people["points-monthly"] == SIZE.households  # every household has a head in the demo
    assert people["meeting-minutes"] == people["meeting-sign-in"] > 0
    assert people["ticket-record"] == 1 and people["meeting-results"] >= 1
    for name in ("stock-ledger", "tickets-figures", "station-summary"):
        assert people[name] == 0, name
