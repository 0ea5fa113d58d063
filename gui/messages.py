"""Every message box and question of the window goes through here, so tests can replace them."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from gui.locale import VIETNAMESE  # noqa: F401  (97,86 in number fields; kept here for its callers)


def info(parent: QWidget | None, text: str, title: str = "Thông báo") -> None:
    QMessageBox.information(parent, title, text)


def error(parent: QWidget | None, text: str, title: str = "Có lỗi") -> None:
    QMessageBox.warning(parent, title, text)


def ask(parent: QWidget | None, text: str, title: str = "Xác nhận") -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, label: str, title: str = "Nhập") -> str | None:
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


LAST_FOLDER_KEY = "files/last_folder"  # per desk (QSettings): where the last file was read or written


def start_folder(folder: str = "") -> str:
    """Where a file dialog opens: the folder asked for, else the last one used at this desk, else
    Documents (else the home folder); never the program's own folder (the working directory)."""
    from pathlib import Path

    from PySide6.QtCore import QSettings, QStandardPaths

    candidates = [folder, QSettings().value(LAST_FOLDER_KEY, "") or "",
                  QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
                  str(Path.home())]
    for c in candidates:
        if c and Path(c).is_dir():
            return str(Path(c).resolve())
    return str(Path.home())


def remember_folder(path) -> None:
    from pathlib import Path

    from PySide6.QtCore import QSettings

    p = Path(path)
    QSettings().setValue(LAST_FOLDER_KEY, str(p if p.is_dir() else p.parent))


def file_dialog(parent: QWidget | None, title: str, folder: str, filters: str, mode: str):
    """Qt's own file dialog (the same on every desk, in Vietnamese, dates as dd/mm/yyyy HH:mm), opened in
    ``start_folder``. ``mode``: "save", "open" or "folder"."""
    from pathlib import Path

    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QFileDialog

    class VietnameseDates(QSortFilterProxyModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if index.column() == 3 and role == Qt.ItemDataRole.DisplayRole:
                source = self.sourceModel()
                when = source.lastModified(self.mapToSource(index)) if hasattr(source, "lastModified") else None
                if when is not None and when.isValid():
                    return when.toString("dd/MM/yyyy HH:mm")
            return super().data(index, role)

    suggested = Path(folder) if folder else None
    where = start_folder(str(suggested) if suggested and suggested.is_dir() else
                         str(suggested.parent) if suggested and suggested.is_absolute() else "")
    dialog = QFileDialog(parent, title, where, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setProxyModel(VietnameseDates(dialog))
    from PySide6.QtWidgets import QTreeView

    tree = dialog.findChild(QTreeView, "treeView")  # the detail view: the whole date, never "07/12/…"
    if tree is not None:
        for column, width in ((0, 300), (1, 80), (2, 110), (3, 130)):
            tree.header().resizeSection(column, width)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if suggested and not suggested.is_dir():
            dialog.selectFile(str(Path(where) / suggested.name))
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Lưu")
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Mở")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Hủy")
    return dialog


def _ask_path(parent, title, folder, filters, mode):
    from pathlib import Path

    dialog = file_dialog(parent, title, folder, filters, mode)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    chosen = Path(dialog.selectedFiles()[0])
    remember_folder(chosen)
    return chosen


def save_path(parent: QWidget | None, title: str, suggested: str, filters: str):
    """Where to write a file, or None when the user cancels."""
    return _ask_path(parent, title, suggested, filters, "save")


def open_path(parent: QWidget | None, title: str, folder: str, filters: str):
    """Which file to read, or None when the user cancels."""
    return _ask_path(parent, title, folder, filters, "open")


def open_folder(parent: QWidget | None, title: str, folder: str = ""):
    """Which folder to read, or None when the user cancels."""
    return _ask_path(parent, title, folder, "", "folder")
