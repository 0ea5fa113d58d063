"""The import window with real files: the mapping step, the update choice, was → now in the preview."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core import ops
from core.domain import periods
from core.files import headers
from tests.windows import shown_window
from tests import monthly


@pytest.fixture
def window(qtbot, store, said):
    w = shown_window(qtbot, store, dt.date(2026, 11, 20))
    yield w
    w.close()


def _load(dialog, qtbot, path, mapping=None):
    done = dialog.checks
    dialog.load(path, mapping)
    qtbot.waitUntil(lambda: dialog.checks > done and dialog.task is None, timeout=15000)


def _recheck(dialog, qtbot, action):
    done = dialog.checks
    action()
    qtbot.waitUntil(lambda: dialog.checks > done and dialog.task is None, timeout=15000)


def _click(qtbot, box):
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().topLeft() + box.rect().center() / 8)


def test_month_over_month_from_the_window(window, qtbot, tmp_path):
    monthly.write(tmp_path / "thang9.csv", monthly.september())
    monthly.write(tmp_path / "thang10.csv", monthly.october())
    dialog = window.open_import()
    _load(dialog, qtbot, tmp_path / "thang9.csv")
    assert "10 hồ sơ mới" in dialog.summary.text() and "UTF-8 (có BOM)" in dialog.source.text()
    with qtbot.waitSignal(dialog.imported, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    ops.approve_quarter(window.store, periods.parse("2026-Q3"), "Chủ tịch")

    _load(dialog, qtbot, tmp_path / "thang10.csv")
    assert not dialog.import_button.isEnabled() and "9 dòng có lỗi" in dialog.summary.text()
    _recheck(dialog, qtbot, lambda: _click(qtbot, dialog.update_existing))  # existing codes are updated
    text = dialog.summary.text()
    assert "4 hồ sơ mới" in text and "7 cập nhật" in text and "2 không đổi" in text and "không có lỗi" in text
    assert "7 hồ sơ thuộc quý đã duyệt" in text
    shown = {dialog.preview.item(r, 0).text(): (dialog.preview.item(r, 1).text(), dialog.preview.item(r, 2).text())
             for r in range(dialog.preview.rowCount())}
    assert shown["3"][1] == "Số hoá khi tiếp nhận: Không → Có"  # S02, on row 3: the columns in words, no keys
    assert shown["8"][1] == "Ngày có kết quả: (trống) → 09/10/2026"  # S08
    assert "quý đã duyệt (2026-Q3)" in shown["8"][0]
    assert dialog.preview.item(2, 2).background().color().name() == "#fff3cd"
    dialog.resize(1366, 700)
    dialog.grab().save("/tmp/i15/import-update.png")
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=15000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [11]
    assert dialog.summary.text() == "Đã nhập 4 hồ sơ mới, cập nhật 7 hồ sơ."
    monthly.check_indicators(window.store)
    monthly.check_audit(window.store)


def test_the_mapping_step_suggests_fills_and_remembers_by_shape(window, qtbot, tmp_path):
    rows = [["Số biên nhận", "TTHC", "Ngày nộp", "Kênh", "Scan", "Ghi chú"],
            ["A-1", "Đăng ký khai sinh", "05/09/2023", "Trực tuyến", "1", ""]]
    p = tmp_path / "khac.csv"
    monthly.write(p, rows)
    dialog = window.open_import()
    _load(dialog, qtbot, p)
    assert dialog.checked is None and "thiếu cột bắt buộc" in dialog.summary.text()
    combos = [dialog.mapping_table.cellWidget(0, i) for i in range(dialog.mapping_table.columnCount())]
    assert [c.currentData() for c in combos] == ["code", "procedure", "received_date", "-", "-", "-"]
    assert [dialog.mapping_table.item(1, i).text() for i in range(3)] == ["A-1", "Đăng ký khai sinh", "05/09/2023"]
    combos[3].setCurrentIndex(combos[3].findData("channel"))
    combos[4].setCurrentIndex(combos[4].findData("digitized"))
    _recheck(dialog, qtbot, dialog.recheck)
    assert set(dialog.fills) == {"officer"}
    dialog.fills["officer"].setText("Lê Văn An")
    dialog.resize(1366, 700)
    _recheck(dialog, qtbot, dialog.recheck)
    dialog.grab().save("/tmp/i15/import-mapping.png")
    assert dialog.checked.problems == [] and len(dialog.checked.cases) == 1
    with qtbot.waitSignal(dialog.imported, timeout=15000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [o["name"] for o in window.store.officers()] == ["Lê Văn An"]

    # next month's file of the same shape: the mapping comes back by itself
    rows[1][0] = "A-2"
    monthly.write(p, rows)
    second = window.open_import()
    _load(second, qtbot, p)
    assert second.checked is not None and second.checked.problems == [] and len(second.checked.cases) == 1
    assert second.mapping.fills == {"officer": "Lê Văn An"}
    assert headers.remembered_key(second.checked.layout.shape) in window.store.settings()


def test_hostile_and_windows_files_in_the_window(window, qtbot, tmp_path):
    from tests.test_import_real import ROWS, VI_HEADER, _far_cell_xlsx, to_cp1258, write_rows

    dialog = window.open_import()
    _load(dialog, qtbot, _far_cell_xlsx(tmp_path / "far.xlsx"))
    assert "XFD1048576" in dialog.summary.text() and not dialog.import_button.isEnabled()
    p = tmp_path / "vn.csv"
    p.write_bytes(to_cp1258(write_rows(None, [VI_HEADER, *ROWS], sep=";")))
    _load(dialog, qtbot, p)
    assert "Windows-1258" in dialog.source.text() and "chấm phẩy" in dialog.source.text()
    assert "2 hồ sơ mới" in dialog.summary.text() and "không có lỗi" in dialog.summary.text()
    assert dialog.preview.item(0, 6).text() == "Nguyễn Thị Huyền"
