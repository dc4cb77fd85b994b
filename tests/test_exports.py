"""Exports are rights and leave a trace: who may take the residents' list out, what goes out, 操作记录."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Resident
from station import access, cli, exports, roster, staff
from station.errors import ValidationError
from station.residents import ResidentQuery
from station.validation import mask_id_number
from station.vocab import ADMIN, AUDITOR, CLERK
from tests.test_roster import make_xlsx, run_import

FULL_HEADER = ["姓名", "性别", "出生日期", "身份证号", "电话", "楼栋", "单元", "房号", "与户主关系", "党员类别",
               "职务", "人员类别", "入住日期", "备注"]
MASKED = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


@pytest.fixture
def accounts(demo_database: Database, staff_id: int) -> dict[str, int]:
    """One account per role, and a clerk whose account is 停用."""
    with demo_database.write() as session:
        made = {
            CLERK: staff.add(session, staff_id, "王录入", CLERK),
            AUDITOR: staff.add(session, staff_id, "赵审核", AUDITOR),
            ADMIN: staff_id,
            "停用": staff.add(session, staff_id, "钱停用", CLERK),
        }
        staff.update(session, staff_id, made["停用"], "钱停用", CLERK, False)
    return made


def export_entries(database: Database) -> list[AuditEntry]:
    with database.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "export")
                                       .order_by(AuditEntry.id)))
        session.expunge_all()
    return entries


def after_of(entry: AuditEntry) -> dict[str, Any]:
    """What an 操作记录 row keeps of the export."""
    data = json.loads(entry.after or "{}")
    assert isinstance(data, dict)
    return data


def read_back(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    sheet = openpyxl.load_workbook(path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = [str(title) for title in rows[0]]
    return header, [dict(zip(header, row)) for row in rows[1:]]


def stored_ids(database: Database) -> dict[int, str]:
    """Resident -> the ID number on file, for those living here (whom an export lists) that have one."""
    with database.read() as session:
        return {r.id: r.id_number or "" for r in session.scalars(
            select(Resident).where(Resident.id_number.is_not(None), Resident.moved_out_on.is_(None)))}


def export(database: Database, account: int, path: Path, full_id_numbers: bool = False) -> int:
    with database.write() as session:
        return roster.export_residents(session, account, ResidentQuery(), path, full_id_numbers=full_id_numbers)


@pytest.mark.parametrize("role", [CLERK, ADMIN])
def test_the_desk_exports_with_id_numbers_masked_and_one_audit_row(demo_database: Database,
                                                                  accounts: dict[str, int], tmp_path: Path,
                                                                  role: str) -> None:
    out = tmp_path / "居民名单.xlsx"
    count = export(demo_database, accounts[role], out)
    header, rows = read_back(out)
    assert header == FULL_HEADER  # 人员类别 (care tags): 录入员 and 管理员 may see them
    assert len(rows) == count > 0
    ids = [row["身份证号"] for row in rows if row["身份证号"]]
    assert ids and all(MASKED.fullmatch(value) for value in ids)
    assert sorted(ids) == sorted(mask_id_number(n) for n in stored_ids(demo_database).values())
    [entry] = export_entries(demo_database)
    assert (entry.staff_id, entry.entity, entry.entity_id) == (accounts[role], "document", None)
    assert entry.summary == f"导出居民名单：居民名单.xlsx，{count}人，列：{'、'.join(FULL_HEADER)}"
    assert after_of(entry) == {"file": "居民名单.xlsx", "rows": count, "columns": FULL_HEADER,
                                       "full_id_numbers": False}
    assert str(tmp_path) not in entry.summary + (entry.after or "")  # the file's name, never its folder


def test_an_administrator_may_take_full_id_numbers(demo_database: Database, accounts: dict[str, int],
                                                   tmp_path: Path) -> None:
    out = tmp_path / "上报名单.xlsx"
    count = export(demo_database, accounts[ADMIN], out, full_id_numbers=True)
    _header, rows = read_back(out)
    ids = [row["身份证号"] for row in rows if row["身份证号"]]
    assert sorted(ids) == sorted(stored_ids(demo_database).values())
    assert all(isinstance(value, str) and len(value) == 18 and "*" not in value for value in ids)
    [entry] = export_entries(demo_database)
    assert entry.staff_id == accounts[ADMIN]
    assert entry.summary.startswith(f"导出居民名单（含完整身份证号）：上报名单.xlsx，{count}人，列：姓名、")
    assert after_of(entry)["full_id_numbers"] is True


@pytest.mark.parametrize(("who", "full", "message"), [
    (AUDITOR, False, "导出居民名单需要录入员或管理员账号，赵审核是积分审核员"),
    ("停用", False, "这个工作人员账号不存在或已停用"),
    (CLERK, True, "导出完整身份证号需要管理员账号，王录入是录入员"),
])
def test_a_refused_export_writes_nothing(demo_database: Database, accounts: dict[str, int], tmp_path: Path,
                                         who: str, full: bool, message: str) -> None:
    out = tmp_path / "居民名单.xlsx"
    with pytest.raises(ValidationError) as refused:
        export(demo_database, accounts[who], out, full_id_numbers=full)
    assert refused.value.message == message
    assert not out.exists()
    assert export_entries(demo_database) == []


def test_care_tags_go_only_to_roles_that_may_see_them(demo_database: Database, accounts: dict[str, int],
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the auditor let export one day, the 人员类别 column would still stay behind."""
    monkeypatch.setattr(access, "EXPORT_RESIDENTS", (CLERK, AUDITOR, ADMIN))
    out = tmp_path / "居民名单.xlsx"
    count = export(demo_database, accounts[AUDITOR], out)
    header, rows = read_back(out)
    assert header == [title for title in FULL_HEADER if title != "人员类别"]
    assert len(rows) == count
    [entry] = export_entries(demo_database)
    assert entry.staff_id == accounts[AUDITOR] and "人员类别" not in after_of(entry)["columns"]
    # and the file imports back without touching anybody's care tags
    with demo_database.read() as session:
        tags_before = {rid: tags for rid, tags in session.execute(select(Resident.id, Resident.care_tags))}
    assert run_import(demo_database, accounts[CLERK], out).count(roster.ERROR) == 0
    with demo_database.read() as session:
        assert {rid: tags for rid, tags in session.execute(select(Resident.id, Resident.care_tags))} == tags_before


