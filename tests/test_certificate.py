"""志愿服务时长证明: the personal certificate's PDF, its periods, its refusals and its place in the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.engine import Database
from station import compound, reports, residents, volunteer
from station.compound import HouseholdInput
from station.errors import NotFound, ValidationError
from station.reports import volunteer_certificate
from station.reports.pdf import NoticeDocument, PrivateDataInNotice, formal_date
from station.reports.volunteer_certificate import (
    certificate_number,
    parse_period,
    period_bounds,
    statement,
)
from station.residents import ResidentInput
from station.validation import id_check_digit
from station.volunteer import ActivityInput
from tests.test_reports import embedded_font_files

TODAY = dt.date(2026, 11, 22)
ZHANG_PHONE = "13812341234"
ZHANG_ID = "11010519560302001" + id_check_digit("11010519560302001")


@dataclass
class Station:
    db: Database
    staff: int
    zhang: int  # 在职党员, 红色志愿服务队; 2.5 h in March, 2.5 h in November, 1 h in 2025
    li: int  # no service at all


def add_activity(station: Station, title: str, date: str, start: str = "09:00", end: str = "11:30",
                 kind: str = "环境整治") -> int:
    with station.db.write() as session:
        return volunteer.add_activity(session, station.staff, ActivityInput(title, kind, date, start, end))


def serve(station: Station, activity: int, resident: int, hours: str = "") -> None:
    with station.db.write() as session:
        volunteer.record_hours(session, station.staff, activity, resident, hours, today=TODAY)


@pytest.fixture
def station(database: Database, staff_id: int) -> Station:
    with database.write() as session:
        home = compound.add_household(session, staff_id, HouseholdInput("3", "2", "501"))
        other = compound.add_household(session, staff_id, HouseholdInput("3", "2", "502"))
        zhang = residents.add_resident(session, staff_id, ResidentInput(
            "张三明", home, "男", "1956-03-02", relation="户主", party_category="在职党员", phone=ZHANG_PHONE,
            id_number=ZHANG_ID))
        li = residents.add_resident(session, staff_id, ResidentInput("李四", other, "男", "1970-01-01",
                                                                     relation="户主"))
        team = volunteer.save_team(session, staff_id, "红色志愿服务队", zhang)
    found = Station(database, staff_id, zhang, li)
    with database.write() as session:
        march = volunteer.add_activity(session, staff_id, ActivityInput(
            "清理绿化带白色垃圾", "环境整治", "2026-03-06", "09:00", "11:30", team_id=team))
        november = volunteer.add_activity(session, staff_id, ActivityInput(
            "重阳节慰问独居老人", "关爱走访", "2026-11-20", "14:00", "16:30", team_id=team))
        last_year = volunteer.add_activity(session, staff_id, ActivityInput(
            "去年的安全巡逻", "安全巡逻", "2025-11-20", "20:00", "21:00"))
        for activity in (march, november, last_year):
            volunteer.record_hours(session, staff_id, activity, zhang, today=TODAY)
    return found


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for the PDFs (the data folder lives elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def build(station: Station, period: str, out: Path, resident: int | None = None,
          today: dt.date = TODAY) -> reports.WrittenPdf:
    with station.db.read() as session:
        return reports.build(session, "volunteer-certificate", period, out, today,
                             resident_id=station.zhang if resident is None else resident)


def read_text(path: Path) -> str:
    """The PDF's text with the line breaks taken out (the statement wraps)."""
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


# ------------------------------------------------------------------ the PDF


