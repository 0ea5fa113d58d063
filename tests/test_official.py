"""The official-document module: every element read back from the PDF (pypdf) and the DOCX (python-docx)."""
import datetime as dt
import io
import unicodedata

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfReader

from core.documents import official as o

SETTINGS = {"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "parent": "", "place": "Phượng Kỳ",
            "chairman": "Tấn Văn Duẩn", "doc_symbol": "UBND", "doc_unit": "VP"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.replace("\u00a0", " ").split()))


def pdf_pages(data: bytes) -> list[str]:
    return [nfc(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def pdf_spans(data: bytes, page: int = 0) -> list[tuple[str, str, float]]:
    """(text, font name, y) of every piece of text drawn on a page."""
    spans = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            spans.append((nfc(text), font.get("/BaseFont", "") if font else "", tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return spans


def letter(**kw) -> o.Document:
    base = dict(symbol=o.document_symbol(SETTINGS), day=dt.date(2023, 10, 3),
                about="triển khai các nhiệm vụ CCTTHC trọng tâm",
                recipients=["Ban thường vụ Đảng ủy xã;", "Bộ phận Tiếp nhận và trả kết quả xã."],
                body=[o.para("Tính đến ngày 29/9/2023, có ", o.B("1.263/1.263"), " hồ sơ ",
                             o.I("(tháng 9 là 160/160 hồ sơ)"), ", đạt 100%."),
                      o.Heading("1. Bộ phận có thủ tục hành chính cấp xã:"),
                      o.Table([["Lĩnh vực", "Tiếp nhận", ""], ["", "Tổng số", "Trực tuyến"],
                               ["Hộ tịch", "04", "02"], ["Tổng cộng", "04", "02"]],
                              [0.5, 0.25, 0.25], header_rows=2, spans=[(0, 0, 1, 0), (0, 1, 0, 2)],
                              align=["left", "right", "right"], bold_rows=[3])],
                receivers=["Như trên;", "Lưu: VT, VP."],
                signature=o.signature_from(SETTINGS, for_committee=False))
    base.update(kw)
    return o.from_settings(SETTINGS, **base)


# ---- the data: symbols and signature blocks ------------------------------------------------

def test_the_number_carries_the_offices_own_symbol():
    assert o.document_symbol(SETTINGS, "BC") == "BC-UBND"
    assert o.document_symbol(SETTINGS) == "UBND-VP"
    assert o.document_symbol({"doc_symbol": "UBND"}) == "UBND"
    assert letter().number_line.replace("\u00a0", "") == "Số: /UBND-VP"
    assert letter(number="125").number_line == "Số: 125/UBND-VP"
    assert letter(symbol="").number_line == ""


@pytest.mark.parametrize("stored, for_committee, lines, name", [
    ({}, False, ["CHỦ TỊCH"], "Tấn Văn Duẩn"),  # seeds 001, 003
    ({}, True, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Tấn Văn Duẩn"),  # a report of the committee
    ({"sign_mode": "KT", "signer_name": "Đào Văn Soái"}, False, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Đào Văn Soái"),
    ({"sign_mode": "KT", "signer_name": "Đào Văn Soái"}, True,
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Đào Văn Soái"),
    ({"sign_mode": "Q", "signer_name": "Lê Văn Quyền"}, True, ["Q. CHỦ TỊCH"], "Lê Văn Quyền"),
])
def test_the_signature_block_follows_the_office_details(stored, for_committee, lines, name):
    sig = o.signature_from({**SETTINGS, **stored}, for_committee=for_committee)
    assert (sig.lines, sig.name, sig.hint) == (lines, name, "")


def test_a_document_may_choose_its_own_signing_mode():
    sig = o.signature_from({**SETTINGS, "signer_name": "Đào Văn Soái"}, for_committee=False, mode="KT")
    assert sig.lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_the_committee_is_set_on_two_lines_as_the_letters_do():
    assert o.committee_lines("Ủy ban nhân dân xã Phượng Kỳ") == ["ỦY BAN NHÂN DÂN", "XÃ PHƯỢNG KỲ"]
    assert o.committee_lines("UBND XÃ TÁI SƠN") == ["UBND XÃ TÁI SƠN"]


# ---- the PDF --------------------------------------------------------------------------------

def test_the_pdf_letter_has_every_element_in_order():
    text = pdf_pages(o.render_pdf(letter()))[0]
    order = ["ỦY BAN NHÂN DÂN", "XÃ PHƯỢNG KỲ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Số: /UBND-VP", "Phượng Kỳ, ngày 03 tháng 10 năm 2023",
             "Kính gửi:", "- Ban thường vụ Đảng ủy xã;", "Tính đến ngày 29/9/2023",
             "1. Bộ phận có thủ tục hành chính cấp xã:", "Lĩnh vực", "Hộ tịch", "Tổng cộng",
             "Nơi nhận:", "- Như trên;", "- Lưu: VT, VP.", "CHỦ TỊCH", "Tấn Văn Duẩn"]
    at = [text.find(piece) for piece in order]
    assert -1 not in at, [p for p, i in zip(order, at) if i < 0]
    assert "V/v triển khai các nhiệm vụ CCTTHC" in text
    assert "Ký, ghi rõ họ tên" not in text and "BÁO CÁO" not in text


def test_the_pdf_sets_bold_and_italic_runs_and_the_date_in_italics():
    spans = pdf_spans(o.render_pdf(letter()))
    fonts = {}
    for text, font, _ in spans:
        fonts.setdefault(text, font)
    def font_of(piece):
        return next(f for t, f in fonts.items() if piece in t)
    assert "Bold" in font_of("1.263/1.263") and "Italic" not in font_of("1.263/1.263")
    assert "Italic" in font_of("160/160")
    assert "Italic" in font_of("tháng 10 năm 2023")
    assert "Bold" in font_of("Độc lập")
    assert "Bold" in font_of("Tấn Văn Duẩn")
    assert all("Liberation" in f or "TimesVN" in f for _, f, _ in spans)


def test_the_pdf_is_a4_with_the_decree_margins_and_numbers_pages_from_the_second():
    long = letter(body=[o.para("Một đoạn văn dài để kéo sang trang sau. " * 12) for _ in range(12)])
    data = o.render_pdf(long)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    top = float(box.height)
    # page 1: nothing above the top margin (20 mm); page 2: its number there, centred
    assert not [t for t, _, y in pdf_spans(data, 0) if y > top - 20 / 25.4 * 72]
    number = [t for t, _, y in pdf_spans(data, 1) if y > top - 20 / 25.4 * 72]
    assert number == ["2"]


def test_a_report_has_its_kind_title_and_the_committees_signature():
    doc = o.from_settings(SETTINGS, symbol=o.document_symbol(SETTINGS, "BC"), kind="BÁO CÁO",
                          title="Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính quý III/2023",
                          subtitle="(Từ ngày 01/7/2023 đến ngày 30/9/2023)", body=[o.para("Nội dung.")],
                          receivers=["UBND huyện Tứ Kỳ;", "Lưu: VT."],
                          signature=o.signature_from({**SETTINGS, "sign_mode": "KT", "signer_name": "Đào Văn Soái"},
                                                     True), footer="Mã kiểm tra nhật ký: 1A2B")
    text = pdf_pages(o.render_pdf(doc))[0]
    assert "Số: /BC-UBND" in text and "V/v" not in text
    assert text.index("BÁO CÁO") < text.index("Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính quý III/2023")
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Đào Văn Soái" in text
    assert "Mã kiểm tra nhật ký: 1A2B" in text


def test_forms_sign_side_by_side_with_hints_for_the_persons_own_signature():
    doc = letter(co_signatures=[o.Signature(["NGƯỜI TỰ ĐÁNH GIÁ"], "Phạm Thị Lan", "(Ký, ghi rõ họ tên)")],
                 receivers=[])
    text = pdf_pages(o.render_pdf(doc))[-1]
    assert text.index("NGƯỜI TỰ ĐÁNH GIÁ") < text.index("CHỦ TỊCH")
    assert text.index("(Ký, ghi rõ họ tên)") < text.index("Phạm Thị Lan") < text.index("Tấn Văn Duẩn")
    assert "Nơi nhận" not in text


# ---- the DOCX -------------------------------------------------------------------------------

def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def runs_of(d):
    for p in d.paragraphs:
        yield from p.runs
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def test_the_docx_header_is_a_borderless_table_with_short_rules():
    d = open_docx(o.render_docx(letter()))
    header = d.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and {e.get(qn("w:val")) for e in borders} == {"nil"}
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [nfc(p.text) for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "XÃ PHƯỢNG KỲ"]
    assert [p.text for p in right.paragraphs if p.text] == list(o.MOTTO)
    assert all(r.bold for p in left.paragraphs for r in p.runs)
    for cell in (left, right):  # the last paragraph of each block is the rule: a top border, shorter than the cell
        rule = cell.paragraphs[-1]
        assert rule.text == "" and rule._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
        assert rule.paragraph_format.left_indent > 0 and rule.paragraph_format.left_indent == \
            rule.paragraph_format.right_indent
    assert nfc(header.cell(1, 0).paragraphs[0].text) == "Số: /UBND-VP"
    assert nfc(header.cell(1, 0).paragraphs[1].text) == "V/v triển khai các nhiệm vụ CCTTHC trọng tâm"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Phượng Kỳ, ngày 03 tháng 10 năm 2023" and date.runs[0].italic


def test_the_docx_body_keeps_runs_headings_tables_receivers_and_signature():
    d = open_docx(o.render_docx(letter()))
    texts = [nfc(p.text) for p in d.paragraphs if p.text]
    assert texts[:3] == ["Kính gửi:", "- Ban thường vụ Đảng ủy xã;", "- Bộ phận Tiếp nhận và trả kết quả xã."]
    body = next(p for p in d.paragraphs if p.text.startswith("Tính đến"))
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in body.runs] == [
        ("Tính đến ngày 29/9/2023, có ", False, False), ("1.263/1.263", True, False), (" hồ sơ ", False, False),
        ("(tháng 9 là 160/160 hồ sơ)", False, True), (", đạt 100%.", False, False)]
    assert body.paragraph_format.first_line_indent == Mm(12.7)
    heading = next(p for p in d.paragraphs if p.text.startswith("1. "))
    assert all(r.bold for r in heading.runs)
    table = d.tables[1]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[1].cells] == ["Lĩnh vực", "Tổng số", "Trực tuyến"]  # merged down
    assert [c.text for c in table.rows[0].cells] == ["Lĩnh vực", "Tiếp nhận", "Tiếp nhận"]  # merged across
    assert [c.text for c in table.rows[3].cells] == ["Tổng cộng", "04", "02"]
    assert all(r.bold for c in table.rows[3].cells for p in c.paragraphs for r in p.runs)
    bottom = d.tables[-1]
    assert [p.text for p in bottom.cell(0, 0).paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, VP."]
    sign = [p.text for p in bottom.cell(0, 1).paragraphs if p.text]
    assert sign == ["CHỦ TỊCH", "Tấn Văn Duẩn"]


def test_the_docx_is_times_new_roman_13_to_14_pt_on_a4_with_page_numbers_from_page_two():
    d = open_docx(o.render_docx(letter()))
    runs = [r for r in runs_of(d) if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    body = [r for p in d.paragraphs if p.text.startswith("Tính đến") for r in p.runs]
    assert {r.font.size for r in body} <= {Pt(13), Pt(13.5), Pt(14)}
    s = d.sections[0]
    assert [round(x.mm) for x in (s.page_width, s.page_height)] == [210, 297]  # stored in twips
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [20, 20, 30, 15]
    assert s.different_first_page_header_footer
    fields = s.header._element.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert not s.first_page_header._element.findall(".//" + qn("w:fldSimple"))


def test_the_docx_report_has_its_kind_title_rule_and_footer():
    doc = o.from_settings(
        SETTINGS, symbol="BC-UBND", kind="BÁO CÁO", title="Kết quả tiếp nhận quý III/2023",
        subtitle="(Từ ngày 01/7/2023 đến ngày 30/9/2023)", body=[o.para("Nội dung.")],
        signature=o.signature_from(SETTINGS, True), footer="Mã kiểm tra nhật ký: 1A2B")
    d = open_docx(o.render_docx(doc))
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts[:3] == ["BÁO CÁO", "Kết quả tiếp nhận quý III/2023", "(Từ ngày 01/7/2023 đến ngày 30/9/2023)"]
    assert nfc(d.tables[0].cell(1, 0).paragraphs[0].text) == "Số: /BC-UBND"
    assert [p.text for p in d.tables[-1].cell(0, 1).paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tấn Văn Duẩn"]
    assert d.sections[0].footer.paragraphs[0].text == "Mã kiểm tra nhật ký: 1A2B"
    assert d.sections[0].first_page_footer.paragraphs[0].text == "Mã kiểm tra nhật ký: 1A2B"


def test_the_docx_keeps_the_element_order_word_requires():
    """Word refuses a file whose table or paragraph properties are out of the schema's order."""
    d = open_docx(o.render_docx(letter(co_signatures=[o.Signature(["NGƯỜI LẬP"], "A")])))
    checked = 0
    for props, order in ((".//" + qn("w:tblPr"), o._TBLPR_ORDER), (".//" + qn("w:pPr"), o._PPR_ORDER)):
        for element in d.element.body.iterfind(props):
            tags = [child.tag.rsplit("}", 1)[1] for child in element]
            ranks = [order.index(t) for t in tags if t in order]
            assert ranks == sorted(ranks) and len(set(tags)) == len(tags), tags
            checked += 1
    assert checked > 20


def test_a_bundle_puts_each_document_on_its_own_page_in_both_formats():
    forms = [letter(body=[o.para(f"Phiếu của cán bộ số {i}.")], recipients=[], receivers=[],
                    co_signatures=[o.Signature(["NGƯỜI TỰ ĐÁNH GIÁ"], f"Cán bộ {i}", "(Ký, ghi rõ họ tên)")])
             for i in (1, 2, 3)]
    pages = pdf_pages(o.render_pdf_bundle(forms))
    assert len(pages) == 3
    for i, page in enumerate(pages, 1):
        assert page.startswith("ỦY BAN NHÂN DÂN") and f"Phiếu của cán bộ số {i}." in page and f"Cán bộ {i}" in page
    assert not any(page.split()[0].isdigit() for page in pages)  # one-page forms: no page numbers
    d = open_docx(o.render_docx_bundle(forms))
    assert len([t for t in d.tables if t.cell(0, 1).paragraphs[0].text == o.MOTTO[0]]) == 3
    # each new form begins its page itself (issue 27: a break character after a full page left a blank page)
    starts = d.element.body.findall(".//" + qn("w:pageBreakBefore"))
    assert len(starts) == 2 and not d.element.body.findall(".//" + qn("w:br"))
    assert not d.sections[0].header._element.findall(".//" + qn("w:fldSimple"))
