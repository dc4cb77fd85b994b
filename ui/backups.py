"""Backups from the window: automatic ones in the background, 备份到…, and the restore dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget
from sqlalchemy import func, select

from db.engine import Database
from db.errors import DatabaseProblem
from db.models import AuditEntry
from station import backups, settings
from station.backups import BackupError, BackupInfo, ThinPolicy
from ui import messages
from ui.forms import dialog_buttons, hint_label
from ui.pages import make_table, selected_rows
from ui.table_models import SimpleTableModel


class _BackupJob(QThread):
    """One backup (and the thinning after it) in a thread of its own; ``result`` once finished."""

    def __init__(self, path: Path, folder: Path, label: str, full_check: bool, policy: ThinPolicy,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._args = (path, folder, label, full_check, policy)
        self.result: BackupInfo | BackupError | None = None
        self.reported = False

    def run(self) -> None:
        path, folder, label, full_check, policy = self._args
        try:
            self.result = backups.make_backup(path, folder, label, full_check=full_check)
            backups.thin(folder, dt.datetime.now(), policy)
        except BackupError as error:
            self.result = error
        except Exception as error:  # noqa: BLE001 - a thread's error would otherwise vanish
            self.result = BackupError(backups.problem_text(error))


class BackupKeeper(QObject):
    """Backs the open data file up at start, every half hour when something changed, and at exit.

    A backup runs in a thread of its own (SQLite's backup API lets the desk go on writing) and says how it
    went through ``finished``; only one runs at a time. The start's copy gets the full ``integrity_check``,
    which makes it the start-up check as well (the copy is the file, page for page): a damaged file is
    reported through ``damaged``. Later copies get ``quick_check``.
    """

    finished = Signal(str, bool)  # what to tell the desk, whether it worked
    damaged = Signal(str)  # the data file itself failed the check

    def __init__(self, database: Database, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._folder = folder
        self._mark: int | None = None  # the newest audit line at the last backup
        self._job: _BackupJob | None = None
        self._job_mark = 0
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
        """The start's backup (in the background, fully checked) and the half-hourly timer."""
        try:
            with self._db.read() as session:
                minutes = int(settings.get(session, settings.BACKUP_MINUTES))
        except DatabaseProblem:  # a damaged file: the start's backup below finds it and says so
            minutes = int(settings.SPECS[settings.BACKUP_MINUTES].default)
        self.timer.start(minutes * 60 * 1000)
        self.backup_in_background("start", full_check=True)

    def stop(self) -> None:
        self.timer.stop()
        self.wait()

    def wait(self) -> None:
        """Let a running backup finish (and report) before going on."""
        if self._job is not None:
            self._job.wait()
            self._job_done(self._job)

    def busy(self) -> bool:
        return self._job is not None and self._job.isRunning()

    def changed(self) -> bool:
        return self._mark is None or self._change_mark() > self._mark

    def backup_if_changed(self) -> bool:
        if not self.changed():
            return False
        return self.backup_in_background("auto")

    def backup_in_background(self, label: str, full_check: bool = False) -> bool:
        """Start a backup in its own thread; False when one is running already."""
        if self.busy():
            return False
        self._job_mark = self._change_mark()
        self._job = _BackupJob(self._db.path, self._folder, label, full_check, self._policy(), self)
        job = self._job
        job.finished.connect(lambda: self._job_done(job))
        job.start()
        return True

    def _job_done(self, job: _BackupJob) -> None:
        if job.reported:
            return  # waited for and reported already
        job.reported = True
        if self._job is job:
            self._job = None
        result = job.result
        if isinstance(result, backups.DamagedData):
            self.damaged.emit(result.message)
        elif isinstance(result, BackupError):
            self.finished.emit(result.message, False)
        elif result is not None:
            self.last = result
            self._mark = self._job_mark
            self.finished.emit(f"已自动备份（{result.made_at:%H:%M}）", True)

    def backup_now(self, label: str) -> BackupInfo:
        """A backup made while the caller waits (at exit).

        Raises:
            BackupError: it could not be made; the message says why.
        """
        self.wait()
        mark, policy = self._change_mark(), self._policy()
        self.last = backups.make_backup(self._db.path, self._folder, label, full_check=False)
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
        if messages.confirm(self, f"用 {info.made_at:%Y-%m-%d %H:%M} 的备份替换现在的数据吗？\n"
                                  "这个时间以后录入的内容，恢复后在工作台里看不到了；"
                                  "现在的数据会先另存为“恢复前”备份，需要时可以恢复回来，不会丢失。"):
            self.chosen = info
            self.accept()
