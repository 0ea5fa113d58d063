"""Import from the window: check on a worker thread, map the columns, preview rows, problems and
updates (was → now), then write all in one transaction."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QTableView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.files import casefile
from core.files import headers
import core.ops as operations
from core.domain import vnformat
from db.store import Store
from gui import messages
from gui.operations import describe
from gui.tasks import Task

PREVIEW_ROWS = 1000
BAD = QColor("#f8d7da")
CHANGED = QColor("#fff3cd")
IGNORED = "-"


class ImportDialog(QDialog):
    imported = Signal(int)

    def __init__(self, db_path: Path, parent=None, actor: dict | None = None):
        super().__init__(parent)
        self._actor = actor
        self.setWindowTitle("Nhập hồ sơ từ tệp")
        from gui.keys import fit_to_screen

        fit_to_screen(self, 1000, 600)  # never beyond the screen; the preview table scrolls
        self._db_path = db_path
        self._path: Path | None = None
        self.checked: casefile.Checked | None = None
        self.task: Task | None = None
        self.mapping = headers.Mapping()
        self.layout_found: headers.Layout | None = None
        self.checks = 0  # checks finished so far (tests wait on it)

        self.file_label = QLabel("Chưa chọn tệp (.csv, .xlsx, hoặc .txt \"Unicode text\" của Excel).")
        choose = QPushButton("Chọn &tệp…")  # Alt+C is "Cập nhật hồ sơ đã có"
        choose.clicked.connect(self.choose)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.source = QLabel()  # what was read: encoding, separator, header rows
        self.source.setWordWrap(True)
        # the mapping step: a drop-down under each column of the file
        self.mapping_table = QTableWidget(2, 0)  # the drop-downs, then the first row of data
        self.mapping_table.verticalHeader().hide()
        self.fills_box = QWidget()
        self.fills_form = QFormLayout(self.fills_box)
        self.fills_form.setContentsMargins(0, 0, 0, 0)
        self.fills: dict[str, QLineEdit] = {}
        self.apply_mapping = QPushButton("Á&p dụng ghép cột")
        self.apply_mapping.clicked.connect(self.recheck)
        self.update_existing = QCheckBox("&Cập nhật hồ sơ đã có (mã đã có thì sửa theo tệp, ghi từng thay đổi)")
        self.update_existing.toggled.connect(self.recheck)
        self.preview = QStandardItemModel(0, 0, self)
        self.table = QTableView()
        self.table.setModel(self.preview)
        self.table.verticalHeader().hide()
        self.skip_invalid = QCheckBox("&Bỏ qua các dòng lỗi, chỉ nhập dòng hợp lệ")
        self.skip_invalid.toggled.connect(self._update_buttons)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("&Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(QLabel("Ghép cột của tệp (chọn dưới mỗi cột):"))
        layout.addWidget(self.mapping_table)
        row = QHBoxLayout()
        row.addWidget(self.fills_box, 1)
        row.addWidget(self.apply_mapping)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.update_existing)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.buttons)
        self._update_buttons()

    def choose(self) -> None:
        path = messages.open_path(self, "Chọn tệp hồ sơ", "", "Bảng tính (*.csv *.xlsx *.txt)")
        if path:
            self.load(path)

    # ---- checking ---------------------------------------------------------------------

    def load(self, path: Path, mapping: headers.Mapping | None = None) -> None:
        """Check the file on a worker thread; nothing is written. Without a mapping, the one
        remembered for files of the same shape (the same headers) is used."""
        self._path = path
        self.checked = None
        self.file_label.setText(str(path))
        self.summary.setText("Đang kiểm tra tệp…")
        self._busy(True)
        given = mapping
        update = self.update_existing.isChecked()

        def work(progress):
            store = Store.open(self._db_path)
            try:
                used = given or headers.Mapping()

                def check(m):
                    try:
                        return casefile.check_file(store, path, progress=lambda n: progress(n, 0), mapping=m,
                                                   update=update)
                    except casefile.CaseFileError as exc:
                        return exc

                result = check(used)
                layout = result.layout
                if given is None and layout is not None:
                    saved = store.settings().get(headers.remembered_key(layout.shape))
                    if saved:
                        used = headers.Mapping.from_json(saved)
                        result = check(used)
                return result, used
            finally:
                store.close()

        self._run(work, self._checked, self._check_failed)

    def recheck(self) -> None:
        """Check again with the drop-downs and values as they are now (or the update choice)."""
        if self._path is not None and self.task is None:
            self.load(self._path, self.current_mapping() if self.layout_found else None)

    def current_mapping(self) -> headers.Mapping:
        mapping = headers.Mapping()
        for i in range(self.mapping_table.columnCount()):
            combo = self.mapping_table.cellWidget(0, i)
            if combo is not None:
                mapping.columns[headers.column_letters(i + 1)] = combo.currentData() or IGNORED
        for key, edit in self.fills.items():
            if edit.text().strip():
                mapping.fills[key] = edit.text().strip()
        return mapping

    def _checked(self, outcome) -> None:
        self._busy(False)
        self.checks += 1
        result, self.mapping = outcome
        if isinstance(result, casefile.CaseFileError):
            self.layout_found = result.layout
            self._fill_mapping(result.layout, result.source)
            self.checked = None
            said = "\n".join(map(str, result.problems[:8])).replace(  # in the window: the controls above
                "ghép cột (--map) hoặc ghi giá trị chung (--fill)", "chọn cột ở hàng ghép cột hoặc ghi giá trị chung")
            head = "Không nhập được tệp như đang ghép cột:" if result.layout else "Không đọc được tệp, không nhập gì:"
            self.summary.setText(head + "\n" + said)
            self.preview.clear()
            self._update_buttons()
            return
        checked = result
        self.checked = checked
        self.layout_found = checked.layout
        self._fill_mapping(checked.layout, checked.source)
        n = vnformat.number
        bad = len(checked.bad_rows)
        text = f"{n(checked.total_rows)} dòng; {n(len(checked.cases))} hồ sơ mới"
        if self.update_existing.isChecked():
            text += f"; {n(len(checked.updates))} cập nhật (tô vàng, xem cột Thay đổi); {n(checked.unchanged)} không đổi"
        text += f"; {n(bad)} dòng có lỗi (tô đỏ, xem cột Lỗi)." if bad else "; không có lỗi."
        if checked.warnings:
            text += f" Chú ý: {n(len(checked.warnings))} hồ sơ thuộc quý đã duyệt."
        if checked.ignored_columns:
            text += " Bỏ qua cột: " + ", ".join(checked.ignored_columns) + "."
        if checked.notes:
            text += " " + casefile.notes_text(checked.notes)
        self.summary.setText(text)
        self._fill_preview(checked)
        self._update_buttons()

    def _check_failed(self, message: str) -> None:
        self._busy(False)
        self.summary.setText(f"Không đọc được tệp: {message}")
        self.preview.clear()
        self._update_buttons()

    def _fill_mapping(self, layout: headers.Layout | None, source: str) -> None:
        if layout is None:
            return
        rows = "–".join(map(str, layout.header_rows))
        self.source.setText(f"Đọc: {source}. Dòng tiêu đề: {rows}; dữ liệu từ dòng {layout.first_data_row}.")
        self.mapping_table.clear()
        self.mapping_table.setColumnCount(len(layout.names))
        self.mapping_table.setHorizontalHeaderLabels(
            [f"{headers.column_letters(i + 1)}: {name}" if name else headers.column_letters(i + 1)
             for i, name in enumerate(layout.names)])
        chosen = {i: k for k, i in layout.positions.items()}
        for i in range(len(layout.names)):
            combo = QComboBox()
            combo.addItem("— bỏ qua —", IGNORED)
            for c in casefile.COLUMNS:
                combo.addItem(f"{c.header_vi} ({c.key})", c.key)
            key = chosen.get(i)
            combo.setCurrentIndex(max(0, combo.findData(key)) if key else 0)
            combo.setToolTip("Gợi ý từ tiêu đề: " + (layout.suggested.get(i) or "không rõ"))
            self.mapping_table.setCellWidget(0, i, combo)
            sample = QTableWidgetItem(layout.sample[i] if i < len(layout.sample) else "")
            sample.setFlags(Qt.ItemFlag.ItemIsEnabled)
            sample.setToolTip("Dòng dữ liệu đầu tiên của tệp")
            self.mapping_table.setItem(1, i, sample)
        self.mapping_table.resizeColumnsToContents()
        self.mapping_table.resizeRowsToContents()
        self.mapping_table.setFixedHeight(self.mapping_table.horizontalHeader().sizeHint().height()
                                          + self.mapping_table.rowHeight(0) + self.mapping_table.rowHeight(1)
                                          + self.mapping_table.horizontalScrollBar().sizeHint().height() + 4)
        # one value for the whole file, for each required column the file lacks
        kept = {k: e.text() for k, e in self.fills.items()}
        while self.fills_form.rowCount():
            self.fills_form.removeRow(0)
        self.fills = {}
        for c in casefile.COLUMNS:
            if c.required and c.key not in layout.positions:
                edit = QLineEdit(self.mapping.fills.get(c.key, kept.get(c.key, "")))
                edit.setPlaceholderText("giá trị chung cho mọi dòng của tệp")
                self.fills[c.key] = edit
                self.fills_form.addRow(f"{c.header_vi} (tệp không có cột này):", edit)
        self.fills_box.setVisible(bool(self.fills))

    def _fill_preview(self, checked: casefile.Checked) -> None:
        names = ["Dòng", "Lỗi / chú ý", "Thay đổi (trước → sau)", *[c.header_vi for c in casefile.COLUMNS]]
        self.preview.clear()
        self.preview.setHorizontalHeaderLabels(names)
        problems: dict[int, list[str]] = {}
        for p in checked.problems:
            problems.setdefault(p.row, []).append(f"{p.column}: {p.reason}")
        for p in checked.warnings:
            problems.setdefault(p.row, []).append(f"Chú ý: {p.reason}")
        rows: list[tuple[int, dict, list[str], str]] = [(r, checked.invalid.get(r, {}), msgs, "")
                                                        for r, msgs in problems.items() if r in checked.invalid]
        for u in checked.updates:
            if len(rows) >= PREVIEW_ROWS:
                break
            change = "; ".join(f"{k}: {casefile.shown(k, was)} → {casefile.shown(k, now)}"
                               for k, (was, now) in u["changes"].items())
            rows.append((u["row"], u["case"], problems.get(u["row"], []), change))
        for r, case in zip(checked.rows, checked.cases):
            if len(rows) >= PREVIEW_ROWS:
                break
            rows.append((r, case, [], ""))
        rows.sort(key=lambda t: t[0])
        for r, case, msgs, change in rows:
            items = [QStandardItem(str(r)), QStandardItem("; ".join(msgs)), QStandardItem(change)]
            for c in casefile.COLUMNS:
                v = case.get(c.key)
                if hasattr(v, "strftime"):
                    v = vnformat.date_short(v)
                elif c.key == "channel" and isinstance(v, int):
                    v = casefile.CHANNEL_NAMES[v]
                items.append(QStandardItem("" if v is None else str(v)))
            for it in items:
                it.setEditable(False)
                if r in checked.invalid:
                    it.setBackground(QBrush(BAD))
                elif change:
                    it.setBackground(QBrush(CHANGED))
            self.preview.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 420))
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 420))

    # ---- writing ----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        c = self.checked
        ok = c is not None and bool(c.cases or c.updates) and (not c.problems or self.skip_invalid.isChecked())
        self.import_button.setEnabled(ok and self.task is None)
        if c is not None and c.problems and not self.skip_invalid.isChecked():
            self.import_button.setToolTip("Tệp có dòng lỗi: sửa tệp, hoặc chọn bỏ qua các dòng lỗi.")
        else:
            self.import_button.setToolTip("")

    def start_import(self) -> None:
        if not self.import_button.isEnabled():
            return
        cases = list(self.checked.cases)
        updates = casefile.updates_of(self.checked)
        mapping, shape = self.mapping, self.checked.layout.shape if self.checked.layout else None
        self.summary.setText(f"Đang ghi {vnformat.number(len(cases) + len(updates))} hồ sơ…")
        self._busy(True, maximum=len(cases))

        def work(progress):
            store = Store.open(self._db_path)
            store.sign_in_as(self._actor)  # the worker writes as the signed-in user
            try:
                def counted():
                    for i, c in enumerate(cases, 1):
                        if i % 2000 == 0:
                            progress(i, len(cases))
                        yield c
                # files of the same shape get the same mapping next time
                remember = (headers.remembered_key(shape), mapping.to_json()) if mapping and shape else None
                return operations.import_cases(store, list(counted()), updates, remember).ids
            finally:
                store.close()

        self._run(work, self._imported, self._import_failed)

    def _imported(self, counts: tuple[int, int]) -> None:
        n, u = counts
        self._busy(False)
        text = f"Đã nhập {vnformat.number(n)} hồ sơ."
        if u or self.update_existing.isChecked():
            text = f"Đã nhập {vnformat.number(n)} hồ sơ mới, cập nhật {vnformat.number(u)} hồ sơ."
        self.summary.setText(text)
        self.checked = None
        self._update_buttons()
        self.imported.emit(n + u)

    def _import_failed(self, message: str) -> None:
        self._busy(False)
        self.summary.setText(f"Không nhập hồ sơ nào (cơ sở dữ liệu không đổi): {message}")
        self._update_buttons()

    # ---- the worker -------------------------------------------------------------------

    def _run(self, work, on_done, on_fail) -> None:
        self.task = Task(work, self)
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(on_done)
        self.task.failed_with.connect(lambda exc: on_fail(describe(exc, self._db_path)))  # named by cause
        self.task.finished.connect(lambda task=self.task: self._task_finished(task))
        self.task.start()
        self._update_buttons()

    def _task_finished(self, task: Task) -> None:
        if self.task is task:  # an earlier task ending never clears the one running now
            self.task = None
        self._update_buttons()

    def _busy(self, busy: bool, maximum: int = 0) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, maximum)
        self.progress.setValue(0)

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setFormat(f"{vnformat.number(done)} dòng")

    def closeEvent(self, event) -> None:
        if self.task is not None:
            self.task.wait()
        super().closeEvent(event)

