"""Choosing a backup to restore: only this database's own backups are offered."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout)

from db import backups
from core.domain import vnformat
from gui import messages


class BackupChooser(QDialog):
    """The backups of the database at ``db_path`` (by its identity, never by a look-alike name),
    newest first; "Tệp khác…" opens any file, which the restore still checks."""

    def __init__(self, db_path: Path, parent=None, identity: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.chosen: Path | None = None
        self.db_path = Path(db_path)
        self.list = QListWidget()
        for p in backups.of_this_database(self.db_path, identity):
            when = dt.datetime.fromtimestamp(p.stat().st_mtime)
            item = QListWidgetItem(f"{when:%d/%m/%Y %H:%M} — {p.name} ({vnformat.number(p.stat().st_size // 1024)} KB)")
            item.setData(256, str(p))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        other = QPushButton("Tệp &khác…")
        other.clicked.connect(self.choose_other)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Các bản sao lưu của {self.db_path.name} (chỉ bản sao của chính cơ sở dữ liệu này):"
                                if self.list.count() else
                                f"Chưa có bản sao lưu nào của {self.db_path.name} trong {backups.folder(self.db_path)}."))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def choose_other(self) -> None:
        path = messages.open_path(self, "Chọn bản sao lưu", str(backups.folder(self.db_path)), "SQLite (*.db)")
        if path is not None:
            self.chosen = Path(path)
            super().accept()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = Path(item.data(256))
        super().accept()


def choose_backup(db_path: Path, parent=None) -> Path | None:
    dialog = BackupChooser(db_path, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
