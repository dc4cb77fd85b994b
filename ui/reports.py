"""Making a printable notice from the window: choose where to save it, write it, open it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from db.engine import Database
from station.errors import ValidationError
from ui import messages


def ask_save_path(parent: QWidget | None, suggested: str) -> str:
    """The file the user chose ("" when cancelled)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _filter = QFileDialog.getSaveFileName(parent, "保存PDF", str(Path(folder) / suggested), "PDF 文件 (*.pdf)")
    return path


def open_file(path: Path) -> None:
    """Open the PDF in the computer's PDF viewer, where it can be printed."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def make_report(parent: QWidget | None, database: Database, staff_id: int, name: str, period: str,
                building_ids: list[int] | None = None, resident_id: int | None = None,
                person: str = "", record_id: int | None = None) -> Path | None:
    """Ask for a file, write the notice ``name`` for ``period``, record it in 操作记录 under ``staff_id``
    (the signed-in account) and open it. None when cancelled or refused.

    ``resident_id`` and ``person`` (the name, for the file's name) are for a personal certificate;
    ``record_id`` names the one record a print is about (a redemption's slip).
    """
    from station import reports  # reportlab loads on the first notice, not at start-up

    try:
        suggested = reports.default_file_name(name, period, person)
    except ValidationError as error:
        messages.warn(parent, error.message)
        return None
    chosen = ask_save_path(parent, suggested)
    if not chosen:
        return None
    target = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with database.write() as session:  # the print and its 操作记录 row together
            written = reports.build(session, name, period, target, building_ids=building_ids,
                                    resident_id=resident_id, record_id=record_id)
            reports.record_print(session, staff_id, name, written)
    except ValidationError as error:
        messages.warn(parent, error.message)
        return None
    finally:
        QApplication.restoreOverrideCursor()
    open_file(written.path)
    return written.path
