"""What the tabs' pages share: a page that reloads when shown after a change, tables, buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.engine import Database
from station import access, staff
from station.errors import ValidationError
from ui import icons, messages
from ui.forms import StepDialog, hint_label
from ui.table_models import SimpleTableModel

Row = TypeVar("Row")


def make_table(model: SimpleTableModel, name: str, multi: bool = False) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves a list for the next control instead of walking its cells
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Columns fit the first 30 rows, not thousands: sizing to 100 rows was a third of opening a long list
    # (the tickets tab on 逾期 over 50,000 tickets: 152 ms at 100 rows, 103 ms at 30).
    header.setResizeContentsPrecision(30)
    header.setStretchLastSection(True)
    return table


def selected_rows(table: QTableView) -> list[int]:
    return sorted(index.row() for index in table.selectionModel().selectedRows())


def select_where(table: QTableView, rows: Sequence[Row], wanted: Callable[[Row], bool]) -> bool:
    """Select the first row for which ``wanted`` holds; False when none does."""
    for n, row in enumerate(rows):
        if wanted(row):
            table.selectRow(n)
            return True
    return False


def make_button(icon: str, text: str, name: str) -> QPushButton:
    button = QPushButton(icons.icon(icon), text)
    button.setObjectName(name)
    return button


def role_of(database: Database, staff_id: int) -> str:
    """The signed-in account's role (录入员, 积分审核员, 管理员)."""
    with database.read() as session:
        return staff.get(session, staff_id).role


def offer(role: str, roles: Sequence[str], *widgets: QWidget) -> bool:
    """Show ``widgets`` only to a role among ``roles``: what a role may not do is not offered.

    (The service checks the role again; this only keeps the page honest about what can be done.)
    """
    allowed = access.allows(role, roles)
    for widget in widgets:
        widget.setVisible(allowed)
        if not allowed:
            widget.setEnabled(False)
            widget.setProperty("not_offered", True)  # a toolbar built later leaves it out too
    return allowed


class Page(QWidget):
    """A page of a tab; reloads when shown after a change. ``role`` is the signed-in account's."""

    changed = Signal()  # the page changed the records

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.role = role_of(database, staff_id)
        self.stale = True
        self.dialog: QDialog | None = None

    def offer(self, roles: Sequence[str], *widgets: QWidget) -> bool:
        """Show ``widgets`` only when the signed-in role is among ``roles``."""
        return offer(self.role, roles, *widgets)

    def reload(self) -> None:
        raise NotImplementedError

    def _lay_out(self, hint: str, buttons: Sequence[QWidget], table: QTableView) -> None:
        """The usual page: a hint, a row of buttons, the table."""
        actions = QHBoxLayout()
        for button in buttons:
            actions.addWidget(button)
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(hint))
        layout.addLayout(actions)
        layout.addWidget(table)

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _step_dialog(self, row: Row, title: str, prompt: str, fields: list[tuple[str, str, QWidget]],
              action: Callable[[Session, Row], object], after: Callable[[], None], ok_text: str = "") -> StepDialog:
        """A step on the chosen record (办结, 转办, 上报提级 …): a few fields, the service call in one write
        transaction when confirmed (a refusal shows beside the fields), then ``after``."""

        def run() -> None:
            with self._db.write() as session:
                action(session, row)

        dialog = StepDialog(title, prompt, fields, run, ok_text, self)
        dialog.accepted.connect(after)
        self._open(dialog)
        return dialog

    def _run(self, action: Callable[[Session], object]) -> bool:
        """Run a service call in one write transaction; a refused one is explained and changes nothing."""
        try:
            with self._db.write() as session:
                action(session)
        except ValidationError as error:
            messages.warn(self, error.message)
            return False
        self.changed.emit()
        return True


def toolbar(*buttons: QWidget) -> QToolBar:
    """A row of buttons that folds the last ones into a » menu when the window is narrow."""
    bar = QToolBar()
    for widget in buttons:
        action = bar.addWidget(widget)
        if widget.property("not_offered"):  # a role that may not use it: see offer()
            action.setVisible(False)
    return bar


class PagedTab(QWidget):
    """A main-window tab made of pages; a page reads its records again when shown after a change."""

    changed = Signal()  # a page changed the records: other tabs may be stale

    def __init__(self, name: str, pages: Sequence[tuple[Page, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QTabWidget()
        self.pages.setObjectName(name)
        self.page_list: tuple[Page, ...] = tuple(page for page, _icon, _title in pages)
        for page, icon, title in pages:
            self.pages.addTab(page, icons.icon(icon), title)
            page.changed.connect(self.records_changed)
        self.pages.currentChanged.connect(lambda _i: self._show_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        self._show_current()

    def _show_current(self) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, Page) and page.stale:
            page.reload()

    def refresh(self) -> None:
        """Records changed elsewhere: every page reads again when next shown."""
        for page in self.page_list:
            page.stale = True
        if self.isVisible():
            self._show_current()

    def records_changed(self) -> None:
        """A page of this tab changed the records."""
        self.refresh()
        self.changed.emit()

    def show_page(self, page: Page) -> None:
        self.pages.setCurrentWidget(page)
        self._show_current()
