"""Issue 24 in the window: the value mapping step of the preview, what the file cannot feed, new people,
the rows left out kept beside the file, and a stale preview refused with two stores on one file."""
import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from core import ops
from core.files import headers
from db.store import Store
from gui import import_dialog
from tests.windows import shown_window
from tests.test_gui_import import _load, _recheck
from tests.test_import_unknown import ROWS, province_export


@pytest.fixture
def window(qtbot, store, said):
    w = shown_window(qtbot, store, dt.date(2026, 12, 7))
    yield w
    w.close()


def _import(dialog, qtbot):
    with qtbot.waitSignal(dialog.imported, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def _stored(store) -> dict:
    return {r["code"]: r for r in store.export_rows()}


def test_the_preview_asks_what_unknown_values_mean_and_remembers_it(window, qtbot, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][6] = "scan rồi"
    rows[3][6] = "scan rồi"
    rows[4][7] = "Zalo"
    p = province_export(tmp_path / "tinh.xlsx", [tuple(r) for r in rows])
    dialog = window.open_import()
    _load(dialog, qtbot, p)
    assert not dialog.import_button.isEnabled()
    assert dialog.values_table.isVisibleTo(dialog) and dialog.values_table.rowCount() == 2
    shown = {(dialog.values_table.item(i, 0).text(), dialog.values_table.item(i, 1).text(),
              dialog.values_table.item(i, 2).text()) for i in range(2)}
    assert shown == {("Số hoá", "scan rồi", "2"), ("Hình thức nộp", "Zalo", "1")}  # as the file shows them
    text = dialog.summary.text()
    # what the file cannot feed, said before anything is written; never a key nor a flag
    assert "Tệp không có cột «Số hoá kết quả»" in text and "Số hoá kết quả" in text and "chưa rõ" in text
    assert "--" not in text and "digitized" not in text and "result_digitized" not in text
    # the procedure the catalogue lacks and the officer the office does not have are marked as new
    assert "Vũ Thị Hằng" in dialog.people
    assert dialog.people_labels["Vũ Thị Hằng"].text() == "Vũ Thị Hằng (mới):"
    for i, (key, _raw) in enumerate(dialog._value_rows):
        combo = dialog.values_table.cellWidget(i, 3)
        combo.setCurrentIndex(combo.findData("1" if key == "digitized" else "online"))
    _recheck(dialog, qtbot, lambda: qtbot.mouseClick(dialog.apply_mapping, Qt.MouseButton.LeftButton))
    assert dialog.import_button.isEnabled(), dialog.summary.text()
    assert not dialog.values_table.isVisibleTo(dialog)
    _import(dialog, qtbot)
    stored = _stored(window.store)
    assert stored["T-3"]["digitized"] == 1 and stored["T-4"]["digitized"] == 1 and stored["T-5"]["channel"] == 2
    assert stored["T-1"]["result_digitized"] is None  # the file had no such column: unknown, not 0
    # remembered with the file's shape: the same shape next month needs no mapping again
    again = province_export(tmp_path / "thang-sau.xlsx", [("T-9", *rows[2][1:])])
    _load(dialog, qtbot, again)
    assert dialog.values_table.rowCount() == 0 and dialog.import_button.isEnabled(), dialog.summary.text()


def test_skipping_bad_rows_is_chosen_per_file_and_they_are_kept_beside_it(window, qtbot, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][2] = "31/09/2026 10:00:00"  # a day that does not exist
    p = province_export(tmp_path / "tinh.xlsx", [tuple(r) for r in rows])
    dialog = window.open_import()
    _load(dialog, qtbot, p)
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.skip_invalid, Qt.MouseButton.LeftButton,
                     pos=dialog.skip_invalid.rect().topLeft() + dialog.skip_invalid.rect().center() / 8)
    assert dialog.skip_invalid.isChecked() and dialog.import_button.isEnabled()
    _import(dialog, qtbot)
    assert len(_stored(window.store)) == 4
    assert not dialog.skip_invalid.isChecked()  # not sticky
    kept = tmp_path / "tinh - dòng lỗi.xlsx"
    assert dialog.rejected_file == kept and str(kept) in dialog.summary.text()
    sheet = list(load_workbook(kept).active.iter_rows(values_only=True))
    assert sheet[0][:3] == ("STT", "Mã hồ sơ", "Tên thủ tục hành chính") and sheet[0][-1] == "Lỗi"
    assert sheet[1][1] == "T-2" and "Dòng 6, cột «Ngày tiếp nhận»" in sheet[1][-1]
    # she fixes the day and imports just that file
    from openpyxl import load_workbook as open_book

    book = open_book(kept)
    book.active["G2"] = "30/09/2026 10:00:00"
    book.save(kept)
    _load(dialog, qtbot, kept)
    assert dialog.import_button.isEnabled(), dialog.summary.text()
    _import(dialog, qtbot)
    assert len(_stored(window.store)) == 5


