"""The main window: the tabs, menus, status bar; remembers its size and place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from db.engine import Database
from db.models import Staff as StaffAccount
from station import APP_TITLE, __version__, access, audit, backups, onboarding, tickets
from station import staff as staff_service
from station.paths import backups_dir
from ui import icons, messages
from ui.backups import BackupKeeper, RestoreDialog
from ui.home_tab import HomeTab
from ui.login import ActAsDialog, IdleLock, LockCover, LoginDialog, PasswordDialog, cover_windows, uncover
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
    """The desk: the tabs and menus of the signed-in person, rebuilt for the next one at 切换用户."""

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

        self.keeper = BackupKeeper(database, backups_dir(data_dir), self)
        self.keeper.finished.connect(self._backup_done)
        self.keeper.damaged.connect(self._data_damaged)
        self._closing_for_restore = False
        self.replacement: MainWindow | None = None
        self.idle_lock = IdleLock(database, staff, self)
        self.idle_lock.switch_requested.connect(lambda: self.switch_user(from_lock=True))
        self.activation: object | None = None  # ui.app.ActivationServer, when started by the program
        self.login: LoginDialog | None = None  # the sign-in box of 切换用户 while it is up
        self._lock_was_on = False

        self.data_file_label = QLabel(f"数据文件：{database.path}")
        self.tickets_label = QLabel()
        self.tickets_label.setObjectName("tickets_status")
        self.staff_label = QLabel()
        self.statusBar().addWidget(self.data_file_label, 1)
        self.statusBar().addPermanentWidget(self.tickets_label)
        self.statusBar().addPermanentWidget(self.staff_label)
        self._build_desk()
        self._restore_geometry()

    def _build_desk(self) -> None:
        """The tabs and menus for the signed-in account: what its role may not do is not offered."""
        database = self._db
        with database.read() as session:
            self.role = staff_service.get(session, self.staff_id).role
        self.staff_label.setText(f"操作员：{self.staff_name}（{self.role}）")
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
        self.tabs.currentChanged.connect(self._tab_shown)
        # A meeting's resolution can become a ticket.
        self.meetings.changed.connect(self.tickets.refresh)
        self.meetings.changed.connect(self.update_ticket_counts)
        self.tickets.tickets.counted.connect(self.show_ticket_counts)
        self.setCentralWidget(self.tabs)  # the previous person's tabs, if any, go with it
        self._build_menus()
        self.update_ticket_counts()
        self.tabs.setCurrentWidget(self.home)  # the day starts with what needs doing

    def _tab_shown(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if current is self.home:
            self.home.refresh()
        elif current is self.meetings:  # matters and meetings show residents' names and rooms: read again
            self.meetings.refresh()
        elif current is self.tickets:
            self.tickets.refresh()

    def _gate(self, action: QAction, roles: Sequence[str], doing: str) -> QAction:
        """A menu action the signed-in role may not use stays in its place, disabled, saying who may."""
        if not access.allows(self.role, roles):
            action.setEnabled(False)
            action.setToolTip(access.needs(roles, doing))
            action.setStatusTip(access.needs(roles, doing))
        return action

    def _menu_action(self, menu: QMenu, text: str, slot: Callable[[], object], icon: str = "",
                     shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                     roles: Sequence[str] = access.EVERYONE, doing: str = "") -> QAction:
        action = QAction(icons.icon(icon), text, menu) if icon else QAction(text, menu)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return self._gate(action, roles, doing or text.split("(")[0].rstrip("…"))

    def _build_menus(self) -> None:
        bar = QMenuBar(self)
        self.setMenuBar(bar)  # a new person's menus replace the previous person's
        file_menu = bar.addMenu("文件(&F)")
        file_menu.setToolTipsVisible(True)
        self.new_resident_action = self._menu_action(file_menu, "新增居民(&N)", lambda: self._show_residents()
                                                     .add_resident(), "fa5s.user-plus", QKeySequence.StandardKey.New)
        self._menu_action(file_menu, "新建住户(&H)", lambda: self._show_residents().add_household(), "fa5s.home")
        file_menu.addSeparator()
        self.import_action = self._menu_action(file_menu, "导入居民花名册(&I)…", self.import_roster, "fa5s.file-import",
                                               roles=access.ROSTER, doing="导入居民花名册")
        self.export_action = self._menu_action(file_menu, "导出居民名单(&E)…", self.export_residents,
                                               "fa5s.file-export", roles=access.EXPORT_RESIDENTS, doing="导出居民名单")
        file_menu.addSeparator()
        self.backup_action = self._menu_action(file_menu, "备份到(&B)…", self.backup_to, "fa5s.save",
                                               roles=access.BACKUP_COPY, doing="备份到其他文件夹")
        self.restore_action = self._menu_action(file_menu, "从备份恢复(&R)…", self.restore_from_backup,
                                                "fa5s.history", roles=access.RESTORE, doing="从备份恢复")
        file_menu.addSeparator()
        self._menu_action(file_menu, "打开数据文件夹(&D)", self.open_data_folder, "fa5s.folder-open",
                          roles=access.BACKUP_COPY, doing="打开数据文件夹")
        file_menu.addSeparator()
        self.switch_action = self._menu_action(file_menu, "切换用户(&U)…", self.switch_user, "fa5s.user-friends",
                                               "Ctrl+L")
        self.switch_action.setToolTip("换下一位工作人员登录（Ctrl+L）：当前账号退出，窗口先遮住")
        self._menu_action(file_menu, "退出(&X)", self.close, shortcut=QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("编辑(&E)")
        self.find_action = self._menu_action(edit_menu, "查找居民(&F)", lambda: self._show_residents().focus_search(),
                                             "fa5s.search", QKeySequence.StandardKey.Find)

        points_menu = bar.addMenu("积分(&P)")
        points_menu.setToolTipsVisible(True)
        self.record_points_action = self._menu_action(points_menu, "记分(&J)…", self.record_points,
                                                      "fa5s.plus-circle", "Ctrl+J")
        for title, page in (("待审核(&A)", self.points.review), ("月度评审(&M)", self.points.months),
                            ("星级家庭(&S)", self.points.stars), ("积分细则(&R)", self.points.catalogue)):
            self._menu_action(points_menu, title, partial(self._show_points_page, page))
        points_menu.addSeparator()
        self.redeem_action = self._menu_action(points_menu, "积分超市兑换(&D)", self.open_redeem, "fa5s.shopping-basket")

        tickets_menu = bar.addMenu("工单(&G)")
        self.take_report_action = self._menu_action(tickets_menu, "受理登记(&T)…", self.take_report, "fa5s.plus",
                                                    "Ctrl+T")
        for title, view in (("逾期工单(&O)", "overdue"), ("待回访(&F)", "follow_up"), ("未办结工单(&U)", "open")):
            self._menu_action(tickets_menu, title, partial(self.show_tickets, view))

        settings_menu = bar.addMenu("设置(&S)")
        settings_menu.setToolTipsVisible(True)
        self.staff_action = self._menu_action(settings_menu, "工作人员(&W)…", self.open_staff, "fa5s.users-cog",
                                              roles=access.STAFF, doing="管理工作人员账号")
        self.log_action = self._menu_action(settings_menu, "操作记录(&L)…", self.open_audit_log, "fa5s.list-alt",
                                            roles=access.AUDIT_LOG, doing="查看操作记录")
        self._menu_action(settings_menu, "修改我的密码(&K)…", self.change_password, "fa5s.key")
        self._menu_action(settings_menu, "评星标准(&X)…", lambda: self._show_points_page(self.points.stars)
                          .edit_settings(), "fa5s.sliders-h", roles=access.SETTINGS, doing="修改评星标准")
        self._menu_action(settings_menu, "志愿时长换算与走访间隔(&V)…", self.volunteer_settings, "fa5s.clock",
                          roles=access.SETTINGS, doing="修改志愿时长换算与走访间隔")
        self._menu_action(settings_menu, "文字大小(&Z)…", self.text_size, "fa5s.text-height")
        self._menu_action(settings_menu, "工单时限与回访(&T)…", self.ticket_settings, "fa5s.hourglass-half",
                          roles=access.SETTINGS, doing="修改工单时限与回访")

        help_menu = bar.addMenu("帮助(&H)")
        self._menu_action(help_menu, "关于(&A)", self.show_about)

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

        if not access.allows(self.role, access.AUDIT_LOG):
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

    def open_staff(self) -> StaffDialog | None:
        if not access.allows(self.role, access.STAFF):
            return None
        dialog = StaffDialog(self._db, self.staff_id, self)
        dialog.finished.connect(lambda _result: self.points.records_changed())
        dialog.open()
        return dialog

    def _show_residents(self) -> ResidentsTab:
        self.tabs.setCurrentWidget(self.residents)
        return self.residents

    def import_roster(self, path: str | None = None) -> RosterImportDialog | None:
        if not access.allows(self.role, access.ROSTER):
            return None
        dialog = open_roster(self, self._db, self.staff_id, path)
        if dialog is not None:
            dialog.imported.connect(self.residents.records_changed)
        return dialog

    def export_residents(self) -> ExportDialog | None:
        if not access.allows(self.role, access.EXPORT_RESIDENTS):
            return None
        dialog = ExportDialog(self._db, self.staff_id, self.residents.model.query, self)
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

    def confirm_admin(self, doing: str) -> tuple[int, str] | None:
        """The signed-in administrator types the password again before ``doing``; None when not."""
        if not access.allows(self.role, access.RESTORE):
            messages.warn(self, access.needs(access.RESTORE, doing) + f"，{self.staff_name}是{self.role}", doing)
            return None
        dialog = ActAsDialog(self._db, doing, f"{doing}前请再输入一次您的密码。", doing, access.RESTORE, None, self,
                             only=self.staff_id, ok_text=doing)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.acted_by

    def backup_to(self, folder: str | None = None) -> backups.BackupInfo | None:
        """文件 → 备份到…: a checked copy in a folder or on a USB stick, by an administrator, recorded."""
        if not access.allows(self.role, access.BACKUP_COPY):
            return None
        if folder is None:
            from PySide6.QtWidgets import QFileDialog

            folder = QFileDialog.getExistingDirectory(self, "备份到（选择文件夹或U盘）")
            if not folder:
                return None
        if self.confirm_admin("备份到其他文件夹") is None:
            return None
        self.keeper.wait()
        try:
            made = backups.copy_to(self._db.path, Path(folder))
        except backups.BackupError as error:
            messages.warn(self, error.message, "备份")
            return None
        with self._db.write() as session:
            audit.record(session, self.staff_id, "backup_copy", "backup", None,
                         f"备份到其他文件夹：{made.path}", after={"file": made.path.name, "folder": str(made.path.parent)})
        messages.info(self, f"已备份到 {made.path}\n（{backups.counts_text(backups.counts(made.path))}）", "备份")
        return made

    def restore_from_backup(self, chosen: backups.BackupInfo | None = None) -> MainWindow | None:
        """文件 → 从备份恢复…: an administrator, who types the password again, puts a backup in place of the
        data; the current file is kept as a backup, the restore and every 操作记录 row of the period it undid
        are recorded in the restored file (恢复前), and the window opens again on it. Returns the new window
        (None when nothing was restored)."""
        folder = backups_dir(self._data_dir)
        if chosen is None:
            if not access.allows(self.role, access.RESTORE):
                return None
            dialog = RestoreDialog(folder, self)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
                return None
            chosen = dialog.chosen
        restorer = self.confirm_admin("从备份恢复")
        if restorer is None:
            return None
        self.keeper.stop()
        undone = backups.undone_by_restore(self._db.path, chosen.path)
        self._db.close()
        try:
            restored = backups.restore(self._db.path, chosen, folder)
        except backups.BackupError as error:
            messages.warn(self, error.message, "恢复")
            self.keeper.start()  # the data is as it was: keep backing it up
            return None
        from db.migrate import open_database

        database = open_database(self._db.path, folder)  # an older backup is upgraded as at start
        with database.write() as session:  # the restore and the trail it would have erased, in the restored file
            known = session.get(StaffAccount, self.staff_id)
            same = (known is not None and known.active and known.password_hash is not None
                    and known.name == self.staff_name)
            audit.record_restore(session, self.staff_id if same else None,
                                 backups.restore_summary(restored, self.staff_name, len(undone)), undone)
        acting: tuple[int, str] | None = (self.staff_id, self.staff_name) if same else None
        if acting is None:  # the restored data has other accounts: whoever goes on signs in again
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

    # ------------------------------------------------------------ the desk changes hands (切换用户)

    def open_dialogs(self) -> list[QDialog]:
        """The dialogs open over this window (a form being filled in, a list of records …)."""
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return []
        return [top for top in app.topLevelWidgets() if isinstance(top, QDialog) and top.isVisible()
                and top is not self.login and top is not self.idle_lock.dialog and self._owns(top)]

    def _owns(self, widget: QWidget) -> bool:
        """Whether ``widget`` was opened from this window (a dialog is a window of its own)."""
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    @staticmethod
    def has_typed_input(dialog: QDialog) -> bool:
        """Whether someone typed into the dialog (text not saved yet)."""
        if any(edit.isModified() and edit.text() for edit in dialog.findChildren(QLineEdit)):
            return True
        return any(box.document().isModified() for box in dialog.findChildren(QPlainTextEdit)) or any(
            box.document().isModified() for box in dialog.findChildren(QTextEdit))

    def switch_user(self, from_lock: bool = False) -> bool:
        """切换用户: the present person is signed out, the window covered, and the next person signs in.

        An open dialog with typed input is named and asked about first (its input would be lost). The
        desk is rebuilt for the next person's role. False when the switch did not happen.
        """
        if self.login is not None:
            return False
        covers = self.idle_lock.take_covers() if from_lock else []
        dialogs = self.open_dialogs()
        typed = [dialog.windowTitle() or "对话框" for dialog in dialogs if self.has_typed_input(dialog)]
        if typed and not from_lock and not messages.confirm(
                self, f"“{'”“'.join(typed)}”里有输入的内容还没有保存。\n切换用户会关闭{'它' if len(typed) == 1 else '它们'}，"
                "输入的内容不会保存。要切换吗？", "切换用户"):
            return False
        if typed and from_lock and not messages.confirm(
                self, f"“{'”“'.join(typed)}”里有{self.staff_name}输入的内容还没有保存。\n换人登录会关闭它，"
                "输入的内容不会保存。要继续吗？", "换人登录"):
            uncover(covers)
            self.idle_lock.lock()
            return False
        for dialog in dialogs:
            dialog.done(QDialog.DialogCode.Rejected)
        with self._db.write() as session:
            audit.record(session, self.staff_id, "logout", "staff", self.staff_id, f"退出登录（切换用户）：{self.staff_name}")
        self._lock_was_on = from_lock or self.idle_lock.timer.isActive()
        self.idle_lock.stop()
        covers = covers or cover_windows(text=f"{self.staff_name}已退出登录，请下一位工作人员登录")
        self.login = LoginDialog(self._db, parent=self, title="切换用户：请下一位工作人员登录",
                                 cancel_text="退出工作台", handing_over=True)
        self.login.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.login.finished.connect(lambda result: self._signed_in(result, covers))
        self.login.open()
        return True

    def _signed_in(self, result: int, covers: list[LockCover]) -> None:
        login, self.login = self.login, None
        if result != QDialog.DialogCode.Accepted or login is None or login.staff is None:
            self.close()  # nobody signed in: the desk closes (after its exit backup) rather than stay open
            uncover(covers)
            return
        self.staff_id, self.staff_name = login.staff
        self.idle_lock.account = login.staff
        self._build_desk()
        uncover(covers)
        if self._lock_was_on:
            self.idle_lock.start()
        self.statusBar().showMessage(f"{self.staff_name}已登录", 8000)

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
