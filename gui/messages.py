"""Every message box and question of the window goes through here, so tests can replace them."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from gui.locale import VIETNAMESE  # noqa: F401  (97,86 in number fields; kept here for its callers)


def info(parent: QWidget | None, text: str, title: str = "Một Cửa") -> None:
    QMessageBox.information(parent, title, text)


def error(parent: QWidget | None, text: str, title: str = "Một Cửa — lỗi") -> None:
    QMessageBox.warning(parent, title, text)


def ask(parent: QWidget | None, text: str, title: str = "Một Cửa") -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, label: str, title: str = "Một Cửa") -> str | None:
    """A line of text from the user; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


def save_file(parent: QWidget | None, path, data) -> bool:
    """Write ``data`` (bytes, or a function writing the file at the path it gets) whole or not at all
    (``core.files.output.write_atomically``); a failure told here, named by its cause. True when saved."""
    from core.files.output import write_atomically
    from db.errors import StoreError

    try:
        write_atomically(path, data)
    except (OSError, StoreError) as exc:
        error(parent, f"Không ghi được {path}: {exc}")
        return False
    return True


def save_path(parent: QWidget | None, title: str, suggested: str, filters: str):
    """Where to write a file, or None when the user cancels."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(name) if name else None


def open_path(parent: QWidget | None, title: str, folder: str, filters: str):
    """Which file to read, or None when the user cancels."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return Path(name) if name else None


def open_folder(parent: QWidget | None, title: str, folder: str = ""):
    """Which folder to read, or None when the user cancels."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    name = QFileDialog.getExistingDirectory(parent, title, folder)
    return Path(name) if name else None
