"""Catalogues the user edits: officers, procedures, targets by period, office details."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableView, QTabWidget, QVBoxLayout,
                               QWidget)

from core.domain import vnformat
from core.domain.indicators import BY_KEY, REGISTRY
from core import ops
from gui import messages
from gui.messages import VIETNAMESE
from gui.case_dialog import from_qdate
from gui.operations import runner_for

RETENTION_LABEL = "Giữ tên người nộp của hồ sơ đã xong (số năm, để trống: giữ mãi)"

OFFICE_FIELDS = (
    ("committee", "Tên cơ quan (dòng đầu tiêu đề)", "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ"),
    ("parent", "Cơ quan cấp trên (nếu có)", "UBND TỈNH HƯNG YÊN, để trống nếu không có"),
    ("office_name", "Tên bộ phận", "Bộ phận Một cửa / Trung tâm Phục vụ hành chính công"),
    ("place", "Địa danh ở dòng ngày tháng", "Phượng Kỳ"),
    ("chairman", "Họ tên Chủ tịch", "Nguyễn Văn An"),
    ("office_head", "Họ tên người đứng đầu bộ phận (ký phiếu đánh giá)", "Nguyễn Thị Mai"),
    ("unit_code", "Mã đơn vị (đầu mã hồ sơ)", "PK"),
)
# what the number and the signature of an official document need (Nghị định 30/2020)
DOCUMENT_FIELDS = (
    ("doc_symbol", "Ký hiệu cơ quan trong số văn bản", "UBND (Số: …/BC-UBND)"),
    ("doc_unit", "Ký hiệu đơn vị soạn thảo công văn", "VP (Số: …/UBND-VP)"),
    ("signer_title", "Chức vụ người ký thay", "PHÓ CHỦ TỊCH"),
    ("signer_name", "Họ tên người ký thay (KT.) hoặc quyền (Q.)", "Đào Văn Soái"),
)


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    kind: str = "text"  # text | int | bool
    editable: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (stored code, what people read); codes never shown
    closed: bool = True  # only a listed choice is accepted (False: any text, names shown for codes)

    def label(self, value) -> object:
        return dict(self.choices).get(value, value)

    def code(self, text: str) -> str:
        for code, label in self.choices:
            if text in (code, label):
                return code
        if self.closed:
            raise ValueError("chọn một trong: " + ", ".join(label for _, label in self.choices))
        return text


class ChoiceDelegate:
    """A drop-down of the column's choices (its Vietnamese names) when a cell is edited."""

    @staticmethod
    def install(view: QTableView, columns: list[Col]) -> None:
        from PySide6.QtWidgets import QStyledItemDelegate

        class Delegate(QStyledItemDelegate):
            def __init__(self, col: Col, parent=None):
                super().__init__(parent)
                self.col = col

            def createEditor(self, parent, option, index):
                combo = QComboBox(parent)
                combo.setEditable(not self.col.closed)
                combo.addItems([label for _, label in self.col.choices])
                return combo

            def setEditorData(self, editor, index):
                editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

            def setModelData(self, editor, model, index):
                model.setData(index, editor.currentText())

        for i, col in enumerate(columns):
            if col.choices:
                view.setItemDelegateForColumn(i, Delegate(col, view))


