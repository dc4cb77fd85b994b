"""Backups from the window: automatic ones in the background, 备份到…, and the restore dialog."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget
from sqlalchemy import func, select

from db.engine import Database
from db.models import AuditEntry
from station import backups, settings
from station.backups import BackupError, BackupInfo, ThinPolicy
from ui import messages
from ui.forms import dialog_buttons, hint_label
from ui.pages import make_table, selected_rows
from ui.table_models import SimpleTableModel


class BackupKeeper(QObject):
    """Backs the open data file up at start, every half hour when something changed, and at exit.

    A backup runs in a thread of its own (SQLite's backup API lets the desk go on writing), and says how it
    went through ``finished``; only one runs at a time.
    """

    finished = Signal(str, bool)  # what to tell the desk, whether it worked

    def __init__(self, database: Database, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._folder = folder
        self._mark: int | None = None  # the newest audit line at the last backup
        self._thread: threading.Thread | None = None
        self.last: BackupInfo | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.backup_if_changed)

    def _change_mark(self) -> int:
        """Every change writes an audit line: the newest one says whether anything changed since."""
        with self._db.read() as session:
            return int(session.scalar(select(func.max(AuditEntry.id))) or 0)

    def _policy(self) -> ThinPolicy:
        with self._db.read() as session:
            return ThinPolicy(**settings.get(session, settings.BACKUP_THINNING))

    def start(self) -> None:
        """The start's backup (in the background) and the half-hourly timer."""
        with self._db.read() as session:
            minutes = int(settings.get(session, settings.BACKUP_MINUTES))
        self.timer.start(minutes * 60 * 1000)
        self.backup_in_background("start")

    def stop(self) -> None:
        self.timer.stop()
        self.wait()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def changed(self) -> bool:
        return self._mark is None or self._change_mark() > self._mark

    def backup_if_changed(self) -> bool:
        if not self.changed():
            return False
        return self.backup_in_background("auto")

    def backup_in_background(self, label: str) -> bool:
        """Start a backup in its own thread; False when one is running already."""
        if self.busy():
            return False
        mark, policy = self._change_mark(), self._policy()
        self._thread = threading.Thread(target=self._run, args=(label, mark, policy), name="backup", daemon=True)
        self._thread.start()
        return True

    def _run(self, label: str, mark: int, policy: ThinPolicy) -> None:
        try:
            self.last = backups.make_backup(self._db.path, self._folder, label)
            backups.thin(self._folder, dt.datetime.now(), policy)
        except BackupError as error:
            self.finished.emit(error.message, False)
            return
        except Exception as error:  # noqa: BLE001 - a thread's error would otherwise vanish
            self.finished.emit(backups.problem_text(error), False)
            return
        self._mark = mark
        self.finished.emit(f"已自动备份（{self.last.made_at:%H:%M}）", True)

    def backup_now(self, label: str) -> BackupInfo:
        """A backup made while the caller waits (at exit).

        Raises:
            BackupError: it could not be made; the message says why.
        """
        self.wait()
        mark, policy = self._change_mark(), self._policy()
        self.last = backups.make_backup(self._db.path, self._folder, label)
        backups.thin(self._folder, dt.datetime.now(), policy)
        self._mark = mark
        return self.last


class RestoreDialog(QDialog):
    """从备份恢复: the backups by time with their record counts; the chosen one replaces the data file."""

    HEADERS = ("备份时间", "类别", "大小", "记录数")

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.chosen: BackupInfo | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.found = backups.list_backups(folder)
            rows = []
            for info in self.found:
                try:
                    counted = backups.counts_text(backups.counts(info.path))
                except Exception:  # noqa: BLE001 - a damaged copy is listed, and refused if chosen
                    counted = "（文件已损坏）"
                rows.append((f"{info.made_at:%Y-%m-%d %H:%M:%S}", info.kind, f"{info.size / 1048576:.1f} MB", counted))
        finally:
            QApplication.restoreOverrideCursor()
        self.model = SimpleTableModel(self.HEADERS, self)
        self.model.set_rows(rows, [info.path for info in self.found])
        self.table = make_table(self.model, "backups")
        self.table.doubleClicked.connect(lambda _i: self.choose())
        if self.found:
            self.table.selectRow(0)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("选择一个备份恢复。恢复前，现在的数据会先另存为一个备份（“恢复前”），需要时还可以恢复回来。"))
        if not self.found:
            layout.addWidget(QLabel("备份文件夹里还没有备份。"))
        layout.addWidget(self.table)
        layout.addWidget(dialog_buttons(self, "恢复", self.choose))
        self.resize(760, 460)

    def choose(self) -> None:
        rows = selected_rows(self.table)
        if not rows:
            messages.warn(self, "请先选择一个备份")
            return
        info = self.found[rows[0]]
        if messages.confirm(self, f"用 {info.made_at:%Y-%m-%d %H:%M} 的备份替换现在的数据？\n"
                                  "这之后录入的内容会回到恢复前备份里，不会丢失。"):
            self.chosen = info
            self.accept()
