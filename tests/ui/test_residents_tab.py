"""The 居民 tab as a station worker uses it: type, click, and read what the screen shows."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select

from db.engine import Database
from db.models import Household, Resident
from station import residents
from ui.household_dialogs import HouseholdViewDialog, NewHouseholdDialog
from ui.resident_dialogs import HistoryDialog, MoveOutDialog, ResidentDialog
from ui.residents_tab import ResidentsTab
from ui.table_models import ResidentTableModel

from tests.ui.conftest import type_text


@pytest.fixture(autouse=True)
def _on_the_residents_tab(request) -> None:  # type: ignore[no-untyped-def]
    """The window opens on 首页; these tests work in the 居民 tab."""
    if "window" in request.fixturenames:
        window = request.getfixturevalue("window")
        window.tabs.setCurrentWidget(window.residents)
        window.residents.search.setFocus()


def shown(tab: ResidentsTab, column: int = ResidentTableModel.COL_NAME) -> list[str]:
    model = tab.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def search(qtbot, tab: ResidentsTab, text: str) -> None:  # type: ignore[no-untyped-def]
    tab.search.clear()
    type_text(qtbot, tab.search, text)


def select_named(qtbot, tab: ResidentsTab, name: str) -> int:  # type: ignore[no-untyped-def]
    search(qtbot, tab, name)
    row = shown(tab).index(name)
    index = tab.model.index(row, ResidentTableModel.COL_NAME)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=tab.table.visualRect(index).center())
    assert tab.selected_id() == tab.model.resident_id(row)
    return row


def resident_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


def test_search_as_you_type(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    everyone = tab.model.rowCount()
    assert tab.count.text() == f"共 {everyone} 人"
    search(qtbot, tab, "zsm")
    assert "张三明" in shown(tab)
    assert all(name.startswith("张") for name in shown(tab))
    search(qtbot, tab, "9876")  # phone tail
    assert shown(tab) == ["张三明"]
    assert shown(tab, ResidentTableModel.COL_PHONE) == ["138****9876"]  # masked on screen
    search(qtbot, tab, "9-3-1202")
    assert shown(tab) == ["张三明", "王秀英"]
    assert tab.count.text() == "共 2 人"
    tab.search.clear()
    assert tab.model.rowCount() == everyone


def test_filters_and_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    tab.group.setCurrentIndex(tab.group.findData("care:残疾人"))
    assert "王秀英" in shown(tab)
    assert all("残疾人" in tags for tags in shown(tab, ResidentTableModel.COL_CARE))
    tab.group.setCurrentIndex(tab.group.findData("party"))
    assert all(shown(tab, ResidentTableModel.COL_PARTY))
    tab.group.setCurrentIndex(0)
    root = tab.tree.topLevelItem(0)
    building_9 = next(root.child(i) for i in range(root.childCount()) if root.child(i).text(0).startswith("9栋"))
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.tree.visualItemRect(building_9).center())
    assert set(shown(tab)) >= {"张三明", "王秀英"}
    assert all(address.startswith("9栋") for address in shown(tab, ResidentTableModel.COL_ADDRESS))


def test_sort_by_clicking_a_header(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(ResidentTableModel.COL_AGE) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    ages = [int(a) for a in shown(tab, ResidentTableModel.COL_AGE) if a]
    assert ages == sorted(ages)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    ages = [int(a) for a in shown(tab, ResidentTableModel.COL_AGE) if a]
    assert ages == sorted(ages, reverse=True)


def test_add_a_resident(qtbot, window, demo_database: Database, known: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    before = resident_count(demo_database)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ResidentDialog) and dialog.isVisible()
    type_text(qtbot, dialog.name, "赵桂兰")
    picker = dialog.household
    picker.building.setCurrentIndex(picker.building.findText("9"))
    picker.unit.setCurrentIndex(picker.unit.findText("3"))
    picker.room.setCurrentIndex(picker.room.findText("1202"))
    dialog.relation.setCurrentText("父母")
    type_text(qtbot, dialog.id_number, "11010519491231002X")
    type_text(qtbot, dialog.phone, "139 0000 1111")
    dialog.care_tags["特困老人"].setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert resident_count(demo_database) == before + 1
    # the new resident is selected in the table, with what the ID number told us
    row = tab.model.row_data(tab.table.selectionModel().selectedRows()[0].row())
    assert (row.name, row.gender, row.address, row.phone_masked, row.care_tags) == (
        "赵桂兰", "女", "9栋3单元1202", "139****1111", "特困老人")


def test_wrong_input_is_shown_next_to_the_field(qtbot, window, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    before = resident_count(demo_database)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, ResidentDialog) and dialog.isVisible()
    type_text(qtbot, dialog.name, "钱多多")
    type_text(qtbot, dialog.id_number, "110105194912310021")
    type_text(qtbot, dialog.phone, "1381234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "校验位" in dialog.form.error_text("id_number")
    assert "11位" in dialog.form.error_text("phone")
    assert "先选择住户" in dialog.form.error_text("household")
    assert dialog.form.error_text("name") == ""
    assert resident_count(demo_database) == before
    dialog.reject()


def test_edit_a_resident_and_see_the_history(qtbot, window, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    select_named(qtbot, tab, "张三明")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ResidentDialog)
    assert dialog.name.text() == "张三明" and dialog.phone.text() == "13812349876"
    assert dialog.household.room.currentText() == "1202"
    dialog.phone.clear()
    type_text(qtbot, dialog.phone, "15900001234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert shown(tab, ResidentTableModel.COL_PHONE)[shown(tab).index("张三明")] == "159****1234"
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    history = tab.dialog
    assert isinstance(history, HistoryDialog)
    top = [history.model.data(history.model.index(0, column)) for column in range(4)]
    assert top[1:] == ["李红", "修改", "电话：138****9876 → 159****1234"]
    history.reject()


def test_move_out_and_undo(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    select_named(qtbot, tab, "王秀英")
    qtbot.mouseClick(tab.move_out_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, MoveOutDialog)
    type_text(qtbot, dialog.reason, "随子女居住")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "王秀英" not in shown(tab)  # hidden by default ...
    qtbot.mouseClick(tab.show_moved_out, Qt.MouseButton.LeftButton)
    row = shown(tab).index("王秀英")  # ... but kept
    assert shown(tab, ResidentTableModel.COL_STATUS)[row].startswith("已迁出")
    assert tab.model.data(tab.model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    select_named(qtbot, tab, "王秀英")
    assert tab.undo_move_out_button.isEnabled() and not tab.move_out_button.isEnabled()
    monkeypatch.setattr("ui.messages.confirm", lambda *args, **kwargs: True)
    qtbot.mouseClick(tab.undo_move_out_button, Qt.MouseButton.LeftButton)
    assert shown(tab, ResidentTableModel.COL_STATUS)[shown(tab).index("王秀英")] == "在住"


def test_household_view_sets_the_liaison(qtbot, window, demo_database: Database, known: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    select_named(qtbot, tab, "王秀英")
    qtbot.mouseClick(tab.view_household_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, HouseholdViewDialog)
    assert dialog.title.text() == "9栋3单元1202" and dialog.head.text() == "张三明"
    members = dialog.members_model
    assert [members.data(members.index(r, 0)) for r in range(members.rowCount())] == ["张三明", "王秀英"]
    choice = next(i for i in range(dialog.liaison.count()) if dialog.liaison.itemText(i).startswith("张三明"))
    dialog.liaison.setCurrentIndex(choice)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with demo_database.read() as session:
        assert session.get(Household, known["household"]).liaison_id == known["张三明"]  # type: ignore[union-attr]


def test_new_household_appears_in_the_tree(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr("ui.messages.confirm", lambda parent, text, *a: asked.append(text) or True)
    tab = window.residents
    qtbot.mouseClick(tab.household_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, NewHouseholdDialog)
    dialog.building.setCurrentText("")
    type_text(qtbot, dialog.building.lineEdit(), "20")
    type_text(qtbot, dialog.unit, "1")
    type_text(qtbot, dialog.room, "101")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    root = tab.tree.topLevelItem(0)
    assert "20栋（1户）" in [root.child(i).text(0) for i in range(root.childCount())]
    # the next step is offered: a resident for the new household, which is already chosen
    assert asked == ["已新建住户 20栋1单元101。\n现在为这户新增居民吗？"]
    resident = tab.dialog
    assert isinstance(resident, ResidentDialog) and resident.household.room.currentText() == "101"
    assert window.statusBar().currentMessage() == "已新建住户 20栋1单元101"
    resident.reject()


def test_ctrl_f_goes_to_the_search_box(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.residents.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.residents.search.hasFocus()


def test_models_pass_the_model_tester(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    qtmodeltester.check(tab.model)
    tab.model.update_query(text="nobody-at-all")
    qtmodeltester.check(tab.model)
    tab.model.update_query(text="")
    tab.table.selectRow(0)
    history = tab.show_history()
    assert history is not None
    qtmodeltester.check(history.model)
    history.reject()


def test_window_size_is_remembered(qtbot, demo_database: Database, staff_id: int, data_dir, known) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    first = MainWindow(demo_database, (staff_id, "李红"), data_dir)
    qtbot.addWidget(first)
    first.resize(700, 520)  # inside the offscreen screen (800×600), where restoreGeometry clamps
    first.show()
    first.close()
    second = MainWindow(demo_database, (staff_id, "李红"), data_dir)
    qtbot.addWidget(second)
    assert first.height() == 520
    assert second.size() == first.size()
    assert str(demo_database.path) in second.data_file_label.text()
    assert second.staff_label.text() == "操作员：李红（管理员）"


def test_standard_buttons_read_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "保存"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_service_rows_match_the_screen(window, demo_database: Database) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    with demo_database.read() as session:
        ids = residents.find_ids(session, tab.model.query)
    assert [tab.model.resident_id(r) for r in range(tab.model.rowCount())] == ids


def test_household_view_keeps_unsaved_edits_and_asks_before_closing(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    select_named(qtbot, tab, "王秀英")
    qtbot.mouseClick(tab.view_household_button, Qt.MouseButton.LeftButton)
    view = tab.dialog
    assert isinstance(view, HouseholdViewDialog)
    type_text(qtbot, view.note, "老两口，腿脚不便")
    view.members.selectRow(1)
    view._edit_member()
    member = next(w for w in view.findChildren(ResidentDialog) if w.isVisible())
    member.phone.clear()
    type_text(qtbot, member.phone, "13700001111")
    qtbot.mouseClick(member.save_button, Qt.MouseButton.LeftButton)
    assert view.note.text() == "老两口，腿脚不便"  # not thrown away by the member's save
    assert view.members_model.data(view.members_model.index(1, 3)) == "137****1111"
    asked: list[str] = []
    monkeypatch.setattr("ui.messages.confirm", lambda parent, text, *a: asked.append(text) or False)
    view.reject()
    assert view.isVisible() and asked and "还没有保存" in asked[0]


def test_keyboard_from_search_to_results(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.residents
    assert tab.search.hasFocus()  # where a worker starts in the 居民 tab
    tab.search.setFocus()
    type_text(qtbot, tab.search, "zsm")
    qtbot.keyClick(tab.search, Qt.Key.Key_Down)
    assert tab.table.hasFocus() and tab.selected_id() == tab.model.resident_id(0)


def test_resident_dialog_starts_in_the_name_field(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = window.residents.add_resident()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.name
    dialog.reject()


def test_households_in_the_tree_even_empty_ones(qtbot, window, demo_database: Database, staff_id: int) -> None:  # type: ignore[no-untyped-def]
    from station.compound import HouseholdInput, add_household

    with demo_database.write() as session:
        empty = add_household(session, staff_id, HouseholdInput("9", "3", "1203"))
    tab = window.residents
    tab.reload_tree()
    root = tab.tree.topLevelItem(0)
    building = next(root.child(i) for i in range(root.childCount()) if root.child(i).text(0).startswith("9栋"))
    building.setExpanded(True)
    unit = next(building.child(i) for i in range(building.childCount()) if building.child(i).text(0).startswith("3单元"))
    unit.setExpanded(True)  # rooms are read when the unit is opened
    rooms = {unit.child(i).text(0): unit.child(i) for i in range(unit.childCount())}
    assert set(rooms) == {"1202室", "1203室"}
    tab.tree.setCurrentItem(rooms["1202室"])
    assert shown(tab) == ["张三明", "王秀英"]
    assert tab.count.text() == "9栋3单元1202室：共 2 人"
    tab.tree.setCurrentItem(rooms["1203室"])
    assert tab.model.rowCount() == 0
    tab.tree.scrollToItem(rooms["1203室"])
    where = tab.tree.visualItemRect(rooms["1203室"]).center()
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click's first press
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    dialog = tab.dialog
    assert isinstance(dialog, HouseholdViewDialog) and dialog.title.text() == "9栋3单元1203"
    assert dialog.members_model.rowCount() == 0 and dialog.head.text() == "（未登记户主）"
    dialog.reject()
    # after a change the worker stays where they were
    tab.tree.setCurrentItem(rooms["1202室"])
    tab._changed()
    assert tab.tree.currentItem().text(0) == "1202室" and shown(tab) == ["张三明", "王秀英"]
    assert empty
