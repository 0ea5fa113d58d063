"""The quarterly evaluation forms as an editable Word file: one officer a page, then the ranking.

The same data as ``core.documents.evaluation_pdf`` (an approved quarter from what its approval stored),
set by the official-document module (``core.documents.official``: Times New Roman, the header blocks,
signatures of the officer, the head of the office and the chairman).
"""
from __future__ import annotations

import datetime as dt

from core.documents import official
from core.domain import vnformat
from core.queries.evaluation import Sheet, ranking
from core.documents.evaluation_pdf import COUNT_ROWS, _points, _quarter_title


SIZE = 11.5  # points: a form fits its page in Word as on paper
TABLE = 9


def _p(*parts, bold: bool = False) -> official.Paragraph:
    runs = [p if isinstance(p, official.Run) else official.Run(p, bold=bold) for p in parts if p != ""]
    return official.Paragraph(runs, align="left", indent=False, size=SIZE)


def _lines(title: str, width: int = 18) -> list[str]:
    """A signature title on two lines at a word boundary when it is long (names then align)."""
    if len(title) <= width:
        return [title, ""]
    words = title.split()
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _form(sheet: Sheet, settings: dict, day: dt.date, check_code: str) -> official.Document:
    o = sheet.officer
    n = vnformat.number
    c = sheet.figures.counts
    half = (len(COUNT_ROWS) + 1) // 2
    counts = []
    for i in range(half):
        left = COUNT_ROWS[i]
        right = COUNT_ROWS[i + half] if i + half < len(COUNT_ROWS) else None
        counts.append([left[1], n(c[left[0]]), right[1] if right else "", n(c[right[0]]) if right else ""])
    rates = [["Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu"]]
    for item in sheet.figures.entries():
        name = item.indicator.name
        if not item.indicator.is_rate:
            rates.append([name, f"{n(item.count)} bản", "", ""])
        else:
            rates.append([name, vnformat.fraction(item.numerator, item.denominator),
                          vnformat.percent(item.rate, strip=False), vnformat.percent(item.target)])
    scores = [["TT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Lãnh đạo chấm", "Căn cứ"]]
    spans, bold, section, number = [], [], None, 0
    for line in sheet.lines:
        if line.criterion["section"] != section:
            section = line.criterion["section"]
            top = sum(l.criterion["max_points"] for l in sheet.lines if l.criterion["section"] == section)
            scores.append([section, "", _points(top), "", "", ""])
            spans.append((len(scores) - 1, 0, len(scores) - 1, 1))
            bold.append(len(scores) - 1)
        number += 1
        scores.append([str(number), line.criterion["name"], _points(line.criterion["max_points"]),
                       _points(line.self_points) if line.manual else "", _points(line.points), line.note])
    scores.append(["", "Tổng cộng", _points(sheet.maximum), "", _points(sheet.total) if sheet.complete else "—", ""])
    bold.append(len(scores) - 1)
    if sheet.complete:
        verdict = [official.Run("Tổng điểm: "), official.B(f"{_points(sheet.total)}/{_points(sheet.maximum)}"),
                   official.Run(". Đề xuất xếp loại: "), official.B(sheet.classification), official.Run(".")]
        if sheet.discipline:
            verdict.append(official.I(f" (Bị xử lý kỷ luật trong năm: {sheet.discipline})"))
    else:
        verdict = [official.B("Chưa chấm đủ"),
                   official.Run(f" ({n(len(sheet.missing))} tiêu chí chưa chấm): chưa tính tổng điểm, chưa xếp loại.")]
    body = [_p("Họ và tên: ", official.B(o["name"]), f". Chức vụ: {o['position'] or '…'}"),
            _p(f"Lĩnh vực phụ trách: {o['fields'] or '…'}"),
            _p("I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ TRONG QUÝ", bold=True),
            official.Table(counts, [0.36, 0.14, 0.36, 0.14], header_rows=0, align=["left", "right", "left", "right"],
                           size=TABLE),
            official.Table(rates, [0.55, 0.17, 0.14, 0.14], align=["left", "center", "center", "center"], size=TABLE),
            _p("II. CHẤM ĐIỂM", bold=True),
            official.Table(scores, [0.055, 0.52, 0.075, 0.075, 0.085, 0.19], spans=spans, bold_rows=bold,
                           align=["center", "left", "center", "center", "center", "left"], size=TABLE),
            official.Paragraph(verdict, align="left", indent=False, size=SIZE),
            _p("III. NHẬN XÉT, ĐÁNH GIÁ CỦA NGƯỜI QUẢN LÝ TRỰC TIẾP", bold=True),
            *[_p(line) for line in (sheet.comments or "…" * 30).splitlines()]]
    head_title = (settings.get("office_head_title") or
                  f"TRƯỞNG {settings.get('office_name') or 'BỘ PHẬN MỘT CỬA'}").upper()
    title_lines = [line.strip() for line in sheet.title.splitlines() if line.strip()]
    return official.from_settings(
        settings, day=day, kind=title_lines[0] if title_lines else "PHIẾU ĐÁNH GIÁ",
        title=" ".join(title_lines[1:] + [_quarter_title(sheet)]), body=body,
        signature=official.Signature(_lines("CHỦ TỊCH"), settings.get("chairman") or ""),
        co_signatures=[official.Signature(_lines("NGƯỜI TỰ ĐÁNH GIÁ"), o["name"]),
                       official.Signature(_lines(head_title), settings.get("office_head") or "")],
        footer=f"Mã kiểm tra nhật ký: {check_code}" if check_code else "",
        meta_title=f"Phiếu đánh giá {_quarter_title(sheet).lower()}")


def _summary(sheets: list[Sheet], settings: dict, day: dt.date) -> official.Document:
    rows = [["Hạng", "Họ và tên", "Chức vụ", "Số hồ sơ", "Đúng hạn", "Điểm", "Xếp loại"]]
    for rank, s in ranking(sheets):
        rows.append(["" if rank is None else str(rank), s.officer["name"], s.officer["position"],
                     vnformat.number(s.figures.counts["received"]),
                     vnformat.percent(s.figures.on_time.rate, strip=False),
                     _points(s.total) if s.complete else "—", s.classification])
    return official.from_settings(
        settings, day=day, kind="BẢNG TỔNG HỢP",
        title=f"Kết quả đánh giá cán bộ, công chức tại Bộ phận Một cửa {_quarter_title(sheets[0]).lower()}",
        body=[official.Table(rows, [0.085, 0.2, 0.185, 0.09, 0.11, 0.08, 0.25],
                             align=["center", "left", "left", "center", "center", "center", "left"])],
        signature=official.Signature(["CHỦ TỊCH"], settings.get("chairman") or ""),
        co_signatures=[official.Signature(["NGƯỜI LẬP BIỂU"], "")])


def documents(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
              check_code: str = "") -> list[official.Document]:
    day = day or dt.date.today()
    docs = [_form(s, settings, day, check_code) for s in sheets]
    if summary and len(sheets) > 1:
        docs.append(_summary(sheets, settings, day))
    return docs


def render(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
           check_code: str = "") -> bytes:
    """All the forms in one Word file, each from a new page."""
    return official.render_docx_bundle(documents(sheets, settings, day, summary, check_code))
