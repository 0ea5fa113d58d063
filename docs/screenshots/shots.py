"""What the screenshot scripts share: letting the window settle, and grabbing the screen to a PNG
named by its label (``-125`` added at Windows' 125 %, ``QT_SCALE_FACTOR=1.25``)."""
from __future__ import annotations

import os
from pathlib import Path


def grabber(app, out: Path):
    """(settle, grab): ``settle()`` lets Qt draw; ``grab(label)`` saves the screen as ``out/label[-125].png``."""
    from PySide6.QtTest import QTest

    suffix = "-125" if os.environ.get("QT_SCALE_FACTOR") == "1.25" else ""

    def settle():
        for _ in range(30):
            app.processEvents()
            QTest.qWait(10)

    def grab(label: str) -> None:
        settle()
        name = out / f"{label}{suffix}.png"
        app.primaryScreen().grabWindow(0).save(str(name))
        print(name)

    return settle, grab


def application(out: Path):
    """The folder for the pictures made, and the Qt application in Vietnamese."""
    import sys

    from PySide6.QtWidgets import QApplication

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    from gui import locale

    locale.install(app)
    return app


def signed_in(store_path: Path, username: str, password: str, settle):
    """A store signed in as ``username`` and its main window shown: (store, window)."""
    from db.store import Store
    from gui.main_window import MainWindow

    store = Store.open(store_path)
    store.sign_in_as(store.users.authenticate(username, password))
    window = MainWindow(store)
    window.show_on_screen()
    settle()
    return store, window