def test_a_masked_export_imports_back_and_keeps_the_numbers_on_file(demo_database: Database,
                                                                    accounts: dict[str, int],
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "居民名单.xlsx"
    count = export(demo_database, accounts[CLERK], out)
    before = stored_ids(demo_database)
    again = run_import(demo_database, accounts[CLERK], out)
    assert again.count(roster.ERROR) == 0 and again.count(roster.SKIP) == count  # nothing to change
    assert stored_ids(demo_database) == before
    # a phone corrected in the exported list: the row updates, the full ID number stays
    book = openpyxl.load_workbook(out)
    sheet = book.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value)
    name = row[0].value
    row[4].value = "13912345678"
    book.save(out)
    changed = run_import(demo_database, accounts[CLERK], out)
    assert [(r.name, r.status) for r in changed.rows if r.status != roster.SKIP] == [(name, roster.UPDATE)]
    assert stored_ids(demo_database) == before
    [updated] = [r for r in changed.rows if r.status == roster.UPDATE]
    assert updated.reason.startswith("改了：电话") and MASKED.fullmatch(updated.id_masked)


def test_a_masked_id_number_is_not_an_error_for_someone_new(database: Database, staff_id: int,
                                                            tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["姓名", "性别", "出生日期", "身份证号", "住址"],
        ["孙丽", "女", "1958-07-15", "110105********0026", "2栋1单元301"],
    ]}, title=None)
    result = run_import(database, staff_id, path)
    [row] = result.rows
    assert row.status == roster.NEW and "身份证号隐去了部分数字，没有导入这一项" in row.reason
    with database.read() as session:
        assert session.scalars(select(Resident.id_number)).one() is None


