"""Import from the window: check on a worker thread, map the columns, preview rows, problems and
updates (was → now), then write all in one transaction."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout,
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
        # a yes/no column the file lacks: unknown, unless she gives every row one value (§2.1 "giá trị chung")
        self.flag_fills_box = QWidget()
        self.flag_fills_grid = QGridLayout(self.flag_fills_box)
        self.flag_fills_grid.setContentsMargins(0, 0, 0, 0)
        self.flag_fills: dict[str, QComboBox] = {}
        # the value mapping step: each value the program does not know -> what it means (issue 24)
        self.values_label = QLabel("Giá trị chưa rõ nghĩa (chọn nghĩa của từng giá trị rồi bấm Áp dụng):")
        self.values_table = QTableWidget(0, 4)
        self.values_table.setHorizontalHeaderLabels(["Cột trong tệp", "Giá trị trong tệp", "Số dòng", "Nghĩa"])
        self.values_table.verticalHeader().hide()
        self._value_rows: list[tuple[str, str]] = []  # (key, value as the file writes it) of each row
        # the people and procedures of the file the office does not know yet
        self.people_label = QLabel()
        self.people_label.setWordWrap(True)
        self.people_box = QWidget()
        self.people_form = QGridLayout(self.people_box)  # three officers a row: the preview keeps its height
        self.people_form.setContentsMargins(0, 0, 0, 0)
        self.people: dict[str, QComboBox] = {}
        self.apply_mapping = QPushButton("Á&p dụng ghép cột và nghĩa giá trị")
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
        layout.addWidget(self.flag_fills_box)
        layout.addWidget(self.values_label)
        layout.addWidget(self.values_table)
        layout.addWidget(self.people_label)
        layout.addWidget(self.people_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.update_existing)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.buttons)
        self.resolve: dict[str, str] = {}  # code -> "keep" | "take", chosen after a stale preview
        self.rejected_file: Path | None = None  # where the rows left out were kept
        for w in (self.values_label, self.values_table, self.people_label, self.people_box):
            w.hide()
        self._update_buttons()

    def choose(self) -> None:
        path = messages.open_path(self, "Chọn tệp hồ sơ", "", "Bảng tính (*.csv *.xlsx *.txt)")
        if path:
            self.load(path)

    # ---- checking ---------------------------------------------------------------------

    def load(self, path: Path, mapping: headers.Mapping | None = None) -> None:
        """Check the file on a worker thread; nothing is written. Without a mapping, the one
        remembered for files of the same shape (the same headers) is used."""
        if path != self._path:  # "Bỏ qua các dòng lỗi" is chosen for one file, never carried to the next
            self.skip_invalid.setChecked(False)
            self.resolve = {}
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
        for key, combo in self.flag_fills.items():
            if combo.currentData() is not None:
                mapping.fills[key] = combo.currentData()
        for key, said in self.mapping.values.items():  # what was said before stays said
            if key != "officer":
                mapping.values[key] = dict(said)
        for i, (key, raw) in enumerate(self._value_rows):
            combo = self.values_table.cellWidget(i, 3)
            if combo is not None and combo.currentData() is not None:
                mapping.say(key, raw, combo.currentData())
        for name, combo in self.people.items():
            if combo.currentData():
                mapping.say("officer", name, combo.currentData())
        return mapping

    def _checked(self, outcome) -> None:
        self._busy(False)
        self.checks += 1
        result, self.mapping = outcome
        if isinstance(result, casefile.CaseFileError):
            self.layout_found = result.layout
            self._fill_mapping(result.layout, result.source)
            self.checked = None
            said = "\n".join(p.text for p in result.problems[:8])  # the column as the file shows it
            head = "Không nhập được tệp như đang ghép cột:" if result.layout else "Không đọc được tệp, không nhập gì:"
            self.summary.setText(head + "\n" + said)
            self.preview.clear()
            self._fill_values(None)
            self._fill_people(None)
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
        text += self._not_fed(checked)
        self.summary.setText(text)
        self._fill_values(checked)
        self._fill_people(checked)
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
                combo.addItem(c.header_vi, c.key)
            key = chosen.get(i)
            combo.setCurrentIndex(max(0, combo.findData(key)) if key else 0)
            hint = layout.suggested.get(i)
            combo.setToolTip("Gợi ý từ tiêu đề: " + (casefile.title(hint) if hint and hint in casefile.KEYS
                                                      else "bỏ qua" if hint else "không rõ"))
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
        kept_flags = {k: c.currentData() for k, c in self.flag_fills.items()}
        while self.flag_fills_grid.count():
            item = self.flag_fills_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.flag_fills = {}
        missing = [c for c in casefile.COLUMNS if c.key in casefile.FLAG_KEYS and c.key not in layout.positions]
        for i, c in enumerate(missing):
            combo = QComboBox()
            combo.addItem("theo danh mục thủ tục, còn lại chưa rõ" if c.key == "has_fee" else "chưa rõ (để trống)",
                          None)
            combo.addItem("Có, cho mọi dòng", "1")
            combo.addItem("Không, cho mọi dòng", "0")
            said = self.mapping.fills.get(c.key, kept_flags.get(c.key))
            combo.setCurrentIndex(max(0, combo.findData(said)) if said is not None else 0)
            self.flag_fills[c.key] = combo
            self.flag_fills_grid.addWidget(QLabel(f"{c.header_vi} (tệp không có cột):"), i // 3, (i % 3) * 2)
            self.flag_fills_grid.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        self.flag_fills_box.setVisible(bool(missing))

    def _fill_preview(self, checked: casefile.Checked) -> None:
        layout = checked.layout
        names = ["Dòng", "Lỗi / chú ý", "Thay đổi (trước → sau)",
                 *[casefile.title(c.key, layout) for c in casefile.COLUMNS]]
        self.preview.clear()
        self.preview.setHorizontalHeaderLabels(names)
        problems: dict[int, list[str]] = {}
        for p in checked.problems:
            problems.setdefault(p.row, []).append(f"{p.title or casefile.title(p.column, layout)}: {p.reason}")
        for p in checked.warnings:
            problems.setdefault(p.row, []).append(f"Chú ý: {p.reason}")
        rows: list[tuple[int, dict, list[str], str]] = [(r, checked.invalid.get(r, {}), msgs, "")
                                                        for r, msgs in problems.items() if r in checked.invalid]
        for u in checked.updates:
            if len(rows) >= PREVIEW_ROWS:
                break
            change = "; ".join(f"{casefile.title(k, layout)}: {casefile.shown_value(k, was)} → "
                               f"{casefile.shown_value(k, now)}" for k, (was, now) in u["changes"].items())
            rows.append((u["row"], u["case"], problems.get(u["row"], []), change))
        for r, case in zip(checked.rows, checked.cases):
            if len(rows) >= PREVIEW_ROWS:
                break
            rows.append((r, case, [], ""))
        rows.sort(key=lambda t: t[0])
        new_procedures, new_officers = set(checked.new_procedures), set(checked.new_officers)
        for r, case, msgs, change in rows:
            items = [QStandardItem(str(r)), QStandardItem("; ".join(msgs)), QStandardItem(change)]
            valid = r not in checked.invalid
            for c in casefile.COLUMNS:
                v = case.get(c.key)
                if hasattr(v, "strftime"):
                    v = vnformat.date_short(v)
                elif c.key == "channel" and isinstance(v, int):
                    v = casefile.CHANNEL_NAMES[v]
                elif c.key in casefile.FLAG_KEYS and valid:
                    v = casefile.shown_value(c.key, v)  # "chưa rõ", never an empty "no"
                elif c.key == "status" and valid:
                    v = casefile.STATUS_NAMES.get(v, "")
                elif valid and (c.key == "procedure" and v in new_procedures
                                or c.key == "officer" and v in new_officers):
                    v = f"{v} (mới)"
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

    @staticmethod
    def _not_fed(checked: casefile.Checked) -> str:
        """Which indicators the file cannot feed (its yes/no columns missing), said before anything is written."""
        from core.domain.indicators import BY_KEY

        fed_by = {"digitized": "digitized_on_receipt", "result_digitized": "result_digitized",
                  "has_fee": "paid_online", "paid_online": "paid_online", "e_certified": "e_certified"}
        missing = [k for k in checked.missing_flags if not (k == "has_fee" and checked.fee_from_catalogue)]
        text = ""
        if missing:
            columns = ", ".join(f"«{casefile.title(k)}»" for k in missing)
            names = []
            for k in missing:
                name = BY_KEY[fed_by[k]].short
                if name not in names:
                    names.append(name)
            text += (f" Tệp không có cột {columns}: các hồ sơ của tệp chưa có số liệu cho "
                     f"{', '.join(names)} (để trống là chưa rõ, không tính là «không»).")
        if checked.fee_from_catalogue:
            text += (f" Có phí, lệ phí lấy theo danh mục thủ tục cho "
                     f"{vnformat.number(checked.fee_from_catalogue)} hồ sơ.")
        return text

    def _fill_values(self, checked: casefile.Checked | None) -> None:
        """The value mapping step: each value the program does not know, its count, and a choice of meaning."""
        self._value_rows = []
        found = checked.unknown_values if checked is not None else {}
        rows = [(key, raw, count) for key, values in found.items() for raw, (count, _) in values.items()]
        self.values_table.setRowCount(len(rows))
        for i, (key, raw, count) in enumerate(rows):
            self._value_rows.append((key, raw))
            for j, text in enumerate((casefile.title(key, checked.layout), raw, vnformat.number(count))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.values_table.setItem(i, j, item)
            combo = QComboBox()
            combo.addItem("— chọn nghĩa —", None)
            for meaning, label in casefile.MEANINGS[key].items():
                combo.addItem(label, meaning)
            self.values_table.setCellWidget(i, 3, combo)
        self.values_table.resizeColumnsToContents()
        self.values_table.resizeRowsToContents()
        shown = min(len(rows), 5)
        self.values_table.setFixedHeight(self.values_table.horizontalHeader().sizeHint().height() + 4
                                         + sum(self.values_table.rowHeight(i) for i in range(shown)))
        self.values_label.setVisible(bool(rows))
        self.values_table.setVisible(bool(rows))

    def _fill_people(self, checked: casefile.Checked | None) -> None:
        """New procedures and officers, marked as new; each new officer may be one the office has."""
        while self.people_form.count():
            item = self.people_form.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.people = {}
        self.people_labels: dict[str, QLabel] = {}
        if checked is None or not (checked.new_procedures or checked.new_officers or checked.links):
            self.people_label.hide()
            self.people_box.hide()
            return
        parts = []
        if checked.new_procedures:
            parts.append("Thủ tục mới, chưa có trong danh mục (sẽ được thêm): " + ", ".join(checked.new_procedures))
        if checked.links:
            parts.append("Gắn tài khoản người dùng với cán bộ cùng tên: " + ", ".join(checked.links))
        if checked.new_officers:
            parts.append("Cán bộ mới (sẽ được thêm, trừ khi chọn là một cán bộ đã có):")
        self.people_label.setText("\n".join(parts))
        self.people_label.show()
        store = Store.open(self._db_path)
        try:
            officers = [o["name"] for o in store.officers()]
        finally:
            store.close()
        for i, name in enumerate(checked.new_officers):
            combo = QComboBox()
            combo.addItem("— cán bộ mới —", None)
            for o in officers:
                combo.addItem(o, o)
            self.people[name] = combo
            label = QLabel(f"{name} (mới):")
            self.people_labels[name] = label
            self.people_form.addWidget(label, i // 3, (i % 3) * 2)
            self.people_form.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        self.people_box.setVisible(bool(self.people))

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
        previewed, links, resolve = list(self.checked.updates), dict(self.checked.links), dict(self.resolve)
        mapping, shape = self.mapping, self.checked.layout.shape if self.checked.layout else None
        self._writing = (self.checked, shape, mapping)
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
                # what was previewed is read again under the write lock: another desk's change is not overwritten
                return operations.import_cases(store, list(counted()), updates, remember, previewed=previewed,
                                               resolve=resolve, links=links).ids
            finally:
                store.close()

        self._run(work, self._imported, self._import_failed, self._conflicted)

    def _imported(self, counts: tuple[int, int]) -> None:
        n, u = counts
        self._busy(False)
        text = f"Đã nhập {vnformat.number(n)} hồ sơ."
        if u or self.update_existing.isChecked():
            text = f"Đã nhập {vnformat.number(n)} hồ sơ mới, cập nhật {vnformat.number(u)} hồ sơ."
        checked = self._writing[0] if getattr(self, "_writing", None) else None
        if checked is not None and checked.problems and self._path is not None:
            text += " " + self._keep_rejected(checked)
        self.summary.setText(text)
        self.checked = None
        self.resolve = {}
        self.skip_invalid.setChecked(False)  # chosen for this file only
        self._update_buttons()
        self.imported.emit(n + u)

    def _keep_rejected(self, checked: casefile.Checked) -> str:
        """The rows left out, kept beside the file (or where she chooses) with a column "Lỗi"."""
        out = casefile.rejected_path(self._path)
        for attempt in range(2):
            try:
                n = casefile.write_rejected(self._path, checked, out)
                self.rejected_file = out
                return (f"{vnformat.number(n)} dòng lỗi không nhập được lưu ở {out} (cột «Lỗi» ghi lý do): sửa "
                        "rồi nhập riêng tệp đó.")
            except (OSError, casefile.CaseFileError):
                if attempt:
                    break
                chosen = messages.save_path(self, "Lưu các dòng lỗi vào", str(out.name), "Bảng tính (*.xlsx)")
                if not chosen:
                    break
                out = Path(chosen)
        return "Các dòng lỗi chưa được lưu ra tệp."

    def _import_failed(self, message: str) -> None:
        self._busy(False)
        self.summary.setText(f"Không nhập hồ sơ nào (cơ sở dữ liệu không đổi): {message}")
        self._remember_mapping()  # what she said of the columns and values is kept for the next try
        self._update_buttons()

    def _remember_mapping(self) -> None:
        writing = getattr(self, "_writing", None)
        if not writing or not writing[1] or not writing[2]:
            return
        _, shape, mapping = writing
        try:
            store = Store.open(self._db_path)
            try:
                store.sign_in_as(self._actor)
                operations.remember(store, headers.remembered_key(shape), mapping.to_json())
            finally:
                store.close()
        except Exception:  # noqa: BLE001  (the database is what failed: the dialog keeps the mapping anyway)
            pass

    def _conflicted(self, exc) -> bool:
        """Cases another desk changed since the preview: she sees which, with both values, and chooses."""
        if not isinstance(exc, operations.ImportConflict):
            return False
        self._busy(False)
        choice = choose_conflicts(self, exc.conflicts)
        if choice is None:
            self.summary.setText("Không nhập hồ sơ nào (cơ sở dữ liệu không đổi): " + str(exc))
            self._update_buttons()
            return True
        self.resolve.update(choice)
        self._update_buttons()
        self.start_import()
        return True

    # ---- the worker -------------------------------------------------------------------

    def _run(self, work, on_done, on_fail, on_conflict=None) -> None:
        self.task = Task(work, self)
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(on_done)

        def failed(exc) -> None:
            if on_conflict is not None:
                self.task = None
                if on_conflict(exc):
                    return
            on_fail(describe(exc, self._db_path))  # named by cause
        self.task.failed_with.connect(failed)
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



class ConflictDialog(QDialog):
    """Cases another desk changed since the preview: each with its values now and the file's; for each,
    keep theirs (the default: nothing is overwritten by surprise) or take the file's."""

    def __init__(self, conflicts: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Hồ sơ vừa được người khác sửa")
        self.conflicts = conflicts
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Mã hồ sơ", "Cột", "Máy khác đã ghi", "Trong tệp"])
        self.table.verticalHeader().hide()
        self.choices: dict[str, QComboBox] = {}
        rows = []
        for c in conflicts:
            changes = c["changes"] or {"": ("(đã bị xoá)", "")}
            for key, (theirs, mine) in changes.items():
                rows.append((c["code"], key, theirs, mine))
        self.table.setRowCount(len(rows))
        for i, (code, key, theirs, mine) in enumerate(rows):
            cells = (code, casefile.title(key) if key else "", casefile.shown_value(key, theirs) if key else theirs,
                     casefile.shown_value(key, mine) if key else mine)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        form = QFormLayout()
        for c in conflicts:
            combo = QComboBox()
            combo.addItem("Giữ giá trị máy khác đã ghi", "keep")
            if c["changes"]:
                combo.addItem("Lấy giá trị trong tệp", "take")
            self.choices[c["code"]] = combo
            form.addRow(f"{c['code']}:", combo)
        keep_all = QPushButton("Giữ &tất cả giá trị của máy khác")
        keep_all.clicked.connect(lambda: self.choose_all("keep"))
        take_all = QPushButton("&Lấy tất cả theo tệp")
        take_all.clicked.connect(lambda: self.choose_all("take"))
        buttons = QDialogButtonBox()
        buttons.addButton("&Nhập tiếp", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Huỷ", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(conflicts)} hồ sơ đã được người khác sửa sau khi xem trước. Chưa ghi gì. "
                                "Chọn cho từng hồ sơ:"))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(keep_all)
        row.addWidget(take_all)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def choose_all(self, choice: str) -> None:
        for combo in self.choices.values():
            i = combo.findData(choice)
            if i >= 0:
                combo.setCurrentIndex(i)

    def choice(self) -> dict[str, str]:
        return {code: combo.currentData() for code, combo in self.choices.items()}


def choose_conflicts(parent, conflicts: list[dict]) -> dict[str, str] | None:
    """Ask which values win (tests replace this); None when she cancels."""
    dialog = ConflictDialog(conflicts, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.choice()
