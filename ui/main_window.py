"""The main window: the tabs, menus, status bar; remembers its size and place."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from db.engine import Database
from db.models import Staff as StaffAccount
from station import APP_TITLE, __version__, backups, onboarding, tickets
from station import staff as staff_service
from station.paths import backups_dir
from station.vocab import ADMIN
from ui import icons, messages
from ui.backups import BackupKeeper, RestoreDialog
from ui.home_tab import HomeTab
from ui.login import IdleLock, PasswordDialog
from ui.points_dialogs import RecordDialog
from ui.meetings_tab import MeetingsTab
from ui.pages import Page
from ui.points_tab import PointsTab
from ui.residents_tab import ResidentsTab
from ui.roster_dialogs import ExportDialog, RosterImportDialog, open_roster
from ui.shop_tab import ShopTab
from ui.staff_dialogs import StaffDialog
from ui.ticket_dialogs import TicketDialog, TicketSettingsDialog
from ui.tickets_tab import TicketsTab
from ui.volunteer_dialogs import VolunteerSettingsDialog
from ui.volunteer_tab import VolunteerTab

PageType = TypeVar("PageType", bound=Page)


class MainWindow(QMainWindow):
    def __init__(self, database: Database, staff: tuple[int, str], data_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._data_dir = data_dir
        self.staff_id, self.staff_name = staff
        with database.read() as session:
            details = onboarding.details(session)
        station_name = details.name if details else ""
        self.setWindowTitle(f"{station_name} — {APP_TITLE}" if station_name else APP_TITLE)
        self.setWindowIcon(icons.app_icon())

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.home = HomeTab(database, self.staff_id, self)
        self.tabs.addTab(self.home, icons.icon("fa5s.home"), "首页")
        self.home.open_list.connect(self.open_list)
        self.residents = ResidentsTab(database, self.staff_id, self)
        self.residents.status.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.tabs.addTab(self.residents, icons.icon("fa5s.address-book"), "居民")
        self.points = PointsTab(database, self.staff_id, self)
        self.tabs.addTab(self.points, icons.icon("fa5s.coins"), "积分")
        self.volunteer = VolunteerTab(database, self.staff_id, self)
        self.tabs.addTab(self.volunteer, icons.icon("fa5s.hands-helping"), "志愿时长")
        self.shop = ShopTab(database, self.staff_id, self)
        self.tabs.addTab(self.shop, icons.icon("fa5s.store"), "积分超市")
        self.meetings = MeetingsTab(database, self.staff_id, self)
        self.tabs.addTab(self.meetings, icons.icon("fa5s.comments"), "说事议事")
        self.tickets = TicketsTab(database, self.staff_id, self)
        self.tabs.addTab(self.tickets, icons.icon("fa5s.clipboard-list"), "问题工单")
        # Points change balances shown in the residents table, and the other way round; volunteer
        # hours earn points; redemptions spend them (and balances decide what can be redeemed).
        self.points.changed.connect(self.residents.model.refresh)
        self.residents.points_changed.connect(self.points.records_changed)
        self.volunteer.changed.connect(self.points.records_changed)
        self.shop.changed.connect(self.points.records_changed)
        self.points.changed.connect(self.shop.refresh)
        # The home tab counts what every tab changes.
        for tab in (self.points, self.volunteer, self.shop, self.meetings, self.tickets):
            tab.changed.connect(self.home.refresh)
        self.residents.points_changed.connect(self.home.refresh)
        self.tabs.currentChanged.connect(lambda _i: self.home.refresh() if self.tabs.currentWidget()
                                         is self.home else None)
        # Matters and meetings show residents' names and rooms: read again whenever the tab is opened.
        self.tabs.currentChanged.connect(lambda _i: self.meetings.refresh() if self.tabs.currentWidget()
                                         is self.meetings else None)
        self.setCentralWidget(self.tabs)

        self.keeper = BackupKeeper(database, backups_dir(data_dir), self)
        self.keeper.finished.connect(self._backup_done)
        self.keeper.damaged.connect(self._data_damaged)
        self._closing_for_restore = False
        self.replacement: MainWindow | None = None
        self.idle_lock = IdleLock(database, staff, self)
        self.activation: object | None = None  # ui.app.ActivationServer, when started by the program

        self._build_menus()
        self.data_file_label = QLabel(f"数据文件：{database.path}")
        # A meeting's resolution can become a ticket.
        self.meetings.changed.connect(self.tickets.refresh)
        self.meetings.changed.connect(self.update_ticket_counts)
        self.tickets_label = QLabel()
        self.tickets_label.setObjectName("tickets_status")
        self.tickets.tickets.counted.connect(self.show_ticket_counts)
        self.tabs.currentChanged.connect(lambda _i: self.tickets.refresh() if self.tabs.currentWidget()
                                         is self.tickets else None)
        self.staff_label = QLabel(f"操作员：{self.staff_name}")
        self.statusBar().addWidget(self.data_file_label, 1)
        self.statusBar().addPermanentWidget(self.tickets_label)
        self.statusBar().addPermanentWidget(self.staff_label)
        self.update_ticket_counts()
        self._restore_geometry()
        self.tabs.setCurrentWidget(self.home)  # the day starts with what needs doing

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.new_resident_action = QAction(icons.icon("fa5s.user-plus"), "新增居民(&N)", self)
        self.new_resident_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_resident_action.triggered.connect(lambda: self._show_residents().add_resident())
        file_menu.addAction(self.new_resident_action)
        new_household = QAction(icons.icon("fa5s.home"), "新建住户(&H)", self)
        new_household.triggered.connect(lambda: self._show_residents().add_household())
        file_menu.addAction(new_household)
        file_menu.addSeparator()
        self.import_action = QAction(icons.icon("fa5s.file-import"), "导入居民花名册(&I)…", self)
        self.import_action.triggered.connect(lambda: self.import_roster())
        file_menu.addAction(self.import_action)
        self.export_action = QAction(icons.icon("fa5s.file-export"), "导出居民名单(&E)…", self)
        self.export_action.triggered.connect(lambda: self.export_residents())
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        backup_action = QAction(icons.icon("fa5s.save"), "备份到(&B)…", self)
        backup_action.triggered.connect(lambda: self.backup_to())
        file_menu.addAction(backup_action)
        restore_action = QAction(icons.icon("fa5s.history"), "从备份恢复(&R)…", self)
        restore_action.triggered.connect(lambda: self.restore_from_backup())
        file_menu.addAction(restore_action)
        file_menu.addSeparator()
        open_folder = QAction(icons.icon("fa5s.folder-open"), "打开数据文件夹(&D)", self)
        open_folder.triggered.connect(self.open_data_folder)
        file_menu.addAction(open_folder)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.find_action = QAction(icons.icon("fa5s.search"), "查找居民(&F)", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self._show_residents().focus_search())
        edit_menu.addAction(self.find_action)

        points_menu = self.menuBar().addMenu("积分(&P)")
        self.record_points_action = QAction(icons.icon("fa5s.plus-circle"), "记分(&J)…", self)
        self.record_points_action.setShortcut(QKeySequence("Ctrl+J"))
        self.record_points_action.triggered.connect(lambda: self.record_points())
        points_menu.addAction(self.record_points_action)
        for title, page in (("待审核(&A)", self.points.review), ("月度评审(&M)", self.points.months),
                            ("星级家庭(&S)", self.points.stars), ("积分细则(&R)", self.points.catalogue)):
            action = QAction(title, self)
            action.triggered.connect(lambda _checked=False, page=page: self._show_points_page(page))
            points_menu.addAction(action)
        points_menu.addSeparator()
        self.redeem_action = QAction(icons.icon("fa5s.shopping-basket"), "积分超市兑换(&D)", self)
        self.redeem_action.triggered.connect(lambda: self.open_redeem())
        points_menu.addAction(self.redeem_action)

        tickets_menu = self.menuBar().addMenu("工单(&G)")
        self.take_report_action = QAction(icons.icon("fa5s.plus"), "受理登记(&T)…", self)
        self.take_report_action.setShortcut(QKeySequence("Ctrl+T"))
        self.take_report_action.triggered.connect(lambda: self.take_report())
        tickets_menu.addAction(self.take_report_action)
        for title, view in (("逾期工单(&O)", "overdue"), ("待回访(&F)", "follow_up"), ("未办结工单(&U)", "open")):
            action = QAction(title, self)
            action.triggered.connect(lambda _checked=False, view=view: self.show_tickets(view))
            tickets_menu.addAction(action)

        settings_menu = self.menuBar().addMenu("设置(&S)")
        staff_action = QAction(icons.icon("fa5s.users-cog"), "工作人员(&W)…", self)
        staff_action.triggered.connect(lambda: self.open_staff())
        settings_menu.addAction(staff_action)
        log_action = QAction(icons.icon("fa5s.list-alt"), "操作记录(&L)…", self)
        log_action.triggered.connect(lambda: self.open_audit_log())
        settings_menu.addAction(log_action)
        password_action = QAction(icons.icon("fa5s.key"), "修改我的密码(&K)…", self)
        password_action.triggered.connect(lambda: self.change_password())
        settings_menu.addAction(password_action)
        stars_action = QAction(icons.icon("fa5s.sliders-h"), "评星标准(&X)…", self)
        stars_action.triggered.connect(lambda: self._show_points_page(self.points.stars).edit_settings())
        settings_menu.addAction(stars_action)
        volunteer_action = QAction(icons.icon("fa5s.clock"), "志愿时长换算与走访间隔(&V)…", self)
        volunteer_action.triggered.connect(lambda: self.volunteer_settings())
        settings_menu.addAction(volunteer_action)
        size_action = QAction(icons.icon("fa5s.text-height"), "文字大小(&Z)…", self)
        size_action.triggered.connect(lambda: self.text_size())
        settings_menu.addAction(size_action)
        ticket_action = QAction(icons.icon("fa5s.hourglass-half"), "工单时限与回访(&T)…", self)
        ticket_action.triggered.connect(lambda: self.ticket_settings())
        settings_menu.addAction(ticket_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _show_points_page(self, page: PageType) -> PageType:
        self.tabs.setCurrentWidget(self.points)
        self.points.show_page(page)
        return page

    def record_points(self) -> RecordDialog:
        """Ctrl+J from anywhere: record points, for the resident selected in the residents tab if any."""
        resident_id = self.residents.selected_id() if self.tabs.currentWidget() is self.residents else None
        self.tabs.setCurrentWidget(self.points)
        return self.points.record(resident_id)

    def open_redeem(self) -> None:
        """积分 → 积分超市兑换: the desk's redeem page, the cursor in the resident's name."""
        self.tabs.setCurrentWidget(self.shop)
        self.shop.show_page(self.shop.redeem)
        self.shop.redeem.picker.edit.setFocus()

    def volunteer_settings(self) -> VolunteerSettingsDialog:
        dialog = VolunteerSettingsDialog(self._db, self.staff_id, self)
        dialog.accepted.connect(self.volunteer.records_changed)
        dialog.open()
        return dialog

    def open_list(self, target: str) -> None:
        """A count on the home tab opens its list, already filtered."""
        if target == "points_review":
            self._show_points_page(self.points.review)
        elif target in ("tickets_overdue", "tickets_follow_up"):
            self.show_tickets("overdue" if target == "tickets_overdue" else "follow_up")
        elif target in ("care_visits", "activities"):
            self.tabs.setCurrentWidget(self.volunteer)
            self.volunteer.show_page(self.volunteer.care if target == "care_visits" else self.volunteer.activities)
        elif target == "low_stock":
            self.tabs.setCurrentWidget(self.shop)
            self.shop.show_page(self.shop.shelf)
        elif target == "meetings":
            self.tabs.setCurrentWidget(self.meetings)
            self.meetings.show_page(self.meetings.meetings)
        elif target == "matters_waiting":
            self.tabs.setCurrentWidget(self.meetings)
            self.meetings.show_page(self.meetings.matters)
            page = self.meetings.matters
            page.state.setCurrentIndex(max(0, page.state.findData("待议")))

    def text_size(self) -> QDialog:
        """设置 → 文字大小: the whole interface larger for older eyes, remembered on this computer."""
        from ui.text_size import TextSizeDialog

        dialog = TextSizeDialog(self)
        dialog.open()
        return dialog

    def take_report(self) -> TicketDialog:
        """Ctrl+T from anywhere: a resident at the desk or on the phone reports a problem."""
        self.tabs.setCurrentWidget(self.tickets)
        self.tickets.show_page(self.tickets.tickets)
        return self.tickets.tickets.add()

    def show_tickets(self, view: str) -> None:
        self.tabs.setCurrentWidget(self.tickets)
        self.tickets.show_page(self.tickets.tickets)
        self.tickets.tickets.show_view(view)

    def open_audit_log(self) -> QDialog | None:
        """设置 → 操作记录, for an administrator (the service refuses anyone else)."""
        from ui.audit_dialog import AuditLogDialog

        with self._db.read() as session:
            role = staff_service.get(session, self.staff_id).role
        if role != ADMIN:
            messages.warn(self, f"查看操作记录需要管理员账号，{self.staff_name}是{role}")
            return None
        dialog = AuditLogDialog(self._db, self.staff_id, self)
        dialog.open()
        return dialog

    def change_password(self) -> PasswordDialog:
        dialog = PasswordDialog(self._db, self.staff_id, (self.staff_id, self.staff_name), self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("密码已修改", 8000))
        dialog.open()
        return dialog

    def ticket_settings(self) -> TicketSettingsDialog:
        dialog = TicketSettingsDialog(self._db, self.staff_id, self)
        dialog.accepted.connect(self.tickets.refresh)
        dialog.open()
        return dialog

    def update_ticket_counts(self) -> None:
        with self._db.read() as session:
            self.show_ticket_counts(tickets.counts(session))

    def show_ticket_counts(self, counts: tickets.Counts) -> None:
        """The status bar keeps the desk aware of tickets past their time limit and 回访 due."""
        parts = [f"逾期{counts.overdue}件" if counts.overdue else "", f"待回访{counts.follow_up_due}件"
                 if counts.follow_up_due else ""]
        shown = "，".join(part for part in parts if part)
        self.tickets_label.setText(f"工单：{shown}" if shown else "")
        self.tickets_label.setStyleSheet("color: #c0392b;" if counts.overdue else "")

    def open_staff(self) -> StaffDialog:
        dialog = StaffDialog(self._db, self.staff_id, self)
        dialog.finished.connect(lambda _result: self.points.records_changed())
        dialog.open()
        return dialog

    def _show_residents(self) -> ResidentsTab:
        self.tabs.setCurrentWidget(self.residents)
        return self.residents

    def import_roster(self, path: str | None = None) -> RosterImportDialog | None:
        dialog = open_roster(self, self._db, self.staff_id, path)
        if dialog is not None:
            dialog.imported.connect(self.residents.records_changed)
        return dialog

    def export_residents(self) -> ExportDialog:
        dialog = ExportDialog(self._db, self.residents.model.query, self)
        dialog.open()
        return dialog

    # ------------------------------------------------------------ backups

    def _backup_done(self, message: str, ok: bool) -> None:
        if ok:
            self.statusBar().showMessage(message, 8000)
        else:
            messages.warn(self, f"{message}\n（自动备份没有做成；数据本身已经保存。）", "备份")

    def _data_damaged(self, message: str) -> MainWindow | None:
        """The start's check found the data file damaged: offer the newest good backup."""
        good = backups.newest_good(backups_dir(self._data_dir))
        if good is None:
            messages.warn(self, f"{message}\n备份文件夹里没有完好的备份。请不要删除数据文件夹，联系技术人员。", "数据文件")
            return None
        if not messages.confirm(self, f"{message}\n\n要用最新的完好备份（{good.made_at:%Y-%m-%d %H:%M}，"
                                      f"{backups.counts_text(backups.counts(good.path))}）恢复吗？\n"
                                      "现在的文件会另外保存，不会删除。", "数据文件"):
            return None
        return self.restore_from_backup(good)

    def backup_to(self, folder: str | None = None) -> backups.BackupInfo | None:
        """文件 → 备份到…: a checked copy in a folder or on a USB stick."""
        if folder is None:
            from PySide6.QtWidgets import QFileDialog

            folder = QFileDialog.getExistingDirectory(self, "备份到（选择文件夹或U盘）")
            if not folder:
                return None
        self.keeper.wait()
        try:
            made = backups.copy_to(self._db.path, Path(folder))
        except backups.BackupError as error:
            messages.warn(self, error.message, "备份")
            return None
        messages.info(self, f"已备份到 {made.path}\n（{backups.counts_text(backups.counts(made.path))}）", "备份")
        return made

    def restore_from_backup(self, chosen: backups.BackupInfo | None = None) -> MainWindow | None:
        """文件 → 从备份恢复…: the current file is kept as a backup, the chosen one put in its place, the
        window opened again on it. Returns the new window (None when nothing was restored)."""
        folder = backups_dir(self._data_dir)
        if chosen is None:
            dialog = RestoreDialog(folder, self)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
                return None
            chosen = dialog.chosen
        self.keeper.stop()
        self._db.close()
        try:
            restored = backups.restore(self._db.path, chosen, folder)
        except backups.BackupError as error:
            messages.warn(self, error.message, "恢复")
            self.keeper.start()  # the data is as it was: keep backing it up
            return None
        from db.migrate import open_database

        database = open_database(self._db.path, folder)  # an older backup is upgraded as at start
        with database.read() as session:  # the same person goes on, if the restored data knows them
            known = session.get(StaffAccount, self.staff_id)
            same = (known is not None and known.active and known.password_hash is not None
                    and known.name == self.staff_name)
        acting: tuple[int, str] | None = (self.staff_id, self.staff_name) if same else None
        if acting is None:  # the restored data has other accounts: whoever goes on signs in again
            from ui.login import LoginDialog

            login = LoginDialog(database, parent=self)
            if login.exec() != QDialog.DialogCode.Accepted or login.staff is None:
                messages.warn(self, f"{restored.summary}\n没有登录，工作台将关闭；重新打开后请登录。", "恢复完成")
                database.close()
                self._closing_for_restore = True
                self.close()
                return None
            acting = login.staff
        self.replacement = MainWindow(database, acting, self._data_dir)
        self.replacement.show()
        self.replacement.keeper.start()
        if self.idle_lock.timer.isActive():
            self.replacement.idle_lock.start()
        self._closing_for_restore = True
        self.close()
        messages.info(self.replacement, restored.summary, "恢复完成")
        return self.replacement

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_dir)))

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"关于{APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>版本 {__version__}</p>"
            f"<p>数据文件夹：{self._data_dir}</p>"
            "<p>小区党群服务站的前台工作台：居民与住户、积分、志愿服务、议事、工单和公示。</p>",
        )

    # ------------------------------------------------------------ window state

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = settings.value("main_window/state")
            if isinstance(state, QByteArray):
                self.restoreState(state)
        else:
            self.resize(1200, 760)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle_lock.stop()
        if self.keeper.timer.isActive() and not self._closing_for_restore:
            self.keeper.stop()
            if self.keeper.changed():
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    self.keeper.backup_now("exit")
                except backups.BackupError as error:
                    messages.warn(self, f"退出时备份失败：{error.message}", "备份")
                finally:
                    QApplication.restoreOverrideCursor()
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)
