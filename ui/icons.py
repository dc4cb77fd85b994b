"""Icons from qtawesome (created only after the QApplication exists)."""

from __future__ import annotations

from PySide6.QtGui import QIcon


def icon(name: str, color: str = "#34495e") -> QIcon:
    import qtawesome

    return qtawesome.icon(name, color=color)
