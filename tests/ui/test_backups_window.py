"""Backups from the window: in the background at start and when changed, at exit, to a stick, restore, start-up check."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from db.engine import Database
from station import backups, residents
from station.paths import backups_dir
from station.residents import ResidentInput, ResidentQuery
from tests.ui.conftest import answer_password


def _add(db: Database, staff_id: int, household: int, name: str) -> int:
    with db.write() as session:
        return residents.add_resident(session, staff_id, ResidentInput(name, household, "男", "1990-01-01",
                                                                       relation="子女"))


def _names(db: Database) -> set[str]:
    with db.read() as session:
        ids = residents.find_ids(session, ResidentQuery(text="欧阳"))
        return {row.name for row in residents.rows(session, ids).values()}


def test_the_start_backup_runs_in_the_background_and_another_only_after_a_change(  # type: ignore[no-untyped-def]
        qtbot, window, data_dir: Path, demo_database: Database, staff_id: int, known: dict[str, int]) -> None:
    keeper = window.keeper
    with qtbot.waitSignal(keeper.finished, timeout=20000) as done:
        keeper.start()
    assert done.args[1] is True and done.args[0].startswith("已自动备份")
    assert [info.kind for info in backups.list_backups(backups_dir(data_dir))] == ["启动时"]
    assert not keeper.backup_if_changed()  # nothing changed since
    _add(demo_database, staff_id, known["household"], "欧阳小明")
    with qtbot.waitSignal(keeper.finished, timeout=20000):
        assert keeper.backup_if_changed()
    kinds = [info.kind for info in backups.list_backups(backups_dir(data_dir))]
    assert sorted(kinds) == ["启动时", "自动"]
    keeper.stop()


def test_closing_after_a_change_backs_up(qtbot, window, data_dir: Path, demo_database: Database,  # type: ignore[no-untyped-def]
                                        staff_id: int, known: dict[str, int]) -> None:
    with qtbot.waitSignal(window.keeper.finished, timeout=20000):
        window.keeper.start()
    _add(demo_database, staff_id, known["household"], "欧阳小明")
    window.close()
    assert "退出时" in [info.kind for info in backups.list_backups(backups_dir(data_dir))]


def test_restore_in_the_window_brings_the_backup_back_and_says_so(  # type: ignore[no-untyped-def]
        qtbot, window, data_dir: Path, demo_database: Database, staff_id: int, known: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr("ui.messages.info", lambda _parent, text, *_a: said.append(text))
    monkeypatch.setattr("ui.messages.confirm", lambda *_a: True)
    from station import staff

    with demo_database.write() as session:  # the account signed in is in the backup, with its password
        staff.set_first_password(session, staff_id, "kaimen2026", "kaimen2026")
    window.keeper.backup_now("auto")
    _add(demo_database, staff_id, known["household"], "欧阳小明")
    assert _names(demo_database) == {"欧阳小明"}

    from ui.backups import RestoreDialog

    dialog = RestoreDialog(backups_dir(data_dir), window)
    assert dialog.model.rowCount() == 1 and "居民102" in dialog.model.index(0, 3).data()
    dialog.choose()
    assert dialog.chosen is not None
    asked = answer_password(monkeypatch, "kaimen2026")  # the administrator types the password again
    fresh = window.restore_from_backup(dialog.chosen)
    assert fresh is not None and len(asked) == 1
    qtbot.addWidget(fresh)
    assert not window.isVisible() and fresh.isVisible()
    assert said and said[0].startswith("已把数据恢复到")
    fresh.residents.search.setText("欧阳")
    assert fresh.residents.model.rowCount() == 0  # the later resident is not in the backup
    kept = [info for info in backups.list_backups(backups_dir(data_dir)) if info.kind == "恢复前"]
    assert len(kept) == 1 and backups.counts(kept[0].path)["居民"] == 103  # and is kept in the copy made first
    # The restore is in the restored file's 操作记录, and so is the work it undid, marked 恢复前.
    from station import audit

    with fresh._db.read() as session:
        log = audit.entries(session, staff_id)
    (restore,) = [row for row in log if row.action == "从备份恢复"]
    assert restore.staff == "李红" and dialog.chosen.path.name in restore.summary and not restore.undone
    undone = [row for row in log if row.undone]
    assert any("欧阳小明" in row.summary and row.action == "新增" and row.staff == "李红" for row in undone)
    assert any(row.action == "输入密码确认" for row in undone)  # even the password typed before the restore
    assert f"撤销了此后的{len(undone)}条操作记录" in restore.summary
    fresh.keeper.stop()


def test_restoring_and_copying_are_an_administrators_acts(  # type: ignore[no-untyped-def]
        qtbot, window_for, data_dir: Path, demo_database: Database, staff_id: int, known: dict[str, int],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from station import audit, staff
    from station.vocab import CLERK

    with demo_database.write() as session:
        staff.set_first_password(session, staff_id, "lihong2026", "lihong2026")
        clerk = staff.add(session, staff_id, "王秀兰", CLERK, "kaimen2026", one_time=False)
    desk = window_for(clerk, "王秀兰")
    made = desk.keeper.backup_now("auto")
    assert not desk.restore_action.isEnabled() and "管理员" in desk.restore_action.toolTip()
    assert not desk.backup_action.isEnabled() and desk.export_action.isEnabled()  # a clerk may export
    warned: list[str] = []
    monkeypatch.setattr("ui.messages.warn", lambda _p, text, *_a: warned.append(text))
    assert desk.restore_from_backup(made) is None and "需要管理员账号" in warned[0]
    assert desk.backup_to(str(tmp_path)) is None
    assert not list(tmp_path.glob("station-*.sqlite3"))

    admin = window_for(staff_id, "李红")
    said: list[str] = []
    monkeypatch.setattr("ui.messages.info", lambda _parent, text, *_a: said.append(text))
    answer_password(monkeypatch, "wrong-one")
    assert admin.backup_to(str(tmp_path)) is None  # a wrong password copies nothing
    assert not list(tmp_path.glob("station-*.sqlite3"))
    answer_password(monkeypatch, "lihong2026")
    copied = admin.backup_to(str(tmp_path))
    assert copied is not None and copied.path.parent == tmp_path
    with demo_database.read() as session:
        log = audit.entries(session, staff_id)
    assert [row.staff for row in log if row.action == "备份到"] == ["李红"]
    assert [row.staff for row in log if row.action == "密码错误"] == ["李红"]


def test_backup_to_a_stick_and_to_one_pulled_out(window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr("ui.messages.info", lambda _parent, text, *_a: said.append(text))
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: said.append(text))
    stick = tmp_path / "usb"
    stick.mkdir()
    from station import staff

    with window._db.write() as session:
        staff.set_first_password(session, window.staff_id, "kaimen2026", "kaimen2026")
    answer_password(monkeypatch, "kaimen2026")
    made = window.backup_to(str(stick))
    assert made is not None and made.path.parent == stick and said[-1].startswith("已备份到")
    assert window.backup_to(str(tmp_path / "gone")) is None
    assert "U盘是否插好" in said[-1]


def _scribble(path: Path) -> None:
    """Damage what a check finds and the window does not read at once: the residents' indexes' pages."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'residents'")]
    data = bytearray(path.read_bytes())
    for page in pages:
        offset = (page - 1) * size + 100
        data[offset:offset + 300] = b"\x00\xff" * 150
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_the_starts_backup_finds_a_damaged_file_and_offers_the_newest_good_backup(  # type: ignore[no-untyped-def]
        qtbot, window, data_dir: Path, demo_database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the window reads a moment after it shows (the home charts, the search warm-up) is read first.
    qtbot.waitUntil(lambda: window.home.charts[0].series is not None
                    and window.residents.model._finder._texts is not None)
    good = window.keeper.backup_now("auto")
    demo_database.close()
    _scribble(demo_database.path)
    asked: list[str] = []
    monkeypatch.setattr("ui.messages.confirm", lambda _p, text, *_a: asked.append(text) or True)
    monkeypatch.setattr("ui.messages.info", lambda _p, text, *_a: asked.append(text))
    monkeypatch.setattr("ui.messages.warn", lambda _p, text, *_a: pytest.fail(text))
    replaced: list[object] = []
    monkeypatch.setattr(type(window), "restore_from_backup",
                        lambda self, chosen=None: replaced.append(chosen) or None)
    with qtbot.waitSignal(window.keeper.damaged, timeout=20000):
        window.keeper.start()
    assert "数据文件检查没有通过" in asked[0] and f"{good.made_at:%Y-%m-%d %H:%M}" in asked[0]
    assert replaced == [good]  # the newest good backup is the one offered and restored
    assert [info.kind for info in backups.list_backups(backups_dir(data_dir))] == ["自动"]  # no damaged copy
    window.keeper.stop()


def test_a_file_that_cannot_be_opened_is_restored_from_the_newest_good_backup(  # type: ignore[no-untyped-def]
        data_dir: Path, demo_database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import app

    good = backups.make_backup(demo_database.path, backups_dir(data_dir), "auto")
    demo_database.close()
    demo_database.path.write_bytes(b"this is not a database" * 400)
    for suffix in ("-wal", "-shm"):
        Path(f"{demo_database.path}{suffix}").unlink(missing_ok=True)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: asked.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *_a: pytest.fail(text))
    opened = app.open_station(data_dir, demo_compound=False)
    assert not isinstance(opened, int)
    database, _staff = opened
    try:
        assert "无法打开数据文件" in asked[0] and good.made_at.strftime("%Y-%m-%d %H:%M") in asked[0]
        assert asked[1].startswith("已把数据恢复到")
        assert backups.problems(database.path) == []
        assert list(data_dir.glob("station-damaged-*.sqlite3"))  # the damaged file is kept aside
    finally:
        database.close()


def test_the_restore_question_says_plainly_what_happens_to_later_work(  # type: ignore[no-untyped-def]
        qtbot, window, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr("ui.messages.confirm", lambda _parent, text, *_a: asked.append(text) or False)
    window.keeper.backup_now("auto")
    from ui.backups import RestoreDialog

    dialog = RestoreDialog(backups_dir(data_dir), window)
    qtbot.addWidget(dialog)
    dialog.choose()
    assert dialog.chosen is None and len(asked) == 1
    assert "以后录入的内容，恢复后在工作台里看不到了" in asked[0] and "另存为“恢复前”备份" in asked[0]


def test_a_restore_whose_data_does_not_know_the_signed_in_account_asks_who_goes_on(  # type: ignore[no-untyped-def]
        qtbot, window, data_dir: Path, demo_database: Database, staff_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup was made before this account had a password: nobody becomes an administrator unasked."""
    from PySide6.QtWidgets import QDialog

    from station import staff
    from ui.login import LoginDialog

    made = window.keeper.backup_now("auto")  # no password yet in this copy
    with demo_database.write() as session:
        staff.set_first_password(session, staff_id, "kaimen2026", "kaimen2026")
    asked: list[object] = []

    def sign_in(dialog: LoginDialog) -> int:
        asked.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr("ui.messages.warn", lambda _p, text, *_a: asked.append(text))
    answer_password(monkeypatch, "kaimen2026")
    assert window.restore_from_backup(made) is None
    assert isinstance(asked[0], LoginDialog) and "没有登录，工作台将关闭" in str(asked[1])
    assert not window.isVisible()
