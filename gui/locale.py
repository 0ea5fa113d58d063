"""Vietnamese for what Qt draws itself: QLocale vi_VN and the shipped translation of Qt's strings."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

import resources

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def install(app: QCoreApplication) -> QTranslator:
    """Vietnamese dates, numbers, month and day names, and Qt's buttons, dialogs and menus.

    PySide6 ships no ``qtbase_vi.qm``; ours is in ``resources/translations`` (made by ``make_qm.py``).
    Installed once per application; a second call returns the first translator.
    """
    existing = getattr(app, "_vietnamese", None)
    if existing is not None:
        return existing
    QLocale.setDefault(VIETNAMESE)
    translator = QTranslator(app)
    if translator.load(str(resources.path("translations/qtbase_vi.qm"))):
        app.installTranslator(translator)
    else:  # an installation without the file still starts: Qt's own words stay in English
        import sys

        print("Thiếu resources/translations/qtbase_vi.qm: các nút, hộp thoại của Qt sẽ hiện tiếng Anh.",
              file=sys.stderr)
    app._vietnamese = translator
    return translator
