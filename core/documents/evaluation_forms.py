"""The quarterly evaluation forms: one officer a page, then a page that ranks them.

Each form is an official ``Document`` (``core.documents.official``: the header blocks, the counts and rates,
the scored criteria, the comments, signatures of the officer, the head of the office and the chairman);
``pdf`` and ``docx`` render the same documents, the PDF shrinking a form to its one page whatever the
office details. An approved quarter prints from what its approval stored (``core.queries.evaluation``).
"""
from __future__ import annotations

import datetime as dt

from core.documents import official
from core.domain import vnformat
from core.domain.indicators import ON_TIME_766
from core.queries.evaluation import Sheet, ranking

COUNT_ROWS = (
    ("received", "Hồ sơ tiếp nhận trong quý"),
    ("carried_over", "Hồ sơ kỳ trước chuyển sang"),
    ("resolved_early", "Giải quyết trước hạn"),
    ("resolved_on_due", "Giải quyết đúng hạn"),
    ("resolved_late", "Giải quyết quá hạn"),
    ("open", "Đang giải quyết cuối quý"),
    ("open_overdue", "Trong đó quá hạn"),
    ("withdrawn", "Rút hồ sơ"),
)
SIZE = 11.5  # points: a form fits its page in Word as on paper
TABLE = 9


def quarter_title(sheet: Sheet) -> str:
    """'QUÝ III NĂM 2023'."""
    return _quarter(sheet).upper()


def _quarter(sheet: Sheet) -> str:
    """'quý III năm 2023' (the numeral stays a numeral in running text)."""
    q = (sheet.period.start.month - 1) // 3 + 1
    return f"quý {vnformat.roman_quarter(q)} năm {sheet.period.start.year}"


def _points(value: float | None) -> str:
    return "" if value is None else vnformat.decimal(value)


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


def _counts(sheet: Sheet) -> official.Table:
    """The quarter's counts in two columns of label and number."""
    c = sheet.figures.counts
    n = vnformat.number
    half = (len(COUNT_ROWS) + 1) // 2
    rows = []
    for i in range(half):
        left = COUNT_ROWS[i]
        right = COUNT_ROWS[i + half] if i + half < len(COUNT_ROWS) else None
        rows.append([left[1], n(c[left[0]]), right[1] if right else "", n(c[right[0]]) if right else ""])
    return official.Table(rows, [0.36, 0.14, 0.36, 0.14], header_rows=0, align=["left", "right", "left", "right"],
                          size=TABLE)


def _rates(sheet: Sheet) -> official.Table:
    n = vnformat.number
    rows = [["Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu"]]
    for item in sheet.figures.entries():
        name = item.indicator.name
        if item.indicator is ON_TIME_766:  # the national index's rate: in the report, not on the one-page form
            continue
        if not item.indicator.is_rate:
            rows.append([name, f"{n(item.count)} bản", "", ""])
        else:
            rows.append([f"{name} ({item.unknown_text})" if item.unknown else name,
                         vnformat.fraction(item.numerator, item.denominator),
                         "chưa có số liệu" if item.no_data else vnformat.percent(item.rate, strip=False),
                         vnformat.percent(item.target)])
    return official.Table(rows, [0.55, 0.17, 0.14, 0.14], align=["left", "center", "center", "center"], size=TABLE,
                          shaded=[0])


def _scores(sheet: Sheet) -> official.Table:
    """The criteria by section, each with its maximum, the officer's own points and the head's."""
    rows = [["TT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Lãnh đạo chấm", "Căn cứ"]]
    spans, bold, shaded, section = [], [], [0], None
    for number, line in enumerate(sheet.lines, 1):
        if line.criterion["section"] != section:
            section = line.criterion["section"]
            top = sum(l.criterion["max_points"] for l in sheet.lines if l.criterion["section"] == section)
            rows.append([section, "", _points(top), "", "", ""])
            spans.append((len(rows) - 1, 0, len(rows) - 1, 1))
            bold.append(len(rows) - 1)
            shaded.append(len(rows) - 1)
        rows.append([str(number), line.criterion["name"], _points(line.criterion["max_points"]),
                     _points(line.self_points) if line.manual else "", _points(line.points), line.note])
    rows.append(["", "Tổng cộng", _points(sheet.maximum), "", _points(sheet.total) if sheet.complete else "—", ""])
    bold.append(len(rows) - 1)
    return official.Table(rows, [0.055, 0.52, 0.075, 0.075, 0.085, 0.19], spans=spans, bold_rows=bold,
                          align=["center", "left", "center", "center", "center", "left"], size=TABLE, shaded=shaded)


