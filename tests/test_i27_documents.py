"""Issue 27: documents that sign right and write whatever text was stored.

The Word files are rendered by LibreOffice (when ``soffice`` is installed) and read back page by
page: no page may hold only a signature block (titles and names) or the Nơi nhận beside it.
"""
import datetime as dt
import io
import shutil
import subprocess
import unicodedata

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from core.documents import evaluation_forms, fonts, official as o
from core.documents import letter as letter_doc
from core.documents import report as report_doc
from core.documents import rollup_letter
from core.domain import periods, textsafe
from core.queries import evaluation, report
from tests.conftest import case

D = dt.date
SETTINGS = {"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "parent": "", "place": "Phượng Kỳ",
            "chairman": "Tấn Văn Duẩn", "doc_symbol": "UBND", "doc_unit": "VP"}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HOSTILE = ["Nguyễn\x01Văn\x0bA\x1f\x7f\x00", "\u202eمرحبا\u200fLê Thị\u202c B", "X" * 100_000,
           "Trần 😀 Văn C 👨\u200d👩\u200d👧", "Lò Văn\ufffe D\x85"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.replace("\u00a0", " ").split()))


def lo_pages(tmp_path, files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each Word file rendered by LibreOffice to PDF, read back as the text of its pages."""
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    *[str(tmp_path / f"{n}.docx") for n in files]], check=True, capture_output=True, timeout=300)
    return {n: [nfc(p.extract_text()) for p in PdfReader(tmp_path / "pdf" / f"{n}.pdf").pages] for n in files}


def only_signatures(page: str, signature_words: list[str]) -> bool:
    """A page whose text is nothing but signature titles, names, the Nơi nhận, a page number and the footer."""
    rest = page
    for words in sorted(signature_words, key=len, reverse=True):
        rest = rest.replace(words, " ")
    rest = " ".join(w for w in rest.split() if not w.isdigit())
    return not rest.strip()


def letter(n: int) -> o.Document:
    """A letter whose body is ``n`` paragraphs long: for some n its signature falls at a page's foot."""
    body = [o.para(f"Đoạn {i + 1}: nội dung công văn về cải cách thủ tục hành chính, nêu rõ kết quả và yêu cầu "
                   "các cơ quan, đơn vị thực hiện nghiêm túc trong tháng tới.") for i in range(n)]
    return o.from_settings(SETTINGS, symbol="UBND-VP", day=D(2023, 10, 3), about="một việc", recipients=["Ông A."],
                           body=body, receivers=["Như trên;", "Lưu: VT, VP."],
                           signature=o.signature_from(SETTINGS, for_committee=True))


SIGNATURE_WORDS = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tấn Văn Duẩn", "Nơi nhận:", "- Như trên;", "- Lưu: VT, VP."]


def test_the_word_signature_rows_never_split_and_take_the_last_lines_with_them():
    d = docx.Document(io.BytesIO(o.render_docx(letter(3))))
    sign = d.tables[-1]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in sign.rows)
    # the last paragraph of text goes with the signature: kept with what follows it
    body = [p for p in d.paragraphs if p.text.startswith("Đoạn 3")]
    assert body and body[0].paragraph_format.keep_with_next
    cell = [p for p in sign.cell(0, 1).paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in cell[:-1])


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_no_word_page_holds_only_a_signature_block_whatever_the_length(tmp_path):
    # 14 to 45 paragraphs: the signature meets the foot of page 1, then of page 2, somewhere in
    # between (found by rendering); on main the block or its name was left alone on a page for some
    files = {f"letter{n}": o.render_docx(letter(n)) for n in range(14, 46)}
    pages = lo_pages(tmp_path, files)
    assert {len(p) for p in pages.values()} >= {1, 2, 3}
    for name, texts in pages.items():
        assert "Tấn Văn Duẩn" in texts[-1]
        for page in texts:
            assert not only_signatures(page, SIGNATURE_WORDS), (name, page)


