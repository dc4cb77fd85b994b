"""Icons from qtawesome (created only after the QApplication exists)."""

from __future__ import annotations

import functools

from PySide6.QtGui import QIcon


@functools.lru_cache(maxsize=None)
def icon(name: str, color: str = "#34495e") -> QIcon:
    import qtawesome

    result: QIcon = qtawesome.icon(name, color=color)
    return result
