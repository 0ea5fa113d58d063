"""Choosing a reporting period: month, quarter, year, or year to date."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from core.queries import dashboard
from core.domain import periods, vnformat
from core.queries.dashboard import KINDS


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, today: dt.date, parent=None, kinds: tuple[str, ...] = tuple(KINDS)):
        super().__init__(parent)
        self._today = today
        self.kind = QComboBox()
        for key in kinds:
            self.kind.addItem(KINDS[key], key)
        self.year = QSpinBox()
        self.year.setRange(periods.FIRST_DAY.year, periods.last_day().year)
        self.year.setValue(today.year)
        self.sub = QComboBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (QLabel("Kỳ:"), self.kind, QLabel("Năm:"), self.year, self.sub):
            layout.addWidget(w)
        self._fill_sub()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self.changed)
        self.sub.currentIndexChanged.connect(self.changed)

    def _fill_sub(self) -> None:
        kind = self.kind.currentData()
        t = self._today
        self.sub.blockSignals(True)
        self.sub.clear()
        if kind in ("month", "ytd"):
            for m in range(1, 13):
                self.sub.addItem(f"Tháng {m}", m)
            self.sub.setCurrentIndex(t.month - 1)
        elif kind == "quarter":
            for q in range(1, 5):
                self.sub.addItem(f"Quý {vnformat.roman_quarter(q)}", q)
            self.sub.setCurrentIndex((t.month - 1) // 3)
        self.sub.setVisible(kind != "year")
        self.sub.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_sub()
        self.changed.emit()

    def set_period(self, kind: str, year: int, sub: int = 1) -> None:
        """Choose a period at once, announcing one change."""
        for w in (self.kind, self.year, self.sub):
            w.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self._fill_sub()
        self.sub.blockSignals(True)
        self.year.setValue(year)
        if kind != "year":
            self.sub.setCurrentIndex(self.sub.findData(sub))
        for w in (self.kind, self.year, self.sub):
            w.blockSignals(False)
        self.changed.emit()

    def current(self):
        kind = self.kind.currentData()
        return kind, dashboard.period_for(kind, self.year.value(), self.sub.currentData() or 1)
