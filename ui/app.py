"""Starting the program: the application, one copy per data folder, the database, the first run."""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import logging
import socket
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QObject, QTimer, QTranslator
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from db.engine import Database
from db.errors import DatabaseProblem
from db.migrate import open_database
from station import APP_NAME, APP_TITLE, __version__, audit, backups, logs, onboarding, paths
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
    from ui.text_size import apply_scale, saved_scale

    apply_scale(app, saved_scale())  # 文字大小, as chosen on this computer
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


OWNER_FILE = "station.lock.owner"


def _server_name(data_dir: Path) -> str:
    """The local socket a running copy listens on, one per data folder."""
    return "StationDesk-" + hashlib.sha1(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]


def acquire_lock(data_dir: Path) -> QLockFile | None:
    """One running copy per data folder. Returns the held lock, or None (after telling the user).

    The second start says which computer and user hold the folder; on the same computer it offers to
    bring the running window forward.
    """
    lock = QLockFile(str(data_dir / "station.lock"))
    lock.setStaleLockTime(0)
    if lock.tryLock(200):
        with contextlib.suppress(OSError):
            (data_dir / OWNER_FILE).write_text(getpass.getuser(), encoding="utf-8")
        return lock
    info = lock.getLockInfo()  # PySide6 returns (pid, hostname, appname)
    pid, host = (info[-3], info[-2]) if isinstance(info, tuple) and len(info) >= 3 else ("?", "?")
    try:
        user = (data_dir / OWNER_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        user = ""
    who = f"电脑 {host}" + (f"，用户 {user}" if user else "") + f"，进程 {pid}"
    text = f"工作台已经在运行（{who}），同一个数据文件夹只能打开一个。"
    if host == socket.gethostname():
        answer = QMessageBox.question(None, APP_TITLE, text + "\n\n要切换到已经打开的窗口吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes and not bring_forward(data_dir):
            QMessageBox.warning(None, APP_TITLE, "没能切换到已经打开的窗口，请在任务栏上找到它。")
    else:
        QMessageBox.warning(None, APP_TITLE, text + "\n请在那台电脑上关闭工作台后再打开。")
    return None


def bring_forward(data_dir: Path) -> bool:
    """Ask the copy running on this computer to show its window; False when it does not answer."""
    socket_ = QLocalSocket()
    socket_.connectToServer(_server_name(data_dir))
    if not socket_.waitForConnected(1000):
        return False
    socket_.write(b"raise")
    written = socket_.waitForBytesWritten(1000)
    socket_.disconnectFromServer()
    return written


class ActivationServer(QObject):
    """Listens for a second start on this computer and brings the window forward."""

    def __init__(self, data_dir: Path, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.server = QLocalServer(self)
        QLocalServer.removeServer(_server_name(data_dir))  # one left by a power cut
        self.server.listen(_server_name(data_dir))
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: c.readAll())
            connection.disconnected.connect(connection.deleteLater)
            self.raise_window()

    def raise_window(self) -> None:
        window = self._window
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()


def open_station(data_dir: Path, demo_compound: bool,
                 smoke: bool = False) -> tuple[Database, tuple[int, str] | None] | int:
    """Open the database and make sure the station is set up.

    Returns the database and the account that just set the station up in the first-run dialog (it
    typed its password there: no sign-in follows), or None when whoever works must sign in; or an
    exit code: 2 when the file cannot be opened, 0 when the user closed the first-run dialog.
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
        return database, (dialog.staff if dialog.set_up_here else None)
    return database, None


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
        undone = backups.undone_by_restore(database_path(data_dir), good.path)  # [] when it cannot be read
        restored = backups.restore(database_path(data_dir), good, folder)
        database = open_database(database_path(data_dir), folder)
        with database.write() as session:  # nobody has signed in yet: the computer's user is named
            audit.record_restore(session, None, backups.restore_summary(
                restored, f"启动时数据文件无法打开，电脑用户 {getpass.getuser()}", len(undone)), undone)
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
        tightened = paths.secure_data_dir(data_dir)  # private to its owner (0700, files 0600)
    except OSError as error:
        print(f"无法创建数据文件夹 {data_dir}：{error}", file=sys.stderr)
        return 2
    log_file = logs.configure(data_dir)
    for change in tightened:
        log.warning("data folder was open to others, made private: %s", change)
    log.info("starting %s %s on %s", APP_NAME, __version__, data_dir)
    # An installation check fails at once on a bug instead of waiting at an error dialog nobody sees.
    app = make_application(install_hook=not smoke)
    lock = acquire_lock(data_dir)
    if lock is None:
        return 1
    try:
        opened = open_station(data_dir, demo, smoke)
        if isinstance(opened, int):
            return opened
        database, staff = opened
        if smoke:  # an installation check signs nobody in: the window shows as the first administrator's
            with database.read() as session:
                staff = staff or onboarding.acting_staff(session)
        elif staff is None:
            from ui.login import LoginDialog

            login = LoginDialog(database)  # on the last person who signed in at this computer
            if login.exec() != QDialog.DialogCode.Accepted or login.staff is None:
                database.close()
                return 0
            staff = login.staff
        assert staff is not None
        from ui.main_window import MainWindow

        window = MainWindow(database, staff, data_dir)
        window.show()
        if not smoke:
            QTimer.singleShot(0, window.keeper.start)  # the start's backup, then every half hour when changed
            window.idle_lock.start()
            window.activation = ActivationServer(data_dir, window)  # a second start brings this window forward
        if smoke:
            app.processEvents()
            print(f"window shown in {time.perf_counter() - started:.3f} s; log: {log_file}")
            QTimer.singleShot(0, window.close)
        code = app.exec()
        database.close()
        return code
    finally:
        lock.unlock()
