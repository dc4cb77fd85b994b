"""The 积分超市 tab: redeem points at the desk, the shelf and its stock, redemptions, merchants, star-family vouchers."""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import access, compound, points, shop, staff
from station.errors import ValidationError
from station.shop import (
    BasketLine,
    MerchantView,
    MoveRow,
    Quote,
    RedemptionRow,
    ShelfRow,
    VoucherRow,
)
from station.validation import mask_phone
from ui import icons, messages
from ui.forms import ERROR_STYLE, hint_label
from ui.login import ActAsDialog
from ui.pages import Page, PagedTab, make_button, make_table, select_where, selected_rows, toolbar
from ui.pickers import PersonPicker
from ui.points_dialogs import ReasonDialog
from ui.reports import make_report
from ui.shop_dialogs import (
    ItemDialog,
    MerchantDialog,
    PeriodDialog,
    ReceiverDialog,
    StockInDialog,
    StockTakeDialog,
    WriteOffDialog,
)
from ui.table_models import SimpleTableModel

SLIP = "redemption-slip"
LEDGER = "stock-ledger"
THANKS = "donor-thanks"
STATEMENT = "merchant-statement"
DONE_STYLE = "color: #1e7e34;"


def slip_available() -> bool:
    """Whether the redemption slip can be printed yet (the notices load on the first print, not at start-up)."""
    from station import reports

    return SLIP in reports.REPORTS


def _slip_name(redemption_id: int) -> str:
    """DH000123, the slip's number, for the file's name."""
    from station.reports import shop_prints

    return shop_prints.slip_number(redemption_id)


def _check_span(text: str) -> str:
    from station.reports import shop_prints  # reportlab loads on the first print, not at start-up

    return shop_prints.parse_span(text)


def _months_back(today: dt.date, count: int) -> list[str]:
    """This month and the ``count - 1`` before it, newest first."""
    index = today.year * 12 + today.month - 1
    return [f"{(index - n) // 12:04d}-{(index - n) % 12 + 1:02d}" for n in range(count)]


def _span_choices(database: Database, today: dt.date) -> list[tuple[str, str]]:
    """The periods a stock ledger or a thank-you is usually printed for: months, half-years, years."""
    this_month, last_month = _months_back(today, 2)
    with database.read() as session:
        halves = [(points.half_year_label(session, view.period), view.period)
                  for view in points.periods(session, today, count=2)]
    return [(f"{points.month_label(this_month)}（本月）", this_month), (points.month_label(last_month), last_month),
            *halves, (f"{today.year}年全年", str(today.year)), (f"{today.year - 1}年全年", str(today.year - 1))]


@functools.lru_cache(maxsize=4096)
def _pinyin_keys(name: str) -> str:
    from station.pinyin import (
        search_keys,  # pypinyin loads on the first Latin letter typed
    )

    return search_keys(name)


def _rank(row: ShelfRow, typed: str) -> int | None:
    """How well the typed text finds the item: 0 in its name (油), 1 its pinyin (syy), 2 its category; None not."""
    typed = typed.strip().lower()
    if not typed or typed in row.name.lower():
        return 0
    if typed.isascii() and typed.isalnum() and typed in _pinyin_keys(row.name):
        return 1
    return 2 if typed in row.category.lower() else None


def _left_text(row: ShelfRow) -> str:
    """库存 for goods, what is left of this month's quota for services."""
    if row.kind == "goods":
        return f"{row.stock}{row.unit}"
    if not row.merchant_active:
        return "商户已退出"
    if row.monthly_quota is None:
        return "不限"
    return f"本月剩{row.quota_left}/{row.monthly_quota}"


