"""Keyboard first: page actions whose keys work as soon as the page shows, and the F1 sheet."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)


def key_text(shortcut: str | QKeySequence) -> str:
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def page_action(page: QWidget, text: str, shortcuts: str | tuple[str, ...], slot, tip: str = "") -> QAction:
    """An action of one page: its keys work whenever the page is on screen, whatever has focus.

    A hidden page (another one is shown in the stack) does not answer them.
    """
    action = QAction(text, page)
    keys = (shortcuts,) if isinstance(shortcuts, str) else shortcuts
    action.setShortcuts([QKeySequence(k) for k in keys if k])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tooltip(text, keys, tip))
    action.setStatusTip(tip or text)
    action.triggered.connect(lambda _=False: slot())
    page.addAction(action)
    return action


def tooltip(text: str, keys, tip: str = "") -> str:
    keys = [key_text(k) for k in keys if k]
    head = text.replace("&", "").rstrip("…") + (f" ({', '.join(keys)})" if keys else "")
    return f"{head}\n{tip}" if tip else head


def forbid(action: QAction, allowed: bool, why: str) -> None:
    """Disable what a role cannot do, and say why in the tooltip."""
    base = action.property("base_tip")
    if base is None:
        base = action.toolTip()
        action.setProperty("base_tip", base)
    action.setEnabled(allowed)
    action.setToolTip(base if allowed else f"{base}\n{why}")


def forbid_buttons(page: QWidget, store, rights: dict[str, tuple[str, str]]) -> None:
    """Grey out the page's buttons a role may not use, the reason in the tooltip.

    ``rights`` maps a button's text (without its & key) to (right, why)."""
    from PySide6.QtWidgets import QPushButton

    for button in page.findChildren(QPushButton):
        rule = rights.get(button.text().replace("&", ""))
        if rule and not store.can(rule[0]):
            button.setEnabled(False)
            button.setToolTip(rule[1])


def sheet_rows(window) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action of the window that has a key, menus first."""
    rows = []
    seen = set()
    for action in window.findChildren(QAction):
        keys = [key_text(k) for k in action.shortcuts()]
        if not keys or id(action) in seen:
            continue
        seen.add(id(action))
        owner = action.parent()
        where = getattr(owner, "sheet_title", None) or "Chung"
        text = action.property("sheet_text") or action.text()  # undo/redo: their fixed name
        rows.append((where, text.replace("&", "").rstrip("…"), ", ".join(keys)))
    extra = getattr(window, "extra_keys", [])
    rows.extend(extra)
    order = {"Chung": 0}
    return sorted(rows, key=lambda r: (order.get(r[0], 1), r[0]))


class ShortcutSheet(QDialog):
    """F1: every key of the program, by page."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.setWindowTitle("Phím tắt")
        rows = sheet_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Trang", "Việc", "Phím"])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 600)


def fit_to_screen(widget: QWidget, width: int, height: int, share: float = 0.92) -> None:
    """Resize a dialog to what it wants, never beyond ``share`` of the available screen."""
    screen = widget.screen() if widget.screen() else None
    if screen is None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
    avail = screen.availableGeometry()
    widget.resize(min(width, int(avail.width() * share)), min(height, int(avail.height() * share)))


def ok_cancel(ok_text: str, accepted, rejected) -> QDialogButtonBox:
    """A dialog's two buttons in Vietnamese: ``ok_text`` (Enter) and "Hủy" (Esc)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(rejected)
    return buttons
