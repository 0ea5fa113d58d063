"""Screenshots of the import preview with the real sample export (issue 24), at 1366×768.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/i24/take.py

Writes the PNGs beside this script: the preview of the province's October–November file as it comes,
the value mapping step (a file with values the program does not know), and the choice after a stale preview.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from db.store import Store  # noqa: E402
from gui import import_dialog  # noqa: E402
from gui.locale import install  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "tinh-thang10-11.xlsx"


def wait(app, dialog, done: int) -> None:
    while dialog.checks <= done or dialog.task is not None:
        app.processEvents()


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install(app)  # Qt's own words in Vietnamese, as the program shows them
    folder = Path(tempfile.mkdtemp())
    db = folder / "motcua.db"
    store = Store.open(db)
    actor = store.actor
    store.close()

    dialog = import_dialog.ImportDialog(db, actor=actor)
    dialog.resize(1366, 768)
    dialog.show()
    done = dialog.checks
    dialog.load(Path(shutil.copy(SAMPLE, folder)))
    wait(app, dialog, done)
    app.processEvents()
    dialog.grab().save(str(HERE / "1-xem-truoc-tep-tinh.png"))

    # a file with values the program does not know: the value mapping step
    from openpyxl import load_workbook

    book = load_workbook(SAMPLE)
    ws = book.active
    ws["K6"], ws["K7"], ws["L8"] = "Scan đủ", "Scan đủ", "Qua Zalo"
    odd = folder / "tinh-gia-tri-la.xlsx"
    book.save(odd)
    done = dialog.checks
    dialog.load(odd)
    wait(app, dialog, done)
    app.processEvents()
    dialog.grab().save(str(HERE / "2-buoc-chon-nghia-gia-tri.png"))

    conflicts = [{"code": "000.15.23.H23-261001-0002", "row": 6, "id": 2,
                  "changes": {"digitized": (0, 1), "resolved_date": ("2026-10-02", None)}},
                 {"code": "000.15.23.H23-261005-0013", "row": 40, "id": 39, "changes": {"status": ("withdrawn", None)}}]
    choice = import_dialog.ConflictDialog(conflicts)
    choice.resize(900, 420)
    choice.show()
    app.processEvents()
    choice.grab().save(str(HERE / "3-ho-so-vua-bi-sua.png"))
    dialog.close()


if __name__ == "__main__":
    main()
