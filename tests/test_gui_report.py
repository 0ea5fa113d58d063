"""pytest-qt tests of the report page and the receipt slip from the register."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gui import messages
from gui.main_window import MainWindow
from tests.test_evaluation import text_of
from tests.test_report import known  # noqa: F401  (the fixture)

TODAY = dt.date(2023, 10, 3)


@pytest.fixture
def window(qtbot, known, monkeypatch):  # noqa: F811
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    w = MainWindow(known, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_the_report_page_shows_last_month_and_copies_its_narrative(window, qtbot):
    page = window.page("Báo cáo")
    assert "THÁNG 9/2023" in page.heading.text()
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Tính đến ngày 30/9/2023") and "9/10 hồ sơ, đạt 90%" in copied
    page.picker.set_period("quarter", 2023, 3)
    assert "QUÝ III/2023" in page.heading.text()
    assert page.text.toPlainText().startswith("Tính đến ngày 30/9/2023")


def test_the_report_preview_and_xlsx(window, tmp_path):
    page = window.page("Báo cáo")
    preview = page.show_preview()
    assert len(preview.pages) >= 1
    pdf = preview.save(tmp_path / "r.pdf")
    assert "giải quyết hồ sơ thủ tục hành chính tháng 9/2023" in text_of(pdf.read_bytes())[0]
    preview.reject()
    page.export_xlsx(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").stat().st_size > 0


def test_the_receipt_slip_from_the_register_keeps_the_papers(window, qtbot):
    register = window.page("Sổ hồ sơ")
    case_id = window.store.db.execute("SELECT id FROM cases WHERE code = 'H2'").fetchone()[0]
    assert register.select_case(case_id)
    register.print_slip()
    dialog = register.dialog
    assert "Tờ khai theo mẫu" in dialog.papers.toPlainText()  # the defaults of the field
    dialog.papers.setPlainText("Tờ khai đăng ký khai sinh\n\nGiấy chứng sinh\n")
    dialog._ok()
    assert window.store.cases.get(case_id)["papers"] == "Tờ khai đăng ký khai sinh\nGiấy chứng sinh"
    page = text_of(register.preview.data)[0]
    assert "1. Tờ khai đăng ký khai sinh" in page and "2. Giấy chứng sinh" in page and "Mã hồ sơ: H2" in page
    register.preview.reject()
    window.undo_action.trigger()
    assert window.store.cases.get(case_id)["papers"] == ""


def test_an_empty_list_of_papers_is_refused(window):
    register = window.page("Sổ hồ sơ")
    register.select_case(window.store.db.execute("SELECT id FROM cases WHERE code = 'H2'").fetchone()[0])
    register.print_slip()
    register.dialog.papers.setPlainText("  \n")
    register.dialog._ok()
    assert register.dialog.error.text() == "Ghi ít nhất một giấy tờ đã nhận."
    register.dialog.reject()


def test_file_choices_give_a_path_or_none_when_cancelled(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    # the dialog answered at once (its keys: tests/test_gui_file_dialogs.py): chosen, then cancelled
    answers = [(1, [str(tmp_path / "x.pdf")]), (0, [])]

    def run(dialog):
        code, files = answers.pop(0)
        monkeypatch.setattr(dialog, "selectedFiles", lambda: files)
        return code

    monkeypatch.setattr(QFileDialog, "exec", run)
    assert messages.save_path(None, "Lưu", "x.pdf", "PDF (*.pdf)") == tmp_path / "x.pdf"
    assert messages.open_path(None, "Mở", "", "SQLite (*.db)") is None
