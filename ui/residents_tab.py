"""The 居民 tab: the building tree, search as you type, filters, and the residents table."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import compound, residents
from station.errors import ValidationError
from station.residents import ResidentRow
from ui import icons, messages
from ui.household_dialogs import HouseholdViewDialog, NewHouseholdDialog
from ui.points_dialogs import ResidentPointsDialog
from ui.resident_dialogs import HistoryDialog, MoveOutDialog, ResidentDialog
from ui.table_models import ResidentTableModel

_PLACE_ROLE = Qt.ItemDataRole.UserRole
DialogType = TypeVar("DialogType", bound=QDialog)


class ResidentsTab(QWidget):
    """Residents and households (居民与住户)."""

    status = Signal(str)  # a short message for the status bar after an action
    points_changed = Signal()  # points were recorded from this tab

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.dialog: QDialog | None = None  # the dialog opened last (window-modal)
        with database.read() as session:
            self.sees_care = residents.sees_care(session, staff_id)
        self.model = ResidentTableModel(database, self, hide_care=not self.sees_care)
        self.count = QLabel()

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(150)
        self.tree.currentItemChanged.connect(self._place_chosen)
        self.tree.itemExpanded.connect(self._load_rooms)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self._place_opened(item))

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("fa5s.search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText("搜索：姓名、拼音首字母（如 zsm）、电话尾号、房号（如 3-2-501）")
        self.search.textChanged.connect(lambda text: self.model.update_query(text=text))
        self.search.returnPressed.connect(self.go_to_results)
        self.search.installEventFilter(self)
        self.group = QComboBox()
        self.group.setObjectName("group")
        for key, label in residents.GROUPS.items():
            if self.sees_care or not key.startswith("care"):  # no finding people by a tag one may not see
                self.group.addItem(label, key)
        self.group.currentIndexChanged.connect(lambda _i: self.model.update_query(group=self.group.currentData()))
        self.show_moved_out = QCheckBox("显示已迁出")
        self.show_moved_out.toggled.connect(lambda on: self.model.update_query(include_moved_out=on))

        self.table = QTableView()
        self.table.setObjectName("residents")
        self.table.setModel(self.model)
        # Indicator first: enabling sorting then sorts (and so loads the table) once.
        self.table.horizontalHeader().setSortIndicator(ResidentTableModel.COL_ADDRESS, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line a cell; a tooltip shows a long name whole
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 110), (1, 50), (2, 50), (3, 130), (4, 90), (5, 115), (6, 90), (7, 110), (8, 120), (9, 50)):
            self.table.setColumnWidth(column, width)
        # A role that may not see care tags gets no 关怀标签 column at all: an empty one would read as
        # "nobody here needs care".
        self.table.setColumnHidden(ResidentTableModel.COL_CARE, not self.sees_care)
        self.table.doubleClicked.connect(lambda _index: self.edit_resident())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.add_button = QPushButton(icons.icon("fa5s.user-plus"), "新增居民")
        self.add_button.setToolTip("新增居民 (Ctrl+N)")
        self.add_button.clicked.connect(self.add_resident)
        self.household_button = QPushButton(icons.icon("fa5s.home"), "新建住户")
        self.household_button.clicked.connect(self.add_household)
        self.edit_button = QPushButton(icons.icon("fa5s.edit"), "修改")
        self.edit_button.clicked.connect(self.edit_resident)
        self.view_household_button = QPushButton(icons.icon("fa5s.users"), "查看本户")
        self.view_household_button.clicked.connect(self.view_household)
        self.move_out_button = QPushButton(icons.icon("fa5s.sign-out-alt"), "迁出")
        self.move_out_button.clicked.connect(self.move_out)
        self.undo_move_out_button = QPushButton(icons.icon("fa5s.undo"), "撤销迁出")
        self.undo_move_out_button.clicked.connect(self.undo_move_out)
        self.history_button = QPushButton(icons.icon("fa5s.history"), "修改记录")
        self.history_button.clicked.connect(self.show_history)
        self.points_button = QPushButton(icons.icon("fa5s.coins"), "积分记录")
        self.points_button.setObjectName("resident_points")
        self.points_button.clicked.connect(self.show_points)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("筛选："))
        filters.addWidget(self.group, 1)
        filters.addWidget(self.show_moved_out)
        filters.addWidget(self.count)
        # A toolbar, not a row: on a narrow screen the last buttons fold into its » menu.
        actions = QToolBar()
        actions.setObjectName("resident_actions")
        for button in (self.add_button, self.household_button, self.edit_button, self.view_household_button,
                       self.move_out_button, self.undo_move_out_button, self.history_button, self.points_button):
            actions.addWidget(button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(actions)
        right_layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.reload_tree()
        self.model.modelReset.connect(self._update_count)
        # A re-sort or a refresh (points recorded elsewhere) keeps the resident the worker had selected.
        self._kept: int | None = None
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.table.setSortingEnabled(True)  # loads the table
        self._update_count()
        self.model.warm_search_soon()

    # ------------------------------------------------------------ the place tree

    def reload_tree(self) -> None:
        current = self.tree.currentItem()
        chosen = current.data(0, _PLACE_ROLE) if current else None
        with self._db.read() as session:
            nodes = compound.tree(session)
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem(self.tree, ["全部楼栋"])
        root.setData(0, _PLACE_ROLE, None)
        root.setIcon(0, icons.icon("fa5s.city"))
        select = root
        for building in nodes:
            households = sum(unit.households for unit in building.units)
            item = QTreeWidgetItem(root, [f"{building.number}栋（{households}户）"])
            item.setData(0, _PLACE_ROLE, ("building", building.id))
            item.setIcon(0, icons.icon("fa5s.building"))
            if chosen == ("building", building.id):
                select = item
            for unit in building.units:
                child = QTreeWidgetItem(item, [f"{unit.number}单元（{unit.households}户）"])
                child.setData(0, _PLACE_ROLE, ("unit", unit.id))
                if unit.households:  # rooms are listed when the unit is opened
                    child.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                if chosen == ("unit", unit.id):
                    select = child
                if chosen and chosen[0] == "household" and chosen[2] == unit.id:
                    self._load_rooms(child)
                    child.setExpanded(True)
                    rooms = [child.child(i) for i in range(child.childCount())]
                    select = next((r for r in rooms if r is not None and r.data(0, _PLACE_ROLE) == chosen), child)
        root.setExpanded(True)
        self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)

    def _load_rooms(self, unit_item: QTreeWidgetItem) -> None:
        """List a unit's households under it, the first time it is opened."""
        place = unit_item.data(0, _PLACE_ROLE)
        if not place or place[0] != "unit" or unit_item.childCount():
            return
        with self._db.read() as session:
            rooms = compound.rooms(session, place[1])
        for household_id, room in rooms:
            child = QTreeWidgetItem(unit_item, [f"{room}室"])
            child.setData(0, _PLACE_ROLE, ("household", household_id, place[1]))
            child.setToolTip(0, "双击查看本户")

    def _place_chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        place = item.data(0, _PLACE_ROLE) if item else None
        kind, key = (place[0], place[1]) if place else (None, None)
        self.model.update_query(building_id=key if kind == "building" else None,
                                unit_id=key if kind == "unit" else None,
                                household_id=key if kind == "household" else None)

    def _place_opened(self, item: QTreeWidgetItem) -> None:
        place = item.data(0, _PLACE_ROLE)
        if place and place[0] == "household":
            self.open_household(place[1])

    # ------------------------------------------------------------ selection

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.resident_id(rows[0].row()) if rows else None

    def select_resident(self, resident_id: int) -> bool:
        row = self.model.row_of(resident_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selected_row(self) -> ResidentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self._selected_row()
        for button in (self.edit_button, self.view_household_button, self.history_button, self.points_button):
            button.setEnabled(row is not None)
        self.move_out_button.setEnabled(row is not None and row.moved_out_on is None)
        self.undo_move_out_button.setEnabled(row is not None and row.moved_out_on is not None)

    def _keep_selection(self) -> None:
        self._kept = self.selected_id()

    def _restore_selection(self) -> None:
        if self._kept is not None:
            self.select_resident(self._kept)
            self._kept = None

    def _update_count(self) -> None:
        place = ""
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:  # a building or a unit, not 全部楼栋
            place = item.text(0).split("（")[0] + place
            item = item.parent()
        # Say where the list looks, so an empty search in one unit is not taken for "nobody".
        self.count.setText(f"{place}：共 {self.model.rowCount()} 人" if place else f"共 {self.model.rowCount()} 人")
        self._update_buttons()

    # ------------------------------------------------------------ actions

    def _open(self, dialog: DialogType, on_accept: Callable[[], object]) -> DialogType:
        """Open a window-modal dialog; ``on_accept`` runs when the user saves."""
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.open()
        return dialog

    def records_changed(self) -> None:
        """Residents or households changed elsewhere (an import): show them afresh."""
        self._changed()

    def _changed(self, select: int | None = None) -> None:
        self.reload_tree()
        self.model.refresh()
        if select is not None and not self.select_resident(select):
            # Not in the current view (filtered out): clear filters so the user sees it.
            self.search.clear()
            self.group.setCurrentIndex(0)
            root = self.tree.topLevelItem(0)
            if root is not None:
                self.tree.setCurrentItem(root)
            self.select_resident(select)

    def add_resident(self, household_id: int | None = None) -> ResidentDialog:
        dialog = ResidentDialog(self._db, self._staff_id, household_id=household_id or None, parent=self)

        def added() -> None:
            self._changed(dialog.resident_id)
            self.status.emit(f"已新增居民 {dialog.name.text().strip()}")

        return self._open(dialog, added)

    def add_household(self) -> NewHouseholdDialog:
        dialog = NewHouseholdDialog(self._db, self._staff_id, self)
        return self._open(dialog, self._household_added)

    def _household_added(self) -> None:
        self.reload_tree()
        dialog = self.dialog
        household_id = dialog.household_id if isinstance(dialog, NewHouseholdDialog) else None
        if household_id is None:
            return
        with self._db.read() as session:
            place = compound.household_view(session, household_id).address
        self.status.emit(f"已新建住户 {place}")
        if messages.confirm(self, f"已新建住户 {place}。\n现在为这户新增居民吗？", "新建住户"):
            self.add_resident(household_id)

    def edit_resident(self, resident_id: int | None = None) -> ResidentDialog | None:
        resident_id = resident_id or self.selected_id()
        if resident_id is None:
            messages.info(self, "请先在名单中选中一位居民。")
            return None
        dialog = ResidentDialog(self._db, self._staff_id, resident_id=resident_id, parent=self)

        def saved() -> None:
            self._changed(resident_id)
            self.status.emit(f"已保存 {dialog.name.text().strip()} 的修改")

        return self._open(dialog, saved)

    def view_household(self) -> HouseholdViewDialog | None:
        row = self._selected_row()
        if row is None:
            messages.info(self, "请先在名单中选中一位居民，或在左边双击一户。")
            return None
        return self.open_household(row.household_id)

    def open_household(self, household_id: int) -> HouseholdViewDialog:
        """住户: members, head and 联户党员 of one household (also one nobody lives in yet)."""
        dialog = HouseholdViewDialog(self._db, self._staff_id, household_id, self)
        dialog.add_member_requested.connect(self._add_member)
        dialog.edit_member_requested.connect(self._edit_member)
        return self._open(dialog, self._changed)

    def _add_member(self, household_id: int) -> None:
        household_view = self.dialog
        dialog = ResidentDialog(self._db, self._staff_id, household_id=household_id, parent=household_view)
        dialog.accepted.connect(lambda: self._member_saved(household_view, dialog.resident_id))
        dialog.open()

    def _edit_member(self, resident_id: int) -> None:
        household_view = self.dialog
        dialog = ResidentDialog(self._db, self._staff_id, resident_id=resident_id, parent=household_view)
        dialog.accepted.connect(lambda: self._member_saved(household_view, resident_id))
        dialog.open()

    def _member_saved(self, household_view: QDialog | None, resident_id: int | None) -> None:
        if isinstance(household_view, HouseholdViewDialog):
            household_view.reload_members()
        self._changed(resident_id)

    def move_out(self) -> MoveOutDialog | None:
        row = self._selected_row()
        if row is None or row.moved_out_on is not None:
            return None
        dialog = MoveOutDialog(self._db, self._staff_id, row.id, row.name, self)
        name = row.name

        def moved_out() -> None:
            self._changed()
            self.status.emit(f"已迁出 {name}。勾选“显示已迁出”可以查看或撤销。")

        return self._open(dialog, moved_out)

    def undo_move_out(self) -> None:
        row = self._selected_row()
        if row is None or row.moved_out_on is None:
            return
        if not messages.confirm(self, f"撤销 {row.name} 的迁出，恢复为在住？"):
            return
        try:
            with self._db.write() as session:
                residents.undo_move_out(session, self._staff_id, row.id)
        except ValidationError as error:
            messages.warn(self, error.message)
            return
        self._changed(row.id)
        self.status.emit(f"已撤销 {row.name} 的迁出")

    def show_history(self) -> HistoryDialog | None:
        row = self._selected_row()
        if row is None:
            return None
        dialog = HistoryDialog(self._db, row.id, row.name, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_points(self) -> ResidentPointsDialog | None:
        """积分记录: the selected resident's balance and entries; points can be recorded from there."""
        row = self._selected_row()
        if row is None:
            return None
        dialog = ResidentPointsDialog(self._db, self._staff_id, row.id, row.name, self)
        dialog.finished.connect(lambda _result: self.points_changed.emit())
        self.dialog = dialog
        dialog.open()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down:
                self.go_to_results()
                return True
        return super().eventFilter(watched, event)

    def go_to_results(self) -> None:
        """Enter or ↓ in the search box: on to the first resident found."""
        if self.model.rowCount():
            self.table.setFocus()
            if not self.table.selectionModel().selectedRows():
                self.table.selectRow(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
