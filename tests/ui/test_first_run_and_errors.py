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
from station import staff as station_staff
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
    assert dialog.isVisible() and dialog.form.error_text("password") == "密码至少6位"  # the first account's own
    type_text(qtbot, dialog.password, "hongqi2026")
    type_text(qtbot, dialog.confirm, "hongqi2026")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.set_up_here
    with database.read() as session:
        info = session.get(StationInfo, 1)
        staff = session.scalars(select(Staff)).one()
    assert (info.name, info.community) == ("红旗小区党群服务站", "红旗社区")  # type: ignore[union-attr]
    assert (staff.name, staff.role) == ("周桂芳", "管理员")
    assert dialog.staff == (staff.id, "周桂芳")
    with database.write() as session:  # the password typed at set-up is the one to sign in with
        assert station_staff.login(session, staff.id, "hongqi2026").account is not None


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


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_handler_and_the_program_goes_on(
    qtbot, shown_boxes, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    import sys

    from PySide6.QtWidgets import QPushButton

    monkeypatch.setattr(sys, "excepthook", messages.handle_exception)
    clicks: list[int] = []

    def broken() -> None:
        clicks.append(1)
        raise ZeroDivisionError("division by zero in a slot")

    button = QPushButton("试一下")
    qtbot.addWidget(button)
    button.clicked.connect(broken)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # still alive, still answering
    assert clicks == [1, 1]
    assert [title for title, _text in shown_boxes] == ["程序出错", "程序出错"]
    assert "ZeroDivisionError" in shown_boxes[0][1]


def test_one_running_copy_per_data_folder(shown_boxes, data_dir: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.app import acquire_lock

    import getpass
    import socket

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text)
                        or QMessageBox.StandardButton.No)
    first = acquire_lock(data_dir)
    assert first is not None
    try:
        assert acquire_lock(data_dir) is None
        assert "已经在运行" in asked[0] and f"电脑 {socket.gethostname()}，用户 {getpass.getuser()}" in asked[0]
        assert "要切换到已经打开的窗口吗" in asked[0]  # the same computer: offered to bring it forward
    finally:
        first.unlock()
    again = acquire_lock(data_dir)
    assert again is not None
    again.unlock()


def test_a_lock_left_by_a_power_cut_does_not_block_the_start(data_dir: Path) -> None:
    import socket

    from PySide6.QtCore import QLockFile

    from ui.app import acquire_lock

    probe = QLockFile(str(data_dir / "probe.lock"))
    assert probe.tryLock(0)
    lines = (data_dir / "probe.lock").read_bytes().split(b"\n")
    probe.unlock()
    # the same lock written by a process that no longer exists
    lines[0] = b"4194303"
    (data_dir / "station.lock").write_bytes(b"\n".join(lines))
    assert socket.gethostname()
    lock = acquire_lock(data_dir)
    assert lock is not None
    lock.unlock()


def test_a_second_start_on_this_computer_brings_the_window_forward(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.app import ActivationServer, bring_forward

    window = QWidget()
    qtbot.addWidget(window)
    server = ActivationServer(data_dir, window)
    raised: list[bool] = []
    monkeypatch.setattr(server, "raise_window", lambda: raised.append(True))
    assert bring_forward(data_dir)
    qtbot.waitUntil(lambda: bool(raised), timeout=3000)
    assert not bring_forward(data_dir / "another")  # nobody listens for another folder