def test_the_certificate_shows_the_person_their_service_and_the_seal(station: Station, out_dir: Path) -> None:
    out = out_dir / "cert.pdf"
    written = build(station, "2026", out)
    assert written.path == out and written.pages == 1
    text = read_text(out)
    number = f"志证〔2026〕第{station.zhang:04d}号"
    for words in (
        "志愿服务时长证明", number,
        ("兹证明张三明（男）同志，系在职党员，红色志愿服务队队员，住本小区3栋2单元501，"
         "于2026年1月1日至2026年11月22日期间，参加本站组织的志愿服务活动2次，累计服务时长5小时。"),
        "特此证明。", "序号", "日期", "活动", "类别", "时长（小时）",
        "2026年3月6日", "清理绿化带白色垃圾", "环境整治", "2026年11月20日", "关爱走访关爱走访2.5",
        "合计", "共2次", "盖章处", "经办人：", "测试小区党群服务站", "二〇二六年十一月二十二日", "第1页/共1页",
    ):
        assert words in text, words
    assert "去年的安全巡逻" not in text  # 2025 is outside the period
    assert "重阳节慰问独居老人" not in text  # a care visit is printed as 关爱走访, whatever its title
    for private in ("张*明", ZHANG_PHONE, ZHANG_ID, "1956"):
        assert private not in text
    assert "/FontFile2" in embedded_font_files(out)
    assert [p.name for p in out_dir.iterdir()] == ["cert.pdf"]  # no temporary file left
    assert PdfReader(out).metadata is not None and PdfReader(out).metadata.title == f"志愿服务时长证明 {number}"


def test_the_certificate_names_no_one_visited_and_masks_other_residents(station: Station, out_dir: Path) -> None:
    """It leaves the station: 「走访孙秋婷」 is printed as 关爱走访 (with its date and hours), another
    resident's name typed into a title is masked, the subject's own name is not."""
    with station.db.write() as session:
        home = compound.add_household(session, station.staff, HouseholdInput("5", "1", "101"))
        sun = residents.add_resident(session, station.staff, ResidentInput(
            "孙秋婷", home, "女", "1940-05-06", relation="户主", care_tags=("独居老人",)))
        volunteer.log_visit(session, station.staff, sun, "2026-10-08", "15:00", "16:30", [station.zhang],
                            today=TODAY)
    serve(station, add_activity(station, "陪李四到医院复查", "2026-10-09", "08:00", "09:00", kind="便民服务"),
          station.zhang)
    serve(station, add_activity(station, "张三明带队清理楼道", "2026-10-10", "08:00", "09:00"), station.zhang)
    out = out_dir / "cert.pdf"
    written = build(station, "2026", out)
    text = read_text(out)
    assert "2026年10月8日关爱走访关爱走访1.5" in text
    assert "孙秋婷" not in text and "孙*婷" not in text and "走访孙" not in text
    assert "陪李*到医院复查" in text and "李四" not in text
    assert "张三明带队清理楼道" in text
    assert written.people == 1


def test_a_date_range_counts_only_its_own_activities(station: Station, out_dir: Path) -> None:
    out = out_dir / "h1.pdf"
    build(station, "2026-01-01..2026-06-30", out)
    text = read_text(out)
    assert "于2026年1月1日至2026年6月30日期间，参加本站组织的志愿服务活动1次，累计服务时长2.5小时。" in text
    assert "清理绿化带白色垃圾" in text and "重阳节慰问独居老人" not in text