def _verdict(sheet: Sheet) -> official.Paragraph:
    if sheet.complete:
        runs = [official.Run("Tổng điểm: "), official.B(f"{_points(sheet.total)}/{_points(sheet.maximum)}"),
                official.Run(". Đề xuất xếp loại: "), official.B(sheet.classification), official.Run(".")]
        if sheet.discipline:
            runs.append(official.I(f" (Bị xử lý kỷ luật trong năm: {sheet.discipline})"))
    else:
        runs = [official.B("Chưa chấm đủ"),
                official.Run(f" ({vnformat.number(len(sheet.missing))} tiêu chí chưa chấm): chưa tính tổng điểm, "
                             "chưa xếp loại.")]
    return official.Paragraph(runs, align="left", indent=False, size=SIZE)


def form(sheet: Sheet, settings: dict, day: dt.date, check_code: str = "") -> official.Document:
    """One officer's form, on one page."""
    o = sheet.officer
    body = [_p("Họ và tên: ", official.B(o["name"]), f". Chức vụ: {o['position'] or '…'}"),
            _p(f"Lĩnh vực phụ trách: {o['fields'] or '…'}"),
            _p("I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ TRONG QUÝ", bold=True),
            _counts(sheet), _rates(sheet),
            _p("II. CHẤM ĐIỂM", bold=True),
            _scores(sheet), _verdict(sheet),
            _p("III. NHẬN XÉT, ĐÁNH GIÁ CỦA NGƯỜI QUẢN LÝ TRỰC TIẾP", bold=True),
            *[_p(line) for line in (sheet.comments or "…" * 30).splitlines()]]
    head_title = (settings.get("office_head_title") or
                  f"TRƯỞNG {settings.get('office_name') or 'BỘ PHẬN MỘT CỬA'}").upper()
    title_lines = [line.strip() for line in sheet.title.splitlines() if line.strip()]
    return official.from_settings(
        settings, day=day, kind=title_lines[0] if title_lines else "PHIẾU ĐÁNH GIÁ",
        title=" ".join(title_lines[1:] + [quarter_title(sheet)]), body=body,
        signature=official.Signature(_lines("CHỦ TỊCH"), settings.get("chairman") or ""),
        co_signatures=[official.Signature(_lines("NGƯỜI TỰ ĐÁNH GIÁ"), o["name"]),
                       official.Signature(_lines(head_title), settings.get("office_head") or "")],
        footer=f"Mã kiểm tra nhật ký: {check_code}" if check_code else "",
        meta_title=f"Phiếu đánh giá {_quarter(sheet)}", fit_page=True)


def ranking_page(sheets: list[Sheet], settings: dict, day: dt.date) -> official.Document:
    """The officers ranked by their points."""
    rows = [["Hạng", "Họ và tên", "Chức vụ", "Số hồ sơ", "Đúng hạn", "Điểm", "Xếp loại"]]
    for rank, s in ranking(sheets):
        rows.append(["" if rank is None else str(rank), s.officer["name"], s.officer["position"],
                     vnformat.number(s.figures.counts["received"]),
                     vnformat.percent(s.figures.on_time.rate, strip=False),
                     _points(s.total) if s.complete else "—", s.classification])
    return official.from_settings(
        settings, day=day, kind="BẢNG TỔNG HỢP",
        title=f"Kết quả đánh giá cán bộ, công chức tại Bộ phận Một cửa {_quarter(sheets[0])}",
        body=[official.Table(rows, [0.085, 0.2, 0.185, 0.09, 0.11, 0.08, 0.25],
                             align=["center", "left", "left", "center", "center", "center", "left"], shaded=[0])],
        signature=official.Signature(["CHỦ TỊCH"], settings.get("chairman") or ""),
        co_signatures=[official.Signature(["NGƯỜI LẬP BIỂU"], "")])


def documents(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary_page: bool = True,
              check_code: str = "") -> list[official.Document]:
    """Every officer's form and, when there are several, the ranking. ``check_code``: the audit chain's
    anchor, printed small at the foot of every page."""
    day = day or dt.date.today()
    docs = [form(s, settings, day, check_code) for s in sheets]
    if summary_page and len(sheets) > 1:
        docs.append(ranking_page(sheets, settings, day))
    return docs


def pdf(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
        check_code: str = "") -> bytes:
    """All the forms in one PDF, each from a new page."""
    return official.render_pdf_bundle(documents(sheets, settings, day, summary, check_code))


def docx(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
         check_code: str = "") -> bytes:
    """All the forms in one Word file, each from a new page, to edit before they are signed."""
    return official.render_docx_bundle(documents(sheets, settings, day, summary, check_code))


def render(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
           check_code: str = "", fmt: str = "pdf") -> bytes:
    """``fmt``: 'pdf' or 'docx'."""
    return (docx if fmt == "docx" else pdf)(sheets, settings, day, summary, check_code)
