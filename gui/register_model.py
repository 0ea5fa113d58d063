"""The case register as a Qt table model over paged queries: a million rows stay light."""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.domain import vnformat
from core.domain.cases import STATE_HINTS, STATE_NAMES
from db.register import RegisterFilter

COLUMNS = (
    ("code", "Mã hồ sơ"),
    ("procedure", "Thủ tục"),
    ("applicant", "Người nộp"),
    ("officer", "Cán bộ tiếp nhận"),
    ("received_date", "Ngày nhận"),
    ("due_date", "Hẹn trả"),
    ("resolved_date", "Ngày có KQ"),
    ("channel", "Hình thức"),
    ("digitized", "Số hoá"),
    ("result_digitized", "Số hoá KQ"),
    ("paid_online", "Phí, lệ phí"),
    ("e_certified", "CT điện tử"),
    ("state", "Trạng thái"),
)
KEYS = [k for k, _ in COLUMNS]
CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính"}
OVERDUE = QColor("#f8d7da")
DUE_TODAY = QColor("#fff3cd")
LATE_TEXT = QColor("#a61b29")
PAGE = 200
CACHED_PAGES = 30
CaseIdRole = Qt.ItemDataRole.UserRole + 1


def _date(text: str | None) -> str:
    return vnformat.date_short(dt.date.fromisoformat(text)) if text else ""


UNKNOWN = "chưa rõ"  # a yes/no value no one gave (issue 24): never shown as "no"


def _tick(flag: int | None) -> str:
    if flag is None:
        return UNKNOWN
    return "✓" if flag else ""


def display(row: dict, key: str) -> str:
    value = row[key]
    if key in ("received_date", "due_date", "resolved_date"):
        return _date(value)
    if key == "channel":
        return CHANNELS.get(value, "")
    if key in ("digitized", "result_digitized", "e_certified"):
        return _tick(value)
    if key == "paid_online":
        if row["has_fee"] is None:
            return "phí " + UNKNOWN
        if not row["has_fee"]:
            return "không phí"
        if value is None:
            return "có phí, TT " + UNKNOWN
        return "TT trực tuyến" if value else "có phí"
    if key == "state":
        return STATE_NAMES[value]
    return "" if value is None else str(value)


class CaseTableModel(QAbstractTableModel):
    def __init__(self, store, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self._store = store
        self._today = today
        self._filter = RegisterFilter()
        self._sort = ("received_date", True)
        self._count = 0
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self.refresh()

    # ---- what is shown -------------------------------------------------------------

    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    @property
    def sort_order(self) -> tuple[str, bool]:
        """(column key, descending) as shown."""
        return self._sort

    def set_filter(self, flt: RegisterFilter) -> None:
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Re-read the count and drop every cached page (after any change)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._store.cases.count(self._filter, today=self._today)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (KEYS[column], order == Qt.SortOrder.DescendingOrder)
        self.refresh()

    def row_of(self, row: int) -> dict:
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._store.cases.page(self._filter, self._sort[0], self._sort[1],
                                          offset=number * PAGE, limit=PAGE, total=self._count,
                                          today=self._today)
            self._pages[number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[row % PAGE]

    def case_id(self, row: int) -> int:
        return self.row_of(row)["id"]

    def find_row(self, case_id: int, limit: int = 5000) -> int | None:
        """The row of a case among the first ``limit`` rows, or None."""
        for row in range(min(self._count, limit)):
            if self.row_of(row)["id"] == case_id:
                return row
        return None

    # ---- the Qt model ---------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        try:
            row = self.row_of(index.row())
        except IndexError:  # another desk removed cases since the count: shown right at the next refresh
            return None
        key = KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row, key)
        if role == CaseIdRole:
            return row["id"]
        if role == Qt.ItemDataRole.BackgroundRole:
            if row["state"] == "open_overdue" or (
                    row["state"] == "extended" and row["effective_due"] < (self._today or dt.date.today()).isoformat()):
                return QBrush(OVERDUE)
            if row["state"] == "due_today":
                return QBrush(DUE_TODAY)
        if role == Qt.ItemDataRole.ForegroundRole and key == "state" and row["state"] in ("late", "open_overdue"):
            return QBrush(LATE_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (
                "received_date", "due_date", "resolved_date", "digitized", "result_digitized", "e_certified"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "state":
            hint = STATE_HINTS[row["state"]]
            if row["new_due_date"]:
                hint += f". Hẹn lại: {_date(row['new_due_date'])}"
            if row["paused_days"]:
                hint += f". Tạm dừng {row['paused_days']} ngày làm việc: hạn tính là {_date(row['effective_due'])}"
            return hint
        if role == Qt.ItemDataRole.ToolTipRole and key == "code":  # elided in the middle when long
            return row["code"]
        if role == Qt.ItemDataRole.ToolTipRole and key == "procedure":
            return f"{row['procedure']} — lĩnh vực {row['field'] or 'không rõ'}"
        return None