def test_a_long_certificate_repeats_the_table_header_and_ends_with_the_seal(station: Station,
                                                                              out_dir: Path) -> None:
    for day in range(1, 46):
        serve(station, add_activity(station, f"楼道清扫第{day}次", f"2026-05-{day % 28 + 1:02d}", "08:00", "09:00"),
              station.zhang)
    out = out_dir / "long.pdf"
    written = build(station, "2026", out)
    pages = ["".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert written.pages == len(pages) >= 2
    assert all("序号" in page and "时长（小时）" in page for page in pages)
    assert all("盖章处" not in page for page in pages[:-1]) and "盖章处" in pages[-1]
    assert "参加本站组织的志愿服务活动47次，累计服务时长50小时。" in pages[0]
    assert "共47次" in pages[-1] and "2026年11月20日" in pages[-1]  # the last activity goes with the seal


def test_the_certificate_number_does_not_change(station: Station, out_dir: Path) -> None:
    assert certificate_number(12, 2026) == "志证〔2026〕第0012号"
    assert certificate_number(12345, 2027) == "志证〔2027〕第12345号"
    build(station, "2026", out_dir / "a.pdf")
    build(station, "2026-03-01..2026-03-31", out_dir / "b.pdf")
    number = certificate_number(station.zhang, 2026)
    assert number in read_text(out_dir / "a.pdf") and number in read_text(out_dir / "b.pdf")


def test_the_statement_names_party_and_teams_only_when_there_are_some() -> None:
    line = volunteer.ServiceLine(dt.date(2026, 3, 6), "清理绿化带", "环境整治", 90)
    plain = volunteer.Certificate(1, "李四", "男", "3栋2单元502", "", (), dt.date(2026, 1, 1),
                                  dt.date(2026, 6, 30), (line,))
    assert statement(plain) == ("兹证明李四（男）同志，住本小区3栋2单元502，于2026年1月1日至2026年6月30日期间，"
                                "参加本站组织的志愿服务活动1次，累计服务时长1.5小时。")
    teams = volunteer.Certificate(1, "王秀英", "女", "3栋2单元501", "", ("红色志愿服务队", "夕阳红巡逻队"),
                                  dt.date(2026, 1, 1), dt.date(2026, 6, 30), (line,))
    assert statement(teams).startswith("兹证明王秀英（女）同志，系红色志愿服务队、夕阳红巡逻队队员，住本小区")
    party = volunteer.Certificate(1, "赵六", "男", "3栋1单元101", "离退休党员", (), dt.date(2026, 1, 1),
                                  dt.date(2026, 6, 30), (line,))
    assert statement(party).startswith("兹证明赵六（男）同志，系离退休党员，住本小区")


@pytest.mark.parametrize(("day", "words"), [
    (dt.date(2026, 11, 22), "二〇二六年十一月二十二日"), (dt.date(2030, 10, 10), "二〇三〇年十月十日"),
    (dt.date(2026, 1, 31), "二〇二六年一月三十一日"), (dt.date(2026, 12, 20), "二〇二六年十二月二十日"),
])
def test_formal_dates(day: dt.date, words: str) -> None:
    assert formal_date(day) == words


def test_the_seal_never_stands_alone_on_a_page(database: Database, staff_id: int, out_dir: Path) -> None:
    """Whatever the table's length, the page with the seal also has the table's last rows."""
    pages_seen = set()
    for rows in range(28, 62, 2):
        with database.read() as session:
            document = NoticeDocument(session, "测试证明", "", public=False)
        document.paragraph("兹证明：" + "测试正文。" * 40, "plain")
        document.table(("序号", "内容"), [(str(i), f"第{i}行") for i in range(1, rows + 1)], widths=(1, 3),
                       total=("合计", f"{rows}行"))
        document.paragraph("注：测试。", "note")
        document.spacer(16)
        document.seal_block("测试小区党群服务站", "二〇二六年十一月二十二日")
        out = out_dir / f"{rows}.pdf"
        written = document.write(out)
        pages = [page.extract_text() for page in PdfReader(out).pages]
        pages_seen.add(written.pages)
        assert "盖章处" in pages[-1] and f"第{rows}行" in pages[-1] and f"{rows}行" in pages[-1], rows
        assert not any("盖章处" in page for page in pages[:-1]), rows
        assert sum(page.count("测试小区党群服务站") for page in pages) == len(pages) + 1  # headers, and the seal once
    assert pages_seen == {2, 3} or pages_seen == {1, 2}  # the sweep crossed a page boundary


def test_without_a_table_the_seal_keeps_with_the_last_paragraph(database: Database, staff_id: int,
                                                                out_dir: Path) -> None:
    with database.read() as session:
        document = NoticeDocument(session, "测试证明", "", public=False)
    document.paragraph("兹证明：" + "测试正文。" * 700, "plain")
    document.paragraph("特此证明。", "plain")
    document.seal_block("测试小区党群服务站", "二〇二六年十一月二十二日", handled_by=False)
    document.write(out_dir / "plain.pdf")
    last = PdfReader(out_dir / "plain.pdf").pages[-1].extract_text()
    assert "特此证明。" in last and "盖章处" in last and "经办人" not in last


# ------------------------------------------------------------------ refusals


def test_no_service_in_the_period_is_refused(station: Station, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="这段时间内没有志愿服务记录，无法开具证明"):
        build(station, "2026", out_dir / "li.pdf", resident=station.li)
    with pytest.raises(ValidationError, match="这段时间内没有志愿服务记录"):
        build(station, "2026-04-01..2026-10-31", out_dir / "summer.pdf")
    with pytest.raises(ValidationError, match="还没有到"):
        build(station, "2027", out_dir / "next-year.pdf")
    with pytest.raises(NotFound, match="找不到这位居民"):
        build(station, "2026", out_dir / "nobody.pdf", resident=9999)
    assert not list(out_dir.glob("*.pdf"))


def test_a_certificate_needs_a_resident(station: Station, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="需要指定居民"), station.db.read() as session:
        reports.make(session, "volunteer-certificate", "2026", out_dir / "x.pdf", TODAY)


def test_the_persons_phone_is_never_printed(station: Station, out_dir: Path) -> None:
    """An activity title typed with the person's phone number in it stops the certificate."""
    serve(station, add_activity(station, "陪同就医（联系电话138 1234 1234）", "2026-04-02"), station.zhang)
    with pytest.raises(PrivateDataInNotice, match="手机号码"):
        build(station, "2026", out_dir / "leak.pdf")
    assert not list(out_dir.iterdir())


# ------------------------------------------------------------------ periods and the registry


@pytest.mark.parametrize(("typed", "standard", "first", "last"), [
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    (" 2026年 ", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ("2026-01-01..2026-06-30", "2026-01-01..2026-06-30", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ("2026.3.1至2026.3.31", "2026-03-01..2026-03-31", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ("2025-10-01 ~ 2026-09-30", "2025-10-01..2026-09-30", dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
    ("２０２６-０５-０１..２０２６-０５-０１", "2026-05-01..2026-05-01", dt.date(2026, 5, 1), dt.date(2026, 5, 1)),
])
def test_periods_parse(typed: str, standard: str, first: dt.date, last: dt.date) -> None:
    assert parse_period(typed) == standard
    assert reports.parse_period(reports.REPORTS["volunteer-certificate"], typed) == standard
    assert period_bounds(typed) == (first, last)


@pytest.mark.parametrize(("typed", "message"), [
    ("", "期间格式不对"), ("2026-11", "期间格式不对"), ("2026-H1", "期间格式不对"), ("去年", "期间格式不对"),
    ("2026-06-30..2026-01-01", "结束日期不能早于开始日期"), ("2026-02-30..2026-03-31", "日期不存在"),
    ("2026-01-01..", "期间格式不对"), ("1900", "年份不对"),
])
def test_malformed_periods_are_refused_in_chinese(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_period(typed)


def test_the_certificate_is_registered(database: Database, staff_id: int) -> None:
    spec = reports.REPORTS["volunteer-certificate"]
    assert (spec.title, spec.period_kind, spec.public, spec.needs_resident) == (
        "志愿服务时长证明", "year-or-range", False, True)
    assert reports.describe(spec) == f"志愿服务时长证明（{volunteer_certificate.PERIOD_FORMAT}）"
    assert reports.default_file_name("volunteer-certificate", "2026", "张三明") == "志愿服务时长证明-张三明-2026.pdf"
    assert reports.default_file_name("volunteer-certificate", "2026.1.1..2026.6.30", "张三明") == (
        "志愿服务时长证明-张三明-2026-01-01至2026-06-30.pdf")
    assert not reports.REPORTS["points-monthly"].needs_resident
