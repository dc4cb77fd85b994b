"""Starting the program: the application, one copy per data folder, the database, the first run."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from db.engine import Database
from db.errors import DatabaseProblem
from db.migrate import open_database
from station import APP_NAME, APP_TITLE, __version__, backups, logs, onboarding
from station.paths import backups_dir, database_path

log = logging.getLogger("station.app")


def make_application(argv: list[str] | None = None, install_hook: bool = True) -> QApplication:
    """The QApplication with names, Chinese translations of Qt's own texts, and the error hook.

    Tests pass ``install_hook=False`` so that pytest-qt sees errors in slots.
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    load_qt_translations(app)
    if install_hook:
        from ui.messages import install_excepthook

        install_excepthook()
    return app


def load_qt_translations(app: QApplication) -> None:
    """Standard buttons read 确定/取消/保存: Qt's own zh_CN translations."""
    if getattr(app, "_station_translator", None) is not None:
        return
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        app._station_translator = translator  # type: ignore[attr-defined]
    else:
        log.warning("Qt's Chinese translations not found in %s", folder)


def acquire_lock(data_dir: Path) -> QLockFile | None:
    """One running copy per data folder. Returns the held lock, or None (after telling the user)."""
    lock = QLockFile(str(data_dir / "station.lock"))
    lock.setStaleLockTime(0)
    if lock.tryLock(200):
        return lock
    info = lock.getLockInfo()  # PySide6 returns (pid, hostname, appname)
    pid, host = (info[-3], info[-2]) if isinstance(info, tuple) and len(info) >= 3 else ("?", "?")
    QMessageBox.warning(
        None, APP_TITLE,
        f"工作台已经在运行（进程 {pid}，电脑 {host}），同一个数据文件夹只能打开一个。\n"
        "请切换到已经打开的窗口。",
    )
    return None


def open_station(data_dir: Path, demo_compound: bool, smoke: bool = False) -> tuple[Database, tuple[int, str]] | int:
    """Open the database and make sure the station is set up.

    Returns the database and the acting staff account, or an exit code: 2 when
    the file cannot be opened, 0 when the user closed the first-run dialog.
    """
    try:
        database = open_database(database_path(data_dir), backups_dir(data_dir))
    except DatabaseProblem as problem:
        log.error("cannot open %s: %s %s", database_path(data_dir), problem.message, problem.detail)
        restored = offer_restore(data_dir, f"无法打开数据文件：\n{database_path(data_dir)}\n\n{problem.message}")
        if restored is None:
            return 2
        database = restored
    with database.read() as session:
        staff = onboarding.acting_staff(session)
    if demo_compound:
        from station import demo

        with database.write() as session:
            if demo.compound_is_empty(session):
                demo.load_demo(session)
                staff = onboarding.acting_staff(session)
    if staff is None:
        from ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(database)
        if smoke:  # an installation check never waits for a person
            dialog.show()
            QApplication.processEvents()
            print("first-run dialog shown (new data folder)")
            database.close()
            return 0
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.staff is None:
            database.close()
            return 0
        staff = dialog.staff
    return database, staff


def offer_restore(data_dir: Path, what: str) -> Database | None:
    """The data file cannot be opened: offer the newest good backup. The restored database, or None.

    (A file that opens but is damaged is found by the start's backup, which checks its copy in the
    background; the window offers the restore then.)
    """
    folder = backups_dir(data_dir)
    good = backups.newest_good(folder)
    if good is None:
        QMessageBox.critical(None, APP_TITLE, f"{what}\n\n备份文件夹里没有完好的备份。请联系技术人员，不要删除数据文件夹。")
        return None
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    answer = QMessageBox.question(
        None, APP_TITLE, f"{what}\n\n要用最新的完好备份（{good.made_at:%Y-%m-%d %H:%M}，"
        f"{backups.counts_text(backups.counts(good.path))}）恢复吗？\n现在的文件会另外保存，不会删除。",
        buttons, QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        restored = backups.restore(database_path(data_dir), good, folder)
        database = open_database(database_path(data_dir), folder)
    except (backups.BackupError, DatabaseProblem) as error:
        QMessageBox.critical(None, APP_TITLE, f"恢复没有成功：{error.message}")
        return None
    log.info("restored %s at start", good.path)
    QMessageBox.information(None, APP_TITLE, restored.summary)
    return database


def run(data_dir: Path, demo: bool = False, smoke: bool = False, started: float | None = None) -> int:
    """Start the program on ``data_dir``; returns the exit code."""
    started = started if started is not None else time.perf_counter()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"无法创建数据文件夹 {data_dir}：{error}", file=sys.stderr)
        return 2
    log_file = logs.configure(data_dir)
    log.info("starting %s %s on %s", APP_NAME, __version__, data_dir)
    app = make_application()
    lock = acquire_lock(data_dir)
    if lock is None:
        return 1
    try:
        opened = open_station(data_dir, demo, smoke)
        if isinstance(opened, int):
            return opened
        database, staff = opened
        from ui.main_window import MainWindow

        window = MainWindow(database, staff, data_dir)
        window.show()
        if not smoke:
            QTimer.singleShot(0, window.keeper.start)  # the start's backup, then every half hour when changed
        if smoke:
            app.processEvents()
            print(f"window shown in {time.perf_counter() - started:.3f} s; log: {log_file}")
            QTimer.singleShot(0, window.close)
        code = app.exec()
        database.close()
        return code
    finally:
        lock.unlock()
