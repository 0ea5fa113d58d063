"""The main window as Qt draws it under Wine, without Qt's Windows platform plugin.

Under Wine 8 the Windows platform plugin of Qt 6.6-6.8 aborts while starting (it asks WinRT for
``Windows.UI.ViewManagement.UISettings``, which Wine 8 lacks, and the C++ exception is not caught):
no window appears. Qt's ``offscreen`` platform draws the same widgets with the same Windows Python,
Qt and fonts, so the window can still be looked at::

    wine python.exe packaging/wine_window.py DATABASE OUT.png [USER PASSWORD [PAGE]]

(1366x768, signed in as USER; the database needs that user: docs/screenshots/take.py prepares one.)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    user, password = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("chutich", "matkhau123")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    font_file = os.environ.get("MOTCUA_SHOT_FONT")  # offscreen under Wine finds no font of its own
    if font_file:
        from PySide6.QtGui import QFont, QFontDatabase

        families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(font_file))
        if families:
            app.setFont(QFont(families[0], 9))
    from gui import locale

    locale.install(app)
    from db.store import Store
    from gui.main_window import MainWindow

    store = Store.open(db)
    store.sign_in_as(store.users.authenticate(user, password))
    window = MainWindow(store)
    window.resize(1366, 768)
    window.show()
    if len(sys.argv) > 5:
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        window.nav.setCurrentRow(titles.index(sys.argv[5]))
    for _ in range(40):
        app.processEvents()
    page = window.stack.currentWidget()
    if hasattr(page, "_draw_current"):
        page._draw_current()
        for _ in range(20):
            app.processEvents()
    window.grab().save(str(out))
    print(out, app.platformName(), app.font().family(), window.width(), window.height())
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
