"""The first-run dialog, and what the user sees when something goes wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from db.engine import Database
from db.errors import DatabaseProblem
from db.models import Resident, Staff, StationInfo
from station import logs
from station.errors import ValidationError
from tests.ui.conftest import type_text
from ui import messages
from ui.first_run import FirstRunDialog


def test_first_run_sets_up_the_station(qtbot, database: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # nothing typed yet
    assert dialog.form.error_text("name") == "请填写服务站名称"
    assert dialog.form.error_text("staff") == "请填写您的姓名"
    type_text(qtbot, dialog.station, "红旗小区党群服务站")
    type_text(qtbot, dialog.community, "红旗社区")
    type_text(qtbot, dialog.staff_name, "周桂芳")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with database.read() as session:
        info = session.get(StationInfo, 1)
        staff = session.scalars(select(Staff)).one()
    assert (info.name, info.community) == ("红旗小区党群服务站", "红旗社区")  # type: ignore[union-attr]
    assert (staff.name, staff.role) == ("周桂芳", "管理员")
    assert dialog.staff == (staff.id, "周桂芳")


def test_first_run_can_load_the_demo(qtbot, database: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.staff is not None
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 800


@pytest.fixture
def shown_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered at once, recording (title, text)."""
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: boxes.append((title, text)))

    def record_exec(box: QMessageBox) -> int:
        boxes.append((box.windowTitle(), box.text() + "\n" + box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record_exec)
    return boxes


def test_a_bug_is_logged_and_shown_with_details(shown_boxes, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    log_file = logs.configure(data_dir)
    try:
        raise KeyError("household 42")
    except KeyError as error:
        messages.handle_exception(type(error), error, error.__traceback__)
    for handler in logging.getLogger().handlers:
        handler.flush()
    title, text = shown_boxes[0]
    assert title == "程序出错" and "数据不受影响" in text and "KeyError: 'household 42'" in text
    assert "KeyError: 'household 42'" in log_file.read_text(encoding="utf-8")


def test_known_problems_get_a_plain_message(shown_boxes) -> None:  # type: ignore[no-untyped-def]
    messages.handle_exception(ValidationError, ValidationError("这位居民不存在"), None)
    problem = DatabaseProblem("磁盘空间已满，本次操作没有保存。请清理磁盘后再试。", "database or disk is full")
    messages.handle_exception(DatabaseProblem, problem, None)
    assert shown_boxes == [("请注意", "这位居民不存在"), ("数据文件", problem.message)]
