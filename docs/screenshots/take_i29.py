"""Screenshots of what issue 29 changed, under a real X server, at 100 % and at Windows' 125 %.

    Xvfb :13 -screen 0 1366x768x24 &
    DISPLAY=:13 QT_QPA_PLATFORM=xcb python docs/screenshots/take_i29.py /tmp/i29.db docs/screenshots/i29
    DISPLAY=:13 QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.25 python docs/screenshots/take_i29.py /tmp/i29.db \
        docs/screenshots/i29

The database gets demo cases, cases with the long codes of the province's exports, and users
(admin; chutich; lan, an officer linked to her officer) when it has none.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from db.store import Store  # noqa: E402

PASSWORD = "matkhau123"


def prepare(db: Path) -> None:
    store = Store.open(db)
    if store.case_count() == 0:
        from core.files import demo

        store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ",
                            "office_name": "Bộ phận Một cửa", "chairman": "Nguyễn Văn Chủ"})
        demo.generate(store, cases=800)
        officer = store.officers()[0]["name"]
        today = dt.date.today()
        store.insert_cases([{
            "code": f"000.15.23.H23-{today:%y%m%d}-{n:04d}", "procedure": "Đăng ký khai sinh", "field": "Hộ tịch",
            "applicant": name, "officer": officer, "received_date": today, "due_date": today + dt.timedelta(days=3),
            "processing_days": 3, "channel": 2, "digitized": 1, "resolved_date": None, "result_digitized": 0,
            "has_fee": 0, "paid_online": 0, "e_certified": 0, "status": None}
            for n, name in enumerate(("Nguyễn Thị Hồng Nhung", "Lê Văn Đức", "Phạm Quỳnh Anh"), start=7)])
    if not store.users.any():
        store.users.add("admin", PASSWORD, "admin", "Quản trị viên")
        store.sign_in_as(store.users.authenticate("admin", PASSWORD))
        store.users.add("chutich", PASSWORD, "chairman", "Nguyễn Văn Chủ")
        first = store.officers()[0]
        store.users.add("lan", PASSWORD, "officer", first["name"], first["id"])
        store.users.add("moi", PASSWORD, "officer", "Ngô Thị Hoa")  # not linked yet
    store.close()


def main() -> int:
    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    prepare(db)
    from shots import application, grabber
    from shots import signed_in as shown

    app = application(out)
    settle, grab = grabber(app, out)

    def signed_in(username):
        return shown(db, username, PASSWORD, settle)

    # the officer: the register, a new case with its calendar open, her own evaluation form
    store, window = signed_in("lan")
    register = window.stack.currentWidget()
    register.table.setFocus()
    register.table.selectRow(0)
    QTest.keyClick(register.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    grab("so-ho-so")
    QTest.keyClick(register.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    register.new_case()
    settle()
    dialog = register.dialog
    dialog.due.setFocus()
    QTest.keyClick(dialog.due, Qt.Key.Key_F4)
    grab("tiep-nhan-moi-lich")
    dialog.due.popup.close()
    dialog.reject()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("Đánh giá cán bộ"))
    grab("danh-gia-can-bo-cua-toi")
    window.close()
    store.close()

    # the administrator: the users, and an account being linked
    store, window = signed_in("admin")
    page = window.stack.currentWidget()
    row = next(i for i, u in enumerate(page.rows) if u["username"] == "moi")
    page.view.setCurrentIndex(page.model.index(row, 0))
    page.link_officer()
    grab("nguoi-dung-gan-can-bo")
    page.dialog.reject()
    window.close()
    store.close()

    # after a sign-out: the sign-in form is empty, the cursor in the name
    from gui.sign_in import SignInDialog

    store = Store.open(db)
    d = SignInDialog(store, username="")
    d.show()
    grab("dang-nhap-sau-khi-dang-xuat")
    d.reject()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
