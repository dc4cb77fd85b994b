"""The 积分超市 tab at the desk: stock in, redeem with the keyboard, an overdraw refused, a cancellation, vouchers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from db.engine import Database
from station import points, shop, staff
from station.points import EntryInput, ItemInput
from station.shop import BasketLine
from station.vocab import AUDITOR
from tests.ui.conftest import type_text
from ui.shop_tab import ShopTab


@dataclass
class Market:
    db: Database
    admin: int
    auditor: int
    oil: int  # 食用油, 30 points a 桶, low at 3
    soap: int  # 洗衣皂, 5 points
    haircut: int  # 理发一次, a merchant's service

    def give(self, resident: int, value: int, day: dt.date | None = None) -> None:
        """Approved points for a resident."""
        with self.db.write() as session:
            item = points.add_item(session, self.admin, ItemInput("测试", f"测试{resident}-{value}-{day}", str(value)))
            entry = points.record(session, self.admin, EntryInput(item, resident, None,
                                                                  f"{day or dt.date.today():%Y-%m-%d}"))
            points.review(session, self.auditor, [entry], approve=True)

    def stock(self, item: int) -> int:
        with self.db.read() as session:
            return shop.on_hand(session, [item]).get(item, 0)

    def balance(self, resident: int) -> int:
        with self.db.read() as session:
            return points.balances(session, "resident", [resident]).get(resident, 0)


@pytest.fixture
def market(demo_database: Database, staff_id: int, known: dict[str, int]) -> Market:
    with demo_database.write() as session:
        auditor = staff.add(session, staff_id, "李建国", AUDITOR)
        barber = shop.save_merchant(session, staff_id, "老街理发店", "王师傅", "13912345678", "理发")
        oil = shop.save_item(session, staff_id, shop.ItemInput("食用油", "30", "goods", "粮油", "桶", low_stock="3"))
        soap = shop.save_item(session, staff_id, shop.ItemInput("洗衣皂", "5", "goods", "日用品", "块"))
        haircut = shop.save_item(session, staff_id, shop.ItemInput("理发一次", "10", "service", "商家服务", "次",
                                                                   barber, monthly_quota="2"))
    return Market(demo_database, staff_id, auditor, oil, soap, haircut)


@pytest.fixture
def stocked(market: Market) -> Market:
    with market.db.write() as session:
        shop.stock_in(session, market.admin, market.oil, "10", "政府支持")
        shop.stock_in(session, market.admin, market.soap, "20", "商户捐赠", "幸福超市")
    return market


@pytest.fixture
def tab(window, market: Market) -> ShopTab:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentWidget(window.shop)
    return window.shop


def shown(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def ok(dialog) -> QPushButton:  # type: ignore[no-untyped-def]
    return dialog.findChild(QPushButton, "ok")


def stock_shown(tab: ShopTab, name: str) -> str:
    return shown(tab.shelf.table, 6)[shown(tab.shelf.table, 0).index(name)]


def test_stock_in_through_the_dialog(qtbot, tab: ShopTab, market: Market) -> None:  # type: ignore[no-untyped-def]
    page = tab.shelf
    tab.show_page(page)
    assert stock_shown(tab, "食用油") == "0桶" and stock_shown(tab, "理发一次") == "本月剩2/2"
    assert page.select_item(market.oil)
    qtbot.mouseClick(page.in_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_text(qtbot, dialog.quantity, "12")
    dialog.source.setCurrentIndex(dialog.source.findData("商户捐赠"))
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.form.error_text("donor") == "捐赠和众筹请写明捐赠人（单位）"
    type_text(qtbot, dialog.donor.lineEdit(), "幸福超市")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert stock_shown(tab, "食用油") == "12桶" and market.stock(market.oil) == 12
    assert page.selected() is not None and page.selected().id == market.oil
    assert shown(page.move_table, 1) == ["入库"] and shown(page.move_table, 2) == ["+12"]
    assert shown(page.move_table, 5) == ["幸福超市"]
    assert "已入库：食用油 12桶" in page.done.text()
    # services have no stock
    page.select_item(market.haircut)
    assert not page.in_button.isEnabled() and not page.take_button.isEnabled()


def test_redeem_a_basket_with_the_keyboard(  # type: ignore[no-untyped-def]
        qtbot, window, tab: ShopTab, stocked: Market, known: dict[str, int]) -> None:
    stocked.give(known["张三明"], 50)
    page = tab.redeem
    window.tabs.setCurrentWidget(window.residents)
    window.redeem_action.trigger()  # 积分 → 积分超市兑换
    assert window.tabs.currentWidget() is tab and tab.pages.currentWidget() is page
    assert page.focusWidget() is page.picker.edit
    type_text(qtbot, page.picker.edit, "张三明")
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    assert page.picker.resident_id == known["张三明"]
    assert page.focusWidget() is page.filter
    type_text(qtbot, page.filter, "食用")
    assert shown(page.shelf_table, 0) == ["食用油"]
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    type_text(qtbot, page.filter, "皂")  # replaces what was typed before
    assert page.filter.text() == "皂"
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert [(line.item_id, line.quantity) for line in page.lines()] == [(stocked.oil, 1), (stocked.soap, 2)]
    assert page.basket.item(1, 3).text() == "10"
    assert page.balance.text() == "现有积分 50 分，本次兑换 40 分，兑换后 10 分"
    assert page.confirm_button.isEnabled()

    qtbot.keyClick(page.filter, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.done.text() == "已兑换：张三明 食用油×1、洗衣皂×2，共40分，剩余积分 10 分"
    assert page.basket.rowCount() == 0 and not page.confirm_button.isEnabled()
    assert stocked.balance(known["张三明"]) == 10
    assert (stocked.stock(stocked.oil), stocked.stock(stocked.soap)) == (9, 18)
    assert "现有积分 10" in page.picker.chosen_label.text()
    assert page.focusWidget() is page.picker.edit  # ready for the next person
    # a second Ctrl+Enter (or click) has nothing to redeem
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with stocked.db.read() as session:
        assert len(shop.redemptions(session)) == 1
    tab.show_page(tab.shelf)
    assert stock_shown(tab, "食用油") == "9桶" and stock_shown(tab, "洗衣皂") == "18块"
    # the points tab saw it: the ledger shows the spending
    window.tabs.setCurrentWidget(window.points)
    assert "积分兑换" in shown(window.points.ledger.table, 4)


def test_spending_the_households_points_and_the_quantity_box(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int]) -> None:
    stocked.give(known["张三明"], 20)
    stocked.give(known["王秀英"], 20)
    page = tab.redeem
    tab.show_page(page)
    page.picker.choose(known["王秀英"])
    page.add(stocked.oil)
    assert page.balance.text().startswith("积分不够：本次兑换需要30分，现有20分")
    page.whole_household.setChecked(True)
    assert page.balance.text() == "现有积分 40 分，本次兑换 30 分，兑换后 10 分"
    page.basket.cellWidget(0, page.COL_QUANTITY).setValue(11)
    assert page.balance.text() == "“食用油”库存只有10桶" and not page.confirm_button.isEnabled()
    page.basket.cellWidget(0, page.COL_QUANTITY).setValue(1)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert "剩余积分 10 分" in page.done.text()
    with stocked.db.read() as session:
        assert points.balances(session, "household", [known["household"]])[known["household"]] == 10


def test_an_overdraw_is_refused_on_the_page_and_changes_nothing(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: warnings.append(text))
    stocked.give(known["张三明"], 20)
    page = tab.redeem
    tab.show_page(page)
    type_text(qtbot, page.picker.edit, "张三明")
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    type_text(qtbot, page.filter, "油")
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert page.balance.text() == "积分不够：本次兑换需要30分，现有20分，还差10分"
    assert "#c0392b" in page.balance.styleSheet()
    assert not page.confirm_button.isEnabled()
    qtbot.keyClick(page.filter, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # nothing happens
    assert page.redeem() is None  # and if it were pressed anyway, the service refuses
    assert page.balance.text() == "积分不够：需要30分，张三明现有20分"
    assert page.done.text() == "" and not warnings
    assert [(line.item_id, line.quantity) for line in page.lines()] == [(stocked.oil, 1)]  # kept to change
    assert stocked.balance(known["张三明"]) == 20 and stocked.stock(stocked.oil) == 10
    with stocked.db.read() as session:
        assert shop.redemptions(session) == []


def test_a_double_click_redeems_once(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    stocked.give(known["张三明"], 50)
    page = tab.redeem
    tab.show_page(page)
    page.picker.choose(known["张三明"])
    page.add(stocked.oil)
    real, during = shop.redeem, []

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        during.append(page.confirm_button.isEnabled())
        assert page.redeem() is None  # a second click while the first one runs
        return real(*args, **kwargs)

    monkeypatch.setattr("station.shop.redeem", watched)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert during == [False]
    assert stocked.balance(known["张三明"]) == 20 and stocked.stock(stocked.oil) == 9


def test_an_auditor_cancels_a_redemption(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, window_for, stocked: Market, known: dict[str, int]) -> None:
    stocked.give(known["张三明"], 50)
    with stocked.db.write() as session:
        shop.redeem(session, stocked.admin, [BasketLine(stocked.oil)], known["张三明"])
    tab.show_page(tab.records)  # the administrator's desk: cancelling is the auditor's, asked by 换人撤销
    tab.records.table.selectRow(0)
    assert not tab.records.cancel_button.isVisible() and tab.records.act_as_button.isEnabled()
    desk = window_for(stocked.auditor, "李建国")
    desk.tabs.setCurrentWidget(desk.shop)
    page = desk.shop.records
    desk.shop.show_page(page)
    assert shown(page.table, 2) == ["张三明"] and shown(page.table, 5) == ["已兑换"]
    assert page.findChild(type(page.count), "auditor") is None  # no list of whose name to act under
    page.table.selectRow(0)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("reason") == "请写明撤销原因"
    type_text(qtbot, dialog.reason, "居民拿错了")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert shown(page.table, 5) == ["已撤销"]
    index = page.model.index(0, 0)
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#8a8a8a"  # grey
    assert stocked.balance(known["张三明"]) == 50 and stocked.stock(stocked.oil) == 10
    page.table.selectRow(0)
    assert not page.cancel_button.isEnabled()
    with stocked.db.read() as session:
        from sqlalchemy import select

        from db.models import RedemptionCancel

        assert session.scalars(select(RedemptionCancel.cancelled_by)).all() == [stocked.auditor]


def test_issue_vouchers_for_a_rated_half_year_and_record_a_handover(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, market: Market, known: dict[str, int]) -> None:
    page = tab.vouchers
    tab.show_page(page)
    assert "还没有评定过星级家庭" in page.state.text() and not page.issue_button.isEnabled()
    with market.db.read() as session:
        previous = points.periods(session)[1]  # the half-year before this one: over
    market.give(known["张三明"], 80, previous.first)
    with market.db.write() as session:
        for month in points.months_between(previous.first, previous.last):
            if not points.is_closed(session, month):
                points.close_month(session, market.auditor, month)
        points.rate_half_year(session, market.auditor, previous.period)
    tab.refresh()
    assert page.period.currentData() == previous.period
    assert "应发奖券 1 张，还没有发放" in page.state.text()
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert shown(page.table, 2) == ["张三明"] and shown(page.table, 3) == ["四星家庭"]
    assert shown(page.table, 4) == ["150"] and shown(page.table, 5) == ["未领取"]
    assert page.model.headerData(5, Qt.Orientation.Horizontal) == "领取时间"  # when it was taken away
    assert not page.issue_button.isEnabled()  # once per household
    page.table.selectRow(0)
    dialog = page.hand_over()
    assert dialog.receiver.text() == "张三明"
    dialog.receiver.clear()
    type_text(qtbot, dialog.receiver, "王秀英")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert shown(page.table, 6) == ["王秀英"] and shown(page.table, 5)[0] != "未领取"
    assert "已领取 1 张" in page.state.text()
    page.table.selectRow(0)
    assert not page.hand_button.isEnabled()


def test_the_slip_prints_the_last_redemption_when_the_report_exists(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    printed: list[tuple[str, object]] = []
    monkeypatch.setattr("ui.shop_tab.make_report",
                        lambda _parent, _db, _staff, name, _period, **kwargs: printed.append((name, kwargs["record_id"])))
    stocked.give(known["张三明"], 50)
    page = tab.redeem
    tab.show_page(page)
    page.picker.choose(known["张三明"])
    monkeypatch.setattr("ui.shop_tab.slip_available", lambda: False)
    page.add(stocked.soap)
    page.redeem()
    assert page.print_button.isHidden()
    monkeypatch.setattr("ui.shop_tab.slip_available", lambda: True)
    page.add(stocked.soap)
    redemption = page.redeem()
    assert not page.print_button.isHidden()
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert printed == [("redemption-slip", redemption)]


def test_items_and_merchants_dialogs(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, market: Market, monkeypatch: pytest.MonkeyPatch) -> None:
    tab.show_page(tab.merchants)
    assert shown(tab.merchants.table, 2) == ["139****5678"]
    dialog = tab.merchants.add()
    type_text(qtbot, dialog.name, "顺达洗车行")
    dialog.service_boxes[0].setChecked(True)  # 洗车
    dialog.phone.setText("123")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.form.error_text("phone")
    dialog.phone.setText("13822223333")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "顺达洗车行" in shown(tab.merchants.table, 0) and "洗车" in shown(tab.merchants.table, 3)

    tab.show_page(tab.shelf)
    item = tab.shelf.add()
    item.kind.setCurrentIndex(item.kind.findData("service"))
    type_text(qtbot, item.name, "洗车一次")
    item.price.setText("15")
    qtbot.mouseClick(ok(item), Qt.MouseButton.LeftButton)
    assert item.form.error_text("merchant") == "商家服务请选择提供服务的联盟商户"
    item.merchant.setCurrentIndex(item.merchant.findText("顺达洗车行"))
    item.quota.setText("10")
    qtbot.mouseClick(ok(item), Qt.MouseButton.LeftButton)
    assert not item.isVisible()
    assert tab.shelf.selected() is not None and tab.shelf.selected().name == "洗车一次"
    assert stock_shown(tab, "洗车一次") == "本月剩10/10"
    # take it off the shelf: greyed, gone from the redeem page's list
    monkeypatch.setattr("ui.messages.confirm", lambda *_a: True)
    qtbot.mouseClick(tab.shelf.retire_button, Qt.MouseButton.LeftButton)
    assert stock_shown(tab, "洗车一次") == "本月剩10/10"
    assert shown(tab.shelf.table, 7)[shown(tab.shelf.table, 0).index("洗车一次")] == "已下架"
    assert tab.shelf.retire_button.text() == "重新上架"
    tab.show_page(tab.redeem)
    assert "洗车一次" not in shown(tab.redeem.shelf_table, 0)


def test_the_basket_is_changed_with_the_keyboard_only(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int]) -> None:
    stocked.give(known["张三明"], 100)
    page = tab.redeem
    tab.show_page(page)
    type_text(qtbot, page.picker.edit, "张三明")
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    for name, times in (("油", 3), ("皂", 1)):
        type_text(qtbot, page.filter, name)
        for _ in range(times):
            qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert [(line.item_id, line.quantity) for line in page.lines()] == [(stocked.oil, 3), (stocked.soap, 1)]
    # Tab leaves the shelf list for the basket (it does not walk the list's cells)
    qtbot.keyClick(page.filter, Qt.Key.Key_Tab)
    assert page.focusWidget() is page.shelf_table
    qtbot.keyClick(page.shelf_table, Qt.Key.Key_Tab)
    assert page.focusWidget() is page.basket
    qtbot.keyClick(page.basket, Qt.Key.Key_Minus)  # the first row: 3 oil -> 2
    assert page.lines()[0].quantity == 2
    qtbot.keyClick(page.basket, Qt.Key.Key_Down)
    qtbot.keyClick(page.basket, Qt.Key.Key_Return)  # type the soap's quantity
    spin = page.basket.cellWidget(1, page.COL_QUANTITY)
    assert page.focusWidget() is spin
    qtbot.keyClicks(spin, "4")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert page.focusWidget() is page.basket
    assert [(line.item_id, line.quantity) for line in page.lines()] == [(stocked.oil, 2), (stocked.soap, 4)]
    assert page.balance.text() == "现有积分 100 分，本次兑换 80 分，兑换后 20 分"
    qtbot.keyClick(page.basket, Qt.Key.Key_Up)
    qtbot.keyClick(page.basket, Qt.Key.Key_Delete)  # the oil goes
    assert [(line.item_id, line.quantity) for line in page.lines()] == [(stocked.soap, 4)]
    assert page.focusWidget() is page.basket
    qtbot.keyClick(page.basket, Qt.Key.Key_Return)
    spin = page.basket.cellWidget(0, page.COL_QUANTITY)
    assert page.focusWidget() is spin
    qtbot.keyClick(spin, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # redeems from the box too
    assert page.done.text() == "已兑换：张三明 洗衣皂×4，共20分，剩余积分 80 分"
    assert stocked.stock(stocked.soap) == 16 and stocked.stock(stocked.oil) == 10


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    """Prints go to tmp_path under the suggested file name; the list of what was written."""
    written: list[Path] = []
    monkeypatch.setattr("ui.reports.ask_save_path", lambda _parent, suggested: str(tmp_path / suggested))
    monkeypatch.setattr("ui.reports.open_file", written.append)
    monkeypatch.setattr("ui.messages.warn", lambda _parent, text, *_a: pytest.fail(text))
    return written


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return unicodedata.normalize("NFKC", "".join("".join(page.extract_text() for page in PdfReader(path).pages)
                                                 .split()))


def test_the_stock_ledger_and_the_donors_thanks_print_from_the_shelf_page(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int], saved: list[Path]) -> None:
    stocked.give(known["张三明"], 100)
    with stocked.db.write() as session:
        shop.redeem(session, stocked.admin, [BasketLine(stocked.oil, 2)], known["张三明"])
        shop.write_off(session, stocked.admin, stocked.oil, "1", "破损")
    page = tab.shelf
    tab.show_page(page)
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.choice.setEditText("2026年13月")
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "期间格式不对" in dialog.form.error_text("period")
    dialog.choice.setCurrentIndex(0)  # this month
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    month = points.month_of(dt.date.today())
    (ledger,) = saved
    assert ledger.name == f"积分超市库存台账-{month}.pdf"
    # 食用油: opening 0; in 10 from 政府支持, 0, 0, 0, subtotal 10; 2 redeemed; 1 written off; 7 left
    assert "2粮油食用油桶0" + "10000" + "10" + "2" + "-1" + "7合计" in pdf_text(ledger)
    qtbot.mouseClick(page.thanks_button, Qt.MouseButton.LeftButton)
    page.dialog.choice.setEditText(str(dt.date.today().year))
    qtbot.mouseClick(ok(page.dialog), Qt.MouseButton.LeftButton)
    assert saved[1].name == f"捐赠致谢-{dt.date.today().year}.pdf" and "幸福超市" in pdf_text(saved[1])


def test_a_slip_reprints_from_the_records_and_a_merchant_statement_from_the_merchants(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int], saved: list[Path]) -> None:
    stocked.give(known["张三明"], 50)
    with stocked.db.write() as session:
        first = shop.redeem(session, stocked.admin, [BasketLine(stocked.soap, 2)], known["张三明"])
        shop.redeem(session, stocked.admin, [BasketLine(stocked.haircut)], known["张三明"])
    page = tab.records
    tab.show_page(page)
    assert not page.slip_button.isEnabled()
    page.table.selectRow(1)  # the older one
    qtbot.mouseClick(page.slip_button, Qt.MouseButton.LeftButton)
    (slip,) = saved
    assert slip.name == f"兑换凭证-DH{first:06d}.pdf"
    assert "洗衣皂2块" in pdf_text(slip) and "兑换后可用积分余额:40分" in pdf_text(slip)

    merchants = tab.merchants
    tab.show_page(merchants)
    assert not merchants.statement_button.isEnabled()
    merchants.table.selectRow(shown(merchants.table, 0).index("老街理发店"))
    qtbot.mouseClick(merchants.statement_button, Qt.MouseButton.LeftButton)
    dialog = merchants.dialog
    assert dialog.chosen() == points.month_of(dt.date.today().replace(day=1) - dt.timedelta(days=1))  # last month
    dialog.choice.setCurrentIndex(0)  # this month
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    statement = saved[1]
    assert statement.name == f"商户服务对账单-老街理发店-{points.month_of(dt.date.today())}.pdf"
    assert "理发一次1次张*明" in pdf_text(statement)


def test_enter_with_nothing_typed_adds_nothing(  # type: ignore[no-untyped-def]
        qtbot, tab: ShopTab, stocked: Market, known: dict[str, int]) -> None:
    stocked.give(known["张三明"], 50)
    page = tab.redeem
    tab.show_page(page)
    type_text(qtbot, page.picker.edit, "张三明")
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)  # the person's Enter pressed twice
    assert page.lines() == [] and "请输入物品名称" in page.balance.text()
    qtbot.keyClick(page.filter, Qt.Key.Key_Down)  # choosing from the whole shelf with the arrows
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)
    assert [line.quantity for line in page.lines()] == [1]
