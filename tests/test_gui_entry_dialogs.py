"""The entry dialogs as an officer types them (issue 29): no red line before anything is typed, the
reason once a field is left or a save tried; completion without diacritics; no case without its
applicant; Ctrl+Enter, Tab and Esc in the event dialogs; no two Alt letters alike. Real key events."""
import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from core import ops
from tests.conftest import case
from tests.test_gui_register import type_text
from tests.windows import new_case_dialog, shown_window

D = dt.date
TODAY = D(2023, 10, 20)
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def focused():
    return QApplication.focusWidget()


def key(k, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(focused(), k, modifier)


@pytest.fixture
def window(qtbot, store, said):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ"})
    store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    store.insert_cases([
        case("PK-231016-0001", procedure="Đăng ký khai sinh", field="Hộ tịch", applicant="Lê Thị Bình",
             officer="Phạm Thị Lan", received_date=D(2023, 10, 16), due_date=D(2023, 10, 23), processing_days=5),
    ])
    w = shown_window(qtbot, store, TODAY)
    yield w
    w.close()


def visible_errors(dialog):
    return {k for k, label in dialog.errors.items() if label.isVisible()}


def test_no_red_line_before_anything_is_typed_then_each_reason_once_its_field_is_left(window, qtbot):
    dialog = new_case_dialog(qtbot, window)
    assert visible_errors(dialog) == set()  # Ctrl+N: nothing typed, nothing red
    assert focused() in (dialog.procedure, dialog.procedure.lineEdit())
    key(Qt.Key.Key_Tab)  # the procedure left empty
    qtbot.waitUntil(lambda: visible_errors(dialog) == {"procedure"})
    assert focused() is dialog.applicant and dialog.errors["procedure"].text() == "Chọn thủ tục trong danh mục."
    type_text(focused(), "Ngu")  # typing in a field not yet left writes nothing under it
    assert "applicant" not in visible_errors(dialog)
    for _ in range(3):
        key(Qt.Key.Key_Backspace)
    key(Qt.Key.Key_Tab)  # left empty: now the reason shows
    assert visible_errors(dialog) == {"procedure", "applicant"}
    assert dialog.errors["applicant"].text() == "Chưa nhập người nộp hồ sơ."


def test_no_case_is_saved_without_its_applicant(window, qtbot):
    dialog = new_case_dialog(qtbot, window)
    type_text(focused(), "Đăng ký khai sinh")
    key(Qt.Key.Key_Return)  # Enter saves; the applicant is missing: said under the field, nothing saved
    assert dialog.isVisible() and visible_errors(dialog) == {"applicant"}
    assert focused() is dialog.applicant  # the cursor where the fix is typed
    assert window.store.case_count() == 1
    type_text(focused(), "Trần Thị Mai")
    assert visible_errors(dialog) == set()
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.store.case_count() == 2
    # the same rule in the one operation behind the window (a case file may lack it: §2 keeps it optional)
    proc, officer = window.store.procedures()[0], window.store.officers()[0]
    with pytest.raises(ops.OpRefused, match="chưa nhập người nộp hồ sơ"):
        ops.add_case(window.store, {"code": "PK-231020-0099", "procedure_id": proc["id"], "officer_id": officer["id"],
                                    "applicant": "  ", "received_date": "2023-10-20", "due_date": "2023-10-25",
                                    "channel": 1, "digitized": 1}, TODAY)


def test_a_procedure_typed_without_diacritics_completes(window, qtbot):
    dialog = new_case_dialog(qtbot, window)
    QTest.keyClicks(focused(), "dang ky khai sinh")
    popup = dialog.procedure.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    names = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert "Đăng ký khai sinh" in names
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.procedure.currentText() == "Đăng ký khai sinh")
    assert dialog.field.text() == "Hộ tịch"


def test_esc_on_a_half_typed_case_asks_first(window, qtbot, said, monkeypatch):
    from gui import messages

    answers = [False, True]
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": said.append(("ask", text)) or answers.pop(0))
    dialog = new_case_dialog(qtbot, window)
    type_text(focused(), "Đăng ký")
    key(Qt.Key.Key_Escape)
    assert said[-1] == ("ask", "Bỏ hồ sơ đang nhập? Những gì đã gõ sẽ mất.")
    assert dialog.isVisible() and dialog.procedure.currentText() == "Đăng ký"  # "Không": kept as typed
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    asked = len(said)
    dialog = new_case_dialog(qtbot, window)  # nothing typed: Esc closes without a question
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(said) == asked


def _event_dialog(qtbot, window, k=Qt.Key.Key_B, modifier=CTRL):
    page = window.page("Sổ hồ sơ")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    page.table.selectRow(0)
    QTest.keyClick(page.table, k, modifier)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    qtbot.waitUntil(page.dialog.isActiveWindow)
    return page, page.dialog


def test_event_dialog_tab_from_the_note_goes_to_save_and_ctrl_enter_saves(window, qtbot, said):
    page, dialog = _event_dialog(qtbot, window)
    assert not dialog.error.isVisible()  # Ctrl+B: nothing red before anything is typed
    assert focused() is dialog.note
    type_text(focused(), "Tờ khai có chữ ký")
    key(Qt.Key.Key_Tab)
    assert focused() is dialog.buttons.button(dialog.buttons.StandardButton.Ok)  # "Ghi nhận", never "Hủy"
    assert focused().text() == "Ghi nhận"
    key(Qt.Key.Key_Backtab)
    assert focused() is dialog.note
    key(Qt.Key.Key_Return, CTRL)  # saves from the note itself
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case_id = window.store.db.execute("SELECT id FROM cases WHERE code = 'PK-231016-0001'").fetchone()[0]
    assert window.store.cases.get(case_id, today=TODAY)["state"] == "supplement"
    assert said[-1][0] == "ask" and "phiếu yêu cầu bổ sung" in said[-1][1]  # the form is offered
    page.preview.close()


def test_event_dialog_esc_on_a_half_typed_note_asks(window, qtbot, said, monkeypatch):
    from gui import messages

    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": said.append(("ask", text)) or False)
    page, dialog = _event_dialog(qtbot, window, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)  # refusal
    type_text(focused(), "Không đủ")
    key(Qt.Key.Key_Escape)
    assert said[-1] == ("ask", "Bỏ những gì đã gõ và đóng?") and dialog.isVisible()
    assert dialog.note.toPlainText() == "Không đủ"
    dialog.reject()


def _mnemonics(widget):
    letters = []
    for w in widget.findChildren(QAbstractButton) + widget.findChildren(QLabel):
        if w.isHidden() or (isinstance(w, QLabel) and w.buddy() is None):
            continue
        m = re.search(r"&([^&\s])", w.text().replace("&&", ""))
        if m:
            letters.append((m.group(1).lower(), w.text()))
    return letters


def test_no_two_alt_letters_alike_in_the_import_dialog(window, qtbot):
    dialog = window.open_import()
    letters = [m for m, _ in _mnemonics(dialog)]
    assert "c" in letters and len(letters) == len(set(letters)), _mnemonics(dialog)
    dialog.reject()


def test_alt_s_opens_the_events_menu_as_the_readme_says(window, qtbot):
    page = window.page("Sổ hồ sơ")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    key(Qt.Key.Key_S, ALT)
    qtbot.waitUntil(page.event_menu.isVisible)
    assert not any(m.isVisible() for m in window.menuBar().findChildren(type(page.event_menu))
                   if m is not page.event_menu)
    page.event_menu.close()
