"""The main window as the window tests open it: on a store, for a day, shown and exposed."""
from __future__ import annotations

import datetime as dt


def shown_window(qtbot, store, today: dt.date, user: str | None = None, password: str | None = None,
                 size: tuple[int, int] | None = None, active: bool = False):
    """A ``MainWindow`` on ``store`` for ``today``, signed in as ``user`` when one is given, shown
    (at ``size``, and the active window with the keyboard when ``active``)."""
    from gui.main_window import MainWindow

    if user is not None:
        store.sign_in_as(store.users.authenticate(user, password))
    w = MainWindow(store, today=today)
    qtbot.addWidget(w)
    if size is not None:
        w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    if active:
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow)
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


def when_shown(kind, then, done: list | None = None):
    """Once a visible top-level ``kind`` has the keyboard, ``then(dialog)`` types into it (a modal
    dialog's exec). With ``done``: the dialog's class name is added to it, or the failure, and a
    failing dialog is closed (never left open); without: the failure is raised after closing it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look():
        d = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if d is None or QApplication.focusWidget() is None or QApplication.focusWidget().window() is not d:
            if d is not None:
                d.activateWindow()
            QTimer.singleShot(30, look)
            return
        try:
            then(d)
            if done is not None:
                done.append(kind.__name__)
        except BaseException as exc:
            d.reject()
            if done is None:
                raise
            done.append(exc)
    QTimer.singleShot(0, look)


def back_to(qtbot, w):
    """The window active again once a dialog closed (a window manager does it; offscreen Qt not always)."""
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
