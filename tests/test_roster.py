"""Importing and exporting rosters with real .xlsx files built here."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import Database
from db.migrate import open_database
from db.models import AuditEntry, Household, Resident
from station import cli, onboarding, residents, roster
from station.onboarding import StationDetails
from station.residents import ResidentQuery

HEADER = ["序号", "姓名", "性别", "身份证号码", "联系电话", "出生年月", "单元", "房号", "政治面貌", "备注"]


def make_xlsx(path: Path, sheets: dict[str, list[list[Any]]], title: str | None = "幸福里小区居民花名册") -> Path:
    workbook = openpyxl.Workbook()
    for index, (name, rows) in enumerate(sheets.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        if title:
            sheet.append([f"{name} {title}"])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
            sheet.append(["填表日期：2026年11月"])
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def run_import(database: Database, staff_id: int, path: Path, sheet: str | None = None,
               trial: bool = False) -> roster.ImportResult:
    layouts = roster.layouts_for(roster.read_workbook(path), sheet)
    scope = database.trial() if trial else database.write()
    with scope as session:
        return roster.import_roster(session, staff_id, layouts, path.name)


def statuses(result: roster.ImportResult) -> list[tuple[int, str]]:
    return [(row.line, row.status) for row in result.rows]


def count(database: Database, model: type) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A roster as stations keep them: title rows, numbers where text belongs, and mistakes."""
    return make_xlsx(tmp_path / "3栋花名册.xlsx", {"3栋": [
        HEADER,
        [1, "张三明", "男", "110105195603020015", 13812341234, dt.date(1956, 3, 2), 2, 501, "中共党员", "独居"],
        [2, "王秀英", "女", 110105195807150026, None, 21381, 2, 501, "群众", ""],  # ID stored as a number
        [None] * 10,  # a blank row in the middle
        [3, "李 四", "男", None, "１３９ ００００ ０１１１", "1960年5月6日", "1", "１０１", "", "低保户"],
        [4, "张三明", "男", "110105195603020015", 13812341234, dt.date(1956, 3, 2), 2, 501, "中共党员", "独居"],
        [5, None, "男", None, None, None, 1, 102, None, None],
        [6, "赵六", "男", None, "1380000", "1960.5", 1, 102, None, None],
        [7, "钱七", "女", "11010519491231002X", None, 18263, 1, 102, "预备党员", "残疾"],
    ]})


def test_preview_names_every_row(database: Database, staff_id: int, messy: Path) -> None:
    result = run_import(database, staff_id, messy, trial=True)
    rows = {row.line: row for row in result.rows}
    assert statuses(result) == [(4, "新增"), (5, "错误"), (6, "跳过"), (7, "新增"), (8, "跳过"), (9, "跳过"),
                                (10, "错误"), (11, "新增")]
    assert "后几位已经丢失" in rows[5].reason
    assert rows[6].reason == "空行"
    assert rows[8].reason == "与第4行是同一人，只导入一次"
    assert rows[9].reason == "没有姓名，当作空白的模板行跳过"
    assert "手机号应为11位" in rows[10].reason
    assert rows[4].place == "3栋2单元501"  # the building from the sheet name
    assert result.summary() == "新增 3, 更新 0, 跳过 3, 错误 2"
    # a preview writes nothing
    assert count(database, Resident) == 0 and count(database, Household) == 0


def test_import_cleans_cells_and_writes_one_audit_entry(database: Database, staff_id: int, messy: Path) -> None:
    audits_before = count(database, AuditEntry)
    run_import(database, staff_id, messy)
    with database.read() as session:
        people = {r.name: r for r in session.scalars(select(Resident))}
        audits = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[audits_before:]
    assert set(people) == {"张三明", "李四", "钱七"}
    zhang, li, qian = people["张三明"], people["李四"], people["钱七"]
    assert (zhang.phone, zhang.birth_date, zhang.party_category, zhang.care_tags) == (
        "13812341234", dt.date(1956, 3, 2), "直管党员", "独居老人")
    assert (li.phone, li.birth_date, li.care_tags) == ("13900000111", dt.date(1960, 5, 6), "困难户")
    assert (qian.birth_date, qian.party_category, qian.care_tags) == (dt.date(1949, 12, 31), "直管党员", "残疾人")
    assert [a.summary for a in audits] == ["导入居民花名册 3栋花名册.xlsx：新增 3, 更新 0, 跳过 3, 错误 2"]
    assert count(database, Household) == 3  # 3-2-501, 3-1-101 and 3-1-102, made as needed


