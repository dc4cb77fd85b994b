"""The home tab's figures against hand-counted records, and the monthly summary read back as PDF and .xlsx."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.engine import Database
from station import compound, home, meetings, points, reports, residents, shop, staff, tickets, volunteer
from station.compound import HouseholdInput
from station.points import EntryInput, ItemInput
from station.residents import ResidentInput
from station.shop import BasketLine
from station.tickets import TicketInput
from station.vocab import AUDITOR
from tests.test_reports import read_pdf

TODAY = dt.date.today()
MONTH = points.month_of(TODAY)
FIRST = TODAY.replace(day=1)
YEAR_AGO = FIRST.replace(year=FIRST.year - 1)


@pytest.fixture
def month(database: Database, staff_id: int) -> Database:
    """This month, counted by hand: 2 residents moved in (1 a year ago), 20 points approved (10 a year ago),
    one redemption of 5 points, 2 hours by one volunteer (their points pending), 2 tickets taken and 1
    settled on time, one meeting that passed one resolution, two entries pending and one matter waiting."""
    with database.write() as session:
        auditor = staff.add(session, staff_id, "赵审核", AUDITOR)
        household = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", household, "男", "1956-03-02", relation="户主", moved_in_on=f"{YEAR_AGO:%Y-%m-%d}"))
        for name in ("李四", "王五"):
            residents.add_resident(session, staff_id, ResidentInput(name, household, "男", "1980-01-01",
                                                                    relation="子女", moved_in_on=f"{FIRST:%Y-%m-%d}"))
        item = points.add_item(session, staff_id, ItemInput("测试", "参加测试", "10"))
        entries = [points.record(session, staff_id, EntryInput(item, zhang, None, f"{day:%Y-%m-%d}"), TODAY)
                   for day in (FIRST, FIRST, YEAR_AGO)]
        points.review(session, auditor, entries, approve=True)
        points.record(session, staff_id, EntryInput(item, zhang, None, f"{FIRST:%Y-%m-%d}"), TODAY)  # pending
        soap = shop.save_item(session, staff_id, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        shop.stock_in(session, staff_id, soap, "10", "采购")
        shop.redeem(session, staff_id, [BasketLine(soap)], zhang, today=TODAY)
        activity = volunteer.add_activity(session, staff_id, volunteer.ActivityInput(
            "大扫除", "环境整治", f"{FIRST:%Y-%m-%d}", "00:00", "02:00"))
        volunteer.record_hours(session, staff_id, activity, zhang, today=TODAY)
        now = dt.datetime.now().replace(microsecond=0)
        first_ticket = tickets.open_ticket(session, staff_id, TicketInput("路灯不亮", "设施维修", place="北门"), now=now)
        tickets.open_ticket(session, staff_id, TicketInput("井盖破损", "安全隐患", place="南门"), now=now)
        tickets.settle_on_spot(session, staff_id, first_ticket, "当场换了灯泡", at=now)
        matter = meetings.raise_matter(session, staff_id, meetings.MatterInput("楼道杂物", zhang), today=TODAY)
        meetings.raise_matter(session, staff_id, meetings.MatterInput("停车难", zhang), today=TODAY)
        meeting = meetings.save_meeting(session, staff_id, meetings.MeetingInput("三长初议", f"{TODAY:%Y-%m-%d}",
                                                                                 "00:00"))
        meetings.add_to_agenda(session, staff_id, meeting, [matter])
        meetings.record_decision(session, staff_id, meetings.DecisionInput(
            meeting, matter, "物业清理", "物业公司", votes_for="3", present="3"))
    return database


def test_this_months_figures_beside_the_same_month_a_year_before(month: Database) -> None:
    with month.read() as session:
        figures = {f.code: (f.value, f.year_ago) for f in home.month_figures(session, MONTH)}
    assert figures["points_awarded"] == (20, 10)
    assert figures["points_redeemed"] == (5, 0)
    assert figures["volunteer_hours"] == (2, 0) and figures["volunteers"] == (1, 0)
    assert figures["tickets_opened"] == (2, 0) and figures["tickets_closed"] == (1, 0)
    assert figures["tickets_on_time_rate"] == (100, -1)  # none a year ago: no rate
    assert figures["matters_decided"] == (1, 0) and figures["meetings_held"] == (1, 0)
    assert figures["residents_moved_in"] == (2, 1) and figures["residents_moved_out"] == (0, 0)


def test_the_counts_of_what_needs_doing(month: Database) -> None:
    with month.read() as session:
        counts = home.today_counts(session, TODAY)
    assert (counts.pending_points, counts.tickets_overdue, counts.matters_waiting, counts.meetings_this_week) == (
        2, 0, 1, 1)
    assert counts.activities_this_week == (1 if FIRST >= TODAY - dt.timedelta(days=TODAY.weekday()) else 0)


@pytest.mark.parametrize(("day", "month_asked", "year_ago"), [
    (dt.date(2026, 1, 31), "2026-01", "2025-01"),  # at the year's turn
    (dt.date(2026, 12, 31), "2026-12", "2025-12"),
])
def test_year_on_year_at_month_and_year_ends(day: dt.date, month_asked: str, year_ago: str) -> None:
    assert points.month_of(day) == month_asked and home.year_before(month_asked) == year_ago


def test_the_summary_reads_back_with_the_same_figures(month: Database, tmp_path: Path) -> None:
    with month.read() as session:
        figures = home.month_figures(session, MONTH)
        written = reports.build(session, "station-summary", MONTH, tmp_path / "summary.pdf", TODAY)
        sheet = reports.build(session, "station-summary", MONTH, tmp_path / "summary.xlsx", TODAY)
    text = re.sub(r"\s+", "", "".join(read_pdf(written.path)))
    for figure in figures:
        assert f"{figure.label}{figure.shown}{figure.shown_year_ago}{figure.unit}" in text
    assert "议定的议题（1个）" in text and "物业清理" in text and "办结的民生事项（1件）" in text
    book = load_workbook(sheet.path)
    rows = list(book["指标"].iter_rows(values_only=True))
    assert rows[0] == ("站点", "社区", "街道", "月份", "指标代码", "指标", "单位", "本月", "去年同月")
    assert {row[4]: (row[7], row[8]) for row in rows[1:]} == {
        f.code: (round(f.value, 2), round(f.year_ago, 2)) for f in figures}
    assert rows[1][:4] == ("测试小区党群服务站", "测试社区", "测试街道", MONTH)
    assert [row[2] for row in book["议题"].iter_rows(min_row=2, values_only=True)] == ["楼道杂物"]
    assert [row[4] for row in book["工单"].iter_rows(min_row=2, values_only=True)] == ["路灯不亮"]
