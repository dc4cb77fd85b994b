"""Table models: small explicit ones, and the residents model that keeps ids and loads rows on demand."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from db.engine import Database
from station import residents
from station.residents import ResidentQuery, ResidentRow

Index = QModelIndex | QPersistentModelIndex
_MOVED_OUT = QBrush(QColor("#8a8a8a"))
_ERROR = QBrush(QColor("#c0392b"))


class _Table(QAbstractTableModel):
    """A flat, read-only table with fixed column headers."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._headers):
                return self._headers[section]
        return None


class SimpleTableModel(_Table):
    """A read-only table of ready-made text rows; the row's id is in UserRole."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(headers, parent)
        self._rows: list[tuple[Any, ...]] = []
        self._ids: list[Any] = []
        self._grey: set[int] = set()
        self._red: set[int] = set()

    def set_rows(self, rows: Sequence[Sequence[Any]], ids: Sequence[Any] | None = None,
                 grey: Sequence[int] = (), red: Sequence[int] = ()) -> None:
        """Replace the rows; ``grey`` rows are shown dimmed (moved out, skipped), ``red`` ones as errors."""
        self.beginResetModel()
        self._rows = [tuple(row) for row in rows]
        self._ids = list(ids) if ids is not None else [None] * len(self._rows)
        self._grey = set(grey)
        self._red = set(red)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[index.row()][index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.row() in self._red:
                return _ERROR
            if index.row() in self._grey:
                return _MOVED_OUT
        return None

    def id_at(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None


class ResidentTableModel(_Table):
    """The residents table. Holds the matching ids (filtered and sorted in SQL) and
    loads the rows it is asked to show in blocks, so 30,000 residents cost little."""

    COL_NAME, COL_GENDER, COL_AGE, COL_ADDRESS, COL_RELATION, COL_PHONE, COL_PARTY, COL_ROLES, \
        COL_CARE, COL_POINTS, COL_STATUS = range(11)
    HEADERS = ("姓名", "性别", "年龄", "住址", "与户主关系", "电话", "党员类别", "职务", "关怀标签", "积分", "状态")
    SORT_KEYS = residents.SORT_COLUMNS
    BLOCK = 64  # rows read at a time: about two screens
    CACHE_LIMIT = 20_000

    def __init__(self, database: Database, parent: Any = None, hide_care: bool = False) -> None:
        super().__init__(self.HEADERS, parent)
        self._db = database
        self._hide_care = hide_care  # the signed-in role does not see care tags
        self._query = ResidentQuery()
        self._ids: list[int] = []
        self._cache: dict[int, tuple[ResidentRow, tuple[str, ...]]] = {}
        self._finder = residents.ResidentFinder()
        self._loaded = False

    @property
    def query(self) -> ResidentQuery:
        return self._query

    def set_query(self, query: ResidentQuery) -> None:
        """Show the residents matching a new search, filter or sort."""
        if query == self._query and self._loaded:
            return
        self._query = query
        self._load()

    def update_query(self, **changes: Any) -> None:
        self.set_query(dataclasses.replace(self._query, **changes))

    WARM_DELAY_MS = 300  # after the window has been painted; nobody types within the first moment

    def warm_search(self) -> None:
        """Prepare search as you type while nobody is typing yet."""
        with self._db.read() as session:
            self._finder.warm(session)

    def warm_search_soon(self) -> None:
        QTimer.singleShot(self.WARM_DELAY_MS, self, self.warm_search)

    def refresh(self) -> None:
        """Read everything again, after the records changed."""
        self._finder.invalidate()
        self._cache = {}
        self._load()
        self.warm_search_soon()

    def _load(self) -> None:
        with self._db.read() as session:
            ids = self._finder.find(session, self._query)
        self.beginResetModel()
        self._ids = ids
        # Rows stay valid until the records change (refresh), so a new search reuses them.
        if len(self._cache) > self.CACHE_LIMIT:
            self._cache = {}
        self._loaded = True
        self.endResetModel()

    def resident_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, resident_id: int) -> int | None:
        try:
            return self._ids.index(resident_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> ResidentRow | None:
        cached = self._cached(row)
        return cached[0] if cached else None

    def _cached(self, row: int) -> tuple[ResidentRow, tuple[str, ...]] | None:
        """The row and its display texts; loads the block of rows around it on a miss."""
        resident_id = self.resident_id(row)
        if resident_id is None:
            return None
        cached = self._cache.get(resident_id)
        if cached is None:
            start = row - row % self.BLOCK
            with self._db.read() as session:
                loaded = residents.rows(session, self._ids[start:start + self.BLOCK], hide_care=self._hide_care)
            self._cache.update((rid, (data, self._texts(data))) for rid, data in loaded.items())
            cached = self._cache.get(resident_id)
        return cached

    @staticmethod
    def _texts(row: ResidentRow) -> tuple[str, ...]:
        return (
            row.name, row.gender, "" if row.age is None else str(row.age), row.address, row.relation,
            row.phone_masked, row.party_category, row.roles, row.care_tags, str(row.points),
            f"已迁出 {row.moved_out_on:%Y-%m-%d}" if row.moved_out_on else "在住",
        )

    # Qt model interface

    def _row_count(self) -> int:
        return len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: keep it lean.
        if role == Qt.ItemDataRole.DisplayRole:
            cached = self._cached(index.row()) if index.isValid() else None
            return cached[1][index.column()] if cached and 0 <= index.column() < len(cached[1]) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            cached = self._cached(index.row()) if index.isValid() else None
            return _MOVED_OUT if cached and cached[0].moved_out_on else None
        if role == Qt.ItemDataRole.UserRole:
            return self.resident_id(index.row()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            cached = self._cached(index.row())
            if cached is None:
                return None
            if index.column() == self.COL_AGE and cached[0].birth_date:
                return f"出生日期：{cached[0].birth_date:%Y-%m-%d}"
            text = cached[1][index.column()] if 0 <= index.column() < len(cached[1]) else ""
            return text or None  # the whole text when the column is too narrow for it
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.SORT_KEYS):
            self.update_query(sort=self.SORT_KEYS[column],
                              descending=order == Qt.SortOrder.DescendingOrder)
