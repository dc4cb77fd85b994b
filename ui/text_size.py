"""文字大小: the interface at 100%, 125%, 150% or 175%, remembered per computer (QSettings), applied at once."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QVBoxLayout, QWidget

from ui.forms import dialog_buttons, fit

SCALES = (100, 125, 150, 175)
KEY = "ui/text_scale"


def saved_scale() -> int:
    """The size chosen on this computer (100 when never chosen)."""
    value = QSettings().value(KEY, 100)
    try:
        scale = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 100
    return scale if scale in SCALES else 100


def apply_scale(app: QApplication, scale: int) -> None:
    """Set the application's font to ``scale`` percent of the system's own size."""
    base = getattr(app, "_station_base_font", None)
    if base is None:
        base = app.font().pointSizeF()
        app._station_base_font = base  # type: ignore[attr-defined]
    font = app.font()
    font.setPointSizeF(base * scale / 100)
    app.setFont(font)
    app.processEvents()  # the open windows take the new size now (it reaches them as events)


class TextSizeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("文字大小")
        self.scale = QComboBox()
        self.scale.setObjectName("scale")
        for scale in SCALES:
            self.scale.addItem(f"{scale}%", scale)
        self.scale.setCurrentIndex(max(0, self.scale.findData(saved_scale())))
        note = QLabel("整个工作台的文字按这个比例放大，这台电脑会记住。已经打开的窗口立刻改变；"
                      "个别大标题在重新打开工作台后才完全按新大小显示。")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scale)
        layout.addWidget(note)
        layout.addWidget(dialog_buttons(self, "确定", self.save))
        fit(self, 380)

    def save(self) -> None:
        scale = int(self.scale.currentData())
        QSettings().setValue(KEY, scale)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_scale(app, scale)
        window = self.parentWidget()
        home = getattr(window, "home", None)
        if home is not None:
            home.refresh()  # its counts are drawn a size larger than the rest
        self.accept()
