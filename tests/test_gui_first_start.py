"""A new office's first start (issue 29), typed as a person would: the local file is opened, not
"connected"; the administrator just created is signed in; the empty register says Ctrl+I and Ctrl+N;
no district in the examples; no title repeats the program's name (the title bar adds it)."""
import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.conftest import case
from tests.windows import shown_window, when_shown

TODAY = dt.date(2023, 9, 15)
ALT = Qt.KeyboardModifier.AltModifier


def focused():
    return QApplication.focusWidget()




def test_the_local_file_is_opened_not_connected_to(qtbot, tmp_path):
    from gui.connect_dialog import ConnectDialog

    d = ConnectDialog(tmp_path / "motcua.db")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.windowTitle() == "Nơi lưu dữ liệu"
    assert d.on_file.isChecked() and d.connect_button.text() == "Mở tệp"
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    QTest.keyClick(focused() or d, Qt.Key.Key_M, ALT)  # &Máy chủ PostgreSQL…
    qtbot.waitUntil(d.on_server.isChecked)
    assert d.connect_button.text() == "Kết nối"
    QTest.keyClick(focused() or d, Qt.Key.Key_T, ALT)  # back to &Tệp trên máy này
    qtbot.waitUntil(d.on_file.isChecked)
    assert d.connect_button.text() == "Mở tệp"


def test_the_administrator_just_created_is_signed_in(qtbot, store):
    from gui import app
    from gui.sign_in import SignInDialog, UserDialog

    shown = []

    def type_in(d):
        shown.append(d.windowTitle())
        assert focused() is d.username and d.username.text() == "admin"
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "Quan Tri")
        for _ in range(2):
            QTest.keyClick(focused(), Qt.Key.Key_Tab)  # past the role (administrator only)
        QTest.keyClicks(focused(), "quantri2026")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "quantri2026")
        QTest.keyClick(focused(), Qt.Key.Key_Return)
        # no sign-in asking for her name again, empty
        QTimer.singleShot(300, lambda: [w.reject() for w in QApplication.topLevelWidgets()
                                         if isinstance(w, SignInDialog) and w.isVisible() and not shown.append("again")])

    when_shown(UserDialog, type_in)
    user = app.sign_in(store)
    assert shown == ["Tạo tài khoản quản trị"]
    assert user is not None and user["username"] == "admin" and user["role"] == "admin"
    assert store.settings()["last_user"] == "admin"


def test_the_empty_register_says_how_cases_get_in(qtbot, store, said):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ"})
    store.add_officer("Phạm Thị Lan")
    w = shown_window(qtbot, store, TODAY)
    page = w.page("Sổ hồ sơ")
    assert page.empty_hint.isVisible()
    assert "Ctrl+I" in page.empty_hint.text() and "Ctrl+N" in page.empty_hint.text()
    store.insert_cases([case("PK-230915-0001", officer="Phạm Thị Lan", received_date=TODAY, due_date=TODAY)])
    page.reload()
    assert not page.empty_hint.isVisible()
    page.search.setFocus()
    QTest.keyClicks(page.search, "khong co ai")  # a filter that finds nothing is not an empty register
    qtbot.waitUntil(lambda: page.count.text() == "0 hồ sơ")
    assert not page.empty_hint.isVisible()
    w.close()


def test_no_district_and_no_title_repeating_the_programs_name(qtbot, store, said):
    from gui import messages
    from gui.catalogues import OFFICE_FIELDS
    from gui.first_run import FirstRunDialog

    assert not any("HUYỆN" in example.upper() for _, _, example in OFFICE_FIELDS)  # no districts since 1/7/2025
    assert dict((k, e) for k, _, e in OFFICE_FIELDS)["parent"].startswith("UBND TỈNH")
    first = FirstRunDialog({})
    qtbot.addWidget(first)
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ",
                        "office_name": "Bộ phận Một cửa"})
    w = shown_window(qtbot, store, TODAY)
    titles = [first.windowTitle(), w.windowTitle()] + [x.windowTitle() for x in w.findChildren(QDialog)]
    import inspect

    titles += [inspect.signature(f).parameters["title"].default
               for f in (messages.info, messages.error, messages.ask, messages.ask_text)]
    assert titles[0] == "Thiết lập lần đầu"
    assert w.windowTitle() == "Bộ phận Một cửa — ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ"
    assert not [t for t in titles if t.startswith("Một Cửa")], titles
    assert isinstance(w, QWidget)
    w.close()
