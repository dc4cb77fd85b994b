"""导入居民花名册 and 导出居民名单: the preview with its column mapping, progress, saving rejects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from station import access, roster, staff
from station.errors import ValidationError
from station.residents import ResidentQuery
from ui import icons, messages
from ui.table_models import SimpleTableModel

ALL_SHEETS = "（全部工作表，每栋一张）"
NOT_IMPORTED = "（不导入）"
SPREADSHEETS = "表格文件 (*.xlsx *.xlsm *.xls *.et *.ods)"


def _column_name(index: int) -> str:
    """0 -> A, 26 -> AA, as the spreadsheet labels columns."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class RosterImportDialog(QDialog):
    """Shows what the import will do, row by row, before anything is written."""

    imported = Signal()  # records were written

    def __init__(self, database: Database, staff_id: int, path: Path, sheets: list[roster.Sheet],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._path = path
        self._sheets = sheets
        self._layouts: list[roster.SheetLayout] = []
        self.outcome: roster.ImportResult | None = None
        self.imported_result: roster.ImportResult | None = None
        self.setWindowTitle(f"导入居民花名册：{path.name}")
        self.resize(980, 640)

        self.sheet = QComboBox()
        self.sheet.setObjectName("sheet")
        if len(sheets) > 1:
            self.sheet.addItem(ALL_SHEETS, None)
        for sheet in sheets:
            self.sheet.addItem(sheet.name, sheet.name)
        self.sheet.currentIndexChanged.connect(lambda _i: self._load_layouts())

        self.mapping: dict[str, QComboBox] = {}
        mapping_box = QGroupBox("各列对应（认错了可以改）")
        grid = QGridLayout(mapping_box)
        for position, (key, label) in enumerate(roster.FIELD_LABELS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.activated.connect(lambda _i: self.preview())
            self.mapping[key] = combo
            row, column = divmod(position, 4)
            grid.addWidget(QLabel(f"{label}："), row, column * 2)
            grid.addWidget(combo, row, column * 2 + 1)

        self.model = SimpleTableModel(("行号", "状态", "姓名", "住址", "身份证号", "原因"), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")

        self.save_rejects_button = QPushButton(icons.icon("fa5s.file-excel"), "保存错误行…")
        self.save_rejects_button.setToolTip("把有错误的行连同“错误原因”另存为表格，改好后可以再导入")
        self.save_rejects_button.clicked.connect(self.save_rejects)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setIcon(icons.icon("fa5s.file-import"))
        self.import_button.clicked.connect(self.run_import)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("工作表："))
        top.addWidget(self.sheet, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(self.save_rejects_button)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(mapping_box)
        layout.addWidget(QLabel("预览（还没有写入，点“导入”才保存）："))
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._load_layouts()

    # ------------------------------------------------------------ mapping

    def _load_layouts(self) -> None:
        try:
            self._layouts = roster.layouts_for(self._sheets, self.sheet.currentData())
        except roster.RosterError as error:
            self._layouts = []
            self.model.set_rows([])
            self.counts.setText(error.message)
            self.import_button.setEnabled(False)
            self.save_rejects_button.setEnabled(False)
            return
        first = self._layouts[0]
        for key, combo in self.mapping.items():
            combo.clear()
            combo.addItem(NOT_IMPORTED, None)
            for index, title in enumerate(first.headers):
                if title:
                    combo.addItem(f"{_column_name(index)} 列：{title}", index)
            combo.setCurrentIndex(max(0, combo.findData(first.columns.get(key))))
        self.preview()

    def choose_column(self, field: str, header: str | None) -> None:
        """Point a field at the column with this header (None: leave the field out), then preview."""
        combo = self.mapping[field]
        index = 0 if header is None else next(
            (i for i in range(combo.count()) if combo.itemText(i).endswith(f"：{header}")), 0)
        combo.setCurrentIndex(index)
        self.preview()

    def _apply_mapping(self) -> None:
        """The boxes show the first sheet's columns; sheets laid out the same way follow them."""
        chosen = {key: combo.currentData() for key, combo in self.mapping.items()
                  if combo.currentData() is not None}
        first_headers = self._layouts[0].headers
        for layout in self._layouts:
            if layout.headers == first_headers:
                layout.columns = dict(chosen)

    # ------------------------------------------------------------ preview and import

    def _run(self, commit: bool, label: str) -> roster.ImportResult | None:
        self._apply_mapping()
        progress = QProgressDialog(label, "取消", 0, 100, self)
        progress.setWindowTitle("导入居民花名册")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def report(done: int, total: int) -> bool:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            scope = self._db.write() if commit else self._db.trial()
            with scope as session:
                return roster.import_roster(session, self._staff_id, self._layouts, self._path.name, report,
                                            preview=not commit)
        except roster.ImportCancelled:
            messages.info(self, "已取消，没有写入任何数据。")
            return None
        finally:
            progress.close()

    def preview(self) -> None:
        if not self._layouts:
            return
        result = self._run(commit=False, label="正在检查每一行…")
        if result is None:
            return
        self.outcome = result
        self.model.set_rows(
            [(row.where, row.status, row.name, row.place, row.id_masked, row.reason) for row in result.rows],
            grey=[i for i, row in enumerate(result.rows) if row.status == roster.SKIP],
            red=[i for i, row in enumerate(result.rows) if row.status == roster.ERROR],
        )
        self.counts.setText(result.summary())
        self.import_button.setEnabled(result.count(roster.NEW) + result.count(roster.UPDATE) > 0)
        self.save_rejects_button.setEnabled(result.count(roster.ERROR) > 0)

    def run_import(self) -> None:
        result = self._run(commit=True, label="正在导入…")
        if result is None:
            return
        self.imported_result = result
        self.imported.emit()
        messages.info(self, f"导入完成：{result.summary()}。"
                      + ("\n有错误的行没有导入，可以先“保存错误行”改好后再导入。" if result.count(roster.ERROR) else ""))
        if result.count(roster.ERROR) == 0:
            self.accept()
        else:
            self.outcome = result
            self.import_button.setEnabled(False)

    def save_rejects(self, path: str | None = None) -> None:
        if self.outcome is None:
            return
        if not path:
            suggested = str(self._path.with_name(f"{self._path.stem}-错误行.xlsx"))
            path, _filter = QFileDialog.getSaveFileName(self, "保存错误行", suggested, "Excel 表格 (*.xlsx)")
        if not path:
            return
        try:
            with self._db.write() as session:  # the file and its 操作记录 row together
                count = roster.save_rejects(session, self._staff_id, self.outcome, self._layouts, Path(path))
        except (roster.RosterError, ValidationError) as error:
            messages.warn(self, error.message)
            return
        messages.info(self, f"已保存 {count} 行到 {path}")


def open_roster(parent: QWidget, database: Database, staff_id: int, path: str | None = None) -> RosterImportDialog | None:
    """Ask for a roster file, read it, and open the preview (window-modal). None if nothing to show."""
    if not path:
        path, _filter = QFileDialog.getOpenFileName(parent, "导入居民花名册", "", SPREADSHEETS)
    if not path:
        return None
    try:
        sheets = roster.read_workbook(Path(path))
    except roster.RosterError as error:
        messages.warn(parent, error.message)
        return None
    dialog = RosterImportDialog(database, staff_id, Path(path), sheets, parent)
    dialog.open()
    return dialog


class ExportDialog(QDialog):
    """导出居民名单: everyone or the residents on screen, one sheet or one per building.

    What goes out follows the signed-in account's role: ID numbers masked (an administrator may tick
    包含完整身份证号 for reporting upwards), care tags only for roles that may see them. The service
    checks the same and records the export in 操作记录.
    """

    def __init__(self, database: Database, staff_id: int, current: ResidentQuery,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = database
        self._staff_id = staff_id
        self._current = current
        with database.read() as session:
            self.role: str | None = staff.get(session, staff_id).role
        self.setWindowTitle("导出居民名单")
        self.everyone = QRadioButton("全部在住居民")
        self.filtered = QRadioButton("当前筛选出的居民（与名单中看到的一样）")
        self.everyone.setChecked(True)
        self.per_building = QCheckBox("每栋一张工作表")
        self.full_id_numbers = QCheckBox("包含完整身份证号（仅供上报）")
        self.full_id_numbers.setObjectName("full_id_numbers")
        self.full_id_numbers.setChecked(False)
        self.full_id_numbers.setVisible(access.allows(self.role, access.FULL_ID_NUMBERS))
        self.full_id_numbers.toggled.connect(lambda _on: self._show_note())
        self.note = QLabel()
        self.note.setObjectName("export_note")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.clicked.connect(lambda: self.export())
        buttons.rejected.connect(self.reject)
        if not access.allows(self.role, access.EXPORT_RESIDENTS):
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(access.needs(access.EXPORT_RESIDENTS, "导出居民名单"))
        layout = QVBoxLayout(self)
        for widget in (self.everyone, self.filtered, self.per_building, self.full_id_numbers, self.note):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self._show_note()

    def _show_note(self) -> None:
        """What goes out, in the hint line."""
        if not access.allows(self.role, access.EXPORT_RESIDENTS):
            self.note.setText(access.needs(access.EXPORT_RESIDENTS, "导出居民名单") + "。")
            return
        parts = ["身份证号为完整号码，仅供上报使用" if self.wants_full_id_numbers() else "身份证号只显示前6位和后4位"]
        if not access.allows(self.role, access.SEE_CARE):
            parts.append("不含人员类别（关怀标签）")
        self.note.setText(f"导出的表格包含姓名、住址和电话，{'；'.join(parts)}。请妥善保管；每次导出都记入操作记录。")

    def wants_full_id_numbers(self) -> bool:
        return self.full_id_numbers.isChecked() and access.allows(self.role, access.FULL_ID_NUMBERS)

    def export(self, path: str | None = None) -> int | None:
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, "导出居民名单", "居民名单.xlsx", "Excel 表格 (*.xlsx)")
        if not path:
            return None
        query = self._current if self.filtered.isChecked() else ResidentQuery()
        try:
            with self._db.write() as session:  # the file and its 操作记录 row together
                count = roster.export_residents(session, self._staff_id, query, Path(path),
                                                self.per_building.isChecked(), self.wants_full_id_numbers())
        except (roster.RosterError, ValidationError) as error:
            messages.warn(self, error.message)
            return None
        messages.info(self, f"已导出 {count} 位居民到 {path}")
        self.accept()
        return count
