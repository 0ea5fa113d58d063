"""The main window as the window tests open it: on a store, for a day, shown and exposed."""
from __future__ import annotations

import datetime as dt


def shown_window(qtbot, store, today: dt.date, user: str | None = None, password: str | None = None):
    """A ``MainWindow`` on ``store`` for ``today``, signed in as ``user`` when one is given, shown."""
    from gui.main_window import MainWindow

    if user is not None:
        store.sign_in_as(store.users.authenticate(user, password))
    w = MainWindow(store, today=today)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def window_as(qtbot, store, user, password, today: dt.date):
    return shown_window(qtbot, store, today, user, password)


def new_case_dialog(qtbot, window):
    """Ctrl+N on the register as a person presses it (the window active, the table focused): the
    new case's dialog, once it shows and has the keyboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    page = window.page("Sổ hồ sơ")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    qtbot.waitUntil(page.dialog.isActiveWindow)
    return page.dialog
