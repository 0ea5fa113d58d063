"""Screenshots of every page at the screen's size, under a real X server.

    Xvfb :13 -screen 0 1366x768x24 &
    DISPLAY=:13 QT_QPA_PLATFORM=xcb python docs/screenshots/take.py /tmp/demo.db docs/screenshots

The database gets demo cases and three users (admin, chutich, canbo) when it has none.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from db.store import Store  # noqa: E402

PASSWORD = "matkhau123"
USERS = (("admin", "Quản trị viên", "admin"), ("chutich", "Nguyễn Văn Chủ", "chairman"),
         ("canbo", "Trần Văn Hùng", "officer"))


def prepare(db: Path) -> None:
    store = Store.open(db)
    if store.case_count() == 0:
        from core.files import demo

        store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ",
                            "office_name": "Bộ phận Một cửa", "chairman": "Nguyễn Văn Chủ"})
        demo.generate(store, cases=4000)
    if not store.users.any():
        store.users.add("admin", PASSWORD, "admin", "Quản trị viên")
        store.sign_in_as(store.users.authenticate("admin", PASSWORD))
        officers = {o["name"]: o["id"] for o in store.officers()}
        for username, name, role in USERS[1:]:
            store.users.add(username, PASSWORD, role, name, officers.get(name) if role == "officer" else None)
    store.close()


def main() -> int:
    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    prepare(db)
    from shots import application
    from shots import signed_in as shown

    app = application(out)

    shot = 0

    def grab(label: str) -> None:
        nonlocal shot
        for _ in range(20):
            app.processEvents()
        shot += 1
        name = out / f"{shot:02d}-{label}.png"
        app.primaryScreen().grabWindow(0).save(str(name))
        print(name)

    # each page once, seen by the role that works on it; then the dialogs people use most
    pages = {"officer": ["Sổ hồ sơ"], "admin": ["Người dùng"]}
    for username, _, role in USERS:
        store, window = shown(db, username, PASSWORD, app.processEvents)
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        wanted = pages.get(role) or [t for t in titles if t not in ("Sổ hồ sơ", "Người dùng")]
        for title in wanted:
            window.nav.setCurrentRow(titles.index(title))
            page = window.stack.currentWidget()
            for _ in range(20):
                app.processEvents()
            if hasattr(page, "chart_drawn"):
                page._draw_current()
            grab(f"{role}-{_slug(title)}")
        if role == "officer":
            register = window.stack.currentWidget()
            register.new_case()
            grab("officer-tiep-nhan-moi")
            register.dialog.reject()
            register.table.selectRow(0)
            register.print_slip()
            register.dialog.ok_button.click()
            grab("officer-giay-tiep-nhan")
            register.preview.reject()
            window.show_shortcuts()
            grab("officer-phim-tat-f1")
            window.sheet.reject()
        window.close()
        store.close()
    return 0


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower().replace(" ", "-")


if __name__ == "__main__":
    sys.exit(main())