@pytest.fixture
def office(store):
    store.set_settings({**SETTINGS, "office_head": "Lê Thị Hoa"})
    for name in ("Phạm Thị Lan", "Trần Văn Hùng", "Đỗ Quang Minh"):
        store.add_officer(name, "Công chức", "Hộ tịch")
    rows = []
    for i, name in enumerate(("Phạm Thị Lan", "Trần Văn Hùng", "Đỗ Quang Minh")):
        rows += [case(f"C{i}-{j}", officer=name, received_date=D(2023, 8, 1 + j), due_date=D(2023, 8, 3 + j),
                      resolved_date=D(2023, 8, 9 + j) if j % 2 else None, result_digitized=j % 2) for j in range(5)]
    store.insert_cases(rows)
    for i in range(3):  # stored as they came, behind the checks of the entry (an old file, another program)
        for j in range(5):
            value = HOSTILE[(i + j) % 5]
            if type(store.db.dialect).__name__ == "Postgres":  # a server's text holds no NUL byte at all
                value = value.replace("\x00", "")
            store.db.execute("UPDATE cases SET applicant = ? WHERE code = ?", [value, f"C{i}-{j}"])
    return store


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_report_evaluation_and_both_letters_sign_right_in_word(office, tmp_path):
    q3 = periods.parse("2023-Q3")
    today = D(2023, 10, 20)
    r = report.build(office, q3, today=today)
    sheets = evaluation.build(office, q3, today=today)
    from core.queries import rollup

    unit = rollup.UnitData("UBND xã Tái Sơn", "a.db", months={"2023-09": {"received": 2, "digitized": 2}})
    result = rollup.compute([unit], periods.parse("2023-09"))
    files = {"report": report_doc.render_docx(r, today),
             "evaluation": evaluation_forms.docx(sheets, office.settings(), today),
             "letter": o.render_docx(letter_doc.document(letter_doc.draft(r, day=today), office.settings())),
             "rollup": rollup_letter.docx(rollup_letter.draft(result, office.settings(), today))}
    pages = lo_pages(tmp_path, files)
    # the evaluation: one page a form for 3 officers, then the ranking (7 pages on main)
    assert len(pages["evaluation"]) == 4
    for name in ("Phạm Thị Lan", "Trần Văn Hùng", "Đỗ Quang Minh"):
        assert any(name in p and "PHIẾU ĐÁNH GIÁ" in p for p in pages["evaluation"][:3])
    words = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tấn Văn Duẩn", "NGƯỜI TỰ ĐÁNH GIÁ", "TRƯỞNG BỘ PHẬN MỘT CỬA",
             "Lê Thị Hoa", "Phạm Thị Lan", "Trần Văn Hùng", "Đỗ Quang Minh", "(Ký, ghi rõ họ tên)", "Nơi nhận:",
             "NGƯỜI LẬP BIỂU"]
    words += [f"- {x}" for x in report_doc.receivers(office.settings())] + ["- Như trên;", "- Lưu: VT."]
    for name, texts in pages.items():
        for page in texts:
            assert not only_signatures(page, words), (name, page)


def test_the_sanitiser_keeps_letters_and_emoji_and_drops_what_cannot_be_printed():
    assert textsafe.printable("Nguyễn\x01Văn\x0bA\x1f\x7f\x00") == "NguyễnVăn A"
    assert textsafe.printable("\u202eمرحبا\u200fLê Thị\u202c B") == "مرحباLê Thị B"
    assert textsafe.printable("Trần 😀 Văn C") == "Trần 😀 Văn C"
    assert textsafe.printable("X" * 100_000, 32_767) == "X" * 32_766 + "…"
    assert textsafe.printable(12) == 12


def test_every_document_and_export_writes_any_stored_text(office, tmp_path):
    # on main: the report's DOCX and XLSX failed with a traceback ("All strings must be XML
    # compatible", openpyxl's IllegalCharacterError) for one control character in a name
    office.db.execute("UPDATE officers SET name = ? WHERE name = 'Phạm Thị Lan'", ["Phạm Thị Lan\x07"])
    q3 = periods.parse("2023-Q3")
    today = D(2023, 10, 20)
    r = report.build(office, q3, today=today)
    assert r.overdue  # the hostile names are in the lists the documents print
    docx_bytes = report_doc.render_docx(r, today)
    text = "\n".join(p.text for t in docx.Document(io.BytesIO(docx_bytes)).tables for c in t._cells
                     for p in c.paragraphs)
    assert "NguyễnVăn A" in text and "مرحباLê Thị B" in text and "\u202e" not in text and "\x01" not in text
    assert PdfReader(io.BytesIO(report_doc.render_pdf(r, today))).pages
    report_doc.to_xlsx(r, tmp_path / "r.xlsx")
    cells = [v for ws in openpyxl.load_workbook(tmp_path / "r.xlsx") for row in ws.iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    assert any(v.startswith("Trần 😀") for v in cells) and max(map(len, cells)) <= textsafe.XLSX_CELL
    sheets = evaluation.build(office, q3, today=today)
    assert evaluation_forms.docx(sheets, office.settings(), today)
    assert evaluation_forms.pdf(sheets, office.settings(), today)
    from core.queries import dashboard
    from core.domain.workdays import WorkCalendar

    dashboard.to_xlsx(dashboard.build(office, "quarter", q3, WorkCalendar(), today=today), tmp_path / "d.xlsx",
                      office, today)


def test_the_pdf_and_the_word_file_say_which_typeface_they_use():
    pdf = PdfReader(io.BytesIO(o.render_pdf(letter(1))))
    assert pdf.metadata["/Subject"] == fonts.note()
    assert fonts.used() in ("Times New Roman", "Liberation Serif") and fonts.used() in fonts.note()
    d = docx.Document(io.BytesIO(o.render_docx(letter(1))))
    assert d.core_properties.comments == "Phông chữ: Times New Roman"


def test_times_new_roman_is_used_where_the_system_has_it(tmp_path, monkeypatch):
    # the four files of Times New Roman, here Liberation Serif's under Windows' names in a fonts folder
    from resources import font

    for face, name in (("Regular", "times.ttf"), ("Bold", "timesbd.ttf"), ("Italic", "timesi.ttf"),
                       ("BoldItalic", "timesbi.ttf")):
        shutil.copy(font(f"LiberationSerif-{face}.ttf"), tmp_path / name)
    monkeypatch.setenv("MOTCUA_FONT_DIRS", str(tmp_path))
    assert fonts.times_files()["Bold"] == tmp_path / "timesbd.ttf"
    monkeypatch.setenv("MOTCUA_FONT_DIRS", str(tmp_path / "none"))
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    if not any((p / "times.ttf").exists() or (p / "Times_New_Roman.ttf").exists() for p in fonts._font_dirs()):
        assert fonts.times_files() is None