def test_importing_again_updates_and_never_duplicates(database: Database, staff_id: int, messy: Path,
                                                     tmp_path: Path) -> None:
    run_import(database, staff_id, messy)
    again = run_import(database, staff_id, messy)
    assert again.summary() == "新增 0, 更新 0, 跳过 6, 错误 2"
    changed = make_xlsx(tmp_path / "changed.xlsx", {"3栋": [
        HEADER,
        [1, "张三明", "男", "110105195603020015", 13999998888, None, 2, 501, None, None],
        [2, "李四", "男", None, None, None, 1, 101, None, "残疾"],  # no ID: matched by name and household
    ]})
    result = run_import(database, staff_id, changed)
    assert [(row.status, row.reason) for row in result.rows] == [
        ("更新", "改了：电话"), ("更新", "改了：关怀标签、备注")]
    assert count(database, Resident) == 3
    with database.read() as session:
        zhang = session.scalars(select(Resident).where(Resident.name == "张三明")).one()
    # empty cells in the new roster do not erase what is known
    assert (zhang.phone, zhang.birth_date, zhang.party_category) == ("13999998888", dt.date(1956, 3, 2), "直管党员")


def test_a_second_head_is_an_error_not_a_silent_change(database: Database, staff_id: int, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "heads.xlsx", {"Sheet1": [
        ["姓名", "性别", "住址", "与户主关系"],
        ["周大海", "男", "5栋1单元302", "户主"],
        ["周小海", "男", "5号楼1单元302室", "户主"],
        ["吴芳", "女", "5-1-302", "妻子"],
    ]}, title=None)
    result = run_import(database, staff_id, path)
    assert statuses(result) == [(2, "新增"), (3, "错误"), (4, "新增")]
    assert "本户已有户主 周大海" in result.rows[1].reason
    with database.read() as session:
        assert session.scalars(select(Resident.relation).where(Resident.name == "吴芳")).one() == "配偶"


def test_one_sheet_per_building_and_choosing_a_sheet(database: Database, staff_id: int, tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "all.xlsx", {
        "1栋": [["姓名", "性别", "单元", "房号"], ["甲一", "男", 1, 101]],
        "2号楼": [["姓名", "性别", "单元", "房号"], ["乙二", "女", 1, 101]],
        "说明": [["本表由社区统一下发"]],
    })
    result = run_import(database, staff_id, path)
    assert [(row.where, row.place) for row in result.rows] == [
        ("1栋 第4行", "1栋1单元101"), ("2号楼 第4行", "2栋1单元101")]
    with pytest.raises(roster.RosterError, match="没有名为“9栋”的工作表"):
        run_import(database, staff_id, path, sheet="9栋")
    only = run_import(database, staff_id, path, sheet="1栋")
    assert [row.name for row in only.rows] == ["甲一"]


def test_unknown_columns_are_left_out_and_the_mapping_can_be_changed(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "odd.xlsx", {"Sheet1": [
        ["姓 名", "性别", "爱好", "手机号码", "家庭住址", "人员类型"],
        ["孙悟空", "男", "下棋", "13800001111", "1栋1单元101", "独居老人"],
    ]}, title=None)
    layout = roster.layouts_for(roster.read_workbook(path))[0]
    assert layout.columns == {"name": 0, "gender": 1, "phone": 3, "address": 4, "care_tags": 5}
    layout.columns["note"] = 2  # the worker decides 爱好 is worth keeping as a note
    assert layout.headers[2] == "爱好"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"this is not a spreadsheet" * 20, "无法读取"), (b"", "无法读取")],
)
def test_unreadable_files_get_a_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(content)
    with pytest.raises(roster.RosterError, match=message):
        roster.read_workbook(path)
    with pytest.raises(roster.RosterError, match="不是本程序能读的表格文件"):
        roster.read_workbook(tmp_path / "花名册.docx")


def test_a_sheet_without_a_name_column(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "x.xlsx", {"Sheet1": [["编号", "金额"], [1, 2]]}, title=None)
    with pytest.raises(roster.RosterError, match="至少要有“姓名”一列"):
        roster.layouts_for(roster.read_workbook(path))


def test_wps_et_file_is_read_by_its_content(tmp_path: Path, messy: Path) -> None:
    et = tmp_path / "3栋花名册.et"
    shutil.copy(messy, et)
    assert roster.read_workbook(et)[0].name == "3栋"


def test_rejected_rows_are_saved_with_their_reasons(database: Database, staff_id: int, messy: Path,
                                                    tmp_path: Path) -> None:
    layouts = roster.layouts_for(roster.read_workbook(messy))
    with database.trial() as session:
        result = roster.import_roster(session, staff_id, layouts, messy.name)
    out = tmp_path / "错误行.xlsx"
    with database.write() as session:
        assert roster.save_rejects(session, staff_id, result, layouts, out) == 2
    sheet = openpyxl.load_workbook(out).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER + ["原表行号", "错误原因"]
    assert [(row[1], row[-2]) for row in rows[1:]] == [("王秀英", 5), ("赵六", 10)]
    assert "后几位已经丢失" in rows[1][-1]
    assert isinstance(rows[1][3], float)  # the damaged ID stays a number, never plausible text
    assert sheet.cell(row=3, column=5).value == "1380000" and sheet.cell(row=3, column=5).number_format == "@"


