"""Trợ giúp → Giới thiệu and the update notice.

The about box shows the one version number (``core.domain.version``), where this desk's data lives
and the address where the office publishes new versions (set by an administrator; none by default).
The notice reads that address at most once a day, a few seconds after the window opens, on a
worker thread, or at once with "Kiểm tra phiên bản mới"; it only tells, "Đã có phiên bản …" and
where to get it: nothing is downloaded or installed.
"""
from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QVBoxLayout)

from core.domain.version import __version__

if TYPE_CHECKING:
    from core.files import updates

SOURCE_KEY = "update_source"  # a setting of the database: one address for every desk of the office
LAST_CHECK_KEY = "update/last_checked"  # per desk (QSettings)
DAILY_DELAY_MS = 5000


def update_source(store) -> str:
    return (store.settings().get(SOURCE_KEY) or "").strip()


class AboutDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Giới thiệu Một Cửa")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>Một Cửa {__version__}</h2>"
                       "<p>Sổ theo dõi hồ sơ thủ tục hành chính, chỉ số và đánh giá cán bộ "
                       "cho Bộ phận Một cửa cấp xã.</p>")
        title.setWordWrap(True)
        layout.addWidget(title)
        form = QFormLayout()
        self.version_label = QLabel(__version__)
        form.addRow("Phiên bản:", self.version_label)
        form.addRow("Dữ liệu:", _selectable(str(getattr(store, "path", "") or "")))
        form.addRow("Chương trình:", _selectable(sys.executable if getattr(sys, "frozen", False) else "Python"))
        self.source = QLineEdit(update_source(store))
        self.source.setPlaceholderText("vd. \\\\MAY-CHU\\PhanMem\\MotCua\\version.txt hoặc http://…/version.txt")
        self.source.setToolTip("Nơi văn phòng đặt tệp phiên bản mới (thư mục dùng chung hoặc địa chỉ web). "
                               "Chương trình chỉ đọc tệp này, tối đa mỗi ngày một lần, không tự tải gì về.")
        can_set = store.can("settings")
        self.source.setReadOnly(not can_set)
        form.addRow("Kiểm tra bản mới ở:", self.source)
        layout.addLayout(form)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(self.result.textInteractionFlags() | _selectable_flags())
        layout.addWidget(self.result)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = QPushButton("Kiểm tra phiên bản mới")
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.check_now)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def save_source(self) -> None:
        value = self.source.text().strip()
        if self.store.can("settings") and value != update_source(self.store):
            import core.ops as operations

            operations.set_settings(self.store, {SOURCE_KEY: value})

    def check_now(self) -> str:
        """Read the address now (on demand: whatever the day's check found) and say what was found."""
        self.save_source()
        source = self.source.text().strip()
        if not source:
            text = "Chưa đặt địa chỉ kiểm tra phiên bản mới (quản trị đặt ở ô trên)."
        else:
            from core.files import updates  # urllib: imported when a check is made, not at start

            try:
                release = updates.newer_release(source)
                QSettings().setValue(LAST_CHECK_KEY, dt.datetime.now().isoformat(timespec="seconds"))
                text = release.notice() if release else f"Máy này đang dùng phiên bản mới nhất ({__version__})."
            except updates.UpdateCheckError as exc:
                text = str(exc)
        self.result.setText(text)
        return text

    def done(self, r: int) -> None:
        self.save_source()
        super().done(r)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(_selectable_flags())
    label.setWordWrap(True)
    return label


def _selectable_flags():
    from PySide6.QtCore import Qt

    return Qt.TextInteractionFlag.TextSelectableByMouse


def install(window, help_menu) -> None:
    """Add "Giới thiệu" to the help menu and plan the day's update check."""
    about = QAction("&Giới thiệu Một Cửa…", window)
    about.triggered.connect(lambda: show_about(window))
    help_menu.addSeparator()
    help_menu.addAction(about)
    window.about_action = about
    if update_source(window.store):  # no address, no timer: the program never looks anywhere
        QTimer.singleShot(DAILY_DELAY_MS, window, lambda: _check_daily_quietly(window))  # cancelled if the window goes


def _check_daily_quietly(window) -> None:
    """The timer's call: a day's check must never disturb the window (a store closed meanwhile, a
    broken setting): it says nothing then, and the next start tries again."""
    try:
        check_daily(window)
    except Exception:  # noqa: BLE001 - a notice is never worth an error dialog
        pass


def show_about(window) -> AboutDialog:
    window.about_dialog = AboutDialog(window.store, window)
    window.about_dialog.open()
    return window.about_dialog


def check_daily(window, today: dt.date | None = None):
    """The day's check, on a worker: says something only when a newer version is there."""
    source = update_source(window.store)
    settings = QSettings()
    if not source:
        return None
    from core.files import updates  # urllib: imported when an address is set, not at every start

    if not updates.due(str(settings.value(LAST_CHECK_KEY) or ""), today):
        return None
    settings.setValue(LAST_CHECK_KEY, dt.datetime.now().isoformat(timespec="seconds"))
    from gui.tasks import Task

    task = Task(lambda progress: updates.newer_release(source), window)
    task.succeeded.connect(lambda release: release and _tell(window, release))
    task.failed.connect(lambda message: window.statusBar().showMessage(message, 10000))
    window.update_task = task
    task.start()
    return task


def _tell(window, release: updates.Release) -> None:
    window.statusBar().showMessage(release.notice().splitlines()[0], 0)
    box = QMessageBox(QMessageBox.Icon.Information, "Đã có phiên bản mới", release.notice(),
                      QMessageBox.StandardButton.Ok, window)
    box.setTextInteractionFlags(_selectable_flags())
    window.update_box = box
    box.open()
