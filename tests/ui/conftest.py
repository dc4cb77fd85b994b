"""Qt fixtures: the application set up as the program sets it up, settings kept under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from db.engine import Database
from station import residents
from station.compound import add_household, HouseholdInput
from station.residents import ResidentInput


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a person does: Latin keys one by one; Chinese as an input method commits it.

    (QTest's keyClicks knows only Latin-1 keys.)
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def app(qapp: QApplication, tmp_path: Path) -> QApplication:
    from ui.app import make_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return make_application(install_hook=False)


@pytest.fixture
def known(demo_database: Database, staff_id: int) -> dict[str, int]:
    """Residents the tests look for by name, added to the demo compound."""
    with demo_database.write() as session:
        household = add_household(session, staff_id, HouseholdInput("9", "3", "1202"))
        return {
            "household": household,
            "张三明": residents.add_resident(session, staff_id, ResidentInput(
                name="张三明", household_id=household, gender="男", birth_date="1956-03-02", phone="13812349876",
                relation="户主", party_category="离退休党员", roles=["楼栋长"])),
            "王秀英": residents.add_resident(session, staff_id, ResidentInput(
                name="王秀英", household_id=household, gender="女", birth_date="1958-07-15", relation="配偶",
                care_tags=["残疾人"])),
        }


@pytest.fixture
def window(qtbot, demo_database: Database, staff_id: int, data_dir: Path, known: dict[str, int]) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    main = MainWindow(demo_database, (staff_id, "李红"), data_dir)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main


@pytest.fixture
def window_for(qtbot, demo_database: Database, data_dir: Path, known: dict[str, int]):  # type: ignore[no-untyped-def]
    """A main window signed in as the given account (id, name): its role decides what it offers."""
    from ui.main_window import MainWindow

    made: list[object] = []

    def make(account_id: int, name: str):  # type: ignore[no-untyped-def]
        main = MainWindow(demo_database, (account_id, name), data_dir)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        made.append(main)
        return main

    return make


def answer_password(monkeypatch: pytest.MonkeyPatch, password: str, account: int | None = None) -> list[object]:
    """Answer every ActAsDialog (换人审核, the administrator's password before a restore) as a person
    would: choose ``account`` (when given), type ``password``, press the button. The dialogs answered."""
    from ui.login import ActAsDialog

    answered: list[object] = []

    def exec_(dialog: ActAsDialog) -> int:
        if account is not None:
            dialog.account.setCurrentIndex(dialog.account.findData(account))
        dialog.password.setText(password)
        dialog.save()
        answered.append(dialog)
        return int(dialog.result())

    monkeypatch.setattr(ActAsDialog, "exec", exec_)
    return answered
