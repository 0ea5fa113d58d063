"""Screenshots of the pages the rest of issue 29 changed, under a real X server, at 100 % and 125 %.

    Xvfb :13 -screen 0 1366x768x24 &
    DISPLAY=:13 QT_QPA_PLATFORM=xcb python docs/screenshots/take_i29.py /tmp/i29.db docs/screenshots/i29
    DISPLAY=:13 QT_QPA_PLATFORM=xcb python docs/screenshots/take_i29b.py /tmp/i29.db docs/screenshots/i29
    (then both again with QT_SCALE_FACTOR=1.25)

The database is the one take_i29.py prepares; this script adds a case's events and unit files
for the roll-up beside it, and makes an empty database for the first start.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db.store import Store  # noqa: E402

PASSWORD = "matkhau123"
TODAY = dt.date.today()


def prepare(db: Path) -> int:
    """A case of the officer "lan" with events (supplement round, apology); its id."""
    from core import ops

    store = Store.open(db)
    store.sign_in_as(store.users.authenticate("lan", PASSWORD))
    row = store.db.execute("SELECT id FROM cases WHERE code LIKE '000.15.23.H23-%' ORDER BY id LIMIT 1").fetchone()
    case_id = row[0]
    if not store.events.of_case(case_id):
        ops.record_event(store, case_id, "supplement_requested", TODAY, note="Bản sao CCCD có chứng thực\nTờ khai ký tên",
                         today=TODAY)
        ops.record_event(store, case_id, "supplement_returned", TODAY, today=TODAY)
        ops.record_event(store, case_id, "extended", TODAY, note="Chờ xác minh nơi cư trú",
                         new_date=TODAY + dt.timedelta(days=7), today=TODAY)
    store.close()
    return case_id


def units(folder: Path) -> Path:
    from core.files import demo

    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(("PHƯỢNG KỲ", "TÁI SƠN", "HÀ THANH", "ĐẠI SƠN", "NGỌC KỲ", "AN LẠC")):
        path = folder / f"xa-{i}.db"
        if path.exists():
            continue
        s = Store.open(path)
        s.set_settings({"committee": f"ỦY BAN NHÂN DÂN XÃ {name}", "place": name.title(), "unit_code": f"U{i}"})
        demo.generate(s, cases=120 + 30 * i, seed=i + 3, years=1, officers=3)
        s.close()
    return folder


def main() -> int:
    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    case_id = prepare(db)
    unit_folder = units(db.parent / "i29-units")
    from shots import application, grabber
    from shots import signed_in as shown

    app = application(out)
    app.setApplicationDisplayName("Một Cửa")
    settle, grab = grabber(app, out)

    def signed_in(store_path, username):
        return shown(store_path, username, PASSWORD, settle)

    def focused():
        return QApplication.focusWidget()

    # ---- first start: where the data lives, the office's details, the empty register ------------
    from gui.connect_dialog import ConnectDialog
    from gui.first_run import FirstRunDialog

    empty = db.parent / "i29-empty.db"
    for p in empty.parent.glob(empty.name + "*"):
        p.unlink()
    d = ConnectDialog(empty)
    d.show()
    grab("noi-luu-du-lieu")
    d.reject()
    d = FirstRunDialog({})
    d.show()
    grab("thiet-lap-lan-dau")
    d.reject()
    s = Store.open(empty)
    s.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ",
                    "office_name": "Bộ phận Một cửa"})
    s.users.add("admin", PASSWORD, "admin", "Quản trị viên")
    s.sign_in_as(s.users.authenticate("admin", PASSWORD))
    s.users.add("lan", PASSWORD, "officer", "Phạm Thị Lan", s.add_officer("Phạm Thị Lan"))
    s.close()
    store, window = signed_in(empty, "lan")
    grab("so-ho-so-trong")
    window.close()
    store.close()

    # ---- the officer: a new case typed without diacritics, then Enter without an applicant -------
    store, window = signed_in(db, "lan")
    register = window.stack.currentWidget()
    register.table.setFocus()
    QTest.keyClick(register.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle()
    dialog = register.dialog
    grab("tiep-nhan-moi-chua-go")
    QTest.keyClicks(focused(), "dang ky khai")
    grab("tiep-nhan-moi-go-khong-dau")
    popup = dialog.procedure.completer().popup()
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    settle()
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    grab("tiep-nhan-moi-thieu-nguoi-nop")
    dialog.reject()
    # an event: the supplement request, its note typed, Tab to "Ghi nhận"
    register.table.setFocus()
    other = store.db.execute("SELECT id FROM cases WHERE code LIKE '000.15.23.H23-%' ORDER BY id DESC LIMIT 1").fetchone()[0]
    register.select_case(other)
    window.activateWindow()
    settle()
    QTest.keyClick(register.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    settle()
    ev = register.dialog
    ev.activateWindow()
    ev.note.setFocus()
    settle()
    for ch in "Tờ khai có chữ ký":
        QTest.sendKeyEvent(QTest.KeyAction.Click, ev.note, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier) \
            if not ch.isascii() else QTest.keyClick(ev.note, ch)
    QTest.keyClick(ev.note, Qt.Key.Key_Tab)
    grab("yeu-cau-bo-sung-tab-den-ghi-nhan")
    ev.reject()
    window.close()
    store.close()

    # ---- the chairman: dashboard, a case with its events, the evaluation, the roll-up chart ---------
    store, window = signed_in(db, "chutich")
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    dash = window.stack.currentWidget()
    dash._draw_current()
    grab("bang-dieu-hanh")
    window.open_case(case_id)
    settle()
    grab("xem-ho-so-su-kien")
    window.page("Sổ hồ sơ").dialog.reject()
    window.nav.setCurrentRow(titles.index("Đánh giá cán bộ"))
    settle()
    ev_page = window.stack.currentWidget()
    spin = next(iter(ev_page.spins.values()))
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin.lineEdit(), "12")
    grab("danh-gia-can-bo-vuot-diem-toi-da")
    window.nav.setCurrentRow(titles.index("Tổng hợp đơn vị"))
    settle()
    roll = window.stack.currentWidget()
    roll.choose_folder(unit_folder)
    roll.run()
    for _ in range(600):
        settle()
        if roll.result is not None and roll.task is None:
            break
    roll.tabs.setCurrentIndex(1)
    grab("tong-hop-don-vi-bieu-do")
    window.close()
    store.close()

    # ---- a file dialog: Documents, Vietnamese dates --------------------------------------------------
    from gui import messages

    (Path.home() / "Documents").mkdir(exist_ok=True)
    (Path.home() / "Documents" / "bao-cao-thang-11.xlsx").write_bytes(b"x")
    f = messages.file_dialog(None, "Lưu báo cáo", "bao-cao.xlsx", "Excel (*.xlsx)", "save")
    f.resize(900, 520)
    f.show()
    grab("chon-tep-luu")
    f.reject()
    return 0


if __name__ == "__main__":
    sys.exit(main())
