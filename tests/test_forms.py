"""The forms of a case's life and the notices, read back from the PDF and the text."""
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from core.documents import forms
from core.documents import notices
from db.register import RegisterFilter
from tests.conftest import case

D = dt.date
TODAY = D(2026, 1, 1)


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def life(store):
    """One case with a supplement round and an apology, as the register records them."""
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ",
                        "chairman": "Nguyễn Văn Chính"})
    store.insert_cases([case("PK-231002-0001", procedure="Đăng ký khai sinh", field="Hộ tịch",
                             applicant="Lê Thị Bình", received_date=D(2023, 10, 2), due_date=D(2023, 10, 9),
                             processing_days=5)])
    store.events.record(1, "supplement_requested", D(2023, 10, 3),
                        note="Bản sao Giấy chứng nhận kết hôn\nGiấy chứng sinh (bản chính)", today=TODAY)
    store.events.record(1, "supplement_returned", D(2023, 10, 6), today=TODAY)
    store.events.record(1, "extended", D(2023, 10, 11), note="Cần xác minh nơi cư trú", new_date=D(2023, 10, 16),
                        today=TODAY)
    return store


def render(store, kind, event_index=None, event=None):
    c = store.cases.get(1, today=TODAY)
    events = store.events.of_case(1)
    if event is None and event_index is not None:
        event = events[event_index]
    return forms.render(kind, c, store.settings(), store.wordings(), event=event, events=events, today=TODAY)


def test_the_supplement_request_lists_each_missing_paper_under_the_official_header(life):
    text = flat(text_of(render(life, "supplement", 0)))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ" in text
    assert "Phượng Kỳ, ngày 03 tháng 10 năm 2023" in text  # the date line is the request's date
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Lê Thị Bình" in text and "PK-231002-0001" in text and "Ngày 02/10/2023" in text
    assert "1. Bản sao Giấy chứng nhận kết hôn" in text and "2. Giấy chứng sinh (bản chính)" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Trần Văn Hùng" in text


def test_the_apology_gives_the_first_due_date_the_reason_and_the_new_date(life):
    text = flat(text_of(render(life, "apology", 2)))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "ngày 9 tháng 10 năm 2023" in text  # first due date
    assert "ngày 16 tháng 10 năm 2023" in text  # new date
    assert "Cần xác minh nơi cư trú" in text
    assert "CHỦ TỊCH" in text and "Nguyễn Văn Chính" in text


