"""Messages to the station worker, and the last line of defence for unexpected errors."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.errors import DatabaseProblem, describe
from station.errors import ValidationError

log = logging.getLogger("station.ui")


def info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, text: str, title: str = "请注意") -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "请确认") -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _active_window() -> QWidget | None:
    app = QApplication.instance()
    return app.activeWindow() if isinstance(app, QApplication) else None


def show_problem(parent: QWidget | None, error: BaseException) -> None:
    """Tell the user about a known problem (bad input, the database) in plain Chinese."""
    if isinstance(error, ValidationError):
        warn(parent, error.message)
    elif isinstance(error, DatabaseProblem):
        log.warning("database problem: %s (%s)", error.message, error.detail)
        warn(parent, error.message, "数据文件")
    else:
        message = describe(error)
        log.warning("database problem: %s", error)
        warn(parent, message or str(error), "数据文件")


def handle_exception(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook: known problems get a polite message; a bug is logged and shown with details.

    The program keeps running either way.
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    if isinstance(error, (ValidationError, DatabaseProblem)) or describe(error) is not None:
        show_problem(_active_window(), error)
        return
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(_active_window())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序出错")
    box.setText("程序遇到了一个意外错误，刚才的操作可能没有完成。\n已保存的数据不受影响，可以继续使用。")
    box.setInformativeText("错误详情已写入数据文件夹中的 logs/station.log，可发给技术人员。")
    box.setDetailedText(details)
    box.exec()


def install_excepthook() -> None:
    sys.excepthook = handle_exception
