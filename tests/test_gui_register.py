"""pytest-qt tests that drive the real register widgets."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.windows import new_case_dialog, shown_window
from tests.conftest import case

D = dt.date
TODAY = D(2023, 9, 15)




@pytest.fixture
def window(qtbot, store, said):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ"})
    store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    store.insert_cases([
        case("PK-230901-0001", officer="Trần Văn Hùng", received_date=D(2023, 9, 1), due_date=D(2023, 9, 6)),
        case("PK-230905-0001", officer="Phạm Thị Lan", procedure="Đăng ký khai sinh", field="Hộ tịch",
             applicant="Lê Thị Bình", received_date=D(2023, 9, 5), due_date=D(2023, 9, 15)),
        case("PK-230905-0002", officer="Phạm Thị Lan", has_fee=1, received_date=D(2023, 9, 5),
             due_date=D(2023, 9, 5), resolved_date=D(2023, 9, 5)),
        case("PK-230807-0001", officer="Trần Văn Hùng", received_date=D(2023, 8, 7), due_date=D(2023, 8, 7),
             resolved_date=D(2023, 8, 8)),
    ])
    w = shown_window(qtbot, store, TODAY)
    yield w
    w.close()


def type_text(widget, text):
    """Type like a person, Vietnamese letters included (QTest.keyClicks takes ASCII only)."""
    for ch in text:
        if ch.isascii():
            QTest.keyClick(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)


def focused():
    return QApplication.focusWidget()


def codes(page):
    return [page.model.row_of(r)["code"] for r in range(page.model.rowCount())]


def test_the_register_shows_cases_newest_first_with_title_and_count(window):
    page = window.page("Sổ hồ sơ")
    assert "Bộ phận Một cửa" in window.windowTitle() and "PHƯỢNG KỲ" in window.windowTitle()
    assert codes(page)[0] in ("PK-230905-0002", "PK-230905-0001")
    assert codes(page)[-1] == "PK-230807-0001"
    assert page.count.text() == "4 hồ sơ"
    model = page.model
    states = {model.row_of(r)["code"]: model.data(model.index(r, 12)) for r in range(4)}
    assert states == {"PK-230901-0001": "Đang quá hạn", "PK-230905-0001": "Đến hạn hôm nay",
                      "PK-230905-0002": "Đúng hạn", "PK-230807-0001": "Quá hạn"}
    overdue_row = codes(page).index("PK-230901-0001")
    assert model.data(model.index(overdue_row, 0), Qt.ItemDataRole.BackgroundRole) is not None


def test_enter_a_case_with_the_keyboard_only_and_find_it(window, qtbot):
    page = window.page("Sổ hồ sơ")
    dialog = new_case_dialog(qtbot, window)
    assert dialog is not None and dialog.isVisible()
    assert dialog.code.text() == "PK-230915-0001"
    assert dialog.received.date().toString("dd/MM/yyyy") == "15/09/2023"
    assert focused() is dialog.procedure.lineEdit() or focused() is dialog.procedure
    type_text(focused(), "Đăng ký nhận cha, mẹ, con")
    assert dialog.field.text() == "Hộ tịch"
    # 3 working days after Friday 15/9/2023: 18, 19, 20
    assert dialog.due.date().toString("dd/MM/yyyy") == "20/09/2023"
    assert dialog.has_fee.isChecked()
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.applicant
    type_text(focused(), "Nguyễn Văn Hòa")
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # online
    qtbot.waitUntil(lambda: dialog.channel_group.checkedId() == 2)  # a mnemonic clicks after a beat
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert not dialog.isVisible()

    assert page.count.text() == "5 hồ sơ"
    stored = window.store.cases.get(page.selected_id(), today=TODAY)
    assert (stored["code"], stored["procedure"], stored["applicant"]) == (
        "PK-230915-0001", "Đăng ký nhận cha, mẹ, con", "Nguyễn Văn Hòa")
    assert (stored["channel"], stored["due_date"], stored["digitized"], stored["officer"]) == (
        2, "2023-09-20", 1, "Phạm Thị Lan")
    page.search.setFocus()
    type_text(page.search, "Hòa")
    qtbot.waitUntil(lambda: page.count.text() == "1 hồ sơ")
    assert codes(page) == ["PK-230915-0001"]


def test_an_invalid_entry_shows_its_reason_and_saves_nothing(window, qtbot):
    dialog = new_case_dialog(qtbot, window)
    save = dialog.buttons.buttons()[0]
    # nothing typed yet: no red line (issue 29); Enter tries to save and writes every reason
    assert not any(label.isVisible() for label in dialog.errors.values()) and save.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.errors["procedure"].isVisible()
    assert "Chọn thủ tục" in dialog.errors["procedure"].text()
    assert dialog.errors["applicant"].text() == "Chưa nhập người nộp hồ sơ." and not save.isEnabled()
    type_text(dialog.procedure.lineEdit(), "Thủ tục không có")
    assert "không có trong danh mục" in dialog.errors["procedure"].text()
    dialog.procedure.lineEdit().clear()
    type_text(dialog.procedure.lineEdit(), "Đăng ký khai sinh")
    assert not dialog.errors["procedure"].isVisible()
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "PK-230901-0001")
    assert dialog.errors["code"].text() == "Mã PK-230901-0001 đã có."
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "PK-230915-0009")
    dialog.resolved_check.setChecked(True)
    dialog.resolved.setDate(dialog.received.date().addDays(-3))
    assert "trước ngày tiếp nhận" in dialog.errors["resolved_date"].text()
    dialog.has_fee.setChecked(False)
    dialog.paid_online.setChecked(True)
    assert "has_fee" in dialog.errors["paid_online"].text()
    assert save.isEnabled() is False
    dialog.reject()
    assert window.store.case_count() == 4


def test_a_quick_action_changes_the_state_and_undo_restores_it(window, qtbot, said):
    page = window.page("Sổ hồ sơ")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert page.select_case(_id(window, "PK-230905-0001"))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.date.date().toString("dd/MM/yyyy") == "15/09/2023"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    row = window.store.cases.get(_id(window, "PK-230905-0001"), today=TODAY)
    assert (row["resolved_date"], row["state"], row["result_digitized"]) == ("2023-09-15", "on_due", 1)
    assert window.undo_action.text() == "Hoàn tác Đã giải quyết PK-230905-0001"

    window.undo_action.trigger()
    row = window.store.cases.get(_id(window, "PK-230905-0001"), today=TODAY)
    assert (row["resolved_date"], row["state"], row["result_digitized"]) == (None, "due_today", 0)
    window.redo_action.trigger()
    assert window.store.cases.get(_id(window, "PK-230905-0001"), today=TODAY)["state"] == "on_due"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.select_case(_id(window, "PK-230905-0001"))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # no fee: refused
    assert said[-1] == ("error", "Hồ sơ PK-230905-0001 không có phí, lệ phí.")
    page.select_case(_id(window, "PK-230905-0002"))
    qtbot.keyClick(page.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.store.cases.get(_id(window, "PK-230905-0002"))["paid_online"] == 1
    qtbot.keyClick(page.table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.store.cases.get(_id(window, "PK-230905-0002"), today=TODAY)["state"] == "withdrawn"
    window.undo_action.trigger()
    window.undo_action.trigger()
    restored = window.store.cases.get(_id(window, "PK-230905-0002"), today=TODAY)
    assert (restored["state"], restored["paid_online"]) == ("on_due", 0)


def test_undo_of_an_entry_removes_it_and_redo_brings_it_back(window, qtbot):
    page = window.page("Sổ hồ sơ")
    page.new_case()
    type_text(page.dialog.procedure.lineEdit(), "Đăng ký khai tử")
    type_text(page.dialog.applicant, "Lê Văn Báo")
    page.dialog.buttons.accepted.emit()
    assert window.store.case_count() == 5
    window.undo_action.trigger()
    assert window.store.case_count() == 4 and page.count.text() == "4 hồ sơ"
    window.redo_action.trigger()
    assert window.store.case_count() == 5 and "PK-230915-0001" in codes(page)


def _id(window, code):
    return window.store.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]


def test_filters_narrow_the_table(window, qtbot):
    page = window.page("Sổ hồ sơ")
    page.officer.setCurrentText("Phạm Thị Lan")
    assert sorted(codes(page)) == ["PK-230905-0001", "PK-230905-0002"]
    page.state.setCurrentIndex(page.state.findData("due_today"))
    assert codes(page) == ["PK-230905-0001"]
    page.officer.setCurrentIndex(0)
    page.state.setCurrentIndex(page.state.findData("open_overdue"))
    assert codes(page) == ["PK-230901-0001"]
    page.state.setCurrentIndex(0)
    page.period.setCurrentText("2023-08")
    qtbot.waitUntil(lambda: page.count.text() == "1 hồ sơ")
    assert codes(page) == ["PK-230807-0001"]
    page.period.setCurrentText("2023-13")
    qtbot.waitUntil(lambda: page.period_error.isVisible())
    assert "tháng phải từ 1 đến 12" in page.period_error.text()
    page.period.setCurrentText("Tất cả")
    page.field.setCurrentText("Hộ tịch")
    qtbot.waitUntil(lambda: page.count.text() == "1 hồ sơ")
    page.field.setCurrentIndex(0)
    type_text(page.search, "PK-2309")
    qtbot.waitUntil(lambda: page.count.text() == "3 hồ sơ")


def test_sorting_by_a_column(window):
    page = window.page("Sổ hồ sơ")
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert codes(page) == sorted(codes(page))
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [page.model.row_of(r)["officer"] for r in range(4)][0] == "Phạm Thị Lan"


def test_an_import_with_a_bad_row_shows_the_problem_and_writes_nothing(window, qtbot, tmp_path):
    bad = tmp_path / "cases.csv"
    bad.write_text(
        "code,procedure,officer,received_date,channel,digitized\n"
        "N-1,Đăng ký khai sinh,Phạm Thị Lan,2023-09-11,online,1\n"
        "N-2,Đăng ký khai sinh,Phạm Thị Lan,31/02/2023,online,1\n", encoding="utf-8")
    dialog = window.open_import()
    dialog.load(bad)
    qtbot.waitUntil(lambda: dialog.checked is not None and dialog.task is None, timeout=10000)
    assert "1 dòng có lỗi" in dialog.summary.text()
    problems = [dialog.preview.item(r, 1).text() for r in range(dialog.preview.rowCount())]
    assert "received_date: ngày '31/02/2023' không có thật" in problems
    assert not dialog.import_button.isEnabled()
    assert window.store.case_count() == 4

    qtbot.mouseClick(dialog.skip_invalid, Qt.MouseButton.LeftButton,
                     pos=dialog.skip_invalid.rect().topLeft() + dialog.skip_invalid.rect().center() / 8)
    assert dialog.skip_invalid.isChecked()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    assert window.store.case_count() == 5
    page = window.page("Sổ hồ sơ")
    qtbot.waitUntil(lambda: page.count.text() == "5 hồ sơ")


def test_export_from_the_window_writes_every_case(window, qtbot, tmp_path, said):
    out = tmp_path / "out.csv"
    window.export_cases(out)
    qtbot.waitUntil(lambda: window.task is None, timeout=10000)
    assert said[-1] == ("info", f"Đã xuất 4 hồ sơ ra {out}.")
    assert out.read_text(encoding="utf-8-sig").count("\n") == 5


def test_catalogues_add_an_officer_and_set_a_target(window, qtbot, said):
    page = window.page("Danh mục")
    type_text(page.new_officer, "Đỗ Quang Minh")
    qtbot.keyClick(page.new_officer, Qt.Key.Key_Return)
    assert window.store.officer_id("Đỗ Quang Minh") is not None
    register = window.page("Sổ hồ sơ")
    assert register.officer.findText("Đỗ Quang Minh") >= 0
    page = window.page("Danh mục")
    page.target_indicator.setCurrentIndex(page.target_indicator.findData("paid_online"))
    page.target_value.setValue(30)
    page.add_target()
    assert window.store.target("paid_online", D(2026, 12, 31)) == 30.0
    page.new_officer.clear()
    page.add_officer()
    assert said[-1] == ("error", "Nhập họ và tên cán bộ.")


def test_office_details_change_the_title(window, qtbot, said):
    page = window.page("Danh mục")
    page.office["committee"].setText("ỦY BAN NHÂN DÂN XÃ TÁI SƠN")
    page.office["office_name"].setText("Trung tâm Phục vụ hành chính công")
    page.save_office()
    assert "Trung tâm Phục vụ hành chính công" in window.windowTitle()
    assert window.store.settings()["committee"] == "ỦY BAN NHÂN DÂN XÃ TÁI SƠN"


def test_office_details_set_the_number_symbol_and_who_signs(window, said):
    from core.documents import official

    page = window.page("Danh mục")
    page.sign_mode.setCurrentIndex(page.sign_mode.findData("KT"))
    page.office["doc_symbol"].setText("ubnd")
    page.office["signer_name"].setText("")
    page.save_office()
    assert said[-1] == ("error", "Nhập họ tên người ký thay (KT.) hoặc quyền chủ tịch (Q.).")
    page.office["signer_name"].setText("Đào  Văn Soái")
    page.office["signer_title"].setText("Phó Chủ tịch")
    page.save_office()
    stored = window.store.settings()
    assert (stored["sign_mode"], stored["doc_symbol"], stored["signer_name"]) == ("KT", "UBND", "Đào Văn Soái")
    sig = official.signature_from(stored, for_committee=True)
    assert (sig.lines, sig.name) == (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Đào Văn Soái")
    assert official.document_symbol(stored, "BC") == "BC-UBND"
    page.report_receivers.setPlainText("UBND huyện Tứ Kỳ (để b/c);\n\n  Lưu:  VT, VP.")
    page.save_office()
    from core.documents import report

    assert report.receivers(window.store.settings()) == ["UBND huyện Tứ Kỳ (để b/c);", "Lưu: VT, VP."]


def test_first_run_dialog_requires_the_committee(qtbot):
    from gui.first_run import FirstRunDialog

    d = FirstRunDialog({"unit_code": "XA"})
    qtbot.addWidget(d)
    d._ok()
    assert "Nhập tên cơ quan" in d.error.text() and d.result() == 0
    d.fields["committee"].setText("ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ")
    d._ok()
    assert d.result() == 1
    assert d.values()["committee"] == "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ"


def test_search_ignores_diacritics_and_finds_codes_applicants_and_procedures(window, qtbot):
    page = window.page("Sổ hồ sơ")
    for text, expected in (("le thi binh", ["PK-230905-0001"]), ("Bình", ["PK-230905-0001"]),
                           ("PK-2308", ["PK-230807-0001"]), ("khai sinh", ["PK-230905-0001"]),
                           ('"', []), ("không có ai", [])):
        page.search.setText(text)
        page.apply_filters()
        assert sorted(codes(page)) == expected, text
