"""The register readable at 1366 px (issue 29): long codes show their tail, the state beside the code,
columns sized to content and remembered, a status-bar line after each action."""
import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from gui.main_window import MainWindow
from gui.register_model import KEYS
from tests.conftest import case

D = dt.date
TODAY = D(2026, 10, 5)
LONG = ("000.15.23.H23-261003-0007", "000.15.23.H23-261003-0008")


@pytest.fixture
def window(qtbot, store, said):
    store.insert_cases([case(code, officer="Phạm Thị Lan", received_date=D(2026, 10, 3), due_date=D(2026, 10, 8),
                             procedure="Đăng ký khai sinh", field="Hộ tịch") for code in LONG])
    w = MainWindow(store, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w
    w.close()


def test_the_state_is_beside_the_code_and_long_codes_show_their_tail(window, qtbot):
    page = window.page("Sổ hồ sơ")
    header = page.table.horizontalHeader()
    assert header.visualIndex(KEYS.index("code")) == 0 and header.visualIndex(KEYS.index("state")) == 1
    qtbot.waitUntil(lambda: page.columns.sized)
    code = KEYS.index("code")
    width = page.table.columnWidth(code)
    full = page.table.fontMetrics().horizontalAdvance(LONG[0])
    index = page.model.index(0, code)
    option = QStyleOptionViewItem()
    page.table.itemDelegateForColumn(code).initStyleOption(option, index)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    shown = option.fontMetrics.elidedText(option.text, Qt.TextElideMode.ElideMiddle, width - 12)
    assert shown[-4:] in ("0007", "0008") and (width >= full or "…" in shown)
    assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) in LONG
    # what the page shows at 1366 px: the state column wholly within the table's view
    state_right = header.sectionViewportPosition(KEYS.index("state")) + header.sectionSize(KEYS.index("state"))
    assert state_right <= page.table.viewport().width()


def _drag(widget, start: QPoint, end: QPoint):
    """A mouse drag with the button held (QTest's mouseMove carries no button)."""
    def send(kind, at, button, buttons):
        QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(at), QPointF(widget.mapToGlobal(at)), button,
                                                   buttons, Qt.KeyboardModifier.NoModifier))

    left = Qt.MouseButton.LeftButton
    send(QEvent.Type.MouseButtonPress, start, left, left)
    for step in range(1, 6):
        send(QEvent.Type.MouseMove, start + (end - start) * step / 5, Qt.MouseButton.NoButton, left)
    send(QEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)


def test_a_column_widened_by_hand_is_remembered_next_time(window, qtbot, store):
    page = window.page("Sổ hồ sơ")
    qtbot.waitUntil(lambda: page.columns.sized)
    header = page.table.horizontalHeader()
    procedure = KEYS.index("procedure")
    before = header.sectionSize(procedure)
    edge = header.sectionViewportPosition(procedure) + before - 1
    y = header.height() // 2
    _drag(header.viewport(), QPoint(edge, y), QPoint(edge + 60, y))
    assert header.sectionSize(procedure) >= before + 50
    widened = header.sectionSize(procedure)
    qtbot.waitUntil(lambda: not page.columns._save_timer.isActive())
    window.close()

    again = MainWindow(store, today=TODAY)
    qtbot.addWidget(again)
    again.show()
    header = again.page("Sổ hồ sơ").table.horizontalHeader()
    assert header.sectionSize(procedure) == widened
    assert header.visualIndex(KEYS.index("state")) == 1
    again.close()


def test_a_quick_action_says_what_was_written_and_how_to_undo(window, qtbot):
    page = window.page("Sổ hồ sơ")
    page.table.setFocus()
    page.table.selectRow(0)
    code = page.model.row_of(0)["code"]
    QTest.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "")
    assert window.statusBar().currentMessage() == f"Đã ghi chứng thực điện tử {code}; Ctrl+Z để hoàn tác."
    assert window.store.cases.values(page.model.case_id(0))["e_certified"] == 1
    QTest.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == (
        f"Đã hoàn tác: ghi chứng thực điện tử {code}; Ctrl+Y để làm lại.")
    assert window.store.cases.values(page.model.case_id(0))["e_certified"] == 0
