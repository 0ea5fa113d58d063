"""A case's history from the audit log: who changed what, when, before and after."""
from __future__ import annotations

import json

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableView, QVBoxLayout

ACTIONS = {"create": "Tiếp nhận", "update": "Sửa", "delete": "Xoá", "restore": "Khôi phục",
           "import": "Nhập từ tệp"}


def describe(before: str | None, after: str | None) -> str:
    b = json.loads(before) if before else {}
    a = json.loads(after) if after else {}
    if b and a:
        return "; ".join(f"{k}: {b.get(k)!r} → {a.get(k)!r}" for k in a if b.get(k) != a.get(k))
    if a.get("reason"):
        return f"lý do: {a['reason']}"
    return "; ".join(f"{k}: {v!r}" for k, v in (a or b).items() if k not in ("row_hash",))[:400]


class HistoryDialog(QDialog):
    def __init__(self, store, case: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Lịch sử hồ sơ {case['code']}")
        self.resize(900, 360)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Thời điểm", "Người thực hiện", "Việc", "Nội dung"])
        for e in store.history("case", case["id"]):
            self.model.appendRow([QStandardItem(e["at"].replace("T", " ")), QStandardItem(e["actor"]),
                                  QStandardItem(ACTIONS.get(e["action"], e["action"])),
                                  QStandardItem(describe(e["before"], e["after"]))])
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.resizeColumnsToContents()
        view.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
