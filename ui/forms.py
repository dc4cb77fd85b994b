"""Form helpers: each field with its own error line, filled from a ValidationError; the pieces of a dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.errors import ValidationError

ERROR_STYLE = "color: #c0392b;"


def hint_label(text: str) -> QLabel:
    """A grey line that says how a page or dialog is used."""
    label = QLabel(text)
    label.setStyleSheet("color: #555;")
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # never taller than its text
    return label


class FieldForm(QFormLayout):
    """A QFormLayout whose rows carry an error label under the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()

    def add_field(self, key: str, label: str, widget: QWidget | None = None,
                  layout: object | None = None) -> QLabel:
        """Add a row "label: widget" with an (initially hidden) error line below it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if widget is not None:
            column.addWidget(widget)
        if layout is not None:
            column.addLayout(layout)  # type: ignore[arg-type]
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self._errors[key] = error
        self.addRow(label, box)
        return error

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message beside its field; messages of unknown fields go to the general line."""
        self.clear_errors()
        general = []
        for key, message in errors.items():
            label = self._errors.get(key)
            if label is None:
                general.append(message)
            else:
                label.setText(message)
                label.show()
        if general:
            self.general_error.setText("；".join(general))
            self.general_error.show()

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if not label.isHidden() else ""


# ------------------------------------------------------------------ the pieces every dialog is made of


def dialog_buttons(dialog: QDialog, ok_text: str, save: Callable[[], None]) -> QDialogButtonBox:
    """确定 (named ``ok``, with the action's own word) and 取消; 确定 runs ``save``, which closes the dialog itself."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setObjectName("ok")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def combo(name: str, choices: Sequence[str], current: str = "", editable: bool = False) -> QComboBox:
    """A combo of fixed words; an editable one also takes what is typed (and starts with ``current``, even empty)."""
    box = QComboBox()
    box.setObjectName(name)
    box.setEditable(editable)
    if editable:
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(list(choices))
    if current or editable:
        box.setCurrentText(current)
    return box


def line_edit(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def password_edit(name: str, placeholder: str = "") -> QLineEdit:
    """A password field: what is typed shows as dots."""
    edit = line_edit(name, placeholder=placeholder)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def text_box(name: str, text: str = "", placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    """A few lines of text; Tab moves on, as in every other field."""
    box = QPlainTextEdit(text)
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def fit(dialog: QDialog, width: int) -> None:
    """As wide as asked, as tall as its fields (it grows when an error line shows)."""
    dialog.resize(width, dialog.sizeHint().height())


class StepDialog(QDialog):
    """One step of a record (调整层级, 上报提级, 转办, 办结, 回访 …): a few fields, then the service call."""

    def __init__(self, title: str, prompt: str, fields: list[tuple[str, str, QWidget]],
                 action: Callable[[], None], ok_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._action = action
        self.form = FieldForm()
        for key, label, widget in fields:
            self.form.add_field(key, label, widget)
        text = QLabel(prompt)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general_error)
        layout.addWidget(dialog_buttons(self, ok_text or title, self.save))
        fit(self, 500)

    def save(self) -> None:
        try:
            self._action()
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()
