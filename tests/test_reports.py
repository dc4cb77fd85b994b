"""PDF notices: the monthly points notice, the star-family honour roll, masking, the privacy guard, safe writing."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.engine import Database
from db.models import Building
from station import compound, points, reports, residents, settings, staff
from station.compound import HouseholdInput
from station.errors import ValidationError
from station.points import EntryInput, ItemInput
from station.reports import pdf
from station.reports.pdf import NoticeDocument, PrivateDataInNotice, check_public_text
from station.reports.points_notices import monthly_sheets
from station.residents import ResidentInput
from station.validation import id_check_digit
from station.vocab import AUDITOR

TODAY = dt.date(2026, 11, 22)
ZHANG_PHONE = "13812345678"
ZHANG_ID = "11010519560302001" + id_check_digit("11010519560302001")
LI_PHONE = "13987654321"


@dataclass
class Compound:
    db: Database
    zhang_home: int  # 3-2-501, head 张三明
    li_home: int  # 3-2-502, head 李四
    ouyang_home: int  # 10-1-101, head 欧阳小明
    empty_home: int  # 3-1-101, nobody lives there
    building3: int
    building10: int


def _points(db: Database, admin: int, auditor: int, *entries: tuple[int, int, str], reject: bool = False) -> None:
    """Record (item, household, day) entries for whole households and review them."""
    with db.write() as session:
        ids = [points.record(session, admin, EntryInput(item, None, household, day), TODAY)
               for item, household, day in entries]
    with db.write() as session:
        points.review(session, auditor, ids, approve=not reject, reason="不属实" if reject else "")


@pytest.fixture
def compound_with_points(database: Database, staff_id: int) -> Compound:
    """Two buildings (3 and 10), four households, points in 2026-H1 (rated) and in 2026-H2."""
    admin = staff_id
    with database.write() as session:
        auditor = staff.add(session, admin, "李建国", AUDITOR)
        homes = [compound.add_household(session, admin, HouseholdInput(b, u, r))
                 for b, u, r in (("3", "2", "501"), ("3", "2", "502"), ("10", "1", "101"), ("3", "1", "101"))]
        residents.add_resident(session, admin, ResidentInput(
            "张三明", homes[0], "男", "1956-03-02", id_number=ZHANG_ID, phone=ZHANG_PHONE, relation="户主"))
        residents.add_resident(session, admin, ResidentInput(
            "李四", homes[1], "男", "1970-01-01", phone=LI_PHONE, relation="户主"))
        residents.add_resident(session, admin, ResidentInput("欧阳小明", homes[2], "男", "1980-05-05",
                                                             relation="户主"))
        big = points.add_item(session, admin, ItemInput("测试", "百分奖励", "100"))
        eighty = points.add_item(session, admin, ItemInput("测试", "八十分奖励", "80"))
        sixty = points.add_item(session, admin, ItemInput("测试", "六十分奖励", "60"))
        small = points.add_item(session, admin, ItemInput("测试", "小奖励", "5"))
        fine = points.add_item(session, admin, ItemInput("测试扣分", "小扣分", "-2"))
    # 2026-H1: rated 五星 / 四星 / 三星
    _points(database, admin, auditor, (big, homes[0], "2026-03-10"), (eighty, homes[1], "2026-04-02"),
            (sixty, homes[2], "2026-06-30"))
    # 2026-H2: August and November
    _points(database, admin, auditor, (small, homes[0], "2026-08-08"), (small, homes[0], "2026-11-03"),
            (fine, homes[0], "2026-11-05"), (small, homes[2], "2026-11-20"))
    _points(database, admin, auditor, (small, homes[1], "2026-11-04"), reject=True)
    with database.write() as session:
        points.record(session, admin, EntryInput(small, None, homes[1], "2026-11-06"), TODAY)  # stays pending
        for month in points.months_between(dt.date(2026, 1, 1), dt.date(2026, 8, 31)):
            points.close_month(session, auditor, month, TODAY)
        points.rate_half_year(session, auditor, "2026-H1", TODAY)
        buildings = dict(session.execute(select(Building.number, Building.id)).all())
    return Compound(database, homes[0], homes[1], homes[2], homes[3], buildings["3"], buildings["10"])


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for the PDFs (the data folder lives elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def read_pdf(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def embedded_font_files(path: Path) -> set[str]:
    """Kinds of embedded font file (/FontFile2 = TrueType) found on the pages."""
    kinds = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            for descriptor in descriptors:
                if descriptor is not None:
                    kinds |= {k for k in descriptor.get_object() if k.startswith("/FontFile")}
    return kinds


def make(db: Database, name: str, period: str, out: Path,
         building_ids: Sequence[int] | None = None) -> reports.WrittenPdf:
    with db.read() as session:
        return reports.build(session, name, period, out, TODAY, building_ids)


# ------------------------------------------------------------------ monthly notice


def test_monthly_figures_per_household(compound_with_points: Compound) -> None:
    with compound_with_points.db.read() as session:
        sheets = monthly_sheets(session, "2026-11")
    assert [s.building for s in sheets] == ["3", "10"]  # numeric order, not text order
    rows = {row.room_code: row for sheet in sheets for row in sheet.rows}
    assert [r.room_code for r in sheets[0].rows] == ["3-1-101", "3-2-501", "3-2-502"]
    zhang, li, ouyang, empty = rows["3-2-501"], rows["3-2-502"], rows["10-1-101"], rows["3-1-101"]
    assert (zhang.head, zhang.month_points, zhang.half_year_points, zhang.stars) == ("张*明", 3, 8, "五星家庭")
    # rejected and pending entries do not count; H1 points are not in the H2 total
    assert (li.head, li.month_points, li.half_year_points, li.stars) == ("李*", 0, 0, "四星家庭")
    assert (ouyang.head, ouyang.month_points, ouyang.half_year_points, ouyang.stars) == ("欧**明", 5, 5, "三星家庭")
    assert (empty.head, empty.month_points, empty.stars) == ("—", 0, "")
    assert sheets[0].total == 3 and sheets[1].total == 5
    # before the rating's half-year ended, no stars yet
    with compound_with_points.db.read() as session:
        may = {row.room_code: row for sheet in monthly_sheets(session, "2026-05") for row in sheet.rows}
    assert may["3-2-501"].stars == "" and may["3-2-501"].half_year_points == 100


def test_monthly_notice_pdf(compound_with_points: Compound, out_dir: Path) -> None:
    out = out_dir / "monthly.pdf"
    written = make(compound_with_points.db, "points-monthly", "2026-11", out)
    assert written.path == out and out.exists()
    pages = read_pdf(out)
    assert written.pages == len(pages) == 2  # one building per page
    text = "\n".join(pages)
    for words in ("测试小区党群服务站", "2026年11月积分公示", "月度积分公示", "3栋（一栋一表）",
                  "本栋本月积分合计：3分", "户号", "户主", "本月积分", "本半年累计", "星级", "张*明", "李*", "欧**明", "五星家庭", "—",
                  "本月积分尚未评审结账，以结账后为准", "打印时间",
                  "公示期：2026年11月22日至2026年11月28日。如有异议，请于公示期内向服务站积分审核小组反映。"):
        assert words in text, words
    assert "3-2-501" in pages[0] and "10-1-101" not in pages[0]
    assert "10-1-101" in pages[1] and "3-2-501" not in pages[1] and "10栋" in pages[1]
    assert "第 1 页 / 共 2 页" in pages[0] and "第 2 页 / 共 2 页" in pages[1]
    for private in ("张三明", "李四", "欧阳小明", ZHANG_PHONE, LI_PHONE, ZHANG_ID):
        assert private not in text
    assert "/FontFile2" in embedded_font_files(out)
    assert not [p for p in out_dir.iterdir() if p.name != "monthly.pdf"]  # no temporary file left


def test_a_closed_month_has_no_warning_and_one_building_can_be_printed(compound_with_points: Compound,
                                                                       out_dir: Path) -> None:
    out = out_dir / "august.pdf"
    written = make(compound_with_points.db, "points-monthly", "2026-08", out,
                   building_ids=[compound_with_points.building10])
    text = "\n".join(read_pdf(out))
    assert written.pages == 1
    assert "尚未评审结账" not in text
    assert "10-1-101" in text and "3-2-501" not in text


def test_monthly_notice_refusals(compound_with_points: Compound, out_dir: Path) -> None:
    db = compound_with_points.db
    with pytest.raises(ValidationError, match="还没有开始"):
        make(db, "points-monthly", "2027-01", out_dir / "x.pdf")
    with pytest.raises(ValidationError, match="月份格式不对"):
        make(db, "points-monthly", "2026-13", out_dir / "x.pdf")
    with pytest.raises(ValidationError, match="没有住户"):
        make(db, "points-monthly", "2026-11", out_dir / "x.pdf", building_ids=[9999])
    assert not list(out_dir.iterdir())


# ------------------------------------------------------------------ star roll


def test_star_roll_lists_families_by_level(compound_with_points: Compound, out_dir: Path) -> None:
    out = out_dir / "roll.pdf"
    written = make(compound_with_points.db, "star-families", "2026-H1", out)
    text = "\n".join(read_pdf(out))
    assert written.pages == 1
    for words in ("2026年上半年星级家庭光荣榜", "（2026年1月至2026年6月）", "共有3户家庭获评星级家庭", "表示热烈祝贺",
                  "五星家庭（1户）", "四星家庭（1户）", "三星家庭（1户）", "¥200", "¥150", "¥100", "半年积分",
                  "奖券面值", "公示期：2026年11月22日至2026年11月28日"):
        assert words in text, words
    assert text.index("五星家庭（1户）") < text.index("张*明") < text.index("四星家庭（1户）") < text.index("李*") \
        < text.index("三星家庭（1户）") < text.index("欧**明")
    for private in ("张三明", "李四", "欧阳小明", ZHANG_PHONE, ZHANG_ID):
        assert private not in text
    assert "/FontFile2" in embedded_font_files(out)


def test_star_roll_of_one_building(compound_with_points: Compound, out_dir: Path) -> None:
    out = out_dir / "roll.pdf"
    make(compound_with_points.db, "star-families", "2026-H1", out, building_ids=[compound_with_points.building10])
    text = "\n".join(read_pdf(out))
    assert "欧**明" in text and "张*明" not in text and "10栋" in text


def test_an_unrated_half_year_is_refused(compound_with_points: Compound, out_dir: Path) -> None:
    with pytest.raises(ValidationError, match="还没有评定星级家庭"):
        make(compound_with_points.db, "star-families", "2026-H2", out_dir / "roll.pdf")
    with pytest.raises(ValidationError, match="半年格式不对"):
        make(compound_with_points.db, "star-families", "2026-11", out_dir / "roll.pdf")
    assert not list(out_dir.iterdir())


# ------------------------------------------------------------------ registry


def test_registry(database: Database, staff_id: int, out_dir: Path) -> None:
    assert set(reports.REPORTS) == {"points-monthly", "star-families", "volunteer-certificate", "redemption-slip",
                                    "stock-ledger", "donor-thanks", "merchant-statement", "meeting-results",
                                    "meeting-minutes", "meeting-sign-in", "tickets-monthly", "tickets-figures",
                                    "ticket-record", "station-summary"}
    monthly = reports.REPORTS["points-monthly"]
    assert (monthly.title, monthly.period_kind, monthly.public) == ("月度积分公示", "month", True)
    assert reports.REPORTS["star-families"].period_kind == "half-year"
    assert reports.describe(monthly) == "月度积分公示（按月：2026-11）"
    assert reports.default_file_name("star-families", "2026h1") == "星级家庭光荣榜-2026-H1.pdf"
    with pytest.raises(ValidationError) as caught, database.read() as session:
        reports.make(session, "points-yearly", "2026", out_dir / "x.pdf")
    assert "points-monthly" in caught.value.message and "star-families" in caught.value.message


def test_make_returns_the_path(compound_with_points: Compound, out_dir: Path) -> None:
    with compound_with_points.db.read() as session:
        path = reports.make(session, "points-monthly", "2026年11月", out_dir / "notice.pdf", today=TODAY)
    assert path == out_dir / "notice.pdf" and path.stat().st_size > 1000


# ------------------------------------------------------------------ building blocks


def test_objection_period_follows_the_setting(database: Database, staff_id: int) -> None:
    with database.write() as session:
        assert pdf.objection_line(session, dt.date(2026, 12, 1)) == (
            "公示期：2026年12月1日至2026年12月7日。如有异议，请于公示期内向服务站积分审核小组反映。")
        settings.put(session, staff_id, settings.OBJECTION_DAYS, 10)
        assert pdf.objection_period(session, dt.date(2026, 12, 25)) == (dt.date(2026, 12, 25), dt.date(2027, 1, 3))


@pytest.mark.parametrize("text", [
    "联系电话13812345678", "电话：138-1234-5678", "电话 138 1234 5678", "１３８１２３４５６７８",
    f"身份证{ZHANG_ID}", "11010519491231002X", "11010519491231002x", "110105491231002",
])
def test_the_guard_stops_phone_and_id_numbers(text: str) -> None:
    with pytest.raises(PrivateDataInNotice):
        check_public_text(["张*明", text])


def test_the_guard_lets_ordinary_text_through() -> None:
    check_public_text(["3-2-501", "10-1-1101", "2026-11-22 10:30", "¥200", "12345678901", "第 1 页 / 共 112 页",
                       "公示期：2026年12月1日至2026年12月7日", "本半年累计 1380", "029-88881234"])


def test_a_public_notice_with_a_phone_number_is_not_written(database: Database, staff_id: int,
                                                            out_dir: Path) -> None:
    out = out_dir / "leak.pdf"
    with database.read() as session:
        document = NoticeDocument(session, "测试公示", "2026年11月", public=True)
    document.table(("户号", "户主"), [("3-2-501", f"张*明 {ZHANG_PHONE}")], widths=(1, 1))
    with pytest.raises(PrivateDataInNotice, match="手机号码"):
        document.write(out)
    assert not list(out_dir.iterdir())
    # an internal report may show phone numbers
    with database.read() as session:
        internal = NoticeDocument(session, "内部名单", "2026年11月", public=False, wide=True)
    internal.paragraph(f"张三明 {ZHANG_PHONE}")
    assert internal.write(out).pages == 1
    assert ZHANG_PHONE in read_pdf(out)[0]
    box = PdfReader(out).pages[0].mediabox
    assert box.width > box.height  # landscape


def test_a_failed_write_gives_a_chinese_message_and_leaves_nothing(compound_with_points: Compound, out_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="无法保存PDF：文件夹不存在"):
        make(compound_with_points.db, "points-monthly", "2026-11", out_dir / "missing" / "notice.pdf")
    assert not (out_dir / "missing").exists()

    target = out_dir / "notice.pdf"
    target.write_bytes(b"the old notice")

    def locked(source: object, destination: object) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ValidationError) as caught:
        make(compound_with_points.db, "points-monthly", "2026-11", target)
    assert "无法保存PDF" in caught.value.message and "正在被其他程序打开" in caught.value.message
    assert [p.name for p in out_dir.iterdir()] == ["notice.pdf"]
    assert target.read_bytes() == b"the old notice"


@pytest.fixture
def fresh_font_choice() -> Iterator[None]:
    pdf.chinese_font.cache_clear()
    yield
    pdf.chinese_font.cache_clear()


def test_the_font_search_skips_unusable_files(monkeypatch: pytest.MonkeyPatch, out_dir: Path,
                                              fresh_font_choice: None) -> None:
    broken = out_dir / "broken.ttf"
    broken.write_bytes(b"not a font" * 100)
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # no Chinese glyphs: skipped when present
    monkeypatch.setattr(pdf, "font_candidates", lambda: [out_dir / "absent.ttf", broken, latin])
    choice = pdf.chinese_font()
    assert (choice.name, choice.embedded) == (pdf.CID_FONT, False)


def test_a_bundled_font_comes_first(monkeypatch: pytest.MonkeyPatch, out_dir: Path) -> None:
    (out_dir / "readme.txt").write_text("licence", "utf-8")
    (out_dir / "SourceHanSans.TTF").write_bytes(b"")
    monkeypatch.setattr(pdf, "bundled_fonts_dir", lambda: out_dir)
    assert pdf.font_candidates()[0] == out_dir / "SourceHanSans.TTF"
    assert out_dir / "readme.txt" not in pdf.font_candidates()


def test_a_chinese_truetype_font_is_found_on_this_machine(fresh_font_choice: None) -> None:
    if not any(path.is_file() for path in pdf.font_candidates()):
        pytest.skip("no Chinese TrueType font installed (Debian: fonts-wqy-microhei)")
    choice = pdf.chinese_font()
    assert choice.embedded and Path(choice.path).is_file() and choice.name == pdf.FONT_NAME


def test_the_demo_compound_notice_is_quick(demo_database: Database, out_dir: Path) -> None:
    started = time.perf_counter()
    written = make(demo_database, "points-monthly", "2026-11", out_dir / "demo.pdf")
    assert time.perf_counter() - started < 5
    with demo_database.read() as session:
        buildings = len(session.scalars(select(Building.id)).all())
    assert written.pages >= buildings
