"""Dialogs of the points supermarket: a shelf item, stock in, stock-take, write-off, a merchant, a voucher's receiver."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import ShopItem
from station import shop
from station.errors import ValidationError
from station.shop import ItemInput, MerchantView, ShelfRow
from ui.forms import FieldForm, combo, dialog_buttons, fit, hint_label

UNITS = ("件", "个", "袋", "包", "瓶", "桶", "盒", "块", "支", "条", "卷", "张", "次")
CATEGORIES = ("粮油", "日用品", "清洁用品", "文具", "商家服务")
WRITE_OFF_REASONS = ("过期", "破损", "受潮", "丢失")


class ItemDialog(QDialog):
    """上架新物品 / 修改: name, category, unit, points, goods or a merchant's service, quota or low-stock line."""

    def __init__(self, database: Database, staff_id: int, item_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self.item_id = item_id
        self.setWindowTitle("修改货架物品" if item_id else "上架新物品")
        with database.read() as session:
            item = session.get(ShopItem, item_id) if item_id else None
            known = sorted({row.category for row in shop.shelf(session, include_retired=True) if row.category})
            merchants = shop.merchants(session, active_only=True)
            if item is not None and item.merchant_id and all(m.id != item.merchant_id for m in merchants):
                merchants += [m for m in shop.merchants(session) if m.id == item.merchant_id]  # retired since
        self.name = QLineEdit(item.name if item else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText("例如 食用油（5升）、理发一次")
        self.category = combo("category", list(dict.fromkeys([*CATEGORIES, *known])),
                              item.category if item else "", editable=True)
        self.unit = combo("unit", UNITS, item.unit if item else "件", editable=True)
        self.price = QLineEdit(str(item.price) if item else "")
        self.price.setObjectName("price")
        self.price.setPlaceholderText("兑换一件要多少积分，例如 30")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for key, label in shop.KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(item.kind if item else "goods")))
        self.kind.setEnabled(item is None)  # goods and services cannot be swapped
        self.merchant = QComboBox()
        self.merchant.setObjectName("merchant")
        self.merchant.addItem("（请选择联盟商户）", None)
        for merchant in merchants:
            self.merchant.addItem(merchant.name + ("" if merchant.active else "（已退出）"), merchant.id)
        if item is not None and item.merchant_id:
            self.merchant.setCurrentIndex(max(0, self.merchant.findData(item.merchant_id)))
        self.quota = QLineEdit(str(item.monthly_quota) if item and item.monthly_quota else "")
        self.quota.setObjectName("monthly_quota")
        self.quota.setPlaceholderText("每月最多兑换几次，不限请留空")
        self.low_stock = QLineEdit(str(item.low_stock) if item and item.low_stock is not None else "")
        self.low_stock.setObjectName("low_stock")
        self.low_stock.setPlaceholderText("库存降到这个数时标红提醒补货，例如 3")
        self.form = FieldForm()
        self.form.add_field("name", "名称：", self.name)
        self.form.add_field("kind", "类型：", self.kind)
        self.form.add_field("category", "类别：", self.category)
        self.form.add_field("unit", "单位：", self.unit)
        self.form.add_field("price", "兑换积分：", self.price)
        self.form.add_field("merchant", "提供服务的商户：", self.merchant)
        self.form.add_field("monthly_quota", "每月名额：", self.quota)
        self.form.add_field("low_stock", "库存提醒：", self.low_stock)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("物品有库存，上架后请“入库”；商家服务由联盟商户提供，没有库存，可限定每月名额。"
                                    "改了兑换积分，只影响以后的兑换。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self._kind_chosen()
        fit(self, 500)

    def _kind_chosen(self) -> None:
        """Goods ask for the low-stock line, services for the merchant and the monthly quota."""
        service = self.kind.currentData() == "service"
        for widget, shown in ((self.merchant, service), (self.quota, service), (self.low_stock, not service)):
            box = widget.parentWidget()
            if box is not None:
                self.form.setRowVisible(box, shown)
        if service and not self.category.currentText():
            self.category.setCurrentText("商家服务")
        if service and self.unit.currentText() == "件":
            self.unit.setCurrentText("次")

    def collect(self) -> ItemInput:
        return ItemInput(self.name.text(), self.price.text(), self.kind.currentData(), self.category.currentText(),
                         self.unit.currentText(), self.merchant.currentData(), self.quota.text(),
                         self.low_stock.text())

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.item_id = shop.save_item(session, self._staff_id, self.collect(), self.item_id)
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class StockInDialog(QDialog):
    """入库: how many came in, from where (政府支持/商户捐赠/居民众筹/采购), who gave them."""

    def __init__(self, database: Database, staff_id: int, item: ShelfRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._item = item
        self.done_text = ""
        self.setWindowTitle(f"入库：{item.name}")
        with database.read() as session:
            merchants = [m.name for m in shop.merchants(session, active_only=True)]
        self.quantity = QLineEdit()
        self.quantity.setObjectName("quantity")
        self.quantity.setPlaceholderText(f"入库多少{item.unit}")
        self.source = QComboBox()
        self.source.setObjectName("source")
        self.source.addItem("（请选择来源）", "")
        for source in shop.SOURCES:
            self.source.addItem(source, source)
        self.donor = combo("donor", merchants, "", editable=True)
        line = self.donor.lineEdit()
        assert line is not None
        line.setPlaceholderText("商户捐赠、居民众筹必填，例如 幸福超市、3栋居民")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("选填，例如 中秋慰问物资")
        self.form = FieldForm()
        self.form.addRow("物品：", QLabel(f"{item.name}（现有库存 {item.stock or 0}{item.unit}）"))
        self.form.add_field("quantity", "数量：", self.quantity)
        self.form.add_field("source", "来源：", self.source)
        self.form.add_field("donor", "捐赠人（单位）：", self.donor)
        self.form.add_field("note", "说明：", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "入库", self.save))
        fit(self, 480)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                shop.stock_in(session, self._staff_id, self._item.id, self.quantity.text(),
                              self.source.currentData(), self.donor.currentText(), self.note.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.done_text = f"已入库：{self._item.name} {self.quantity.text().strip()}{self._item.unit}" \
                         f"（{self.source.currentData()}）"
        self.accept()


class StockTakeDialog(QDialog):
    """盘点: the books say N; the counted number becomes the stock, a difference needs a reason."""

    def __init__(self, database: Database, staff_id: int, item: ShelfRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._item = item
        self.done_text = ""
        self.setWindowTitle(f"盘点：{item.name}")
        self.book = QLabel(f"{item.stock or 0} {item.unit}")
        self.book.setObjectName("book")
        self.counted = QLineEdit()
        self.counted.setObjectName("counted")
        self.counted.setPlaceholderText(f"清点后实际有多少{item.unit}")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("实际数与账面不符时必填，例如 发放时少登记")
        self.form = FieldForm()
        self.form.addRow("物品：", QLabel(item.name))
        self.form.addRow("账面数：", self.book)
        self.form.add_field("counted", "实际数量：", self.counted)
        self.form.add_field("reason", "原因：", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint_label("实际数量与账面不符时，按实际数量调整库存，原记录保留。"))
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "确认盘点", self.save))
        fit(self, 460)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                moved = shop.stock_take(session, self._staff_id, self._item.id, self.counted.text(),
                                        self.reason.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.done_text = (f"盘点：{self._item.name} 与账面相符" if moved is None
                          else f"盘点：{self._item.name} 已按实际 {self.counted.text().strip()}{self._item.unit} 调整")
        self.accept()


class WriteOffDialog(QDialog):
    """报损: damaged or expired goods leave the stock, with a reason."""

    def __init__(self, database: Database, staff_id: int, item: ShelfRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._item = item
        self.done_text = ""
        self.setWindowTitle(f"报损：{item.name}")
        self.quantity = QLineEdit()
        self.quantity.setObjectName("quantity")
        self.quantity.setPlaceholderText(f"报损多少{item.unit}")
        self.reason = combo("reason", WRITE_OFF_REASONS, "", editable=True)
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText("例如 " + "、".join(WRITE_OFF_REASONS[:3]))
        self.form = FieldForm()
        self.form.addRow("物品：", QLabel(f"{item.name}（现有库存 {item.stock or 0}{item.unit}）"))
        self.form.add_field("quantity", "数量：", self.quantity)
        self.form.add_field("reason", "原因：", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "报损", self.save))
        fit(self, 440)

    def save(self) -> None:
        try:
            with self._db.write() as session:
                shop.write_off(session, self._staff_id, self._item.id, self.quantity.text(),
                               self.reason.currentText())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.done_text = f"已报损：{self._item.name} {self.quantity.text().strip()}{self._item.unit}"
        self.accept()


class MerchantDialog(QDialog):
    """新增/修改联盟商户: name, contact, phone, the services it offers for points."""

    def __init__(self, database: Database, staff_id: int, merchant: MerchantView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._merchant = merchant
        self.merchant_id = merchant.id if merchant else None
        self.setWindowTitle("修改联盟商户" if merchant else "新增联盟商户")
        self.name = QLineEdit(merchant.name if merchant else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText("例如 老街理发店")
        self.contact = QLineEdit(merchant.contact if merchant else "")
        self.contact.setObjectName("contact")
        self.phone = QLineEdit(merchant.phone if merchant else "")
        self.phone.setObjectName("phone")
        self.services = QLineEdit(merchant.services if merchant else "")
        self.services.setObjectName("services")
        self.services.setPlaceholderText("例如 " + "、".join(shop.SERVICES[:3]))
        picks = QHBoxLayout()
        picks.setContentsMargins(0, 0, 0, 0)
        self.service_boxes: list[QCheckBox] = []
        for service in shop.SERVICES:  # a click adds the usual ones; anything else can be typed
            box = QCheckBox(service)
            box.setChecked(service in (merchant.services if merchant else ""))
            box.toggled.connect(lambda on, service=service: self._toggle_service(service, on))
            picks.addWidget(box)
            self.service_boxes.append(box)
        picks.addStretch()
        self.note = QLineEdit(merchant.note if merchant else "")
        self.note.setObjectName("note")
        self.note.setPlaceholderText("选填，例如 每周二休息")
        self.active = QCheckBox("合作中（退出后不再出现在新商家服务的商户中，已有记录保留）")
        self.active.setObjectName("merchant_active")
        self.active.setChecked(merchant.active if merchant else True)
        self.active.setEnabled(merchant is not None)
        self.form = FieldForm()
        self.form.add_field("name", "商户名称：", self.name)
        self.form.add_field("contact", "联系人：", self.contact)
        self.form.add_field("phone", "电话：", self.phone)
        self.form.add_field("services", "服务：", self.services)
        self.form.addRow("", picks)
        self.form.add_field("note", "备注：", self.note)
        self.form.addRow("", self.active)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "保存", self.save))
        fit(self, 560)

    def _toggle_service(self, service: str, on: bool) -> None:
        named = [part for part in self.services.text().replace("，", "、").replace(",", "、").split("、")
                 if part.strip()]
        if on and service not in named:
            named.append(service)
        elif not on and service in named:
            named.remove(service)
        self.services.setText("、".join(named))

    def save(self) -> None:
        try:
            with self._db.write() as session:
                self.merchant_id = shop.save_merchant(
                    session, self._staff_id, self.name.text(), self.contact.text(), self.phone.text(),
                    self.services.text(), self.note.text(), self.merchant_id, self.active.isChecked())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class ReceiverDialog(QDialog):
    """登记领取: who took the voucher away (the head, or someone on the household's behalf)."""

    def __init__(self, prompt: str, receiver: str, action: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记领取奖券")
        self._action = action
        self.receiver = QLineEdit(receiver)
        self.receiver.setObjectName("receiver")
        self.receiver.selectAll()
        self.form = FieldForm()
        self.form.add_field("receiver", "领取人：", self.receiver)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "登记领取", self.save))
        fit(self, 420)

    def save(self) -> None:
        try:
            self._action(self.receiver.text())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()


class PeriodDialog(QDialog):
    """打印…: which month, half-year or year — one of the usual ones, or typed (2026-10, 2026-H1, 2026)."""

    def __init__(self, title: str, prompt: str, choices: list[tuple[str, str]], check: Callable[[str], str],
                 current: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._check = check
        self.period = ""
        self.choice = combo("period", [label for label, _period in choices], "", editable=True)
        for index, (_label, period) in enumerate(choices):
            self.choice.setItemData(index, period)
        self.choice.setCurrentIndex(max(0, min(current, len(choices) - 1)))
        self.form = FieldForm()
        self.form.add_field("period", "期间：", self.choice)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, "打印…", self.save))
        fit(self, 420)

    def chosen(self) -> str:
        """The period chosen from the list, or as typed."""
        text = self.choice.currentText().strip()
        index = self.choice.findText(text)
        return str(self.choice.itemData(index)) if index >= 0 else text

    def save(self) -> None:
        try:
            self.period = self._check(self.chosen())
        except ValidationError as error:
            self.form.show_errors({"period": error.message})
            return
        self.accept()
