"""The 'Tổng hợp đơn vị' page and the dashboard's import of the pooled averages, on the hand-built units."""
import datetime as dt
import json

from PySide6.QtCore import Qt

from core.queries import rollup
from tests.test_rollup import units  # noqa: F401  (the fixture)


def test_rollup_page_ranks_the_folder_and_saves_the_edited_letter(qtbot, store, units, said, tmp_path):  # noqa: F811
    import docx

    from gui.rollup_page import AVERAGE_ROW, RollupPage

    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ", "chairman": "Vũ Thị Hà"})
    page = RollupPage(store, today=dt.date(2023, 5, 10))
    qtbot.addWidget(page)
    page.picker.set_period("month", 2023, 4)
    page.choose_folder(units[0])
    assert "05 tệp số liệu" in page.folder_label.text()
    with qtbot.waitSignal(page.run().succeeded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.result is not None)
    proxy = page.proxy
    # the average row first, then the ranking (An Lạc first)
    assert proxy.index(0, 1).data() == AVERAGE_ROW and proxy.index(0, 3).data() == "84,38%"
    assert proxy.index(1, 1).data() == "UBND phường An Lạc"
    # sorted by rate ascending, the average row stays on top and the lowest unit follows
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 1).data() == AVERAGE_ROW
    assert proxy.index(1, 1).data() == "UBND xã Ngọc Kỳ" and proxy.index(1, 3).data() == "50,00%"
    page.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 1).data() == AVERAGE_ROW and proxy.index(1, 5).data() == "+15,62"
    # the reminder was kept in this office's database
    assert [(r["unit"], r["number"]) for r in store.rollup.reminders()] == [("UBND xã Đại Sơn", 1)]
    assert "UBND xã Đại Sơn: 04 hồ sơ (Hộ tịch: 03, Đất đai: 01) — nhắc nhở lần thứ nhất" in page.lists.toPlainText()
    # the chart tab draws the pure chart
    page.tabs.setCurrentIndex(1)
    assert page.figure is not None and len(page.figure.axes[0].patches) == 5
    # the letter edited, then saved as DOCX: the edit is in the file
    text = page.letter_text.toPlainText().replace("đã có nhiều cố gắng", "đã rất cố gắng")
    page.letter_text.setPlainText(text)
    path = page.save_letter(".docx", tmp_path / "cv.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("đã rất cố gắng" in p for p in paragraphs)
    assert page.save_letter(".pdf", tmp_path / "cv.pdf").read_bytes().startswith(b"%PDF")
    averages = page.export_averages(tmp_path / "bq.json")
    assert json.loads(averages.read_text(encoding="utf-8"))["averages"]["digitized_on_receipt"] == 84.38


def test_dashboard_imports_the_pooled_averages(qtbot, store, said, tmp_path):
    from gui.main_window import MainWindow

    from core.domain import periods
    from core.domain.indicators import BY_KEY, RANKED_KEYS

    rates = {"digitized_on_receipt": 95.47, "result_digitized": 96.95, "online": None}
    average = rollup.RankedRates(**{k: rollup.RateEntry(BY_KEY[k], 0, 0, rates.get(k), 0) for k in RANKED_KEYS})
    result = rollup.RollupResult(periods.month(2023, 4), average, average, [], [])
    path = tmp_path / "bq.json"
    path.write_bytes(rollup.averages_file(result))
    window = MainWindow(store, today=dt.date(2023, 5, 10))
    qtbot.addWidget(window)
    page = window.page("Bảng điều hành")
    page.import_district_averages(path)
    assert store.district_average("digitized_on_receipt", "2023-04") == 95.47
    assert store.district_average("result_digitized", "2023-04") == 96.95
    assert store.district_average("online", "2023-04") is None
    assert said[-1][0] == "info" and "tháng 4/2023" in said[-1][1]
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    page.import_district_averages(bad)
    assert said[-1][0] == "error"


def test_the_letter_s_sections_ticked_are_remembered_for_the_next_time(qtbot, store, db_path):
    """The chairman's choice of the letter's sections is kept in the office's database: the page opened
    again (another day, another desk: a new connection) ticks what was ticked, and drafts by it."""
    from PySide6.QtCore import Qt as QtKeys

    from core.documents import rollup_letter
    from db.store import Store
    from gui.rollup_page import RollupPage

    page = RollupPage(store, today=dt.date(2023, 5, 10))
    qtbot.addWidget(page)
    assert page.sections == set(rollup_letter.DEFAULT_SECTIONS)  # never chosen: seed 001's
    page.show()
    for key in ("result_digitized", "praise"):  # ticked and unticked with the space bar, as people do
        box = page.section_boxes[key]
        box.setFocus()
        qtbot.keyClick(box, QtKeys.Key.Key_Space)
    chosen = (set(rollup_letter.DEFAULT_SECTIONS) | {"result_digitized"}) - {"praise"}
    assert page.sections == chosen
    page.close()

    again = Store.open(db_path)
    try:
        later = RollupPage(again, today=dt.date(2023, 6, 12))
        qtbot.addWidget(later)
        assert later.sections == chosen
        assert {k for k, box in later.section_boxes.items() if box.isChecked()} == chosen
    finally:
        again.close()
