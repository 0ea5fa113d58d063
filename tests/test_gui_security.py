"""pytest-qt tests of sign-in, roles in the window, history, deletion and users."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests import windows
from gui import messages
from gui.sign_in import SignInDialog, UserDialog
from tests.conftest import case
from tests.test_gui_register import type_text

TODAY = dt.date(2023, 9, 15)




@pytest.fixture
def office(store):
    store.users.add("admin", "quantri2026", "admin", "Quản Trị")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan")
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    store.insert_cases([case("C1", officer="Phạm Thị Lan", received_date=TODAY, due_date=TODAY)])
    return store


def window_as(qtbot, store, user, password):
    return windows.window_as(qtbot, store, user, password, TODAY)


def test_the_first_run_creates_the_administrator(qtbot, store):
    d = UserDialog(store, first=True)
    qtbot.addWidget(d)
    assert [d.role.itemData(i) for i in range(d.role.count())] == ["admin"]
    d.password.setText("quantri2026")
    d.repeat.setText("quantri2025")
    assert d.create() is False and d.error.text() == "Hai lần nhập mật khẩu không khớp."
    d.repeat.setText("quantri2026")
    assert d.create() is True
    assert store.users.all()[0]["role"] == "admin" and store.users.all()[0]["username"] == "admin"


def test_sign_in_refuses_a_wrong_password_then_locks(qtbot, office):
    d = SignInDialog(office)
    qtbot.addWidget(d)
    type_text(d.username, "lan")
    for _ in range(4):
        d.password.setText("sai-mat-khau1")
        assert d.try_sign_in() is False
        assert d.error.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
        assert d.password.text() == ""
    d.password.setText("sai-mat-khau1")
    d.try_sign_in()
    assert "tạm khoá 15 phút" in d.error.text()
    d.password.setText("motcua2026")
    assert d.try_sign_in() is False and "tạm khoá đến" in d.error.text()


def test_sign_in_with_the_right_password(qtbot, office):
    d = SignInDialog(office)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)
    d.username.setText("chutich")
    d.password.setText("chutich2026")
    qtbot.keyClick(d.password, Qt.Key.Key_Return)
    assert d.user["role"] == "chairman" and d.result() == 1


def test_an_officers_window_refuses_chairman_work(qtbot, office, said):
    w = window_as(qtbot, office, "lan", "motcua2026")
    assert "Phạm Thị Lan (Cán bộ một cửa)" in w.status_label.text()
    assert "Người dùng" not in [w.nav.item(i).text() for i in range(w.nav.count())]
    evaluation = w.page("Đánh giá cán bộ")
    assert not evaluation.approve_button.isEnabled()
    catalogues = w.page("Danh mục")
    catalogues.add_target()
    assert said[-1] == ("error", "Chỉ chủ tịch được đặt chỉ tiêu.")
    assert office.target("on_time", dt.date(2026, 12, 31)) == 100.0
    w.close()


def test_a_chairmans_window_does_not_enter_cases(qtbot, office, said):
    w = window_as(qtbot, office, "chutich", "chutich2026")
    register = w.page("Sổ hồ sơ")
    register.new_case()
    assert said[-1] == ("error", "Chỉ cán bộ một cửa được tiếp nhận và sửa hồ sơ.")
    assert register.dialog is None
    assert w.page("Đánh giá cán bộ").approve_button.isEnabled()
    w.close()


def test_delete_with_a_reason_history_and_restore(qtbot, office, said):
    w = window_as(qtbot, office, "lan", "motcua2026")
    register = w.page("Sổ hồ sơ")
    case_id = office.db.execute("SELECT id FROM cases WHERE code = 'C1'").fetchone()[0]
    register.select_case(case_id)
    register.resolve_case()
    register.dialog.buttons.accepted.emit()
    register.select_case(case_id)
    register.show_history()
    rows = [[register.dialog.model.item(r, c).text() for c in range(4)]
            for r in range(register.dialog.model.rowCount())]
    assert rows[-1][1:3] == ["Phạm Thị Lan", "Sửa"] and "Ngày có kết quả: (trống) → 15/09/2023" in rows[-1][3]
    register.dialog.reject()
    register.delete_case()
    assert register.count.text() == "0 hồ sơ"
    catalogues = w.page("Danh mục")
    assert [r["reason"] for r in catalogues.deleted.rows] == ["Nhập trùng"]
    catalogues.deleted_view.setCurrentIndex(catalogues.deleted.index(0, 0))
    catalogues.restore_deleted()
    assert office.case_count() == 1 and catalogues.deleted.rows == []
    assert w.page("Sổ hồ sơ").count.text() == "1 hồ sơ"
    w.close()


def test_the_administrator_manages_users(qtbot, office, said, monkeypatch):
    w = window_as(qtbot, office, "admin", "quantri2026")
    page = w.page("Người dùng")
    names = [page.model.item(r, 0).text() for r in range(page.model.rowCount())]
    assert names == ["admin", "chutich", "lan"]
    page.view.setCurrentIndex(page.model.index(2, 0))
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "moimatkhau9")
    page.reset_password()
    assert office.users.authenticate("lan", "moimatkhau9")["username"] == "lan"
    page.view.setCurrentIndex(page.model.index(2, 0))
    page.toggle_active()
    assert page.model.item(2, 4).text() == "ngừng"
    w.close()


def test_a_new_case_defaults_to_the_signed_in_officer(qtbot, office, said):
    hung = office.add_officer("Trần Văn Hùng", "Công chức Tư pháp - Hộ tịch")
    office.users.add("hung", "motcua2027", "officer", "Trần Văn Hùng", hung)
    office.remember("last_officer", "Phạm Thị Lan")
    w = window_as(qtbot, office, "hung", "motcua2027")
    register = w.page("Sổ hồ sơ")
    register.new_case()
    assert register.dialog.officer.currentText() == "Trần Văn Hùng"
    register.dialog.reject()
    w.close()
