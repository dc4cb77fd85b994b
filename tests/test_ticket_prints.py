"""The tickets' prints read back: the month's notice masked with the right counts, a ticket's record, the figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from station import reports, residents, tickets
from station.errors import ValidationError
from station.residents import ResidentInput
from station.tickets import TicketInput
from station.validation import id_check_digit
from tests.test_reports import embedded_font_files, read_pdf
from tests.test_tickets import Desk, desk  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 2, 10)
PHONE = "13812345678"
ID_NUMBER = "11010519560302001" + id_check_digit("11010519560302001")


def _flat(pages: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(pages))


@pytest.fixture
def january(desk: Desk) -> Desk:  # noqa: F811
    """January: four tickets — settled on the spot in time, handed on and done on its last day, still open, one from
    December closed in January; one in February."""
    with desk.db.write() as session:
        caller = residents.add_resident(session, desk.staff, ResidentInput(
            "王建国", _household(session), "男", "1956-03-02",
            id_number=ID_NUMBER, phone=PHONE, relation="配偶"))
    at = dt.datetime
    old = desk.open("11栋化粪池外溢", "环境卫生", at=at(2025, 12, 20, 9, 0))
    desk.do(tickets.start, old, at=at(2025, 12, 21, 9, 0))
    desk.do(tickets.finish, old, "已疏通", at=at(2026, 1, 3, 9, 0))
    on_spot = desk.open("楼道灯不亮", "设施维修", at=at(2026, 1, 5, 9, 0))
    desk.do(tickets.settle_on_spot, on_spot, "当场更换灯泡", at=at(2026, 1, 5, 10, 0))
    with desk.db.write() as session:
        handed = tickets.open_ticket(session, desk.staff, TicketInput("邻居装修噪音扰民", "矛盾纠纷", "电话反映",
                                                                      reporter_id=caller, building_id=desk.building),
                                     now=at(2026, 1, 6, 9, 0))
        tickets.open_ticket(session, desk.staff, TicketInput("北门消防通道被堵", "安全隐患", place="北门消防通道"),
                            now=at(2026, 1, 20, 9, 0))
        tickets.open_ticket(session, desk.staff, TicketInput("二月的事", "其他", place="小区"), now=at(2026, 2, 2, 9, 0))
    desk.do(tickets.hand_over, handed, "物业公司", at=at(2026, 1, 6, 10, 0))
    desk.do(tickets.finish, handed, "物业约谈装修户，限定施工时间", at=at(2026, 1, 21, 18, 0))  # its last day
    return desk


def _household(session) -> int:  # type: ignore[no-untyped-def]
    from db.models import Household
    from sqlalchemy import select

    found = session.scalar(select(Household.id))
    assert found is not None
    return int(found)


def _print(desk: Desk, name: str, period: str, out: Path, record_id: int | None = None) -> str:  # noqa: F811
    with desk.db.read() as session:
        written = reports.build(session, name, period, out, TODAY, record_id=record_id)
    assert embedded_font_files(written.path) == {"/FontFile2"}
    return _flat(read_pdf(written.path))


def test_the_monthly_notice_masks_reporters_and_counts_right(january: Desk, tmp_path: Path) -> None:
    text = _print(january, "tickets-monthly", "2026-01", tmp_path / "n.pdf")
    assert "2026年1月民生事项办理公示" in text
    assert "本月共受理民生事项3件，办结3件，其中按时办结2件（按时办结率66.7%）" in text
    assert "张*明" in text and "王*国" in text and "王建国" not in text and "张三明" not in text
    assert PHONE not in text and ID_NUMBER not in text
    for shown in ("11栋化粪池外溢", "楼道灯不亮", "当场更换灯泡", "邻居装修噪音扰民", "北门消防通道被堵", "正在办理"):
        assert shown in text
    assert "二月的事" not in text


def test_the_record_is_complete_and_the_figures_add_up(january: Desk, tmp_path: Path) -> None:
    with january.db.read() as session:
        handed = next(row for row in tickets.tickets(session) if row.title == "邻居装修噪音扰民")
    record = _print(january, "ticket-record", "", tmp_path / "r.pdf", record_id=handed.id)
    assert handed.number in record and "王建国" in record and "电话反映" in record
    assert "已受理→已转办" in record and "转给：物业公司" in record and "物业约谈装修户，限定施工时间" in record
    assert ID_NUMBER not in record
    figures = _print(january, "tickets-figures", "2026-01", tmp_path / "f.pdf")
    assert "本月受理3件，办结3件，按时办结2件，按时办结率66.7%；月末未办结1件" in figures
    # accepted, closed, on time, the rate, still open, visited, satisfied
    assert "矛盾纠纷111100.0%00—" in figures
    assert "环境卫生0100.0%00—" in figures  # December's, closed late in January
    assert "合计33266.7%10—" in figures


def test_a_month_without_tickets_or_not_begun_is_refused(january: Desk, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="没有受理或办结"), january.db.read() as session:
        reports.build(session, "tickets-monthly", "2025-06", tmp_path / "x.pdf", TODAY)
    with pytest.raises(ValidationError, match="还没有开始"), january.db.read() as session:
        reports.build(session, "tickets-figures", "2026-05", tmp_path / "x.pdf", TODAY)
    assert reports.default_file_name("ticket-record", "", record_id=12) == "工单记录-GD000012.pdf"


def test_the_notice_masks_names_written_in_the_text_keeps_people_in_difficulty_private_and_shows_reopened_as_open(
        desk: Desk, tmp_path: Path) -> None:  # noqa: F811
    at = dt.datetime
    named = desk.open("张三明家楼上漏水", "矛盾纠纷", at=at(2026, 1, 5, 9, 0))
    desk.do(tickets.start, named, at=at(2026, 1, 5, 10, 0))
    desk.do(tickets.finish, named, "已为张三明家协调维修", at=at(2026, 1, 6, 9, 0))
    helped = desk.open("独居老人张三明需要陪同就医", "困难帮扶", at=at(2026, 1, 7, 9, 0))
    desk.do(tickets.settle_on_spot, helped, "志愿者陪同到市第三医院就医", at=at(2026, 1, 7, 10, 0))
    again = desk.open("楼道灯不亮", "设施维修", at=at(2026, 1, 8, 9, 0))
    desk.do(tickets.settle_on_spot, again, "更换灯泡", at=at(2026, 1, 8, 10, 0))
    desk.do(tickets.follow_up, again, "不满意", "灯还是不亮", at=at(2026, 1, 9, 9, 0))
    text = _print(desk, "tickets-monthly", "2026-01", tmp_path / "n.pdf")
    assert "张三明" not in text and "张*明家楼上漏水" in text and "已为张*明家协调维修" in text
    assert "陪同就医" not in text and "市第三医院" not in text and "困难群众帮扶" in text
    assert "更换灯泡" not in text and "处理中正在办理" in text
    assert "本月共受理民生事项3件，办结3件" in text
