"""The service-index estimate on the dashboard: a tile, and the breakdown it opens (§5)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout)

from functools import partial

import core.ops as operations
from core.queries import service_index
from core.domain import vnformat
from gui import messages

COLUMNS = ("Nhóm", "Thành phần", "Căn cứ (tử số/mẫu số)", "Nguồn", "Điểm", "Tối đa")
POINTS = 4


def _points(x) -> str:
    return "—" if x is None else vnformat.decimal(x, strip=False)


class IndexTile(QFrame):
    """The estimate out of 100; a click (or Enter on its button) opens the breakdown."""

    opened = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("tile_index")
        self.name = QLabel("Chỉ số phục vụ (ước tính)")
        self.name.setStyleSheet("font-weight: bold")
        self.name.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.button = QPushButton("Chi tiết…")
        self.button.setToolTip("Từng thành phần: đếm gì, tử số/mẫu số, điểm, tính hay nhập tay")
        self.button.clicked.connect(self.opened)
        layout = QVBoxLayout(self)
        for w in (self.name, self.value, self.detail, self.button):
            layout.addWidget(w)
        layout.addStretch()

    def show_index(self, result: dict | None) -> None:
        if result is None:
            return
        self.value.setText(service_index.total_text(result))
        missing = len(result["missing"])
        self.detail.setText(f"tính {_points(result['computed'])}, nhập tay {_points(result['typed'])}"
                            + (f"; {missing} thành phần chưa có điểm" if missing else ""))

    def mousePressEvent(self, event) -> None:
        self.opened.emit()
        super().mousePressEvent(event)


class IndexDialog(QDialog):
    """Each component of the estimate; the points typed in from the national portal are edited here."""

    changed = Signal()

    def __init__(self, store, period, today=None, parent=None, run=None):
        """``run(op)`` runs an operation through the window's runner (a plain call without one)."""
        super().__init__(parent)
        self.store, self.period, self.today = store, period, today
        self._run = run
        self.setWindowTitle(f"Chỉ số phục vụ người dân (ước tính), {period.label}")
        self.resize(1000, 520)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5300")
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 15px; font-weight: bold")
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed
                                  | QTableView.EditTrigger.AnyKeyPressed)
        hint = QLabel("Điểm các thành phần “nhập tay” lấy từ Cổng Dịch vụ công quốc gia: chọn ô Điểm, gõ số "
                      "(để trống để xoá). Chỉ lãnh đạo được nhập.")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.note, self.total, self.view, hint, buttons):
            layout.addWidget(w)
        self._loading = False
        self.model.itemChanged.connect(self._edited)
        self.load()

    def load(self) -> None:
        self.result = service_index.compute(self.store, self.period, self.today)
        r = self.result
        self.note.setText(f"{r['title']}. {r['note']}")
        total = f"{_points(r['total'])}/{_points(r['max_points'])} điểm" if not r["missing"] else \
            f"{service_index.total_text(r)}, chưa cộng tổng"
        self.total.setText(f"Tổng (ước tính): {total} — tính từ dữ "
                           f"liệu {_points(r['computed'])}, nhập tay {_points(r['typed'])}")
        self._loading = True
        self.model.removeRows(0, self.model.rowCount())
        for c in r["components"]:
            cells = [c["group"], c["name"], service_index.describe(c),
                     "tính từ dữ liệu" if c["source"] == "computed" else "nhập tay", _points(c["points"]),
                     _points(c["max_points"])]
            items = [QStandardItem(text) for text in cells]
            for i, item in enumerate(items):
                editable = i == POINTS and c["source"] == "typed" and self.store.can("targets")
                item.setEditable(editable)
                if i >= POINTS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items[0].setData(c["key"], Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self._loading = False
        self.view.resizeColumnsToContents()

    def _edited(self, item: QStandardItem) -> None:
        if self._loading or item.column() != POINTS:
            return
        key = self.model.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        text = item.text().strip().replace(",", ".")
        try:
            points = float(text) if text and text != "—" else None
        except ValueError:
            messages.error(self, f"Không lưu điểm: {item.text()!r} không phải số.")
            self.load()
            return
        op = partial(operations.set_index_points, period=self.period, key=key, points=points)
        if self._run is not None:
            self._run(op)
        else:
            try:
                op(self.store)
            except operations.OpRefused as exc:
                messages.error(self, str(exc))
        self.load()
        self.changed.emit()