class RowsModel(QAbstractTableModel):
    """A small editable table over plain rows; each edit goes through ``save(row, key, value)``."""

    def __init__(self, columns: list[Col], load: Callable[[], list[dict]],
                 save: Callable[[dict, str, object], None], parent=None):
        super().__init__(parent)
        self.columns, self._load, self._save = columns, load, save
        self.rows: list[dict] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self._load()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def flags(self, index):
        f = super().flags(index)
        if not index.isValid():
            return f
        col = self.columns[index.column()]
        if col.kind == "bool" and col.editable:
            return f | Qt.ItemFlag.ItemIsUserCheckable
        return f | Qt.ItemFlag.ItemIsEditable if col.editable else f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        col = self.columns[index.column()]
        value = self.rows[index.row()][col.key]
        if col.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                if value is None:  # nobody has said (a procedure a file brought in): neither yes nor no
                    return Qt.CheckState.PartiallyChecked
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole and value is None:
                return "chưa rõ"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if value is None else col.label(value)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return False
        col = self.columns[index.column()]
        row = self.rows[index.row()]
        try:
            if col.kind == "bool":
                value = int(Qt.CheckState(value) == Qt.CheckState.Checked)
            elif col.choices:
                value = col.code(str(value).strip())
            elif col.kind == "int":
                value = int(value)
                if value < 0:
                    raise ValueError("phải ≥ 0")
            else:
                value = str(value).strip()
                if not value and col.key == "name":
                    raise ValueError("không được để trống")
        except Exception as exc:  # a refused edit is told, never silently dropped
            messages.error(None, f"Không lưu được {col.title.lower()}: {exc}")
            return False
        if self._save(row, col.key, value) is False:  # refused or failed: the runner has told why
            return False
        row[col.key] = value
        self.dataChanged.emit(index, index)
        return True


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.resizeColumnsToContents()
    return view


