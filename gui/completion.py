"""Completion that forgives missing diacritics: "dang ky khai sinh" finds "Đăng ký khai sinh".

Every list a person completes by typing (procedures, officers, fields) uses ``FoldingCompleter``: it
matches anywhere in the name, ignoring letter case, Vietnamese diacritics (đ as d) and spacing, and
puts the name as written in the catalogue into the field."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter

from core.files.headers import fold

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 7


class FoldingCompleter(QCompleter):
    def __init__(self, names, parent=None):
        model = QStandardItemModel(parent)
        for name in names:
            item = QStandardItem(name)
            item.setData(fold(name), FOLDED_ROLE)
            model.appendRow(item)
        super().__init__(model, parent)
        self.setCompletionRole(FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index) -> str:
        return index.data(Qt.ItemDataRole.DisplayRole) or ""
