"""The register's columns readable at 1366 px (issue 29).

- Long codes of the province's exports (``000.15.23.H23-261003-0007``) share their first half:
  the code column elides in the middle, so the distinguishing tail shows ("000.15…261003-0007"),
  and its tooltip gives the whole code.
- "Trạng thái" is shown right after the code (the model's column order is untouched: the header
  moves it), so the state never sits off screen.
- Columns are sized to what the first rows hold (never wider than a cap), may be widened, narrowed
  or dragged, and the layout is remembered on this computer for the next day.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTableView

from gui.register_model import KEYS

SETTINGS_KEY = "register/columns"
CAPS = {"code": 200, "procedure": 300, "applicant": 190, "officer": 150}  # px at 100 %, wider ones elide
FIRST = ("code", "state")  # shown first, in this order


class MiddleElide(QStyledItemDelegate):
    """Elides in the middle: the start and the distinguishing end of a code both show."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def settings() -> QSettings:
    return QSettings("MotCua", "MotCua")


class RegisterColumns:
    """Lays out the register's header and keeps it; ``table`` shows a ``CaseTableModel``."""

    def __init__(self, table: QTableView):
        self.table = table
        self.header: QHeaderView = table.horizontalHeader()
        self.header.setSectionsMovable(True)
        self.header.setHighlightSections(False)  # bold headers of a selected row were clipped
        self.delegate = MiddleElide(table)
        table.setItemDelegateForColumn(KEYS.index("code"), self.delegate)
        self.sized = False
        for visual, key in enumerate(FIRST):
            self.header.moveSection(self.header.visualIndex(KEYS.index(key)), visual)
        saved = settings().value(SETTINGS_KEY)
        if isinstance(saved, QByteArray) and not saved.isEmpty() and self.header.restoreState(saved):
            self.sized = True
            self.header.setSortIndicatorShown(True)
        self._save_timer = QTimer(table)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save)
        self.header.sectionResized.connect(lambda *_: self._save_timer.start() if self.sized else None)
        self.header.sectionMoved.connect(lambda *_: self._save_timer.start())

    def fit_to_content(self) -> None:
        """Each column as wide as its header and the rows in view need, up to its cap (once)."""
        if self.sized or not self.table.model().rowCount() or not self.table.isVisible():
            return
        scale = self.table.logicalDpiX() / 96 if self.table.logicalDpiX() > 0 else 1.0
        for column, key in enumerate(KEYS):
            wanted = max(self.table.sizeHintForColumn(column), self.header.sectionSizeHint(column)) + 8
            self.table.setColumnWidth(column, min(wanted, int(CAPS.get(key, 400) * scale)))
        self.sized = True

    def save(self) -> None:
        settings().setValue(SETTINGS_KEY, self.header.saveState())

    def reset(self) -> None:
        """Back to the columns sized to content, state beside the code."""
        settings().remove(SETTINGS_KEY)
        for visual, key in enumerate(KEYS):
            self.header.moveSection(self.header.visualIndex(KEYS.index(key)), visual)
        for visual, key in enumerate(FIRST):
            self.header.moveSection(self.header.visualIndex(KEYS.index(key)), visual)
        self.sized = False
        self.fit_to_content()