class CataloguesPage(QTabWidget):
    office_changed = Signal()

    def __init__(self, store, changes, parent=None):
        super().__init__(parent)
        self.store, self.changes = store, changes
        self.ops = runner_for(store, changes, parent)
        self.addTab(self._officers_tab(), "Cán bộ")
        self.addTab(self._procedures_tab(), "Thủ tục")
        self.addTab(self._targets_tab(), "Chỉ tiêu")
        self.addTab(self._office_tab(), "Thông tin cơ quan")
        self.addTab(self._deleted_tab(), "Hồ sơ đã xoá")
        changes.operation_did_execute.connect(self._changed)
        from gui.keys import forbid_buttons

        catalogues = ("catalogues", "Chỉ chủ tịch hoặc quản trị được sửa danh mục.")
        targets = ("targets", "Chỉ chủ tịch được đặt chỉ tiêu.")
        forbid_buttons(self, store, {"Thêm cán bộ": catalogues, "Thêm thủ tục": catalogues, "Đặt chỉ tiêu": targets,
                              "Xoá chỉ tiêu đã chọn": targets,
                              "Lưu thông tin cơ quan": ("settings", "Chỉ quản trị hoặc chủ tịch được sửa thông tin "
                                                                    "cơ quan."),
                              "Khôi phục hồ sơ đã chọn": ("cases", "Chỉ cán bộ một cửa được khôi phục hồ sơ.")})

    def _changed(self, done, initiator=None) -> None:
        """Reload the tables that show what changed (a reload is quick: a few hundred rows)."""
        if done.touches("catalogues"):
            self.officers.reload()
            self.procedures.reload()
        if done.touches("targets"):
            self.targets.reload()
        if done.touches("cases"):
            self.deleted.reload()
        if done.touches("settings"):
            values = self.store.settings()
            for key, edit in self.office.items():
                if not edit.isModified():
                    edit.setText(values.get(key, ""))

    # ---- officers -----------------------------------------------------------------------

    def _officers_tab(self) -> QWidget:
        def save(row, key, value):
            return self.ops.run(partial(ops.update_officer, officer_id=row["id"], key=key, value=value))

        self.officers = RowsModel([Col("name", "Họ và tên"), Col("position", "Chức vụ"),
                                   Col("fields", "Lĩnh vực phụ trách"), Col("active", "Đang làm", "bool")],
                                  self.store.officers, save, self)
        self.new_officer = QLineEdit()
        self.new_officer.setPlaceholderText("Họ và tên cán bộ mới")
        add = QPushButton("Thêm cán bộ")
        add.clicked.connect(self.add_officer)
        self.new_officer.returnPressed.connect(self.add_officer)
        return self._tab(self.officers, self.new_officer, add)

    def add_officer(self) -> None:
        if not self._may("catalogues"):
            return
        self.ops.run(partial(ops.add_officer, name=self.new_officer.text()),
                     on_done=lambda done: self.new_officer.clear())

    # ---- procedures ---------------------------------------------------------------------

    def _procedures_tab(self) -> QWidget:
        def save(row, key, value):
            return self.ops.run(partial(ops.update_procedure, procedure_id=row["id"], key=key, value=value))

        self.procedures = RowsModel([Col("name", "Tên thủ tục"), Col("field", "Lĩnh vực"),
                                     Col("processing_days", "Thời hạn (ngày làm việc)", "int"),
                                     Col("has_fee", "Có phí, lệ phí", "bool")],
                                    self.store.procedures, save, self)
        self.new_procedure = QLineEdit()
        self.new_procedure.setPlaceholderText("Tên thủ tục mới")
        self.new_procedure_field = QLineEdit()
        self.new_procedure_field.setPlaceholderText("Lĩnh vực")
        self.new_procedure_days = QSpinBox()
        self.new_procedure_days.setRange(0, 365)
        self.new_procedure_days.setSuffix(" ngày")
        add = QPushButton("Thêm thủ tục")
        add.clicked.connect(self.add_procedure)
        return self._tab(self.procedures, self.new_procedure, self.new_procedure_field,
                         self.new_procedure_days, add)

    def add_procedure(self) -> None:
        if not self._may("catalogues"):
            return
        self.ops.run(partial(ops.add_procedure, name=self.new_procedure.text(),
                             field=self.new_procedure_field.text(), processing_days=self.new_procedure_days.value()),
                     on_done=lambda done: self.new_procedure.clear())

    # ---- targets ------------------------------------------------------------------------

    def _targets_tab(self) -> QWidget:
        def load():
            return [{**t, "name": BY_KEY[t["indicator"]].name if t["indicator"] in BY_KEY else t["indicator"],
                     "from": vnformat.date_short(dt.date.fromisoformat(t["valid_from"])),
                     "target": vnformat.cell_percent(t["value"])} for t in self.store.targets()]

        self.targets = RowsModel([Col("name", "Chỉ số", editable=False), Col("from", "Áp dụng từ", editable=False),
                                  Col("target", "Chỉ tiêu", editable=False)], load, lambda *a: None, self)
        self.target_indicator = QComboBox()
        for i in REGISTRY:
            if i.is_rate:
                self.target_indicator.addItem(i.name, i.key)
        from gui.date_field import DateField

        self.target_from = DateField(dt.date(dt.date.today().year, 1, 1))
        self.target_value = QDoubleSpinBox()
        self.target_value.setRange(0, 100)
        self.target_value.setDecimals(2)
        self.target_value.setSuffix(" %")
        self.target_value.setLocale(VIETNAMESE)
        self.target_value.setValue(100)
        add = QPushButton("Đặt chỉ tiêu")
        add.clicked.connect(self.add_target)
        remove = QPushButton("Xoá chỉ tiêu đã chọn")
        remove.clicked.connect(self.remove_target)
        w = self._tab(self.targets, self.target_indicator, QLabel("từ ngày"), self.target_from,
                      self.target_value, add, remove)
        self.targets_view = w.findChild(QTableView)
        return w

    def add_target(self) -> None:
        if not self._may("targets"):
            return
        if not self.target_from.is_valid():
            messages.error(self, self.target_from.problem())
            return
        self.ops.run(partial(ops.set_target, indicator=self.target_indicator.currentData(),
                             valid_from=from_qdate(self.target_from.date()), value=self.target_value.value()))

    def remove_target(self) -> None:
        if not self._may("targets"):
            return
        rows = self.targets_view.selectionModel().selectedRows() if self.targets_view.selectionModel() else []
        if not rows:
            index = self.targets_view.currentIndex()
            rows = [index] if index.isValid() else []
        if not rows:
            messages.info(self, "Chọn một chỉ tiêu trong bảng.")
            return
        t = self.targets.rows[rows[0].row()]
        if messages.ask(self, f"Xoá chỉ tiêu {t['name']} từ {t['from']}?"):
            self.ops.run(partial(ops.delete_target, target_id=t["id"]))

    # ---- office -------------------------------------------------------------------------

    def _office_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.office: dict[str, QLineEdit] = {}
        values = self.store.settings()
        for key, label, example in OFFICE_FIELDS:
            edit = QLineEdit(values.get(key, ""))
            edit.setPlaceholderText(example)
            self.office[key] = edit
            form.addRow(label + ":", edit)
        from core.documents.official import SIGN_MODES

        self.sign_mode = QComboBox()
        for code, label in SIGN_MODES.items():
            if not code.startswith("TM"):  # TM. is the document's choice (a report), not the office's
                self.sign_mode.addItem(label, code)
        self.sign_mode.setCurrentIndex(max(0, self.sign_mode.findData(values.get("sign_mode", ""))))
        form.addRow("Người ký văn bản:", self.sign_mode)
        for key, label, example in DOCUMENT_FIELDS:
            edit = QLineEdit(values.get(key, ""))
            edit.setPlaceholderText(example)
            self.office[key] = edit
            form.addRow(label + ":", edit)
        from core.documents.report import receivers

        self.report_receivers = QPlainTextEdit("\n".join(receivers(values)))
        self.report_receivers.setFixedHeight(62)
        self.report_receivers.setToolTip("Mỗi dòng một nơi nhận; để trống để dùng danh sách mặc định")
        form.addRow("Nơi nhận của báo cáo (mỗi dòng một nơi):", self.report_receivers)
        self.retention = QLineEdit(values.get("applicant_retention_years", ""))
        self.retention.setPlaceholderText("ví dụ 5")
        form.addRow(RETENTION_LABEL + ":", self.retention)
        save = QPushButton("Lưu thông tin cơ quan")
        save.clicked.connect(self.save_office)
        form.addRow("", save)
        return w

    def _deleted_tab(self) -> QWidget:
        def load():
            from gui.history import people, person

            names = people(self.store)  # who deleted, by name (the log keeps the login)
            return [{**r, "received": vnformat.date_short(dt.date.fromisoformat(r["received_date"])),
                     "when": vnformat.date_time(r["deleted_at"]), "deleted_by": person(names, r["deleted_by"] or "")}
                    for r in self.store.cases.deleted()]

        self.deleted = RowsModel([Col("code", "Mã hồ sơ", editable=False), Col("procedure", "Thủ tục", editable=False),
                                  Col("applicant", "Người nộp", editable=False),
                                  Col("received", "Ngày nhận", editable=False), Col("when", "Xoá lúc", editable=False),
                                  Col("deleted_by", "Người xoá", editable=False), Col("reason", "Lý do", editable=False)],
                                 load, lambda *a: None, self)
        restore = QPushButton("Khôi phục hồ sơ đã chọn")
        restore.clicked.connect(self.restore_deleted)
        w = self._tab(self.deleted, restore)
        self.deleted_view = w.findChild(QTableView)
        self.deleted_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.deleted_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        return w

    def restore_deleted(self) -> None:
        """Every selected deleted case back, in one transaction."""
        rows = sorted({i.row() for i in self.deleted_view.selectionModel().selectedRows()}
                      or ({self.deleted_view.currentIndex().row()} if self.deleted_view.currentIndex().isValid()
                          else set()))
        if not rows:
            messages.info(self, "Chọn các hồ sơ đã xoá trong bảng (Ctrl hoặc Shift để chọn nhiều).")
            return
        ids = [self.deleted.rows[r]["id"] for r in rows]
        self.ops.run(partial(ops.restore_cases, case_ids=ids), undoable=False)

    def save_office(self) -> None:
        values = {k: e.text() for k, e in self.office.items()}
        values["applicant_retention_years"] = self.retention.text()
        values["sign_mode"] = self.sign_mode.currentData() or ""
        values["report_receivers"] = self.report_receivers.toPlainText()

        def saved(done) -> None:
            for edit in self.office.values():
                edit.setModified(False)
            self.office_changed.emit()
            messages.info(self, "Đã lưu thông tin cơ quan.")

        self.ops.run(partial(ops.save_office, values=values), on_done=saved)

    def _may(self, right: str) -> bool:
        if self.store.can(right):
            return True
        who = {"targets": "Chỉ chủ tịch được đặt chỉ tiêu.",
               "catalogues": "Chỉ chủ tịch hoặc quản trị được sửa danh mục."}[right]
        messages.error(self, who)
        return False

    @staticmethod
    def _tab(model, *controls) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(_table(model), 1)
        row = QHBoxLayout()
        for c in controls:
            row.addWidget(c)
        row.addStretch()
        layout.addLayout(row)
        return w
