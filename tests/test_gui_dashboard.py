"""pytest-qt tests of the chairman's dashboard."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core.files import demo
from core.queries import figures
from core.domain import periods
from gui import messages
from gui.main_window import MainWindow

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def window(qtbot, store, monkeypatch):
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    demo.generate(store, cases=2500, seed=9, today=TODAY)
    w = MainWindow(store, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    yield w
    w.close()


def test_switching_period_updates_the_tiles(window, qtbot):
    page = window.page("Bảng điều hành")
    with qtbot.waitSignal(page.chart_drawn, timeout=10000):
        page.set_period("month", 2026, 9)
    sept = figures.compute(window.store, periods.parse("2026-09"), today=TODAY).as_json()["indicators"]
    tile = page.tiles["on_time"]
    item = sept["on_time"]
    assert tile.value.text() == f"{item['rate']:.2f}%".replace(".", ",")
    assert tile.detail.text().startswith(f"{item['numerator']}/{item['denominator']} hồ sơ")
    assert "so với tháng 8/2026" in tile.change.text()
    assert page.heading.text() == "Kết quả tháng 9/2026"

    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    page.sub.setCurrentIndex(page.sub.findData(2))
    q2 = figures.compute(window.store, periods.parse("2026-Q2"), today=TODAY).on_time
    assert page.heading.text() == "Kết quả quý II/2026"
    assert tile.detail.text().startswith(f"{q2.numerator}/{q2.denominator} hồ sơ")
    assert "so với quý I/2026" in tile.change.text()
    assert not page.district_row.isVisible()


def test_the_chart_in_sight_is_drawn_and_can_be_saved(window, qtbot, tmp_path):
    page = window.page("Bảng điều hành")
    qtbot.waitUntil(lambda: page.chart_tabs[0].figure is not None, timeout=10000)
    page.charts.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.chart_tabs[1].figure is not None, timeout=10000)
    labels = [t.get_text() for t in page.chart_tabs[1].figure.axes[0].get_yticklabels()]
    assert "Phạm Thị Lan" in labels
    out = tmp_path / "chart.png"
    page.save_png(page.chart_tabs[1], out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    xlsx = tmp_path / "so-lieu.xlsx"
    page.export_xlsx(xlsx)
    assert xlsx.stat().st_size > 0


def test_district_average_entered_shows_the_gap(window, qtbot):
    page = window.page("Bảng điều hành")
    page.set_period("month", 2026, 9)
    rate = page.data.tiles[4].rate  # paid online
    page.district_indicator.setCurrentIndex(page.district_indicator.findData("paid_online"))
    page.district_value.setValue(rate + 5)
    qtbot.mouseClick(page.district_save, Qt.MouseButton.LeftButton)
    assert page.tiles["paid_online"].gap.text() == "thấp hơn 5% so với mức bình quân chung"
    assert window.store.district_average("paid_online", "2026-09") == pytest.approx(rate + 5)


def test_a_case_changed_in_the_register_refreshes_the_dashboard(window, qtbot):
    page = window.page("Bảng điều hành")
    page.set_period("month", 2026, 11)
    before = page.data.tiles[0].denominator
    from gui.undo import AddCase

    proc = window.store.procedures()[0]
    window.undo_stack.push(AddCase(window.store, window.changes, {
        "code": "X-1", "procedure_id": proc["id"], "field_id": proc["field_id"], "officer_id": 1,
        "applicant": "Lê Văn Nộp", "received_date": "2026-11-20", "due_date": "2026-11-20", "channel": 2, "digitized": 1}, "add"))
    assert page.data.tiles[0].denominator == before + 1
    window.undo_stack.undo()
    assert page.data.tiles[0].denominator == before


def test_double_click_on_an_overdue_case_opens_it(window, qtbot):
    page = window.page("Bảng điều hành")
    assert page.overdue_model.rowCount() > 0
    code = page.overdue_model.item(0, 0).text()
    index = page.overdue_model.index(0, 0)
    page.overdue_view.doubleClicked.emit(index)
    register = window.page("Sổ hồ sơ")
    assert register.dialog is not None and register.dialog.code.text() == code
    register.dialog.reject()


def test_a_period_switch_keeps_the_lists_of_today_and_draws_the_chart_once(window, qtbot):
    """The overdue and due-soon lists are of today, not of the period: a switch leaves them (their
    scroll and selection) as they were; the monthly chart is drawn once a switch, at its settled size."""
    page = window.page("Bảng điều hành")
    qtbot.waitUntil(lambda: page.chart_tabs[0].figure is not None, timeout=10000)
    qtbot.wait(200)
    first = page.overdue_model.item(0, 0)
    assert first is not None
    canvas = page.chart_tabs[0].canvas
    draws = []
    real_draw = canvas.draw
    canvas.draw = lambda: (draws.append(canvas.figure.get_size_inches().tolist()), real_draw())
    for kind, sub in (("month", 9), ("quarter", 2), ("year", 1), ("month", 3)):
        draws.clear()
        with qtbot.waitSignal(page.chart_drawn, timeout=10000):
            page.set_period(kind, 2026, sub)
        qtbot.wait(150)  # the queued draw, the layout, the paint
        assert len(draws) == 1, (kind, sub, draws)
        assert page.overdue_model.item(0, 0) is first  # not cleared and filled again
    title = page.chart_tabs[0].figure.get_suptitle()
    assert title == "Các tỷ lệ 12 tháng đến hết tháng 3/2026"
