"""pytest-qt tests of the evaluation page."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from gui import messages
from gui.main_window import MainWindow
from tests.test_evaluation import office, text_of  # noqa: F401  (the fixture)

TODAY = dt.date(2023, 11, 1)


@pytest.fixture
def page(qtbot, office, monkeypatch):  # noqa: F811
    said = []
    monkeypatch.setattr(messages, "info", lambda parent, text, title="": said.append(("info", text)))
    monkeypatch.setattr(messages, "error", lambda parent, text, title="": said.append(("error", text)))
    monkeypatch.setattr(messages, "ask", lambda parent, text, title="": said.append(("ask", text)) or True)
    w = MainWindow(office, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    p = w.page("Đánh giá cán bộ")
    p.said = said
    yield p
    w.close()


def test_the_last_quarter_is_shown_with_each_officer(page):
    assert page.period.code == "2023-Q3"
    names = [page.table_model.item(r, 0).text() for r in range(page.table_model.rowCount())]
    assert names == ["Phạm Thị Lan", "Trần Văn Hùng"]
    assert page.table_model.item(0, 5).text() == "4 tiêu chí"


def test_manual_points_are_saved_per_officer_and_quarter(page, qtbot):
    page.table.selectRow(0)
    for spin in page.spins.values():
        spin.setValue(spin.property("top"))  # the criterion's maximum (the box takes more, refused at save)
    page.self_spins["chinh_tri"].setValue(7.5)
    page.comments.setPlainText("Tận tụy với người dân.")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    lan = page.store.officer_id("Phạm Thị Lan")
    entry = page.store.evaluations.entry(lan, "2023-Q3")
    assert sum(entry["manual"].values()) == 30 and entry["comments"] == "Tận tụy với người dân."
    assert entry["self"] == {"chinh_tri": 7.5}
    assert page.table_model.item(0, 3).text() == "100"
    assert page.table_model.item(0, 4).text() == "Hoàn thành xuất sắc nhiệm vụ"
    assert page.store.evaluations.entry(lan, "2023-Q2")["manual"] == {}


def test_an_unscored_criterion_stays_unscored(page, qtbot):
    page.table.selectRow(1)
    first = next(iter(page.spins.values()))
    assert first.text() == "chưa chấm"
    first.setValue(6)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    hung = page.store.officer_id("Trần Văn Hùng")
    assert list(page.store.evaluations.entry(hung, "2023-Q3")["manual"].values()) == [6.0]


def test_approval_locks_the_quarter_in_the_window(page, qtbot):
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert page.said[-1][0] == "ask" and "Còn chưa chấm đủ" in page.said[-1][1]
    assert page.status.text().startswith("Đã duyệt")
    assert page.unapprove_button.isVisible()
    page.table.selectRow(0)
    assert not page.save_button.isEnabled()
    assert all(not s.isEnabled() for s in page.spins.values())
    assert page.comments.isReadOnly()
    assert not page.approve_button.isEnabled()


def test_the_preview_shows_every_page_and_saves_the_pdf(page, tmp_path):
    preview = page.show_preview()
    assert len(preview.pages) == 3
    out = preview.save(tmp_path / "forms.pdf")
    pages = text_of(out.read_bytes())
    assert "Họ và tên: Phạm Thị Lan" in pages[0] and "QUÝ III NĂM 2023" in pages[0]
    preview.reject()


def test_the_template_editor_checks_and_saves(page):
    page.setCurrentIndex(1)
    model = page.criteria_model
    model.setData(model.index(0, 2), 10)  # 8 -> 10: the total becomes 102
    assert page.template_sum.text() == "Tổng điểm tối đa: 102"
    assert page.save_template() is False
    assert page.said[-1] == ("error", "Tổng điểm tối đa là 102, cần đúng 100.")
    model.setData(model.index(1, 2), 6)  # 8 -> 6: back to 100
    model.setData(model.index(0, 1), "Phẩm chất chính trị")
    page.title_edit.setPlainText("PHIẾU ĐÁNH GIÁ MỚI")
    version = page.template["version"]
    assert page.version_label.text().startswith(f"{version}, áp dụng từ 01/01/2000")
    assert page.save_template() is True
    assert page.version_label.text().startswith(f"{version + 1}, ")
    assert page.store.evaluations.template(TODAY)["criteria"][0]["name"] == "Phẩm chất chính trị"
    assert "PHIẾU ĐÁNH GIÁ MỚI" in text_of(page.pdf())[0]


def test_the_forms_save_as_a_word_file(page, tmp_path):
    import docx

    out = page.save_docx(tmp_path / "forms.docx")
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "Họ và tên: Phạm Thị Lan" in text and "Họ và tên: Trần Văn Hùng" in text
    assert page.said[-1] == ("info", f"Đã lưu phiếu đánh giá ra {out}.")