def test_export_keeps_every_digit_and_imports_back(demo_database: Database, staff_id: int, tmp_path: Path) -> None:
    out = tmp_path / "名单.xlsx"
    with demo_database.write() as session:
        exported = roster.export_residents(session, staff_id, ResidentQuery(), out, per_building=True,
                                           full_id_numbers=True)
        expected = residents.find_ids(session, ResidentQuery())
    assert exported == len(expected)
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[0] == "1栋"
    header = [cell.value for cell in workbook.active[1]]
    assert header[:5] == ["姓名", "性别", "出生日期", "身份证号", "电话"]
    ids = [row[3].value for row in workbook.active.iter_rows(min_row=2) if row[3].value]
    assert ids and all(isinstance(value, str) and len(value) == 18 for value in ids)
    result = run_import(demo_database, staff_id, out)
    assert result.count(roster.SKIP) == exported and result.count(roster.ERROR) == 0


def test_import_roster_command(data_dir: Path, database: Database, staff_id: int, messy: Path,
                               tmp_path: Path) -> None:
    out = io.StringIO()
    rejects = tmp_path / "rejects.xlsx"
    from station import staff

    with database.write() as session:  # the rejects are an export: made signed in
        staff.set_first_password(session, staff_id, "lihong2026", "lihong2026")
    secret = tmp_path / "password.txt"
    secret.write_text("lihong2026", encoding="utf-8")
    secret.chmod(0o600)
    code = cli.import_roster(data_dir, messy, dry_run=True, rejects=rejects, out=out, user="李红",
                             password_file=secret)
    lines = out.getvalue().splitlines()
    assert code == 0
    assert lines[0] == "第4行\t新增\t张三明\t党员类别未填，按直管党员记，可在程序中修改"
    assert lines[-1] == "新增 3, 更新 0, 跳过 3, 错误 2"
    assert rejects.exists()
    unreadable = tmp_path / "bad.xlsx"
    unreadable.write_bytes(b"nonsense")
    assert cli.import_roster(data_dir, unreadable, out=io.StringIO()) == 1


# ------------------------------------------------------------------ round trip

names = st.text(alphabet="张王李赵刘陈杨黄周吴明华英芳伟强秀兰桂军", min_size=2, max_size=3)
people = st.lists(
    st.fixed_dictionaries({
        "name": names,
        "gender": st.sampled_from(["男", "女"]),
        "birth": st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)),
        "phone": st.one_of(st.none(), st.integers(13_000_000_000, 19_999_999_999).map(str)),
        "place": st.tuples(st.integers(1, 12), st.integers(1, 3), st.integers(101, 1802)),
        "party": st.sampled_from(["", "直管党员", "在职党员", "流动党员", "离退休党员"]),
        "care": st.lists(st.sampled_from(["独居老人", "困难户", "残疾人"]), unique=True, max_size=2),
    }),
    min_size=1, max_size=12, unique_by=lambda p: (p["name"], p["place"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people)
def test_export_then_import_gives_the_same_roster(tmp_path_factory: pytest.TempPathFactory,
                                                  roster_people: list[dict[str, Any]]) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    source = make_xlsx(folder / "source.xlsx", {"Sheet1": [
        ["姓名", "性别", "出生日期", "电话", "楼栋", "单元", "房号", "党员类别", "人员类别"],
        *[[p["name"], p["gender"], p["birth"], p["phone"], *p["place"], p["party"], "、".join(p["care"])]
          for p in roster_people],
    ]}, title=None)
    first = open_database(folder / "a.sqlite3", folder / "backups")
    second = open_database(folder / "b.sqlite3", folder / "backups")
    try:
        for db in (first, second):
            with db.write() as session:
                onboarding.set_up(session, StationDetails("站", "", ""), "李红")
        assert run_import(first, 1, source).count(roster.NEW) == len(roster_people)
        exported = folder / "exported.xlsx"
        with first.write() as session:
            roster.export_residents(session, 1, ResidentQuery(), exported)
        assert run_import(second, 1, exported).count(roster.NEW) == len(roster_people)
        again = folder / "again.xlsx"
        with second.write() as session:
            roster.export_residents(session, 1, ResidentQuery(), again)
        assert table(exported) == table(again)
    finally:
        first.close()
        second.close()


def table(path: Path) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in openpyxl.load_workbook(path).active.iter_rows()]