class RedeemPage(Page):
    """兑换: who, what from the shelf, the basket and its cost against the balance; one confirm."""

    SHELF_HEADERS = ("物品", "兑换积分", "库存/名额")
    BASKET_HEADERS = ("物品", "数量", "每件积分", "小计", "")
    COL_QUANTITY, COL_SUBTOTAL, COL_REMOVE = 1, 3, 4

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._shelf: list[ShelfRow] = []
        self._shown: list[ShelfRow] = []
        self._basket: dict[int, int] = {}  # item id -> quantity, in the order added
        self._busy = False
        self.quote: Quote | None = None
        self.last_redemption: int | None = None

        self.picker = PersonPicker(database)
        self.picker.edit.setPlaceholderText("兑换人：输入姓名、拼音首字母、电话尾号或房号，按回车")
        self.picker.chosen.connect(lambda _id: self._person_chosen())
        self.picker.edit.textEdited.connect(lambda _t: self._update_quote())
        self.whole_household = QCheckBox("以户兑换（用全户的积分）")
        self.whole_household.setObjectName("whole_household")
        self.whole_household.setToolTip("不勾选时用本人的积分（不超过全户现有积分）")
        self.whole_household.toggled.connect(lambda _on: self._update_quote())
        self.filter = QLineEdit()
        self.filter.setObjectName("shelf_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText("输入物品名称中的字或拼音首字母，回车加入兑换单")
        self.filter.textChanged.connect(lambda _t: self._show_shelf())
        self.filter.installEventFilter(self)
        self.shelf_model = SimpleTableModel(self.SHELF_HEADERS, self)
        self.shelf_table = make_table(self.shelf_model, "shelf_list")
        self.shelf_table.horizontalHeader().setStretchLastSection(False)
        self.shelf_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shelf_table.doubleClicked.connect(lambda index: self.add_row(index.row()))
        self.shelf_table.installEventFilter(self)

        self.basket = QTableWidget(0, len(self.BASKET_HEADERS))
        self.basket.setObjectName("basket")
        self.basket.setHorizontalHeaderLabels(self.BASKET_HEADERS)
        self.basket.verticalHeader().hide()
        self.basket.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.basket.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.basket.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.basket.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.basket.installEventFilter(self)
        self.basket.setTabKeyNavigation(False)
        self.balance = QLabel()
        self.balance.setObjectName("balance")
        self.balance.setWordWrap(True)
        self.balance.setTextFormat(Qt.TextFormat.PlainText)
        self.done = QLabel()
        self.done.setObjectName("redeem_done")
        self.done.setWordWrap(True)
        self.done.setStyleSheet(DONE_STYLE + " font-size: 12pt;")
        self.confirm_button = make_button("fa5s.check-circle", "确认兑换（Ctrl+回车）", "confirm")
        self.confirm_button.setStyleSheet("font-size: 12pt; padding: 6px 16px;")
        self.confirm_button.clicked.connect(lambda: self.redeem())
        self.clear_button = make_button("fa5s.times", "清空兑换单", "clear_basket")
        self.clear_button.clicked.connect(lambda: self.clear_basket())
        self.print_button = make_button("fa5s.print", "打印兑换凭证", "print_slip")
        self.print_button.clicked.connect(lambda: self.print_slip())
        self.print_button.hide()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.confirm)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>1. 兑换人</b>"))
        left_layout.addWidget(self.picker)
        left_layout.addWidget(self.whole_household)
        shelf_title = QLabel("<b>2. 从货架选择物品</b>（双击或回车加入，可多次加入）")
        shelf_title.setWordWrap(True)
        left_layout.addWidget(shelf_title)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.shelf_table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        basket_title = QLabel("<b>3. 兑换单</b>（数量可以改：Tab 键到兑换单，上下键选中一行，"
                              "回车输入数量，+/- 加减一件，Delete 移除）")
        basket_title.setWordWrap(True)  # a narrow window wraps it rather than growing wider
        right_layout.addWidget(basket_title)
        right_layout.addWidget(self.basket, 1)
        right_layout.addWidget(self.balance)
        actions = QHBoxLayout()
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.clear_button)
        actions.addStretch()
        actions.addWidget(self.print_button)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.done)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._update_quote()

    # ------------------------------------------------------------ the shelf

    def reload(self) -> None:
        with self._db.read() as session:
            self._shelf = shop.shelf(session)
        active = {row.id for row in self._shelf}
        if any(item_id not in active for item_id in self._basket):  # taken off the shelf meanwhile
            self._basket = {item_id: count for item_id, count in self._basket.items() if item_id in active}
            self._fill_basket()
        self._show_shelf()
        self.stale = False
        self._update_quote()

    def _show_shelf(self) -> None:
        typed = self.filter.text()
        ranked = [(rank, n, row) for n, row in enumerate(self._shelf)
                  if (rank := _rank(row, typed)) is not None]
        self._shown = [row for _rank_, _n, row in sorted(ranked, key=lambda found: found[:2])]
        self.shelf_model.set_rows([(row.name, row.price, _left_text(row)) for row in self._shown],
                                  [row.id for row in self._shown],
                                  grey=[n for n, row in enumerate(self._shown) if row.available == 0],
                                  red=[n for n, row in enumerate(self._shown) if row.low and row.available])
        if self._shown and typed.strip():
            self.shelf_table.selectRow(0)  # Enter takes the best match
        else:
            self.shelf_table.clearSelection()  # nothing typed: Enter adds nothing until a row is chosen

    def _row(self, item_id: int) -> ShelfRow | None:
        return next((row for row in self._shelf if row.id == item_id), None)

    def add_row(self, shown_row: int) -> None:
        """Put one more of the shelf list's row ``shown_row`` in the basket."""
        if 0 <= shown_row < len(self._shown):
            self.add(self._shown[shown_row].id)

    def add(self, item_id: int, quantity: int = 1) -> None:
        self._basket[item_id] = self._basket.get(item_id, 0) + quantity
        self._fill_basket()
        self._update_quote()
        self.filter.selectAll()  # the next item's name replaces what was typed

    def _add_current(self) -> None:
        rows = selected_rows(self.shelf_table)
        if rows:
            self.add_row(rows[0])
        elif self.filter.text().strip():
            self.balance.setStyleSheet(ERROR_STYLE)
            self.balance.setText(f"货架上没有“{self.filter.text().strip()}”")
        else:
            self._say("请输入物品名称中的字再按回车，或用上下键在货架中选择。", "color: #555; font-size: 12pt;")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key, plain = event.key(), not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.filter and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._shown:
            rows = selected_rows(self.shelf_table)
            step = 1 if key == Qt.Key.Key_Down else -1
            self.shelf_table.selectRow(max(0, min(len(self._shown) - 1, (rows[0] if rows else -1) + step)))
            return True
        if watched in (self.filter, self.shelf_table) and enter and plain:
            self._add_current()
            return True
        if watched is self.basket and plain and self._basket_key(key):
            return True
        if isinstance(watched, QSpinBox) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            watched.interpretText()
            if not plain:  # Ctrl+Enter while typing a quantity: redeem, as anywhere on the page
                self.confirm()
                return True
            item_id = watched.property("item_id")
            if item_id in self._basket:
                self.basket.setCurrentCell(list(self._basket).index(item_id), 0)
            self.basket.setFocus()  # the quantity is set: back to the basket's rows
            return True
        return super().eventFilter(watched, event)

    def _basket_key(self, key: int) -> bool:
        """The basket with the keyboard: Enter types a quantity, + and - change it by one, Delete removes."""
        if not self._basket:
            return False
        row = self.basket.currentRow()
        if not 0 <= row < len(self._basket):
            row = 0
            self._select_basket_row(0)
        item_id = list(self._basket)[row]
        spin = self.basket.cellWidget(row, self.COL_QUANTITY)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove(item_id)
            if self._basket:
                self._select_basket_row(min(row, len(self._basket) - 1))
            else:
                self.filter.setFocus()  # nothing left to change: choose again
            return True
        if not isinstance(spin, QSpinBox):
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            spin.setFocus()
            spin.selectAll()
            return True
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            spin.setValue(spin.value() + 1)
            return True
        if key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            spin.setValue(spin.value() - 1)
            return True
        return False

    def _select_basket_row(self, row: int) -> None:
        """The row's name cell current (a current quantity cell would take the focus into its box)."""
        self.basket.setCurrentCell(row, 0)
        self.basket.selectRow(row)

    # ------------------------------------------------------------ the basket

    def lines(self) -> list[BasketLine]:
        return [BasketLine(item_id, count) for item_id, count in self._basket.items()]

    def _fill_basket(self) -> None:
        self.basket.setRowCount(0)
        for n, (item_id, count) in enumerate(self._basket.items()):
            row = self._row(item_id)
            if row is None:
                continue
            self.basket.insertRow(n)
            name = QTableWidgetItem(row.name)
            name.setData(Qt.ItemDataRole.UserRole, item_id)
            self.basket.setItem(n, 0, name)
            spin = QSpinBox()
            spin.setObjectName(f"quantity_{item_id}")
            spin.setRange(1, 999)
            spin.setValue(count)
            spin.setSuffix(f" {row.unit}")
            spin.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached from its row with Enter, not by Tab
            spin.setProperty("item_id", item_id)
            spin.installEventFilter(self)
            spin.valueChanged.connect(lambda value, item_id=item_id: self.set_quantity(item_id, value))
            self.basket.setCellWidget(n, self.COL_QUANTITY, spin)
            self.basket.setItem(n, 2, QTableWidgetItem(str(row.price)))
            self.basket.setItem(n, self.COL_SUBTOTAL, QTableWidgetItem(str(row.price * count)))
            remove = QToolButton()
            remove.setObjectName(f"remove_{item_id}")
            remove.setIcon(icons.icon("fa5s.times", "#c0392b"))
            remove.setText("移除")
            remove.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            remove.setAutoRaise(True)
            remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Delete on the row does it from the keyboard
            remove.clicked.connect(lambda _checked=False, item_id=item_id: self.remove(item_id))
            self.basket.setCellWidget(n, self.COL_REMOVE, remove)

    def set_quantity(self, item_id: int, quantity: int) -> None:
        if item_id not in self._basket:
            return
        self._basket[item_id] = quantity
        row, n = self._row(item_id), list(self._basket).index(item_id)
        if row is not None:
            self.basket.setItem(n, self.COL_SUBTOTAL, QTableWidgetItem(str(row.price * quantity)))
        self._update_quote()

    def remove(self, item_id: int) -> None:
        self._basket.pop(item_id, None)
        self._fill_basket()
        self._update_quote()

    def clear_basket(self) -> None:
        self._basket = {}
        self._fill_basket()
        self._update_quote()

    # ------------------------------------------------------------ the cost and the confirm

    def _who(self) -> tuple[int | None, int | None] | None:
        """(resident, household) to spend the points of; None when nobody has been chosen."""
        if self.picker.resident_id is None:
            return None
        if self.whole_household.isChecked():
            return None, self.picker.household_id
        return self.picker.resident_id, None

    def _person_chosen(self) -> None:
        self._update_quote()
        self.filter.setFocus()
        self.filter.selectAll()

    def _say(self, text: str, style: str = "") -> None:
        self.balance.setStyleSheet(style or "font-size: 12pt;")
        self.balance.setText(text)

    def _update_quote(self) -> None:
        """The live line: balance before, this basket, balance after — or why it cannot be redeemed."""
        self.quote = None
        who = self._who()
        self.confirm_button.setEnabled(False)
        self.clear_button.setEnabled(bool(self._basket))
        if who is None:
            self._say("请先选择兑换人：输入姓名，按回车选定。", "color: #555; font-size: 12pt;")
            return
        if not self._basket:
            self._say("请从货架选择要兑换的物品：输入名称中的字，按回车加入。", "color: #555; font-size: 12pt;")
            return
        try:
            with self._db.read() as session:
                quote = shop.quote(session, self.lines(), *who)
        except ValidationError as error:
            self._say(error.message, ERROR_STYLE + " font-size: 12pt;")
            return
        if quote.balance_after < 0:
            self._say(f"积分不够：本次兑换需要{quote.total}分，现有{quote.balance_before}分，"
                      f"还差{-quote.balance_after}分", ERROR_STYLE + " font-size: 12pt;")
            return
        self.quote = quote
        self._say(f"现有积分 {quote.balance_before} 分，本次兑换 {quote.total} 分，兑换后 {quote.balance_after} 分",
                  "font-size: 13pt; font-weight: bold;")
        self.confirm_button.setEnabled(not self._busy)

    def confirm(self) -> None:
        """Ctrl+Enter: as the confirm button, only when it can be pressed."""
        if self.confirm_button.isEnabled():
            self.redeem()

    def redeem(self) -> int | None:
        """Redeem the basket in one write; a refusal is shown on the page and changes nothing."""
        who = self._who()
        if self._busy or who is None or not self._basket:
            return None
        self._busy = True
        self.confirm_button.setEnabled(False)  # a second click while this runs does nothing
        name = self.picker.edit.text().strip() + ("（全户）" if self.whole_household.isChecked() else "")
        try:
            with self._db.write() as session:
                quote = shop.quote(session, self.lines(), *who)
                redemption_id = shop.redeem(session, self._staff_id, self.lines(), *who)
        except ValidationError as error:
            self._busy = False
            self._update_quote()
            self._say(error.message, ERROR_STYLE + " font-size: 12pt;")
            return None
        finally:
            self._busy = False
        self.last_redemption = redemption_id
        items = "、".join(f"{line[0]}×{line[1]}" for line in quote.lines)
        self.done.setText(f"已兑换：{name} {items}，共{quote.total}分，剩余积分 {quote.balance_after} 分")
        self.print_button.setVisible(slip_available())
        self._basket = {}
        self._fill_basket()
        self.filter.clear()
        self.changed.emit()  # the tab reloads this page: stock and quotas
        if self.stale:
            self.reload()
        resident_id = self.picker.resident_id
        if resident_id is not None:
            self.picker.choose(resident_id)  # the chosen line shows the new balance
        self.picker.edit.setFocus()
        self.picker.edit.selectAll()  # the next person's name replaces this one
        return redemption_id

    def print_slip(self) -> None:
        if self.last_redemption is not None:
            make_report(self, self._db, self._staff_id, SLIP, "", person=_slip_name(self.last_redemption),
                        record_id=self.last_redemption)


