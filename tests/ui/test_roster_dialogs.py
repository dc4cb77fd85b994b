"""Importing a roster and exporting the list, as the worker does it in the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry
from station import access, residents, staff
from station.residents import ResidentQuery
from station.vocab import ADMIN, AUDITOR, CLERK
from tests.test_exports import MASKED, after_of
from tests.test_roster import HEADER, make_xlsx
from ui.roster_dialogs import ExportDialog, RosterImportDialog


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr("ui.messages.info", lambda parent, text, *a, **k: said.append(text))
    monkeypatch.setattr("ui.messages.warn", lambda parent, text, *a, **k: said.append(text))
    return said


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "7栋花名册.xlsx", {"7栋": [
        HEADER[:8] + ["爱好"],
        [1, "高秀兰", "女", "11010519491231002X", "13800002222", None, 1, 101, "下棋"],
        [2, "高大山", "男", 110105195001010011, None, dt.date(1950, 1, 1), 1, 101, "钓鱼"],
        [3, "高小川", "男", None, "1380000", None, 1, 102, ""],
    ]})


def shown(dialog: RosterImportDialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.data(model.index(r, 1)), model.data(model.index(r, 2))) for r in range(model.rowCount())]


def test_walk_the_import(qtbot, window, demo_database: Database, roster_file: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                         answered: list[str], qtmodeltester) -> None:
    dialog = window.import_roster(str(roster_file))
    assert isinstance(dialog, RosterImportDialog) and dialog.isVisible()
    assert shown(dialog) == [("新增", "高秀兰"), ("错误", "高大山"), ("错误", "高小川")]
    assert dialog.counts.text() == "新增 1, 更新 0, 跳过 0, 错误 2"
    qtmodeltester.check(dialog.model)
    # 爱好 was not recognised; the worker keeps it as a note
    assert dialog.mapping["note"].currentData() is None
    dialog.choose_column("note", "爱好")
    assert dialog.mapping["note"].currentText() == "I 列：爱好"
    # and takes the phone column out: 高小川's short number is no longer a problem
    dialog.choose_column("phone", None)
    assert shown(dialog) == [("新增", "高秀兰"), ("错误", "高大山"), ("新增", "高小川")]
    rejects = tmp_path / "错误行.xlsx"
    dialog.save_rejects(str(rejects))
    saved = [[c.value for c in row] for row in openpyxl.load_workbook(rejects).active.iter_rows()]
    assert saved[0][-1] == "错误原因" and saved[1][1] == "高大山" and "后几位已经丢失" in saved[1][-1]
    [entry] = export_entries(demo_database)  # the rejects file left a trace, in the signed-in account's name
    assert entry.staff_id == window.staff_id
    assert entry.summary.startswith("保存花名册错误行：错误行.xlsx，1行，列：序号、姓名、")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert answered[-1].startswith("导入完成：新增 2, 更新 0, 跳过 0, 错误 1")
    with demo_database.read() as session:
        found = residents.find_ids(session, ResidentQuery(text="7-1-10"))
        rows = residents.rows(session, found)
    assert sorted(r.name for r in rows.values()) == ["高小川", "高秀兰"]
    # the tab shows them at once
    tab = window.residents
    tab.search.setText("7-1-10")
    assert tab.model.rowCount() == 2
    root = tab.tree.topLevelItem(0)
    assert "7栋（2户）" in [root.child(i).text(0) for i in range(root.childCount())]


def test_an_unreadable_file_is_named_and_nothing_opens(window, tmp_path: Path, answered: list[str]) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏文件.xls"
    bad.write_bytes(b"\x00\x01not really excel")
    assert window.import_roster(str(bad)) is None
    assert "无法读取 坏文件.xls" in answered[-1]


def test_export_the_filtered_list(qtbot, window, demo_database: Database, staff_id: int, tmp_path: Path,  # type: ignore[no-untyped-def]
                                  answered: list[str]) -> None:
    window.residents.search.setText("9-3-1202")
    dialog = ExportDialog(demo_database, staff_id, window.residents.model.query, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.filtered, Qt.MouseButton.LeftButton)
    out = tmp_path / "名单.xlsx"
    assert dialog.export(str(out)) == 2
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]
    assert sorted(row[0] for row in rows) == ["张三明", "王秀英"]
    assert answered[-1].startswith("已导出 2 位居民")
    [entry] = export_entries(demo_database)
    assert entry.staff_id == staff_id and entry.summary.startswith("导出居民名单：名单.xlsx，2人，列：姓名、")


# ------------------------------------------------------------------ what goes out, by role, and its trace


def export_entries(database: Database) -> list[AuditEntry]:
    with database.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "export")
                                       .order_by(AuditEntry.id)))
        session.expunge_all()
    return entries


def ids_in(path: Path) -> tuple[list[str], list[str]]:
    """(header, the ID numbers) of an exported list."""
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    header = [str(title) for title in rows[0]]
    column = header.index("身份证号")
    return header, [row[column] for row in rows[1:] if row[column]]


@pytest.fixture
def account(demo_database: Database, staff_id: int):  # type: ignore[no-untyped-def]
    """An account of the role asked for (管理员: the first one)."""
    def make(role: str) -> int:
        if role == ADMIN:
            return staff_id
        with demo_database.write() as session:
            return staff.add(session, staff_id, f"测试{role}", role)
    return make


def test_a_clerk_exports_masked_id_numbers_with_care_tags(qtbot, demo_database: Database, account,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path, answered: list[str]) -> None:
    dialog = ExportDialog(demo_database, account(CLERK), ResidentQuery())
    qtbot.addWidget(dialog)
    assert dialog.full_id_numbers.isHidden()  # only an administrator is offered full ID numbers
    assert "身份证号只显示前6位和后4位" in dialog.note.text() and "不含人员类别" not in dialog.note.text()
    out = tmp_path / "名单.xlsx"
    count = dialog.export(str(out))
    header, ids = ids_in(out)
    assert "人员类别" in header
    assert ids and all(MASKED.fullmatch(value) for value in ids)
    [entry] = export_entries(demo_database)
    assert after_of(entry) == {"file": "名单.xlsx", "rows": count, "columns": header,
                                       "full_id_numbers": False}


def test_an_administrator_may_tick_full_id_numbers(qtbot, demo_database: Database, account,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path, answered: list[str]) -> None:
    dialog = ExportDialog(demo_database, account(ADMIN), ResidentQuery())
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.findChild(QCheckBox, "full_id_numbers")
    assert box is not None and box.isVisible() and not box.isChecked()
    assert box.text() == "包含完整身份证号（仅供上报）"
    masked = tmp_path / "名单.xlsx"
    dialog.export(str(masked))
    assert all(MASKED.fullmatch(value) for value in ids_in(masked)[1])
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert "完整号码" in dialog.note.text()
    full = tmp_path / "上报名单.xlsx"
    count = dialog.export(str(full))
    _header, ids = ids_in(full)
    assert ids and all(len(value) == 18 and "*" not in value for value in ids)
    first, second = export_entries(demo_database)
    assert after_of(first)["full_id_numbers"] is False
    assert after_of(second)["full_id_numbers"] is True
    assert second.summary.startswith(f"导出居民名单（含完整身份证号）：上报名单.xlsx，{count}人")


def test_an_auditor_is_told_no_and_nothing_is_written(qtbot, demo_database: Database, account,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path, answered: list[str]) -> None:
    dialog = ExportDialog(demo_database, account(AUDITOR), ResidentQuery())
    qtbot.addWidget(dialog)
    assert dialog.full_id_numbers.isHidden() and not dialog.export_button.isEnabled()
    assert dialog.note.text() == "导出居民名单需要录入员或管理员账号。"
    out = tmp_path / "名单.xlsx"
    assert dialog.export(str(out)) is None
    assert answered[-1] == "导出居民名单需要录入员或管理员账号，测试积分审核员是积分审核员"
    assert not out.exists() and export_entries(demo_database) == []


def test_the_hint_says_care_tags_stay_behind(qtbot, demo_database: Database, account,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             answered: list[str]) -> None:
    monkeypatch.setattr(access, "EXPORT_RESIDENTS", (CLERK, AUDITOR, ADMIN))
    dialog = ExportDialog(demo_database, account(AUDITOR), ResidentQuery())
    qtbot.addWidget(dialog)
    assert "不含人员类别（关怀标签）" in dialog.note.text()
    out = tmp_path / "名单.xlsx"
    assert dialog.export(str(out))
    assert "人员类别" not in ids_in(out)[0]


def test_the_monthly_summary_spreadsheet_is_recorded(qtbot, demo_database: Database, staff_id: int,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from station.reports.summary import XLSX_COLUMNS
    from ui.home_tab import HomeTab

    opened: list[Path] = []
    monkeypatch.setattr("ui.home_tab.open_file", opened.append)
    tab = HomeTab(demo_database, staff_id)
    qtbot.addWidget(tab)
    out = tmp_path / "月度工作报表.xlsx"
    assert tab.export_summary(str(out)) == out and opened == [out]
    figures = openpyxl.load_workbook(out)["指标"].max_row - 1
    [entry] = export_entries(demo_database)
    assert entry.staff_id == staff_id and entry.entity == "document"
    assert entry.summary == f"导出月度工作报表：月度工作报表.xlsx，{figures}项指标，列：{'、'.join(XLSX_COLUMNS)}"
    assert after_of(entry) == {"file": "月度工作报表.xlsx", "rows": figures, "columns": list(XLSX_COLUMNS),
                                       "month": tab.month()}
