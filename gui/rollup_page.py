"""Tổng hợp đơn vị: rank the units from the folder of their files, the lists, the draft letter."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QTableView,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from core.queries import rollup
from core.documents import rollup_letter
from core.domain import vnformat
from core.domain.indicators import BY_KEY, DIGITIZED_ON_RECEIPT, RANKED_KEYS, RESULT_DIGITIZED
from gui import messages
from gui.period_picker import PeriodPicker
from gui.tasks import Task

AVERAGE_ROW = "Bình quân chung"


@dataclass
class _Line:
    """A line of the ranking table: the pooled average (``average``) or a unit, with one indicator's entry."""
    rank: int | None
    unit: str
    item: rollup.RateEntry
    average: bool = False
    e_month: int | None = None
    e_year: int | None = None
    overdue: int | None = None
    reminder: int | None = None
    reported: bool = True


class RankingModel(QAbstractTableModel):
    """The ranking: the average row first, then a row per unit; numbers sort as numbers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[_Line] = []
        self.columns: list[tuple[str, callable]] = []
        self.key = "digitized_on_receipt"

    def set_result(self, result: rollup.RollupResult | None, key: str) -> None:
        self.beginResetModel()
        self.key = key
        self.rows = []
        if result:
            self.rows.append(_Line(None, AVERAGE_ROW, result.average.get(key), average=True))
            self.rows += [_Line(r.rank, r.unit, r.indicators.get(key), e_month=r.e_certified_month,
                                e_year=r.e_certified_year, overdue=r.overdue_total, reminder=r.reminder,
                                reported=r.reported) for r in result.units]
        self.columns = [
            ("Hạng", lambda r: r.rank),
            ("Đơn vị", lambda r: r.unit),
            ("Số hồ sơ", lambda r: (r.item.numerator, r.item.denominator)),
            ("Tỷ lệ", lambda r: r.item.rate),
            ("So với tháng trước", lambda r: r.item.change),
            ("So với bình quân chung", lambda r: r.item.gap),
            ("CT điện tử trong tháng", lambda r: r.e_month),
            ("CT điện tử từ đầu năm", lambda r: r.e_year),
            ("Hồ sơ quá hạn", lambda r: r.overdue),
            ("Nhắc nhở lần", lambda r: r.reminder),
        ]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None

    def value(self, row: int, column: int):
        return self.columns[column][1](self.rows[row])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        v = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if v is None:
                return "" if index.column() in (0, 9) or row.average else "—"
            if index.column() == 2:
                return vnformat.fraction(*v)
            if index.column() == 3:
                return vnformat.percent(v, strip=False)
            if index.column() in (4, 5):
                return ("+" if v > 0 else "") + vnformat.decimal(v, 2, strip=False)
            if isinstance(v, int):
                return vnformat.number(v)
            return str(v)
        if role == Qt.ItemDataRole.UserRole:  # the sort key
            return v
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.average:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.average:
                return QBrush(QColor("#e8eef8"))
            if index.column() == 5 and v is not None and v < 0:
                return QBrush(QColor("#fde2e2"))
            if index.column() == 8 and v:
                return QBrush(QColor("#fde2e2"))
        if role == Qt.ItemDataRole.ToolTipRole and not row.average and not row.reported:
            return "Đơn vị chưa báo cáo đủ số liệu của tháng (đến ngày 25)"
        return None


class RankingProxy(QSortFilterProxyModel):
    """Sorts by the numbers, never the text; the average row stays on top either way; no rate sorts last."""

    def lessThan(self, left, right):
        model = self.sourceModel()
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        la, ra = model.rows[left.row()].average, model.rows[right.row()].average
        if la or ra:
            return la if ascending else ra
        a, b = left.data(Qt.ItemDataRole.UserRole), right.data(Qt.ItemDataRole.UserRole)
        if a is None or b is None:
            return (a is not None) if ascending else (a is None and b is not None)
        if isinstance(a, tuple):
            a, b = a[0] / (a[1] or 1), b[0] / (b[1] or 1)
        return a < b


SECTIONS_KEY = "rollup_sections"  # the letter's sections last ticked (a window preference, db/audit.py)


def remembered_sections(store) -> set[str] | None:
    """The letter's sections as last ticked in this office's database, or None when never chosen
    (a section the program no longer has is left out)."""
    value = store.settings().get(SECTIONS_KEY)
    if value is None:
        return None
    return {k for k in value.split(",") if k in rollup_letter.SECTIONS}


class RollupPage(QWidget):
    def __init__(self, store, changes=None, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.store = store
        self.changes = changes
        self._today = today or dt.date.today()
        self.folder: Path | None = None
        self.result: rollup.RollupResult | None = None
        self.letter: rollup_letter.Letter | None = None
        self.task: Task | None = None
        last = self._today.replace(day=1) - dt.timedelta(days=1)
        self.picker = PeriodPicker(self._today, self, kinds=("month",))
        self.picker.set_period("month", last.year, last.month)
        self.folder_button = QPushButton("&Chọn thư mục số liệu các đơn vị…")
        self.folder_button.clicked.connect(lambda: self.choose_folder())
        self.folder_label = QLabel("Chưa chọn thư mục")
        self.folder_label.setWordWrap(True)
        self.run_button = QPushButton("&Tổng hợp")
        self.run_button.clicked.connect(lambda: self.run())
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(260)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.key = QComboBox()
        for k in RANKED_KEYS:
            self.key.addItem(BY_KEY[k].short, k)
        self.key.currentIndexChanged.connect(self.show_result)
        self.model = RankingModel(self)
        self.proxy = RankingProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        ranking = QWidget()
        rl = QVBoxLayout(ranking)
        row = QHBoxLayout()
        row.addWidget(QLabel("Chỉ số:"))
        row.addWidget(self.key)
        row.addStretch()
        rl.addLayout(row)
        rl.addWidget(self.table, 1)

        self.chart_host = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_host)
        self.canvas = None
        self.figure = None

        self.lists = QPlainTextEdit()
        self.lists.setReadOnly(True)

        self.letter_text = QPlainTextEdit()
        self.letter_text.setStyleSheet("font-size: 14px")
        self.docx_button = QPushButton("Lưu công văn &DOCX…")
        self.docx_button.clicked.connect(lambda: self.save_letter(".docx"))
        self.pdf_button = QPushButton("Lưu công văn &PDF…")
        self.pdf_button.clicked.connect(lambda: self.save_letter(".pdf"))
        # what the letter contains: the chairman's choice, remembered in the office's database
        # (seed 001's content ticked until one is made)
        self.section_boxes: dict[str, QCheckBox] = {}
        sections_box = QGridLayout()
        remembered = remembered_sections(store)
        for i, (key, (label, on)) in enumerate(rollup_letter.SECTIONS.items()):
            box = QCheckBox(label)
            box.setChecked(on if remembered is None else key in remembered)
            box.toggled.connect(lambda _on, k=key: self._sections_changed(k))
            self.section_boxes[key] = box
            sections_box.addWidget(box, i // 2, i % 2)
        self.names_button = QPushButton("Tê&n đơn vị…")
        self.names_button.setToolTip("Đặt tên từng đơn vị theo tệp số liệu của đơn vị (được nhớ cho lần sau): "
                                     "công văn không in tên tệp")
        self.names_button.clicked.connect(lambda: self.edit_names())
        letter_tab = QWidget()
        ll = QVBoxLayout(letter_tab)
        ll.addWidget(QLabel("Nội dung công văn:"))
        ll.addLayout(sections_box)
        ll.addWidget(QLabel("Dự thảo công văn (sửa trực tiếp; *chữ nghiêng* giữa hai dấu sao; "
                            "mỗi đoạn cách nhau một dòng trống):"))
        ll.addWidget(self.letter_text, 1)
        lb = QHBoxLayout()
        lb.addWidget(self.names_button)
        lb.addStretch()
        lb.addWidget(self.docx_button)
        lb.addWidget(self.pdf_button)
        ll.addLayout(lb)

        self.tabs = QTabWidget()
        self.tabs.addTab(ranking, "Xếp hạng")
        self.tabs.addTab(self.chart_host, "Biểu đồ")
        self.tabs.addTab(self.lists, "Danh sách")
        self.tabs.addTab(letter_tab, "Dự thảo công văn")
        self.tabs.currentChanged.connect(lambda _: self.show_chart())

        self.xlsx_button = QPushButton("Xuất &XLSX…")
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.averages_button = QPushButton("Ghi tệp &bình quân chung…")
        self.averages_button.clicked.connect(lambda: self.export_averages())
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addWidget(self.folder_button)
        top.addWidget(self.run_button)
        top.addWidget(self.progress)
        top.addStretch()
        second = QHBoxLayout()
        second.addWidget(self.folder_label, 1)
        second.addWidget(self.xlsx_button)
        second.addWidget(self.averages_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._enable()

    def _enable(self) -> None:
        done = self.result is not None
        for b in (self.xlsx_button, self.averages_button):
            b.setEnabled(done)
        for b in (self.docx_button, self.pdf_button):
            b.setEnabled(done and self.letter is not None)
        self.names_button.setEnabled(done)
        self.run_button.setEnabled(self.folder is not None and self.task is None)

    # ---- running -------------------------------------------------------------------------

    def choose_folder(self, folder: Path | None = None) -> None:
        folder = folder or messages.open_folder(self, "Thư mục chứa số liệu các đơn vị",
                                                str(self.folder or Path.home()))
        if folder is None:
            return
        self.folder = Path(folder)
        files, _ = rollup.sources([self.folder])
        self.folder_label.setText(f"Thư mục: {self.folder} ({vnformat.padded(len(files))} tệp số liệu)")
        self._enable()

    @property
    def ops(self):
        """The window's runner of operations (one of our own when the page stands alone)."""
        if self.changes is None or getattr(self.changes, "runner", None) is None:
            from gui.operations import OpRunner
            from gui.undo import Changes

            if self.changes is None:
                self.changes = Changes(self)
            OpRunner(self.store, self.changes, None, self.window())
        return self.changes.runner

    def run(self) -> Task | None:
        """Read the units and keep the reminders on the one worker (its own connection to this
        office's file); the result comes back to this thread."""
        if self.folder is None or self.task is not None:
            return None
        _, period = self.picker.current()
        folder, today = self.folder, self._today
        names = rollup.unit_names(self.store)
        departments = "reminders_departments" in self.sections
        import core.ops as operations

        def work(store, progress):
            def step(done: int, total: int, _name: str) -> None:
                # a few dozen signals, not one per unit: PySide6 6.12 on Python 3.11 drops a reference to
                # True on every emit, and a few thousand emits bring the interpreter down
                if done == total or done % max(1, total // 40) == 0:
                    progress(done, total)

            result = rollup.rollup([folder], period, today=today, known=rollup.known_units(store, period),
                                   progress=step, names=names)
            if result.units:
                operations.record_rollup_quietly(store, result, departments)
            return result

        runner = self.ops
        if not runner.run_long(work, on_done=self._done, progress=self._progressed):
            return None
        self.task = runner.task
        self.task.failed.connect(self._failed)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Đang đọc số liệu các đơn vị…")
        self._enable()
        return self.task

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Đang đọc số liệu đơn vị {vnformat.number(done)}/{vnformat.number(total)}…")

    def _failed(self, text: str) -> None:  # the runner has told the user why
        self.task = None
        self.progress.setVisible(False)
        self.status.setText(f"Không tổng hợp được: {text}")
        self._enable()

    def _done(self, result: rollup.RollupResult) -> None:
        self.task = None
        self.progress.setVisible(False)
        if not result.units:
            self.result = None
            self._enable()
            self.status.setText("")
            messages.error(self, "Không đọc được số liệu của đơn vị nào trong thư mục này.")
            return
        self.result = result
        self.redraft()
        self.status.setText(f"{result.period.label.capitalize()}: {vnformat.padded(len(result.units))} đơn vị; "
                            f"{vnformat.padded(len(result.not_reported))} đơn vị chưa báo cáo.")
        self.show_result()
        self._enable()

    # ---- the letter: its sections, the units' names ------------------------------------------

    @property
    def sections(self) -> set[str]:
        return {k for k, box in self.section_boxes.items() if box.isChecked()}

    def redraft(self) -> None:
        """The draft from the result with the sections ticked; while a unit is known only by a file name
        that looks like a code, no draft (a letter never prints one) and the page says what to do."""
        self.letter = None
        if self.result is not None:
            try:
                self.letter = rollup_letter.draft(self.result, self.store.settings(), today=self._today,
                                                  sections=self.sections)
            except rollup.UnnamedUnits as exc:
                self.letter_text.setPlainText(f"Chưa soạn được công văn: {exc}")
            else:
                self.letter_text.setPlainText(rollup_letter.as_text(self.letter))
        self._enable()

    def _sections_changed(self, key: str) -> None:
        import core.ops as operations
        from db.errors import StoreError

        try:  # the choice kept for the next letter, on this desk and the others
            operations.remember(self.store, SECTIONS_KEY,
                                ",".join(k for k in rollup_letter.SECTIONS if k in self.sections))
        except StoreError:
            pass  # only a preference (a file opened read-only): the letter itself is drafted as ticked
        if self.result is None:
            return
        if key == "reminders_departments":  # the reminders kept are those the letter gives
            from functools import partial

            self.ops.run(partial(operations.record_rollup_quietly, result=self.result,
                                 departments="reminders_departments" in self.sections),
                         undoable=False, initiator=self)
        self.redraft()

    def edit_names(self, names: dict[str, str] | None = None) -> bool:
        """The units' names by their files (a dialog, or ``names`` given): remembered, then ranked again."""
        if self.result is None:
            return False
        rows = [(r.file or r.unit, r.unit) for r in self.result.units]
        rows += [(Path(m.source).name if m.source else m.unit, m.unit) for m in self.result.not_reported]
        if names is None:
            names = names_dialog(self, rows)
            if names is None:
                return False
        import core.ops as operations
        from functools import partial

        if not self.ops.run(partial(operations.set_rollup_unit_names, names=names), undoable=False, initiator=self):
            return False
        self.run()
        return True

    # ---- showing -------------------------------------------------------------------------

    def show_result(self) -> None:
        key = self.key.currentData()
        self.model.set_result(self.result, key)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.lists.setPlainText(lists_text(self.result) if self.result else "")
        self.show_chart()

    def show_chart(self) -> None:
        if self.result is None or self.tabs.currentWidget() is not self.chart_host:
            return
        from core.documents.charts import units_chart

        key = self.key.currentData()
        target = self.store.target(key, self.result.period.end)
        self.figure = units_chart(self.result, key, BY_KEY[key].target if target is None else target)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        if self.canvas is not None:
            self.chart_layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.chart_layout.addWidget(self.canvas)

    # ---- saving --------------------------------------------------------------------------

    def edited_letter(self) -> rollup_letter.Letter:
        """The draft with the paragraphs as the user edited them."""
        letter = self.letter
        return rollup_letter.Letter(**{**letter.__dict__,
                                       "paragraphs": rollup_letter.from_text(self.letter_text.toPlainText())})

    def save_letter(self, suffix: str, path: Path | None = None) -> Path | None:
        if self.letter is None:
            return None
        code = self.result.period.code
        path = path or messages.save_path(self, "Lưu dự thảo công văn", f"cong-van-tong-hop-{code}{suffix}",
                                          "Word (*.docx)" if suffix == ".docx" else "PDF (*.pdf)")
        if path is None:
            return None
        from core.cli import rollup as rollup_cmd

        if not messages.save_file(self, path, rollup_cmd.render(suffix, self.result, self.edited_letter())):
            return None
        messages.info(self, f"Đã lưu dự thảo công văn vào {path}.")
        return path

    def export_xlsx(self, path: Path | None = None) -> Path | None:
        if self.result is None:
            return None
        from core.cli import rollup as rollup_cmd

        path = path or messages.save_path(self, "Xuất bảng xếp hạng",
                                          f"xep-hang-{self.result.period.code}.xlsx", "Excel (*.xlsx)")
        if path is None:
            return None
        if not messages.save_file(self, path, rollup_cmd.xlsx(self.result, self.edited_letter())):
            return None
        messages.info(self, f"Đã xuất bảng xếp hạng ra {path}.")
        return path

    def export_averages(self, path: Path | None = None) -> Path | None:
        if self.result is None:
            return None
        path = path or messages.save_path(self, "Ghi mức bình quân chung cho các đơn vị",
                                          f"binh-quan-chung-{self.result.period.code}.json",
                                          "Mức bình quân chung (*.json)")
        if path is None:
            return None
        if not messages.save_file(self, path, rollup.averages_file(self.result,
                                                                    rollup.unit_name(self.store.settings(), ""))):
            return None
        messages.info(self, f"Đã ghi mức bình quân chung vào {path}: gửi tệp này cho các đơn vị để nhập "
                            "vào Bảng điều hành.")
        return path


def names_dialog(parent, rows: list[tuple[str, str]]) -> dict[str, str] | None:
    """A table of the units' files and names to type; the names changed, or None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Tên đơn vị")
    table = QTableWidget(len(rows), 2, dialog)
    table.setHorizontalHeaderLabels(["Tệp số liệu", "Tên đơn vị trong công văn"])
    for i, (file, name) in enumerate(rows):
        item = QTableWidgetItem(file)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(i, 0, item)
        table.setItem(i, 1, QTableWidgetItem("" if rollup.looks_like_code(name) else name))
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Gõ tên từng đơn vị như công văn viết (UBND xã …, Phòng …); tên được nhớ cho lần sau."))
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(720, 420)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    out = {}
    for i, (file, name) in enumerate(rows):
        typed = " ".join((table.item(i, 1).text() if table.item(i, 1) else "").split())
        if typed and typed != name:
            out[file] = typed
    return out


def lists_text(result: rollup.RollupResult) -> str:
    """The lists of the letter as plain text for the 'Danh sách' tab."""
    n = vnformat.padded
    out = []
    good = rollup.praised(result)
    out.append(f"ĐẠT 100% CẢ HAI TỶ LỆ SỐ HOÁ ({n(len(good))})")
    for r in good:
        a, b = r.indicators.digitized_on_receipt, r.indicators.result_digitized
        out.append(f"  {r.unit}: tiếp nhận {vnformat.fraction(a.numerator, a.denominator)}, "
                   f"số hoá kết quả {vnformat.fraction(b.numerator, b.denominator)}")
    for key in (DIGITIZED_ON_RECEIPT.key, RESULT_DIGITIZED.key):
        rising, falling = rollup.below_average(result, key)
        for title, rows in (("tăng so với tháng trước", rising), ("không tăng so với tháng trước", falling)):
            out.append("")
            out.append(f"{BY_KEY[key].short.upper()}: THẤP HƠN BÌNH QUÂN CHUNG, {title.upper()} "
                       f"({n(len(rows))})")
            for r in rows:
                item = r.indicators.get(key)
                out.append(f"  {r.unit}: {vnformat.percent(item.rate)}, "
                           f"{vnformat.change(item.change)}, thấp hơn {vnformat.percent(-item.gap)}")
    year, month = rollup.without_e_certification(result)
    out += ["", f"CHƯA CHỨNG THỰC ĐIỆN TỬ TỪ ĐẦU NĂM ({n(len(year))})"] + [f"  {r.unit}" for r in year]
    out += ["", f"KHÔNG CHỨNG THỰC ĐIỆN TỬ TRONG THÁNG ({n(len(month))})"] + [f"  {r.unit}" for r in month]
    over = rollup.overdue_units(result)
    out += ["", f"HỒ SƠ QUÁ HẠN ({n(len(over))} đơn vị)"]
    for r in over:
        number = r.reminder
        fields = ", ".join(f"{o.field}: {n(o.count)}" for o in r.overdue)
        out.append(f"  {r.unit}: {n(r.overdue_total)} hồ sơ ({fields})"
                   + (f" — nhắc nhở lần {rollup_letter.ordinal(number)}" if number else ""))
    out += ["", f"CHƯA BÁO CÁO ({n(len(result.not_reported))})"]
    out += [f"  {m.unit}: {m.reason}" for m in result.not_reported]
    if result.duplicates:
        out += ["", f"NGUỒN TRÙNG, CHỈ TÍNH MỘT LẦN ({n(len(result.duplicates))})"]
        out += [f"  {d.unit}: {d.source} — {d.reason}" for d in result.duplicates]
    return "\n".join(out)