class ShelfPage(Page):
    """货架与库存: the items, their stock or quota; stock in, stock-take, write-off, and each item's movements."""

    HEADERS = ("名称", "类别", "单位", "兑换积分", "类型", "商户", "库存/本月剩余名额", "状态")
    MOVE_HEADERS = ("时间", "类型", "数量", "结存", "来源", "捐赠人", "原因")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[ShelfRow] = []
        self._moves: list[MoveRow] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "shelf")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_item())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.move_model = SimpleTableModel(self.MOVE_HEADERS, self)
        self.move_table = make_table(self.move_model, "movements")
        self.add_button = make_button("fa5s.plus", "上架新物品…", "add_item")
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改…", "edit_item")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.retire_button = make_button("fa5s.eye-slash", "下架", "retire_item")
        self.retire_button.clicked.connect(lambda: self.toggle_active())
        self.in_button = make_button("fa5s.truck-loading", "入库…", "stock_in")
        self.in_button.clicked.connect(lambda: self.stock_in())
        self.take_button = make_button("fa5s.clipboard-check", "盘点…", "stock_take")
        self.take_button.clicked.connect(lambda: self.stock_take())
        self.off_button = make_button("fa5s.trash-alt", "报损…", "write_off")
        self.off_button.clicked.connect(lambda: self.write_off())
        self.ledger_button = make_button("fa5s.print", "打印库存台账…", "print_ledger")
        self.ledger_button.clicked.connect(lambda: self.print_ledger())
        self.thanks_button = make_button("fa5s.print", "打印捐赠致谢…", "print_thanks")
        self.thanks_button.clicked.connect(lambda: self.print_thanks())
        self.summary = QLabel()
        self.summary.setObjectName("shelf_summary")
        self.done = QLabel()
        self.done.setObjectName("shelf_done")
        self.done.setStyleSheet(DONE_STYLE)
        self.moves_title = QLabel()
        self._may_edit = self.offer(access.SHELF, self.add_button, self.edit_button, self.retire_button)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(hint_label("库存按出入库记录计算：入库、兑换出库、盘点调整、报损都留有记录。"
                                        "库存降到提醒数的物品标红，请及时补货。"))
        actions = QHBoxLayout()
        actions.addWidget(toolbar(self.add_button, self.edit_button, self.retire_button, self.in_button,
                                  self.take_button, self.off_button), 1)
        actions.addWidget(self.done)
        actions.addSpacing(12)
        actions.addWidget(self.summary)
        top_layout.addLayout(actions)
        top_layout.addWidget(toolbar(self.ledger_button, self.thanks_button))
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.moves_title)
        bottom_layout.addWidget(self.move_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_item()

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            self._rows = shop.shelf(session, include_retired=True)
        self.model.set_rows([
            (r.name, r.category, r.unit, r.price, shop.KINDS[r.kind], r.merchant, _left_text(r),
             ("在架" if r.active else "已下架") + ("，需补货" if r.active and r.low else ""))
            for r in self._rows
        ], [r.id for r in self._rows], grey=[n for n, r in enumerate(self._rows) if not r.active],
            red=[n for n, r in enumerate(self._rows) if r.active and r.low])
        active = [r for r in self._rows if r.active]
        low = sum(1 for r in active if r.low)
        self.summary.setText(f"在架 {len(active)} 种" + (f"，需补货 {low} 种" if low else ""))
        self.stale = False
        if current is not None:
            self.select_item(current.id)
        self._show_item()

    def selected(self) -> ShelfRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def select_item(self, item_id: int) -> bool:
        return select_where(self.table, self._rows, lambda row: row.id == item_id)

    def _show_item(self) -> None:
        row = self.selected()
        goods = row is not None and row.kind == "goods"
        self.edit_button.setEnabled(row is not None and self._may_edit)
        self.retire_button.setEnabled(row is not None and self._may_edit)
        self.retire_button.setText("重新上架" if row is not None and not row.active else "下架")
        for button in (self.in_button, self.take_button, self.off_button):
            button.setEnabled(goods)
            button.setToolTip("" if row is None or goods else "商家服务没有库存")
        if row is None:
            self._moves = []
            self.moves_title.setText("出入库记录：请在上面选择一个物品")
        elif not goods:
            self._moves = []
            self.moves_title.setText(f"“{row.name}”是商家服务（{row.merchant}），没有库存记录")
        else:
            with self._db.read() as session:
                self._moves = list(reversed(shop.movements(session, row.id)))  # newest first
            self.moves_title.setText(f"“{row.name}”的出入库记录（新的在前），现有 {row.stock}{row.unit}")
        self.move_model.set_rows([
            (f"{m.at:%Y-%m-%d %H:%M}", m.kind, f"{m.quantity:+d}", m.balance, m.source, m.donor,
             m.reason or (f"第{m.redemption_id}号兑换" if m.redemption_id else ""))
            for m in self._moves
        ], red=[n for n, m in enumerate(self._moves) if m.quantity < 0 and m.kind != "兑换出库"])

    def _saved(self, item_id: int | None, text: str = "") -> None:
        self.done.setText(text)
        self.changed.emit()
        if self.stale:
            self.reload()
        if item_id is not None:
            self.select_item(item_id)

    def add(self) -> ItemDialog:
        dialog = ItemDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(lambda: self._saved(dialog.item_id, f"已上架：{dialog.name.text().strip()}"))
        self._open(dialog)
        return dialog

    def edit(self) -> ItemDialog | None:
        row = self.selected()
        if row is None or not self._may_edit:
            return None
        dialog = ItemDialog(self._db, self._staff_id, row.id, self)
        dialog.accepted.connect(lambda: self._saved(row.id, f"已修改：{dialog.name.text().strip()}"))
        self._open(dialog)
        return dialog

    def toggle_active(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if row.active and not messages.confirm(self, f"下架“{row.name}”？下架后不能再兑换，库存和记录保留。"):
            return False
        if self._run(lambda session: shop.set_item_active(session, self._staff_id, row.id, not row.active)):
            self._saved(row.id, f"{'已下架' if row.active else '已重新上架'}：{row.name}")
            return True
        return False

    def _goods(self) -> ShelfRow | None:
        row = self.selected()
        if row is None or row.kind != "goods":
            messages.info(self, "请先在表中选择一个物品（商家服务没有库存）。")
            return None
        return row

    def stock_in(self) -> StockInDialog | None:
        row = self._goods()
        if row is None:
            return None
        dialog = StockInDialog(self._db, self._staff_id, row, self)
        dialog.accepted.connect(lambda: self._saved(row.id, dialog.done_text))
        self._open(dialog)
        return dialog

    def stock_take(self) -> StockTakeDialog | None:
        row = self._goods()
        if row is None:
            return None
        dialog = StockTakeDialog(self._db, self._staff_id, row, self)
        dialog.accepted.connect(lambda: self._saved(row.id, dialog.done_text))
        self._open(dialog)
        return dialog

    def write_off(self) -> WriteOffDialog | None:
        row = self._goods()
        if row is None:
            return None
        dialog = WriteOffDialog(self._db, self._staff_id, row, self)
        dialog.accepted.connect(lambda: self._saved(row.id, dialog.done_text))
        self._open(dialog)
        return dialog

    def _print_span(self, name: str, title: str, prompt: str) -> PeriodDialog:
        dialog = PeriodDialog(title, prompt, _span_choices(self._db, dt.date.today()), _check_span, parent=self)
        dialog.accepted.connect(lambda: make_report(self, self._db, self._staff_id, name, dialog.period))
        self._open(dialog)
        return dialog

    def print_ledger(self) -> PeriodDialog:
        """积分超市库存台账: every goods item's opening, in by source, out, adjustments and closing stock."""
        return self._print_span(LEDGER, "打印库存台账",
                                "库存台账列出每种物品的期初库存、各来源入库、兑换出库、盘点和报损调整、期末库存，"
                                "供积分审核小组审核签字。请选择期间，或填写月份（2026-10）、半年（2026-H1）、年份（2026）：")

    def print_thanks(self) -> PeriodDialog:
        """捐赠致谢: the public thank-you to the donors of the period."""
        return self._print_span(THANKS, "打印捐赠致谢",
                                "捐赠致谢张贴在公示栏，列出期间内商户捐赠和居民众筹的物品。请选择期间，"
                                "或填写月份（2026-10）、半年（2026-H1）、年份（2026）：")


class RedemptionsPage(Page):
    """兑换记录: the latest redemptions; an auditor cancels one (points and goods come back)."""

    HEADERS = ("编号", "时间", "兑换人", "物品", "积分", "状态", "经办人")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[RedemptionRow] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "redemptions")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.cancel_button = make_button("fa5s.undo", "撤销兑换…", "cancel_redemption")
        self.cancel_button.clicked.connect(lambda: self.cancel_selected())
        self.act_as_button = make_button("fa5s.user-check", "换人撤销…", "cancel_as_other")
        self.act_as_button.setToolTip("积分审核员不在这台电脑上登录时：他输入自己的账号和密码撤销，记在他名下")
        self.act_as_button.clicked.connect(lambda: self.cancel_as_other())
        self.may_cancel = self.offer(access.CANCEL_REDEMPTION, self.cancel_button)
        self.slip_button = make_button("fa5s.print", "打印兑换凭证", "print_record_slip")
        self.slip_button.clicked.connect(lambda: self.print_slip())
        self.table.doubleClicked.connect(lambda _i: self.print_slip())
        self.count = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.act_as_button)
        actions.addWidget(self.slip_button)
        actions.addStretch()
        actions.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("撤销兑换由积分审核员操作：积分退回、物品退回库存，原记录保留并标明“已撤销”。"
                                    + ("" if self.may_cancel else "审核员不在这台电脑上登录时，点“换人撤销”由他输入自己的密码。")))
        layout.addLayout(actions)
        layout.addWidget(self.table)

    def reload(self) -> None:
        current = self.selected()
        with self._db.read() as session:
            names = {account.id: account.name for account in staff.accounts(session)}
            self._rows = shop.redemptions(session)
            places = {r.household_id: compound.household_view(session, r.household_id).address
                      for r in self._rows if r.who == "全户"}
        self.model.set_rows([
            (r.id, f"{r.at:%Y-%m-%d %H:%M}", places[r.household_id] + "全户" if r.who == "全户" else r.who, r.items,
             r.points, "已撤销" if r.cancelled else "已兑换", names.get(r.recorded_by, ""))
            for r in self._rows
        ], [r.id for r in self._rows], grey=[n for n, r in enumerate(self._rows) if r.cancelled])
        done = [r for r in self._rows if not r.cancelled]
        self.count.setText(f"最近 {len(self._rows)} 笔，已兑换 {sum(r.points for r in done)} 分")
        self.stale = False
        if current is not None:
            select_where(self.table, self._rows, lambda row: row.id == current.id)
        self._update_buttons()

    def selected(self) -> RedemptionRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        open_ = row is not None and not row.cancelled
        self.cancel_button.setEnabled(self.may_cancel and open_)
        self.act_as_button.setEnabled(open_)
        self.slip_button.setEnabled(row is not None)

    def print_slip(self) -> None:
        """The selected redemption's slip again (a cancelled one prints marked 已撤销)."""
        row = self.selected()
        if row is not None:
            make_report(self, self._db, self._staff_id, SLIP, "", person=_slip_name(row.id), record_id=row.id)

    def cancel_selected(self) -> ReasonDialog | None:
        """撤销兑换…, as the signed-in auditor, with a reason."""
        row = self.selected()
        if row is None or row.cancelled or not self.may_cancel:
            return None

        def cancel(reason: str) -> None:
            with self._db.write() as session:
                shop.cancel_redemption(session, self._staff_id, row.id, reason)
            self.changed.emit()

        dialog = ReasonDialog(
            "撤销兑换", f"撤销第{row.id}号兑换：{row.who} {row.items}，{row.points}分。\n积分退回，物品退回库存，原记录保留。",
            cancel, self)
        self._open(dialog)
        return dialog

    def cancel_as_other(self) -> ActAsDialog | None:
        """换人撤销: an auditor not signed in here types their own account and password; the cancellation is theirs."""
        row = self.selected()
        if row is None or row.cancelled:
            return None
        reason = QLineEdit()
        reason.setObjectName("reason")
        dialog = ActAsDialog(self._db, "换人撤销兑换", f"撤销第{row.id}号兑换：{row.who} {row.items}，{row.points}分。"
                             "\n由积分审核员选自己的账号、输入自己的密码，撤销记在他的名下。", "撤销兑换",
                             access.CANCEL_REDEMPTION,
                             lambda session, account_id: shop.cancel_redemption(session, account_id, row.id,
                                                                                reason.text()),
                             self, exclude=self._staff_id, ok_text="撤销兑换", fields=(("reason", "原因：", reason),))
        dialog.accepted.connect(self.changed.emit)
        self._open(dialog)
        return dialog


