"""Who is at the desk (issue 29): accounts linked to officers by the administrator, a new case for
the signed-in officer, a sign-in that never offers the last person's name, names in the history,
and each officer at her own evaluation form. Driven by real key events."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.windows import back_to, new_case_dialog
from gui.main_window import MainWindow
from gui.sign_in import NEW_OFFICER, SignInDialog, UserDialog
from tests.conftest import case
from tests.test_evaluation import office as evaluation_office  # noqa: F401  (the fixture)
from tests.test_gui_register import type_text

TODAY = dt.date(2023, 9, 15)


def focused():
    return QApplication.focusWidget()


@pytest.fixture
def office(store):
    store.users.add("admin", "quantri2026", "admin", "Quản Trị")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan")  # created before the officers came
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    store.insert_cases([case("C1", officer="Trần Văn Hùng", received_date=TODAY, due_date=TODAY)])
    store.add_officer("Lê Thị Ngọc Phạm Thị Lan")  # a longer name that contains hers: never taken for hers
    return store


def window_as(qtbot, store, user, password, today=TODAY):
    store.sign_in_as(store.users.authenticate(user, password))
    w = MainWindow(store, today=today)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w




def key(widget, k, modifier=Qt.KeyboardModifier.NoModifier):
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, k, modifier)


def test_the_administrator_links_and_relinks_an_account_by_keyboard(qtbot, office, said):
    lan_officer = office.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    hung = office.officer_id("Trần Văn Hùng")
    w = window_as(qtbot, office, "admin", "quantri2026")
    page = w.page("Người dùng")
    page.view.setFocus()
    key(page.view, Qt.Key.Key_Home)
    key(page.view, Qt.Key.Key_Down)
    key(page.view, Qt.Key.Key_Down)  # admin, chutich, lan
    assert page.rows[page.view.currentIndex().row()]["username"] == "lan"
    key(focused(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Gắn với &cán bộ…
    qtbot.waitUntil(lambda: getattr(page, "dialog", None) is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog.officer.currentText() == "Phạm Thị Lan"  # her own name, not the longer one
    qtbot.waitUntil(lambda: focused() is dialog.officer)
    key(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert {u["username"]: u["officer_id"] for u in office.users.all()}["lan"] == lan_officer
    assert page.model.item(2, 3).text() == "Phạm Thị Lan"
    assert w.statusBar().currentMessage() == (
        "Đã ghi: gắn tài khoản lan với cán bộ Phạm Thị Lan; Ctrl+Z để hoàn tác.")

    # relinked to another officer, by typing in the list
    back_to(qtbot, w)
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(2, 0))
    key(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.dialog is not dialog and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog.officer.currentText() == "Phạm Thị Lan"  # where it is linked now
    qtbot.waitUntil(lambda: focused() is dialog.officer)
    while dialog.officer.currentData() != hung:
        key(dialog.officer, Qt.Key.Key_Down)
    key(dialog.officer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert {u["username"]: u["officer_id"] for u in office.users.all()}["lan"] == hung
    # and undone with Ctrl+Z
    back_to(qtbot, w)
    key(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {u["username"]: u["officer_id"] for u in office.users.all()}["lan"] == lan_officer
    assert said == []
    w.close()


def test_an_officer_is_linked_to_one_account_only(qtbot, office, said):
    from core.ops.people import link_officer

    hung = office.officer_id("Trần Văn Hùng")
    office.users.add("hung", "motcua2027", "officer", "Trần Văn Hùng", hung)
    w = window_as(qtbot, office, "admin", "quantri2026")
    lan = next(u["id"] for u in office.users.all() if u["username"] == "lan")
    assert w.ops.run(lambda s: link_officer(s, lan, hung)) is False
    assert said[-1][0] == "error" and "đã gắn với tài khoản hung (Trần Văn Hùng)" in said[-1][1]
    w.close()


def test_a_new_case_goes_to_the_signed_in_officer_once_linked(qtbot, office, said):
    from core.ops.people import link_officer

    lan_officer = office.add_officer("Phạm Thị Lan")
    office.remember("last_officer", "Trần Văn Hùng")  # the colleague who typed last at this desk
    lan = next(u["id"] for u in office.users.all() if u["username"] == "lan")
    link_officer(office, lan, lan_officer)
    w = window_as(qtbot, office, "lan", "motcua2026")
    dialog = new_case_dialog(qtbot, w)
    assert dialog.officer.currentText() == "Phạm Thị Lan"
    dialog.reject()
    w.close()


def test_an_account_not_linked_yet_still_defaults_to_the_officer_of_her_name(qtbot, office, said):
    office.add_officer("Phạm Thị Lan")
    office.remember("last_officer", "Trần Văn Hùng")
    w = window_as(qtbot, office, "lan", "motcua2026")
    dialog = new_case_dialog(qtbot, w)
    assert dialog.officer.currentText() == "Phạm Thị Lan"
    dialog.reject()
    w.close()


def test_the_sign_in_selects_the_last_name_so_the_next_person_types_over_it(qtbot, office):
    office.remember("last_user", "chutich")
    d = SignInDialog(office)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    assert focused() is d.username and d.username.selectedText() == "chutich"
    qtbot.keyClicks(d.username, "lan")  # her name replaces his, never goes into his password
    assert d.username.text() == "lan"
    key(focused(), Qt.Key.Key_Tab)
    assert focused() is d.password
    qtbot.keyClicks(d.password, "motcua2026")
    key(focused(), Qt.Key.Key_Return)
    assert d.user["username"] == "lan" and d.result() == 1
    assert {u["username"]: u["failed_attempts"] for u in office.users.all()}["chutich"] == 0


def test_after_a_sign_out_the_form_is_empty_with_the_cursor_in_the_name(qtbot, office):
    d = SignInDialog(office, username="")
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    assert d.username.text() == "" and focused() is d.username


def test_the_history_names_people_not_logins(qtbot, office, said):
    w = window_as(qtbot, office, "lan", "motcua2026")
    register = w.page("Sổ hồ sơ")
    register.table.setFocus()
    register.table.selectRow(0)
    key(focused(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # resolved today
    qtbot.waitUntil(lambda: register.dialog is not None and register.dialog.isActiveWindow())
    key(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.dialog is None or not register.dialog.isVisible())
    back_to(qtbot, w)
    register.table.setFocus()
    key(focused(), Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: register.dialog is not None and register.dialog.isVisible())
    people = [register.dialog.model.item(r, 1).text() for r in range(register.dialog.model.rowCount())]
    assert people[-1] == "Phạm Thị Lan" and "lan" not in people
    register.dialog.reject()
    w.close()


def test_a_new_officers_account_creates_her_officer_for_the_first_import(qtbot, office, said):
    office.sign_in_as(office.users.authenticate("admin", "quantri2026"))
    d = UserDialog(office)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    d.username.setFocus()
    qtbot.keyClicks(d.username, "hoa")
    key(focused(), Qt.Key.Key_Tab)
    type_text(focused(), "Ngô Thị Hoa")
    assert d.role.currentData() == "officer" and d.officer.currentData() == NEW_OFFICER
    d.password.setFocus()
    qtbot.keyClicks(d.password, "motcua2028")
    key(focused(), Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "motcua2028")
    key(focused(), Qt.Key.Key_Return)
    assert d.result() == 1, d.error.text()
    hoa = office.officer_id("Ngô Thị Hoa")
    assert hoa is not None
    assert {u["username"]: u["officer_id"] for u in office.users.all()}["hoa"] == hoa


def test_a_name_already_in_the_catalogue_is_chosen_not_created(qtbot, office, said):
    office.sign_in_as(office.users.authenticate("admin", "quantri2026"))
    d = UserDialog(office)
    qtbot.addWidget(d)
    d.full_name.setFocus()
    type_text(d.full_name, "Trần Văn Hùng")
    assert d.officer.currentText() == "Trần Văn Hùng"


def _evaluation_as(qtbot, store, username):
    store.sign_in_as(store.users.authenticate(username, "motcua2026" if username == "lan" else "chutich2026"))
    w = MainWindow(store, today=dt.date(2023, 11, 1))
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w, w.page("Đánh giá cán bộ")


def test_an_officer_types_her_own_self_score_and_sees_only_her_form(qtbot, evaluation_office, said):  # noqa: F811
    store = evaluation_office
    lan = store.officer_id("Phạm Thị Lan")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan", lan)
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    w, page = _evaluation_as(qtbot, store, "lan")
    w.nav.setCurrentRow([w.nav.item(i).text() for i in range(w.nav.count())].index("Đánh giá cán bộ"))
    assert [page.table_model.item(r, 0).text() for r in range(page.table_model.rowCount())] == ["Phạm Thị Lan"]
    own = page.self_spins["chinh_tri"]
    assert own.isEnabled() and not page.spins["chinh_tri"].isEnabled()
    assert page.save_button.text() == "&Lưu điểm tự chấm" and page.save_button.isEnabled()
    own.setFocus()
    own.lineEdit().selectAll()
    qtbot.keyClicks(own.lineEdit(), "7,5")
    key(own, Qt.Key.Key_Tab)
    key(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: store.evaluations.entry(lan, "2023-Q3")["self"] == {"chinh_tri": 7.5})
    assert store.evaluations.entry(lan, "2023-Q3")["manual"] == {}
    assert said == []
    w.close()

    w, page = _evaluation_as(qtbot, store, "chutich")
    names = [page.table_model.item(r, 0).text() for r in range(page.table_model.rowCount())]
    assert names == ["Phạm Thị Lan", "Trần Văn Hùng"]  # the chairman sees all
    assert page.self_spins["chinh_tri"].value() == 7.5
    w.close()


def test_an_account_without_an_officer_sees_no_ones_form(qtbot, evaluation_office, said):  # noqa: F811
    store = evaluation_office
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan")
    w, page = _evaluation_as(qtbot, store, "lan")
    assert page.table_model.rowCount() == 0
    assert "chưa gắn với cán bộ" in page.status.text()
    w.close()