def test_a_cancelled_import_writes_nothing(database: Database, staff_id: int, tmp_path: Path) -> None:
    rows = [["姓名", "性别", "住址"]] + [[f"居民{n}号", "男", f"1栋1单元{100 + n}"] for n in range(450)]
    path = make_xlsx(tmp_path / "big.xlsx", {"Sheet1": rows}, title=None)
    layouts = roster.layouts_for(roster.read_workbook(path))
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 400  # the worker presses 取消 part way

    with pytest.raises(roster.ImportCancelled), database.write() as session:
        roster.import_roster(session, staff_id, layouts, path.name, progress)
    assert seen == [(200, 450), (400, 450)]
    assert count(database, Resident) == 0 and count(database, Household) == 0


def test_rosters_as_other_programs_and_other_people_make_them(database: Database, staff_id: int,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "七栋.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "7栋"
    sheet.append(["七栋居民花名册"])
    sheet.append(["序号", "户主姓名", "姓名", "性别", "身份证号码", "出生年月", "住址", None, None,
                  "政治面貌", "党员类别", "备注"])
    sheet.append([None, None, None, None, None, None, "栋", "单元", "室"])  # a two-row header
    sheet.merge_cells("G2:I2")
    rows = [
        [1, "张建国", "张建国", "男", "430103195203150031", "1952.03", 7, 1, 101, "中共党员", "离休", ""],
        [2, "张建国", "李秀英", "女", None, 1978.02, 7, 1, 101, "群众", None, "已脱离低保"],
        [3, "周敏", "周敏", "女", None, "1950-01-01", 7, 1, 102, "民革党员", None, "独居"],
        [4, "周敏", "吴小独", "男", None, "2001-06-01", 7, 1, 102, None, None, "独居"],
        [5, "陈大伟", "陈大伟", "男", "430103195203150031", None, 7, 2, 201, None, None, ""],
        [6, "郑一", "郑一", "男", None, None, 7, 2, 202, "中共党员", "社区党员", ""],
        [7] + [None] * 11,
        ["填表人：王芳    审核人：李强"],
    ]
    for row in rows:
        sheet.append(row)
    notes = workbook.create_sheet("填表说明")
    notes.append(["请按姓名、性别、身份证号码的顺序填写，每户一行"])
    other = workbook.create_sheet("一号楼")
    other.append(["姓名", "性别", "住址"])
    other.append(["孙一", "男", "幸福里小区1单元106室"])
    other.append(["孙二", "女", "幸福里小区2号楼3单元301室"])
    workbook.save(path)

    result = run_import(database, staff_id, path)
    got = {(row.sheet, row.line): (row.status, row.name, row.place, row.reason) for row in result.rows}
    assert [layout.sheet.name for layout in roster.layouts_for(roster.read_workbook(path))] == ["7栋", "一号楼"]
    assert got[("7栋", 4)][:3] == ("新增", "张建国", "7栋1单元101")
    assert got[("7栋", 5)][:3] == ("新增", "李秀英", "7栋1单元101")  # 姓名 wins over 户主姓名
    assert "只有年月" in got[("7栋", 5)][3]
    assert got[("7栋", 6)] == ("新增", "周敏", "7栋1单元102", "")
    assert got[("7栋", 7)][0] == "新增" and "不满60岁" in got[("7栋", 7)][3]
    assert got[("7栋", 8)][0] == "错误" and "住址不同" in got[("7栋", 8)][3]
    assert got[("7栋", 9)][0] == "错误" and "党员类别只能是：直管党员、在职党员、流动党员、离退休党员" in got[("7栋", 9)][3]
    assert got[("7栋", 10)] == ("跳过", "", "", "空行")
    assert got[("7栋", 11)][3] == "表尾说明"
    assert got[("一号楼", 2)][:3] == ("新增", "孙一", "1栋1单元106")
    assert got[("一号楼", 3)][:3] == ("新增", "孙二", "2栋3单元301")
    with database.read() as session:
        people = {r.name: r for r in session.scalars(select(Resident))}
    zhang, li, zhou, wu = people["张建国"], people["李秀英"], people["周敏"], people["吴小独"]
    assert (zhang.relation, zhang.birth_date, zhang.party_category) == ("户主", dt.date(1952, 3, 15), "离退休党员")
    assert (li.relation, li.birth_date, li.care_tags) == ("其他", dt.date(1978, 2, 1), "")
    assert (zhou.relation, zhou.party_category, zhou.care_tags) == ("户主", None, "独居老人")  # 民革 is not 中共
    assert wu.care_tags == ""
