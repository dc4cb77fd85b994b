"""Icons from qtawesome (created only after the QApplication exists)."""

from __future__ import annotations

import functools

from PySide6.QtGui import QIcon


@functools.lru_cache(maxsize=None)
def icon(name: str, color: str = "#34495e") -> QIcon:
    import qtawesome

    result: QIcon = qtawesome.icon(name, color=color)
    return result


def app_icon() -> QIcon:
    """The program's own icon: the window's, the installer's and the desktop shortcut's."""
    from pathlib import Path

    drawn = Path(__file__).resolve().parent.parent / "resources" / "icons" / "station.png"
    if drawn.is_file():
        return QIcon(str(drawn))
    return icon("fa5s.hands-helping", "#c0392b")