class MerchantsPage(Page):
    """商家联盟: merchants offering services for points."""

    HEADERS = ("名称", "联系人", "电话", "服务", "状态", "备注")

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._rows: list[MerchantView] = []
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "merchants")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.add_button = make_button("fa5s.plus", "新增商户…", "add_merchant")
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button = make_button("fa5s.edit", "修改…", "edit_merchant")
        self.edit_button.clicked.connect(lambda: self.edit())
        self.statement_button = make_button("fa5s.print", "打印对账单…", "print_statement")
        self.statement_button.clicked.connect(lambda: self.print_statement())
        self._may_edit = self.offer(access.SHELF, self.add_button, self.edit_button)
        self._update_buttons()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("联盟商户为居民提供积分可兑换的服务（洗车、家政、理发等）。"
                                    "在“货架与库存”中把商户的服务上架为“商家服务”。"))
        layout.addWidget(toolbar(self.add_button, self.edit_button, self.statement_button))
        layout.addWidget(self.table)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen and self._may_edit)
        self.statement_button.setEnabled(chosen)

    def print_statement(self) -> PeriodDialog | None:
        """商户服务对账单: the merchant's services redeemed in a month (last month unless chosen otherwise)."""
        merchant = self.selected()
        if merchant is None:
            return None
        months = _months_back(dt.date.today(), 12)
        dialog = PeriodDialog(
            "打印商户服务对账单", f"{merchant.name}：列出一个月内居民兑换的该商户服务，按服务合计，商户和服务站双方签字。"
            "请选择月份，或填写月份（例如 2026-10）：",
            [(points.month_label(month) + ("（本月）" if n == 0 else ""), month) for n, month in enumerate(months)],
            points.parse_month, current=1, parent=self)
        dialog.accepted.connect(lambda: make_report(self, self._db, self._staff_id, STATEMENT, dialog.period, person=merchant.name,
                                                    record_id=merchant.id))
        self._open(dialog)
        return dialog

    def reload(self) -> None:
        with self._db.read() as session:
            self._rows = shop.merchants(session)
        self.model.set_rows([(m.name, m.contact, mask_phone(m.phone), m.services, "合作中" if m.active else "已退出",
                              m.note) for m in self._rows], [m.id for m in self._rows],
                            grey=[n for n, m in enumerate(self._rows) if not m.active])
        self._update_buttons()
        self.stale = False

    def selected(self) -> MerchantView | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def _saved(self, merchant_id: int | None) -> None:
        self.changed.emit()
        if self.stale:
            self.reload()
        if merchant_id is not None:
            select_where(self.table, self._rows, lambda row: row.id == merchant_id)

    def add(self) -> MerchantDialog:
        dialog = MerchantDialog(self._db, self._staff_id, None, self)
        dialog.accepted.connect(lambda: self._saved(dialog.merchant_id))
        self._open(dialog)
        return dialog

    def edit(self) -> MerchantDialog | None:
        merchant = self.selected()
        if merchant is None or not self._may_edit:
            return None
        dialog = MerchantDialog(self._db, self._staff_id, merchant, self)
        dialog.accepted.connect(lambda: self._saved(merchant.id))
        self._open(dialog)
        return dialog