def test_rejected_rows_saved_leave_one_audit_row(demo_database: Database, accounts: dict[str, int],
                                                 tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "7栋.xlsx", {"7栋": [
        ["姓名", "性别", "身份证号码", "单元", "房号"],
        ["高大山", "男", 110105195001010011, 1, 101],  # the ID lost its digits in Excel
        ["高小川", "男", None, 1, 102],
    ]})
    layouts = roster.layouts_for(roster.read_workbook(source))
    with demo_database.trial() as session:
        result = roster.import_roster(session, accounts[CLERK], layouts, source.name)
    out = tmp_path / "7栋-错误行.xlsx"
    with pytest.raises(ValidationError, match="已停用"), demo_database.write() as session:
        roster.save_rejects(session, accounts["停用"], result, layouts, out)
    assert not out.exists() and export_entries(demo_database) == []
    with demo_database.write() as session:
        assert roster.save_rejects(session, accounts[CLERK], result, layouts, out) == 1
    [entry] = export_entries(demo_database)
    columns = ["姓名", "性别", "身份证号码", "单元", "房号", "原表行号", "错误原因"]
    assert entry.staff_id == accounts[CLERK]
    assert entry.summary == f"保存花名册错误行：7栋-错误行.xlsx，1行，列：{'、'.join(columns)}"
    assert after_of(entry) == {"file": "7栋-错误行.xlsx", "rows": 1, "columns": columns}


def test_the_import_command_records_its_rejects(data_dir: Path, database: Database, staff_id: int,
                                                tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "7栋.xlsx", {"7栋": [
        ["姓名", "性别", "身份证号码", "单元", "房号"],
        ["高大山", "男", 110105195001010011, 1, 101],
    ]})
    rejects = tmp_path / "rejects.xlsx"
    said = io.StringIO()  # the rejects carry full names and numbers: nobody signed in, nothing saved
    assert cli.import_roster(data_dir, source, dry_run=True, rejects=rejects, out=said) == 2
    assert "--user" in said.getvalue() and not rejects.exists() and export_entries(database) == []
    with database.write() as session:
        staff.set_first_password(session, staff_id, "lihong2026", "lihong2026")
    secret = tmp_path / "password.txt"
    secret.write_text("lihong2026\n", encoding="utf-8")
    secret.chmod(0o600)
    assert cli.import_roster(data_dir, source, dry_run=True, rejects=rejects, out=io.StringIO(), user="李红",
                             password_file=secret) == 0
    assert rejects.exists()
    [entry] = export_entries(database)
    assert entry.staff_id == staff_id and entry.summary.startswith("保存花名册错误行：rejects.xlsx，1行，列：姓名、")


def test_record_export_names_the_file_only(database: Database, staff_id: int, tmp_path: Path) -> None:
    with database.write() as session:
        exports.record_export(session, staff_id, "导出服务队名单", tmp_path / "deep" / "队员.xlsx", 12,
                              ["姓名", "", "电话"], team="一队")
    [entry] = export_entries(database)
    assert (entry.action, entry.entity, entry.entity_id) == ("export", "document", None)
    assert entry.summary == "导出服务队名单：队员.xlsx，12行，列：姓名、电话"
    assert after_of(entry) == {"file": "队员.xlsx", "rows": 12, "columns": ["姓名", "电话"], "team": "一队"}


def test_a_masked_id_number_that_shows_other_digits_is_another_person(database: Database, staff_id: int,
                                                                      tmp_path: Path) -> None:
    def roster_with(id_number: str) -> Path:
        return make_xlsx(tmp_path / f"{id_number.count('*')}-{id_number[-4:]}.xlsx", {"Sheet1": [
            ["姓名", "性别", "出生日期", "身份证号", "住址"],
            ["孙丽", "女", "1958-07-15", id_number, "2栋1单元301"],
        ]}, title=None)

    assert run_import(database, staff_id, roster_with("110105195807150022")).rows[0].status == roster.NEW
    same = run_import(database, staff_id, roster_with("110105********0022")).rows[0]
    assert (same.status, same.reason) == (roster.SKIP, "与已登记的信息相同")
    other = run_import(database, staff_id, roster_with("110105********0034")).rows[0]
    assert other.status == roster.NEW, other.reason  # the same name in the same room, but not the number on file
