"""The one date field (issue 29): typed as in Excel, the whole date selected on focus, a calendar on
F4 and Alt+Down that never changes the value by itself. Driven by real key events."""
import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.windows import new_case_dialog
from gui.date_field import DateField, read_date
from tests.test_gui_register import window  # noqa: F401  (the fixture)

D = dt.date
TODAY = D(2023, 9, 15)


def focused():
    return QApplication.focusWidget()


@pytest.mark.parametrize("typed, meant", [
    ("5/12", D(2023, 12, 5)), ("05/12/2026", D(2026, 12, 5)), ("5/12/26", D(2026, 12, 5)),
    ("5-12-2026", D(2026, 12, 5)), ("5.12.2026", D(2026, 12, 5)), (" 5 / 12 / 2026 ", D(2026, 12, 5)),
    ("05122026", D(2026, 12, 5)), ("051226", D(2026, 12, 5)), ("0512", D(2023, 12, 5)),
    ("25/12/2026", D(2026, 12, 25)), ("29/2/2024", D(2024, 2, 29)),
])
def test_dates_typed_as_people_type_them(typed, meant):
    assert read_date(typed, TODAY) == meant


@pytest.mark.parametrize("typed", ["", "5", "31/2/2026", "5/13", "5/12/202", "hôm qua", "512", "5/12/2026/1",
                                   "1/1/1800"])
def test_what_is_not_a_date_is_not_read(typed):
    assert read_date(typed, TODAY) is None


@pytest.fixture
def field(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    box = QWidget()
    layout = QVBoxLayout(box)
    before, f, after = QLineEdit(), DateField(D(2026, 12, 5), today=TODAY), QLineEdit()
    for w in (before, f, after):
        layout.addWidget(w)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    f.before, f.after, f.box = before, after, box  # the box lives as long as the field
    return f


def test_the_whole_date_is_selected_and_replaced_after_tab_and_shift_tab(qtbot, field):
    field.before.setFocus()
    QTest.keyClick(field.before, Qt.Key.Key_Tab)
    assert focused() is field
    qtbot.waitUntil(lambda: field.selectedText() == "05/12/2026")
    qtbot.keyClicks(field, "5/1")
    QTest.keyClick(field, Qt.Key.Key_Tab)
    assert field.date() == QDate(2023, 1, 5) and field.text() == "05/01/2023"
    QTest.keyClick(focused(), Qt.Key.Key_Backtab)  # back with Shift+Tab: never into the year alone
    assert focused() is field
    qtbot.waitUntil(lambda: field.selectedText() == "05/01/2023")
    qtbot.keyClicks(field, "25/12/2026")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert field.date() == QDate(2026, 12, 25) and field.text() == "25/12/2026"


def test_a_click_selects_the_whole_date_too(qtbot, field):
    field.after.setFocus()
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.selectedText() == "05/12/2026")
    qtbot.keyClicks(field, "05122026")
    assert field.date() == QDate(2026, 12, 5)


def test_an_unreadable_date_is_said_and_kept_as_typed(qtbot, field):
    field.setFocus()
    field.selectAll()
    seen = []
    field.dateChanged.connect(seen.append)
    qtbot.keyClicks(field, "31/2")
    QTest.keyClick(field, Qt.Key.Key_Tab)
    assert not field.is_valid() and field.text() == "31/2"
    assert "Không đọc được ngày “31/2”" in field.problem() and "05/12/2026" in field.problem()
    assert field.date() == QDate(2026, 12, 5)  # the last date read; the dialogs refuse meanwhile
    field.setFocus()
    qtbot.waitUntil(lambda: field.selectedText() == "31/2")
    qtbot.keyClicks(field, "1/3")
    assert field.is_valid() and field.date() == QDate(2023, 3, 1)


@pytest.mark.parametrize("opening", [(Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
                                     (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)])
def test_the_calendar_opens_without_changing_the_date(qtbot, field, opening):
    field.setFocus()
    QTest.keyClick(field, *opening)
    popup = field.popup
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible())
    assert popup.calendar.selectedDate() == QDate(2026, 12, 5)
    assert field.date() == QDate(2026, 12, 5)
    grid = popup.calendar.focusProxy() or popup.calendar  # the days' grid has the keys
    QTest.keyClick(grid, Qt.Key.Key_Right)  # moving in the calendar changes nothing
    QTest.keyClick(grid, Qt.Key.Key_Right)
    assert popup.calendar.selectedDate() == QDate(2026, 12, 7)
    assert field.date() == QDate(2026, 12, 5)
    QTest.keyClick(grid, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert field.date() == QDate(2026, 12, 5) and field.text() == "05/12/2026"


def test_enter_in_the_calendar_takes_the_day(qtbot, field):
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_F4)
    popup = field.popup
    qtbot.waitUntil(popup.isVisible)
    grid = popup.calendar.focusProxy() or popup.calendar  # the days' grid has the keys
    QTest.keyClick(grid, Qt.Key.Key_Right)
    assert field.date() == QDate(2026, 12, 5)
    QTest.keyClick(grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert field.date() == QDate(2026, 12, 6) and field.text() == "06/12/2026"


def test_the_calendar_marks_public_holidays(qtbot):
    f = DateField(D(2023, 9, 1), today=TODAY)
    qtbot.addWidget(f)
    f.show()
    popup = f.open_calendar()
    national_day = popup.calendar.dateTextFormat(QDate(2023, 9, 2))
    assert national_day.foreground().color().name() == "#b00020" and national_day.toolTip()
    assert popup.calendar.dateTextFormat(QDate(2023, 9, 12)).toolTip() == ""  # a working day
    popup.close()


def test_the_case_dialog_takes_a_due_date_typed_after_shift_tab(window, qtbot):  # noqa: F811
    dialog = new_case_dialog(qtbot, window)
    assert isinstance(dialog.received, DateField) and isinstance(dialog.due, DateField)
    QTest.keyClick(focused(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # Ngày t&iếp nhận
    qtbot.waitUntil(lambda: focused() is dialog.received and dialog.received.selectedText() == "15/09/2023")
    qtbot.keyClicks(dialog.received, "14/9")
    assert dialog.received.date() == QDate(2023, 9, 14)
    dialog.channel_group.button(1).setFocus()
    QTest.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is dialog.due
    qtbot.waitUntil(lambda: dialog.due.selectedText() == dialog.due.text())
    qtbot.keyClicks(dialog.due, "25/9/2023")
    assert dialog.due.date() == QDate(2023, 9, 25) and dialog.due_note.text() == "sửa tay"
    qtbot.keyClicks(dialog.due, "x")  # now unreadable: saving is refused, the reason under the field once left
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert "Không đọc được ngày" in dialog.errors["due_date"].text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    dialog.reject()
