"""Importing a roster and exporting the list, as the worker does it in the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from db.engine import Database
from station import residents
from station.residents import ResidentQuery
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


def test_export_the_filtered_list(qtbot, window, tmp_path: Path, answered: list[str]) -> None:  # type: ignore[no-untyped-def]
    window.residents.search.setText("9-3-1202")
    dialog = window.export_residents()
    assert isinstance(dialog, ExportDialog)
    qtbot.mouseClick(dialog.filtered, Qt.MouseButton.LeftButton)
    out = tmp_path / "名单.xlsx"
    assert dialog.export(str(out)) == 2
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]
    assert sorted(row[0] for row in rows) == ["张三明", "王秀英"]
    assert answered[-1].startswith("已导出 2 位居民")
