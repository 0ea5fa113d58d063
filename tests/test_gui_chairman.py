"""The chairman's pages at 1366×768 (issue 29): what he came for without dragging a splitter: the
overdue list's rows, the case with its events, the scores' save button; a score above its maximum
refused with a message. Driven by keys."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import case
from tests.test_gui_fit import PASSWORDS
from tests.test_evaluation import office as evaluation_office  # noqa: F401  (the fixture)

D = dt.date
TODAY = D(2023, 9, 15)


def focused():
    return QApplication.focusWidget()


@pytest.fixture
def office(store):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "unit_code": "PK", "place": "Phượng Kỳ"})
    lan = store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    store.users.add("lan", PASSWORDS["lan"], "officer", "Phạm Thị Lan", lan)
    store.users.add("chutich", PASSWORDS["chutich"], "chairman", "Tấn Văn Duẩn")
    store.insert_cases([case(f"PK-2308{d:02d}-0001", officer="Phạm Thị Lan", applicant=f"Người nộp {d}",
                             received_date=D(2023, 8, d), due_date=D(2023, 8, d + 3)) for d in range(1, 13)])
    return store


def window_as(qtbot, store, user, size=(1366, 768)):
    from tests.windows import shown_window

    return shown_window(qtbot, store, TODAY, user, PASSWORDS[user], size=size, active=True)


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1093, 614)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_dashboards_overdue_list_shows_enough_rows(qtbot, office, said, size):
    w = window_as(qtbot, office, "chutich", size)
    page = w.page("Bảng điều hành")
    page._draw_current()
    QApplication.processEvents()
    view = page.overdue_view
    assert page.overdue_model.rowCount() == 12
    rows = view.viewport().height() // view.rowHeight(0)
    assert rows >= 5, rows  # was one and a half at 1366×768
    assert page.charts.height() >= 300  # the charts still readable
    wide = size[0] > 1100
    assert (page.splitter.orientation() == Qt.Orientation.Horizontal) == wide  # beside the charts, else under
    if size[1] >= 720:
        assert not page.page_scroll.verticalScrollBar().isVisible()
    else:  # Windows' 125 % on a 1366×768 screen: the page scrolls, the charts keep their width
        assert page.charts.width() >= page.width() - 40
    w.close()



def test_the_read_only_case_view_shows_the_cases_events(qtbot, office, said):
    from core import ops

    code = "PK-230801-0001"
    case_id = office.cases.id_by_code(code)
    ops.record_event(office, case_id, "supplement_requested", D(2023, 8, 2), note="Tờ khai có chữ ký", today=TODAY)
    ops.record_event(office, case_id, "supplement_returned", D(2023, 8, 3), today=TODAY)
    ops.record_event(office, case_id, "extended", D(2023, 8, 7), note="Chờ xác minh",
                     new_date=D(2023, 8, 10), today=TODAY)
    refused = office.cases.id_by_code("PK-230802-0001")
    ops.record_event(office, refused, "refused", D(2023, 8, 3), note="Không thuộc thẩm quyền", today=TODAY)
    w = window_as(qtbot, office, "chutich")
    dashboard = w.page("Bảng điều hành")
    dashboard.set_period("month", 2023, 8)
    view = dashboard.overdue_view
    row = next(r for r in range(dashboard.overdue_model.rowCount()) if dashboard.overdue_model.item(r, 0).text() == code)
    view.setFocus()
    view.setCurrentIndex(dashboard.overdue_model.index(row, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)  # Enter opens the case, read only for the chairman
    register = w.page("Sổ hồ sơ")
    qtbot.waitUntil(lambda: register.dialog is not None and register.dialog.isVisible())
    dialog = register.dialog
    assert dialog.read_only and dialog.events is not None
    shown = [[dialog.events.item(r, c).text() for c in range(3)] for r in range(dialog.events.rowCount())]
    assert shown == [["02/08/2023", "Yêu cầu bổ sung hồ sơ", "Tờ khai có chữ ký"],
                     ["03/08/2023", "Nhận hồ sơ bổ sung", ""],
                     ["07/08/2023", "Xin lỗi và hẹn lại ngày trả", "hẹn trả lại 10/08/2023; Chờ xác minh"]]
    assert dialog.events.isVisible()
    dialog.reject()
    # the refused case: its refusal and reason
    from gui.case_dialog import CaseDialog

    other = CaseDialog(office, register.calendar, w, case_id=refused, today=TODAY, read_only=True)
    qtbot.addWidget(other)
    assert [other.events.item(0, c).text() for c in range(3)] == [
        "03/08/2023", "Từ chối tiếp nhận, giải quyết", "Không thuộc thẩm quyền"]
    w.close()


def test_the_evaluation_page_at_1366x768_refuses_a_score_above_the_maximum(qtbot, evaluation_office, said):
    from tests.test_gui_fit import _scrolls

    store = evaluation_office
    from tests.windows import shown_window

    store.users.add("chutich", PASSWORDS["chutich"], "chairman", "Tấn Văn Duẩn")
    w = shown_window(qtbot, store, D(2023, 11, 1), "chutich", PASSWORDS["chutich"], size=(1366, 768), active=True)
    page = w.page("Đánh giá cán bộ")
    w.nav.setCurrentRow([w.nav.item(i).text() for i in range(w.nav.count())].index("Đánh giá cán bộ"))
    qtbot.waitUntil(page.isVisible)
    page.table.selectRow(0)
    QApplication.processEvents()
    save = page.save_button
    assert save.text() == "&Lưu điểm và nhận xét"
    # in sight without scrolling: not inside the criteria's scroll area, wholly inside the window
    assert save.isVisible() and not _scrolls(save)
    top_left = save.mapTo(w, save.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + save.height() <= w.height()
    # criterion names beside narrow score boxes: three lines at most, not seven
    criteria = {line.criterion["name"] for line in page.selected_sheet().lines}
    items = [page.detail_form.itemAt(r, role) for r in range(page.detail_form.rowCount())
             for role in (page.detail_form.ItemRole.LabelRole, page.detail_form.ItemRole.SpanningRole)]
    names = [i.widget() for i in items if i is not None and isinstance(i.widget(), QLabel)
             and i.widget().text() in criteria]
    assert len(names) == len(criteria)
    for lab in names:
        assert lab.height() <= 3 * lab.fontMetrics().lineSpacing() + 6, (lab.text(), lab.height())

    key, spin = next(iter(page.spins.items()))
    top = spin.property("top")
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin.lineEdit(), "12")  # the maximum is 10 or less: typed, not swallowed
    assert "12" in spin.text()
    save.setFocus()
    QTest.keyClick(save, Qt.Key.Key_Space)
    assert said[-1][0] == "error" and "vượt điểm tối đa" in said[-1][1] and f"{top:g}" in said[-1][1]
    lan = store.officer_id("Phạm Thị Lan")
    assert store.evaluations.entry(lan, "2023-Q3")["manual"] == {}  # nothing saved, nothing cut to the maximum
    assert focused() in (spin, spin.lineEdit())
    w.close()