def test_a_stale_preview_is_refused_and_she_chooses_with_both_values(window, qtbot, tmp_path, monkeypatch):
    ops.import_file(window.store, province_export(tmp_path / "tinh.xlsx"))
    rows = [list(r) for r in ROWS]
    rows[1][6] = "Đã số hoá"  # T-2 digitized after all, in the file
    rows[4][6] = "Chưa số hoá"  # T-5 not, in the file
    p = province_export(tmp_path / "lai.xlsx", [tuple(r) for r in rows])
    dialog = window.open_import()
    dialog.update_existing.setChecked(True)
    _load(dialog, qtbot, p)
    assert dialog.import_button.isEnabled(), dialog.summary.text()
    # after the preview, another desk on the same database writes T-2 and T-5
    other = Store.open(window.store.path)
    try:
        for code in ("T-2", "T-5"):
            ops.toggle_flag(other, other.cases.id_by_code(code), "e_certified")
    finally:
        other.close()
    asked = []

    def choose(parent, conflicts):
        asked.append(conflicts)
        return {"T-2": "keep", "T-5": "take"}

    monkeypatch.setattr(import_dialog, "choose_conflicts", choose)
    _import(dialog, qtbot)
    assert [c["code"] for c in asked[0]] == ["T-2", "T-5"]
    assert asked[0][0]["changes"]["digitized"] == (0, 1) and asked[0][1]["changes"]["digitized"] == (1, 0)
    stored = _stored(window.store)
    assert stored["T-2"]["digitized"] == 0  # theirs kept
    assert stored["T-5"]["digitized"] == 0  # the file's taken
    assert stored["T-2"]["e_certified"] == 1 and stored["T-5"]["e_certified"] == 1  # their own change stays


def test_the_conflict_dialog_shows_both_values_in_words(qtbot):
    dialog = import_dialog.ConflictDialog([{"code": "T-2", "row": 6, "id": 2,
                                            "changes": {"digitized": (0, 1), "resolved_date": ("2026-10-02", None)}}])
    qtbot.addWidget(dialog)
    cells = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert cells == [["T-2", "Số hoá khi tiếp nhận", "Không", "Có"], ["T-2", "Ngày có kết quả", "02/10/2026", "(trống)"]]
    assert dialog.choice() == {"T-2": "keep"}  # by default nothing is overwritten
    dialog.choose_all("take")
    assert dialog.choice() == {"T-2": "take"}


def test_a_file_that_is_not_an_xlsx_is_said_in_vietnamese(window, qtbot, tmp_path):
    p = tmp_path / "hong.xlsx"
    p.write_bytes(b"this is not a zip")
    dialog = window.open_import()
    _load(dialog, qtbot, p)
    text = dialog.summary.text()
    assert "không phải tệp .xlsx hợp lệ" in text and "zip" not in text.lower()


def test_remembered_values_survive_a_failed_import(window, qtbot, tmp_path, monkeypatch):
    rows = [list(r) for r in ROWS]
    rows[2][6] = "scan rồi"
    p = province_export(tmp_path / "tinh.xlsx", [tuple(r) for r in rows])
    dialog = window.open_import()
    _load(dialog, qtbot, p)
    combo = dialog.values_table.cellWidget(0, 3)
    combo.setCurrentIndex(combo.findData("0"))
    _recheck(dialog, qtbot, lambda: qtbot.mouseClick(dialog.apply_mapping, Qt.MouseButton.LeftButton))

    def broken(*args, **kwargs):
        raise ops.OpRefused("ổ đĩa đầy")

    monkeypatch.setattr(ops, "import_cases", broken)
    done = dialog.checks
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Không nhập hồ sơ nào" in dialog.summary.text() and dialog.task is None, timeout=15000)
    assert dialog.checks == done and _stored(window.store) == {}
    shape = dialog.layout_found.shape
    saved = headers.Mapping.from_json(window.store.settings()[headers.remembered_key(shape)])
    assert saved.values["digitized"] == {"scan roi": "0"}


def test_the_dashboard_and_the_register_say_unknown_never_zero(window, qtbot, tmp_path):
    from core.domain import periods
    from gui.register_model import display

    ops.import_file(window.store, province_export(tmp_path / "tinh.xlsx"))
    page = window.page("Bảng điều hành")
    with qtbot.waitSignal(page.chart_drawn, timeout=15000):
        page.set_period("month", 2026, 10)
    assert periods.parse("2026-10").start == dt.date(2026, 10, 1)
    # counted by hand from ROWS: four resolved, none with its result digitization known
    tile = page.tiles["result_digitized"]
    assert tile.value.text() == "Chưa có số liệu" and "0,00%" not in tile.value.text()
    assert tile.detail.text().startswith("Chưa có số liệu số hoá kết quả của 04 hồ sơ")
    tile = page.tiles["digitized_on_receipt"]
    assert tile.value.text() == "75,00%"
    assert tile.detail.text().startswith("3/4 hồ sơ; chưa có số liệu số hoá khi tiếp nhận của 01 hồ sơ")
    row = {"digitized": None, "result_digitized": None, "e_certified": 0, "has_fee": None, "paid_online": None}
    assert display(row, "digitized") == "chưa rõ" and display(row, "e_certified") == ""
    assert display(row, "paid_online") == "phí chưa rõ"


def test_a_yes_no_column_the_file_lacks_may_be_given_one_value_in_the_window(window, qtbot, tmp_path):
    dialog = window.open_import()
    _load(dialog, qtbot, province_export(tmp_path / "tinh.xlsx"))
    assert set(dialog.flag_fills) == {"result_digitized", "has_fee", "paid_online", "e_certified"}
    assert all(c.currentData() is None for c in dialog.flag_fills.values())  # unknown unless she says
    combo = dialog.flag_fills["e_certified"]
    combo.setCurrentIndex(combo.findData("0"))
    _recheck(dialog, qtbot, lambda: qtbot.mouseClick(dialog.apply_mapping, Qt.MouseButton.LeftButton))
    assert "«Chứng thực điện tử»" not in dialog.summary.text() and "«Số hoá kết quả»" in dialog.summary.text()
    _import(dialog, qtbot)
    stored = _stored(window.store)
    assert {r["e_certified"] for r in stored.values()} == {0}
    assert {r["result_digitized"] for r in stored.values()} == {None}
