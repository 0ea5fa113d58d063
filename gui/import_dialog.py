"""Import from the window: check on a worker thread, preview rows and problems, then write."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QTableView, QVBoxLayout)

from core import casefile, vnformat
from db.store import Store
from gui import messages
from core import operations as ops
from gui.operations import describe
from gui.tasks import Task

PREVIEW_ROWS = 1000
BAD = QColor("#f8d7da")


class ImportDialog(QDialog):
    imported = Signal(int)

    def __init__(self, db_path: Path, parent=None, actor: dict | None = None):
        super().__init__(parent)
        self._actor = actor
        self.setWindowTitle("Nhập hồ sơ từ tệp")
        self.resize(1000, 600)
        self._db_path = db_path
        self._path: Path | None = None
        self.checked: casefile.Checked | None = None
        self.task: Task | None = None

        self.file_label = QLabel("Chưa chọn tệp (.csv hoặc .xlsx).")
        choose = QPushButton("&Chọn tệp…")
        choose.clicked.connect(self.choose)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
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
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.buttons)
        self._update_buttons()

    def choose(self) -> None:
        path = messages.open_path(self, "Chọn tệp hồ sơ", "", "Bảng tính (*.csv *.xlsx)")
        if path:
            self.load(path)

    # ---- checking ---------------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Check the file on a worker thread; nothing is written."""
        self._path = path
        self.checked = None
        self.file_label.setText(str(path))
        self.summary.setText("Đang kiểm tra tệp…")
        self._busy(True)

        def work(progress):
            store = Store.open(self._db_path)
            try:
                return casefile.check_file(store, path, progress=lambda n: progress(n, 0))
            finally:
                store.close()

        self._run(work, self._checked, self._check_failed)

    def _checked(self, checked: casefile.Checked) -> None:
        self._busy(False)
        self.checked = checked
        n = vnformat.number
        bad = len(checked.bad_rows)
        text = f"{n(checked.total_rows)} dòng; {n(len(checked.cases))} hợp lệ"
        text += f"; {n(bad)} dòng có lỗi (tô đỏ, xem cột Lỗi)." if bad else "; không có lỗi."
        if checked.ignored_columns:
            text += " Bỏ qua cột: " + ", ".join(checked.ignored_columns) + "."
        self.summary.setText(text)
        self._fill_preview(checked)
        self._update_buttons()

    def _check_failed(self, message: str) -> None:
        self._busy(False)
        self.summary.setText(f"Không đọc được tệp: {message}")
        self.preview.clear()
        self._update_buttons()

    def _fill_preview(self, checked: casefile.Checked) -> None:
        headers = ["Dòng", "Lỗi", *[c.header_vi for c in casefile.COLUMNS]]
        self.preview.clear()
        self.preview.setHorizontalHeaderLabels(headers)
        problems: dict[int, list[str]] = {}
        for p in checked.problems:
            problems.setdefault(p.row, []).append(f"{p.column}: {p.reason}")
        rows: list[tuple[int, dict, list[str]]] = [(r, checked.invalid.get(r, {}), msgs)
                                                   for r, msgs in problems.items()]
        for r, case in zip(checked.rows, checked.cases):
            if len(rows) >= PREVIEW_ROWS:
                break
            rows.append((r, case, []))
        rows.sort(key=lambda t: t[0])
        for r, case, msgs in rows:
            items = [QStandardItem(str(r)), QStandardItem("; ".join(msgs))]
            for c in casefile.COLUMNS:
                v = case.get(c.key)
                if hasattr(v, "strftime"):
                    v = vnformat.date_short(v)
                elif c.key == "channel" and isinstance(v, int):
                    v = casefile.CHANNEL_NAMES[v]
                items.append(QStandardItem("" if v is None else str(v)))
            for it in items:
                it.setEditable(False)
                if msgs:
                    it.setBackground(QBrush(BAD))
            self.preview.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 420))

    # ---- writing ----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        c = self.checked
        ok = c is not None and bool(c.cases) and (not c.problems or self.skip_invalid.isChecked())
        self.import_button.setEnabled(ok and self.task is None)
        if c is not None and c.problems and not self.skip_invalid.isChecked():
            self.import_button.setToolTip("Tệp có dòng lỗi: sửa tệp, hoặc chọn bỏ qua các dòng lỗi.")
        else:
            self.import_button.setToolTip("")

    def start_import(self) -> None:
        if not self.import_button.isEnabled():
            return
        cases = list(self.checked.cases)
        self.summary.setText(f"Đang ghi {vnformat.number(len(cases))} hồ sơ…")
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
                return ops.import_cases(store, counted()).id
            finally:
                store.close()

        self._run(work, self._imported, self._import_failed)

    def _imported(self, n: int) -> None:
        self._busy(False)
        self.summary.setText(f"Đã nhập {vnformat.number(n)} hồ sơ.")
        self.checked = None
        self._update_buttons()
        self.imported.emit(n)

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
        self.task.finished.connect(self._task_finished)
        self.task.start()
        self._update_buttons()

    def _task_finished(self) -> None:
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