@pytest.mark.parametrize("kind, title, reason", [
    ("refused", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "Không thuộc thẩm quyền của xã"),
    ("stopped", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Người yêu cầu đề nghị dừng"),
])
def test_refusal_and_stop_carry_their_reason(life, kind, title, reason):
    text = flat(text_of(render(life, kind, event={"day": "2023-10-12", "note": reason})))
    assert title in text and reason in text and "ngày 12 tháng 10 năm 2023" in text


def test_the_control_slip_lists_receipt_and_every_event(life):
    text = flat(text_of(render(life, "control")))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    for expected in ("02/10/2023", "Yêu cầu bổ sung hồ sơ", "03/10/2023", "Nhận hồ sơ bổ sung", "06/10/2023",
                     "Xin lỗi và hẹn lại ngày trả", "11/10/2023", "hẹn lại 16/10/2023"):
        assert expected in text


def test_the_office_rewords_a_form_and_its_text_is_printed(life):
    life.set_wording("form.supplement", json.dumps({"title": "PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ",
                                                    "after": ["Liên hệ {officer} để được hướng dẫn thêm."]},
                                                   ensure_ascii=False))
    text = flat(text_of(render(life, "supplement", 0)))
    assert "PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ" in text and "PHIẾU YÊU CẦU BỔ SUNG" not in text
    assert "Liên hệ Trần Văn Hùng để được hướng dẫn thêm." in text
    assert life.audit.history("wording", "form.supplement")[0]["action"] == "set"
    life.set_wording("form.supplement", None)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in flat(text_of(render(life, "supplement", 0)))


def test_a_broken_placeholder_is_printed_as_written_not_a_crash():
    assert forms.fill("Kính gửi {nobody} {code", {"code": "A<1>"}) == "Kính gửi {nobody} {code"
    assert forms.fill("{code}", {"code": "A<1>"}) == "A&lt;1&gt;"


def test_the_register_book_lists_every_case_of_the_period_with_its_life(life):
    life.insert_cases([case(f"PK-2310-{i:03d}", received_date=D(2023, 10, 2), due_date=D(2023, 10, 9),
                            resolved_date=D(2023, 10, 10)) for i in range(60)]
                      + [case("SEPT", received_date=D(2023, 9, 29), due_date=D(2023, 9, 29))])
    rows = life.cases.page(RegisterFilter(start=D(2023, 10, 1), end=D(2023, 10, 31)), "received_date", False,
                           limit=100000, today=TODAY)
    data = forms.render_book(rows, "tháng 10/2023", life.settings(), today=TODAY)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2  # 61 lines do not fit one landscape page
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = flat(text_of(data))
    assert "SỔ THEO DÕI HỒ SƠ" in text and "tháng 10/2023" in text
    assert all(f"PK-2310-{i:03d}" in text for i in range(60)) and "SEPT" not in text
    assert "03/10/2023 06/10/2023 16/10/2023" in text  # supplement asked, returned, new date
    assert text.count("Quá hạn") == 60


def test_the_notices_are_short_filled_texts_the_office_can_reword(life):
    c = life.cases.get(1, today=TODAY)
    events = life.events.of_case(1)
    received = notices.text("received", c, life.settings(), life.wordings())
    assert "PK-231002-0001" in received and "02/10/2023" in received and "09/10/2023" in received
    missing = notices.text("supplement", c, life.settings(), life.wordings(), event=events[0])
    assert "Bản sao Giấy chứng nhận kết hôn; Giấy chứng sinh (bản chính)" in missing
    sorry = notices.text("apology", c, life.settings(), life.wordings(), event=events[2])
    assert "16/10/2023" in sorry and "UBND xã Phượng Kỳ" in sorry
    life.set_wording("notice.ready", "Hồ sơ {code} đã xong, mời nhận tại xã.")
    assert notices.text("ready", c, life.settings(), life.wordings()) == "Hồ sơ PK-231002-0001 đã xong, mời nhận tại xã."
    assert all(len(notices.text(k, c, life.settings(), event=events[0])) < 320 for k in notices.NOTICE_KINDS)


def test_a_form_and_the_register_book_are_also_word_files(life):
    import docx

    from core.documents import official

    c = life.cases.get(1, today=TODAY)
    events = life.events.of_case(1)
    d = docx.Document(io.BytesIO(official.render_docx(
        forms.document("supplement", c, life.settings(), life.wordings(), event=events[0], events=events,
                        today=TODAY))))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = " ".join(cell.text for t in d.tables for row in t.rows for cell in row.cells)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Bản sao Giấy chứng nhận kết hôn" in text and "2. Giấy chứng sinh (bản chính)" in text
    applicant = [r for p in d.paragraphs for r in p.runs if r.text == "Lê Thị Bình"]
    assert applicant and applicant[0].bold  # the wording's <b> kept as bold, not printed as a tag
    assert "<b>" not in text
    assert "NGƯỜI HƯỚNG DẪN" in cells and "Trần Văn Hùng" in cells and "Phượng Kỳ, ngày 03 tháng 10 năm 2023" in cells
    rows = life.cases.page(RegisterFilter(start=D(2023, 10, 1), end=D(2023, 10, 31)), "received_date", False,
                               limit=100000, today=TODAY)
    book = docx.Document(io.BytesIO(official.render_docx(forms.book(rows, "tháng 10/2023", life.settings(),
                                                                     today=TODAY))))
    assert book.sections[0].page_width > book.sections[0].page_height
    register = book.tables[1]
    assert [cell.text for cell in register.rows[0].cells] == list(forms.BOOK_COLUMNS)
    assert register.rows[1].cells[1].text == "PK-231002-0001"
