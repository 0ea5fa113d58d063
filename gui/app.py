"""Start the desktop program."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QProgressDialog

from db.store import Store, StoreError
from gui import messages


def first_run(store: Store, parent=None) -> None:
    """Ask for the office details on an empty database; offer demo data."""
    from PySide6.QtCore import Qt

    from gui.first_run import FirstRunDialog

    dialog = FirstRunDialog(store.settings(), parent)
    if not dialog.exec():
        return
    store.set_settings(dialog.values())
    if dialog.demo.isChecked():
        from core import demo

        progress = QProgressDialog("Đang tạo dữ liệu mẫu…", None, 0, 4000, parent)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(0)
        demo.generate(store, cases=4000, progress=lambda d, t: (progress.setValue(d), QApplication.processEvents()))
        progress.close()


def run_window(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationDisplayName("Một Cửa")
    try:
        store = Store.open(db_path)
    except StoreError as exc:
        messages.error(None, f"{exc}\n\nDùng lệnh `restore` với một bản sao lưu để khôi phục.")
        return 1
    if store.case_count() == 0 and not store.settings().get("place"):
        first_run(store)
    from gui.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    code = app.exec()
    store.close()
    return code