class VouchersPage(Page):
    """星级家庭奖券: a rated half-year's vouchers, issued once, and who took each away."""

    HEADERS = ("户号", "住址", "户主", "星级", "面值（元）", "领取时间", "领取人")  # the hand-over (发放 issues them all)

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, staff_id, parent)
        self._periods: list[points.PeriodView] = []
        self._all: list[VoucherRow] = []
        self._rows: list[VoucherRow] = []  # those shown
        self._places: dict[int, points.RatingRow] = {}
        self.period = QComboBox()
        self.period.setObjectName("voucher_period")
        self.period.currentIndexChanged.connect(lambda _i: self._show_period())
        self.search = QLineEdit()
        self.search.setObjectName("voucher_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("查找：户主姓名或房号（3-2-501）")
        self.search.textChanged.connect(lambda _t: self._show_rows())
        self.issue_button = make_button("fa5s.ticket-alt", "发放奖券", "issue_vouchers")
        self.issue_button.clicked.connect(lambda: self.issue())
        self.hand_button = make_button("fa5s.hand-holding", "登记领取…", "hand_over")
        self.hand_button.clicked.connect(lambda: self.hand_over())
        self.state = QLabel()
        self.state.setObjectName("voucher_state")
        self.state.setWordWrap(True)
        self.model = SimpleTableModel(self.HEADERS, self)
        self.table = make_table(self.model, "vouchers")
        self.table.doubleClicked.connect(lambda _i: self.hand_over())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._may_issue = self.offer(access.ISSUE_VOUCHERS, self.issue_button)
        top = QHBoxLayout()
        top.addWidget(QLabel("半年："))
        top.addWidget(self.period)
        top.addWidget(self.search, 1)
        top.addWidget(toolbar(self.issue_button, self.hand_button))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint_label("星级家庭评定后，按星级发放奖券（每户一次）。居民来领取时登记领取人。"))
        layout.addWidget(self.state)
        layout.addWidget(self.table)

    def reload(self) -> None:
        current = self.period.currentData()
        with self._db.read() as session:
            self._periods = [view for view in points.periods(session, count=8) if view.rated_at]
        self.period.blockSignals(True)
        self.period.clear()
        for view in self._periods:
            self.period.addItem(view.label, view.period)
        self.period.setCurrentIndex(max(0, self.period.findData(current)))
        self.period.blockSignals(False)
        self.stale = False
        self._show_period()

    def selected_period(self) -> points.PeriodView | None:
        index = self.period.currentIndex()
        return self._periods[index] if 0 <= index < len(self._periods) else None

    def _show_period(self) -> None:
        view = self.selected_period()
        self.period.setEnabled(view is not None)
        if view is None:
            self._all, self._places = [], {}
            self.state.setText("还没有评定过星级家庭。请先在“积分 → 星级家庭”中评定半年的星级家庭，再来发放奖券。")
        else:
            with self._db.read() as session:
                self._places = {r.household_id: r for r in points.ratings(session, view.period)}
                self._all = shop.vouchers(session, view.period)
            due = sum(1 for r in self._places.values() if r.voucher > 0)
            handed = sum(1 for r in self._all if r.handed_at is not None)
            if not self._all:
                self.state.setText(f"{view.label}：星级家庭 {len(self._places)} 户，应发奖券 {due} 张，还没有发放。")
            else:
                missing = due - len(self._all)
                self.state.setText(f"{view.label}：已发放奖券 {len(self._all)} 张，共 "
                                   f"{sum(r.amount for r in self._all)} 元；已领取 {handed} 张，"
                                   f"未领取 {len(self._all) - handed} 张" + (f"；还有 {missing} 张未发放" if missing > 0
                                                                            else "。"))
        self._show_rows()

    def _show_rows(self) -> None:
        typed = self.search.text().strip()
        self._rows = [r for r in self._all if not typed or any(
            typed in text for text in self._cells(r)[:3] if isinstance(text, str))]
        self.model.set_rows([self._cells(r) for r in self._rows], [r.id for r in self._rows],
                            grey=[n for n, r in enumerate(self._rows) if r.handed_at is not None])
        self._update_buttons()

    def _cells(self, row: VoucherRow) -> tuple[object, ...]:
        place = self._places.get(row.household_id)
        return (place.room_code if place else "", place.address if place else "", place.head if place else "",
                f"{points.star_label(row.stars)}家庭", row.amount,
                f"{row.handed_at:%Y-%m-%d %H:%M}" if row.handed_at else "未领取", row.receiver)

    def selected(self) -> VoucherRow | None:
        rows = selected_rows(self.table)
        return self._rows[rows[0]] if rows else None

    def _update_buttons(self) -> None:
        view = self.selected_period()
        due = sum(1 for r in self._places.values() if r.voucher > 0)
        self.issue_button.setEnabled(view is not None and self._may_issue and len(self._all) < due)
        row = self.selected()
        self.hand_button.setEnabled(row is not None and row.handed_at is None)

    def issue(self) -> bool:
        view = self.selected_period()
        if view is None:
            return False
        issued: list[int] = []
        if self._run(lambda session: issued.append(shop.issue_vouchers(session, self._staff_id, view.period))):
            if self.stale:
                self.reload()
            self.state.setText(f"已发放{view.label}星级家庭奖券 {issued[0]} 张。" + self.state.text())
            return True
        return False

    def hand_over(self) -> ReceiverDialog | None:
        row = self.selected()
        if row is None or row.handed_at is not None:
            return None
        place = self._places.get(row.household_id)
        where = f"{place.address}（户主{place.head}）" if place else ""

        def hand(receiver: str) -> None:
            with self._db.write() as session:
                shop.hand_over(session, self._staff_id, row.id, receiver)
            self.changed.emit()
            if self.stale:
                self.reload()
            select_where(self.table, self._rows, lambda voucher: voucher.id == row.id)

        dialog = ReceiverDialog(f"{where} {points.star_label(row.stars)}家庭奖券 {row.amount} 元。请填写领取人姓名：",
                                place.head if place else "", hand, self)
        self._open(dialog)
        return dialog


class ShopTab(PagedTab):
    """积分超市: redeeming points and what it needs, one page each."""

    def __init__(self, database: Database, staff_id: int, parent: QWidget | None = None) -> None:
        self.redeem = RedeemPage(database, staff_id)
        self.shelf = ShelfPage(database, staff_id)
        self.records = RedemptionsPage(database, staff_id)
        self.merchants = MerchantsPage(database, staff_id)
        self.vouchers = VouchersPage(database, staff_id)
        super().__init__("shop_pages", ((self.redeem, "fa5s.shopping-basket", "兑换"),
                                        (self.shelf, "fa5s.boxes", "货架与库存"),
                                        (self.records, "fa5s.receipt", "兑换记录"),
                                        (self.merchants, "fa5s.handshake", "商家联盟"),
                                        (self.vouchers, "fa5s.ticket-alt", "星级家庭奖券")), parent)
