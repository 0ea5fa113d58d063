"""A case's history from the audit log: who changed what, when, before and after."""
from __future__ import annotations

import datetime as dt
import json

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableView, QVBoxLayout

from core.domain import vnformat
from core.files.casefile import CHANNEL_NAMES, COLUMNS

ACTIONS = {"create": "Tiếp nhận", "update": "Sửa", "delete": "Xoá", "restore": "Khôi phục",
           "import": "Nhập từ tệp"}


LABELS = {c.key: c.header_vi for c in COLUMNS} | {
    "procedure_id": "Thủ tục", "field_id": "Lĩnh vực", "officer_id": "Cán bộ tiếp nhận",
    "received_time": "Giờ tiếp nhận", "papers": "Thành phần hồ sơ",
    "event_day": "Ngày", "note": "Nội dung"}  # a case's events (issue 14)


def action_name(action: str) -> str:
    """'supplement_requested' → 'Yêu cầu bổ sung hồ sơ'; 'cancel refused' → 'Hoàn tác: Từ chối …'."""
    from core.domain.events import KINDS

    if action in ACTIONS:
        return ACTIONS[action]
    if action.startswith("cancel ") and action[7:] in KINDS:
        return "Hoàn tác: " + KINDS[action[7:]][0]
    return KINDS.get(action, (action,))[0]
FLAGS = {"digitized", "result_digitized", "has_fee", "paid_online", "e_certified"}


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "(trống)"
    if key in FLAGS:
        return "có" if value else "không"
    if key == "status":
        return {"withdrawn": "rút hồ sơ", "refused": "từ chối", "stopped": "dừng giải quyết"}.get(value, str(value))
    if key == "satisfaction":
        from core.domain.events import SATISFACTION

        return SATISFACTION.get(value, str(value)).lower()
    if key == "channel":
        return CHANNEL_NAMES.get(value, str(value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return vnformat.date_short(dt.date.fromisoformat(value))
    return str(value)


def describe(before: str | None, after: str | None) -> str:
    b = json.loads(before) if before else {}
    a = json.loads(after) if after else {}
    if b and a:
        return "; ".join(f"{LABELS.get(k, k)}: {_value(k, b.get(k))} → {_value(k, a.get(k))}"
                         for k in a if b.get(k) != a.get(k))
    if a.get("reason"):
        return f"lý do: {a['reason']}"
    return "; ".join(f"{LABELS.get(k, k)}: {_value(k, v)}" for k, v in (a or b).items())[:400]


def people(store) -> dict[str, str]:
    """Each login's person, as the audit log's readers want her: her full name (logins stay in the log)."""
    try:
        return {u["username"]: u["full_name"] for u in store.users.all() if u["full_name"]}
    except Exception:  # a store without accounts (a unit's file read for the roll-up): the logins
        return {}


def person(names: dict[str, str], actor: str) -> str:
    return names.get(actor, actor)


class HistoryDialog(QDialog):
    def __init__(self, store, case: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Lịch sử hồ sơ {case['code']}")
        from gui.keys import fit_to_screen

        fit_to_screen(self, 900, 420)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Thời điểm", "Người thực hiện", "Việc", "Nội dung"])
        names = people(store)
        for e in store.audit.history("case", case["id"]):
            at = dt.datetime.fromisoformat(e["at"])
            who = QStandardItem(person(names, e["actor"]))
            who.setToolTip(f"Tên đăng nhập: {e['actor']}")
            self.model.appendRow([QStandardItem(f"{at:%d/%m/%Y %H:%M:%S}"), who,
                                  QStandardItem(action_name(e["action"])),
                                  QStandardItem(describe(e["before"], e["after"]))])
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.resizeColumnsToContents()
        view.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
