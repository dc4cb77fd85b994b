"""Pickers shared by the tabs: find a resident by name, pinyin, phone tail or room, keyboard first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from db.engine import Database
from station import residents
from station.residents import ResidentQuery

MATCHES_SHOWN = 30


class PersonPicker(QWidget):
    """Type a name, pinyin initials, phone tail or room (3-2-501); the matches show below.

    Down moves into the list, Enter takes the highlighted person.
    """

    chosen = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._finder = residents.ResidentFinder()
        self.resident_id: int | None = None
        self.household_id: int | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("who")
        self.edit.setPlaceholderText("姓名、拼音首字母（zsm）、电话尾号或房号（3-2-501）")
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(self._search)
        self.edit.installEventFilter(self)
        self.matches = QListWidget()
        self.matches.setObjectName("matches")
        self.matches.setMaximumHeight(150)
        self.matches.itemActivated.connect(self._take)
        self.matches.itemClicked.connect(self._take)
        self.matches.hide()  # shown while there are matches
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.matches)
        layout.addWidget(self.chosen_label)

    def _search(self, text: str) -> None:
        self.resident_id = self.household_id = None
        self.chosen_label.clear()
        self.matches.clear()
        if not text.strip():
            self.matches.hide()
            return
        with self._db.read() as session:
            ids = self._finder.find(session, ResidentQuery(text=text))[:MATCHES_SHOWN]
            found = residents.rows(session, ids)
        for resident_id in ids:
            row = found[resident_id]
            entry = QListWidgetItem(f"{row.name}　{row.address}　{row.relation}　现有积分 {row.points}")
            entry.setData(Qt.ItemDataRole.UserRole, resident_id)
            self.matches.addItem(entry)
        if self.matches.count():
            self.matches.setCurrentRow(0)
        self.matches.setVisible(self.matches.count() > 0)

    def choose(self, resident_id: int) -> None:
        with self._db.read() as session:
            row = residents.rows(session, [resident_id])[resident_id]
        self.resident_id, self.household_id = row.id, row.household_id
        self.edit.setText(row.name)
        self.matches.clear()
        self.matches.hide()
        self.chosen_label.setText(f"已选：{row.name}（{row.address}，现有积分 {row.points}）")
        self.chosen.emit(resident_id)

    def _take(self, entry: QListWidgetItem | None) -> None:
        if entry is not None:
            self.choose(int(entry.data(Qt.ItemDataRole.UserRole)))

    def ambiguous(self) -> int:
        """How many people match what was typed, when nobody has been chosen yet."""
        return self.matches.count() if self.resident_id is None else 0

    def take_current(self) -> bool:
        """Take the highlighted match; False when there is none."""
        entry = self.matches.currentItem()
        if entry is None:
            return False
        self._take(entry)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
                self.matches.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.matches.count():
                self.take_current()  # chosen → the dialog moves on to the item
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.edit.text().strip() and self.resident_id is None:
                self.chosen_label.setText(f"没有找到“{self.edit.text().strip()}”：请换个写法（如拼音首字母、电话尾号），"
                                          "还没登记的居民请先登记")
                return True
        return super().eventFilter(watched, event)
