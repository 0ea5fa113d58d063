"""The receipt slip carries a QR code of the case code; the printed modules are read back from the PDF."""
import io

import segno
from pypdf import PdfReader

from core.documents import slip

CASE = {"code": "PK-230905-0001", "received_date": "2023-09-05", "due_date": "2023-09-15",
        "applicant": "Lê Thị Bình", "procedure": "Đăng ký khai sinh", "field": "Hộ tịch", "papers": "",
        "processing_days": 3, "received_time": "09:30", "channel": 1, "officer": "Phạm Thị Lan"}


def modules(image, border=2, scale=slip.QR_SCALE):
    """The dark/light grid drawn in the image, sampled at the centre of each module."""
    grey = image.convert("L")
    count = grey.width // scale - 2 * border
    return [[grey.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
             for x in range(count)] for y in range(count)]


def test_the_slip_shows_the_qr_code_of_its_case_code():
    reader = PdfReader(io.BytesIO(slip.render(CASE, {"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ"})))
    page = reader.pages[0]
    assert "PK-230905-0001" in page.extract_text()
    images = page.images
    assert len(images) == 1
    drawn = modules(images[0].image)
    expected = [[bool(v) for v in row] for row in segno.make("PK-230905-0001", error="m", micro=False).matrix]
    assert drawn == expected
    other = [[bool(v) for v in row] for row in segno.make("PK-230905-0002", error="m", micro=False).matrix]
    assert drawn != other  # the grid is the code's own, not any QR code


def test_the_slip_as_a_word_file_carries_the_same_qr_code():
    import docx
    from PIL import Image

    from core.documents import official

    d = docx.Document(io.BytesIO(official.render_docx(slip.document(CASE, {"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ"}))))
    cells = " ".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "Mã hồ sơ: PK-230905-0001" in cells and "NGƯỜI TIẾP NHẬN HỒ SƠ" in cells and "Phạm Thị Lan" in cells
    assert "Ông/Bà: Lê Thị Bình" in [p.text for p in d.paragraphs]
    assert len(d.inline_shapes) == 1
    picture = d.part.related_parts[d.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed]
    drawn = modules(Image.open(io.BytesIO(picture.blob)))
    assert drawn == [[bool(v) for v in row] for row in segno.make("PK-230905-0001", error="m", micro=False).matrix]
