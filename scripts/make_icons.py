"""Render the application icon (resources/icons/station.png and station.ico) from the window's qtawesome icon.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py

The files are committed; run this again only when the icon changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImageWriter
    from PySide6.QtWidgets import QApplication

    from ui import icons

    app = QApplication.instance() or QApplication([])
    folder = ROOT / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    icon = icons.icon("fa5s.hands-helping", "#c0392b")  # drawn from the font, not from the file
    icon.pixmap(QSize(256, 256)).save(str(folder / "station.png"))
    writer = QImageWriter(str(folder / "station.ico"), b"ico")
    if not writer.write(icon.pixmap(QSize(256, 256)).toImage()):
        raise SystemExit(f"could not write station.ico: {writer.errorString()}")
    print(f"wrote {folder / 'station.png'} and station.ico")
    del app


if __name__ == "__main__":
    main()
