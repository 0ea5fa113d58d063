"""The quarterly evaluation forms as a PDF: one officer a page, then a page that ranks them."""
from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, KeepTogether, PageBreak, Paragraph, Spacer

from core.documents import base as documents
from core.domain import vnformat
from core.documents.base import esc
from core.queries.evaluation import Sheet, ranking
from core.domain.indicators import ON_TIME_766

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


def _quarter_title(sheet: Sheet) -> str:
    q = (sheet.period.start.month - 1) // 3 + 1
    return f"QUÝ {vnformat.roman_quarter(q)} NĂM {sheet.period.start.year}"


def _points(value: float | None) -> str:
    return "" if value is None else vnformat.decimal(value)


def officer_page(sheet: Sheet, settings: dict, day: dt.date, st: dict) -> list:
    P = Paragraph
    o = sheet.officer
    story = [documents.header(settings, st), documents.date_line(settings, day, st)]
    title = "<br/>".join(esc(line) for line in sheet.title.splitlines())
    story.append(P(f"{title}<br/>{_quarter_title(sheet)}", st["title"]))
    story.append(Spacer(1, 3))
    story.append(P(f"Họ và tên: <b>{esc(o['name'])}</b>. Chức vụ: {esc(o['position'] or '…')}", st["body"]))
    story.append(P(f"Lĩnh vực phụ trách: {esc(o['fields'] or '…')}", st["body"]))

    story.append(P("I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ TRONG QUÝ", st["heading"]))
    c = sheet.figures.counts
    n = vnformat.number
    half = (len(COUNT_ROWS) + 1) // 2
    rows = []
    for i in range(half):
        left = COUNT_ROWS[i]
        right = COUNT_ROWS[i + half] if i + half < len(COUNT_ROWS) else None
        rows.append([P(left[1], st["cell"]), P(n(c[left[0]]), st["cell_r"]),
                     P(right[1] if right else "", st["cell"]), P(n(c[right[0]]) if right else "", st["cell_r"])])
    story.append(documents.grid(rows, [0.36, 0.14, 0.36, 0.14], header_rows=0))
    story.append(Spacer(1, 4))
    rows = [[P("Chỉ số", st["head_c"]), P("Hồ sơ", st["head_c"]), P("Tỷ lệ", st["head_c"]),
             P("Chỉ tiêu", st["head_c"])]]
    for item in sheet.figures.entries():
        name = item.indicator.name
        if item.indicator is ON_TIME_766:  # the national index's rate: in the report, not on the one-page form
            continue
        if not item.indicator.is_rate:
            rows.append([P(name, st["cell"]), P(n(item.count) + " bản", st["cell_c"]), P("", st["cell_c"]),
                         P("", st["cell_c"])])
        else:
            rows.append([P(name, st["cell"]), P(vnformat.fraction(item.numerator, item.denominator),
                                                st["cell_c"]),
                         P(vnformat.percent(item.rate, strip=False), st["cell_c"]),
                         P(vnformat.percent(item.target), st["cell_c"])])
    story.append(documents.grid(rows, [0.55, 0.17, 0.14, 0.14]))

    story.append(P("II. CHẤM ĐIỂM", st["heading"]))
    rows = [[P("TT", st["head_c"]), P("Tiêu chí", st["head_c"]), P("Điểm tối đa", st["head_c"]),
             P("Tự chấm", st["head_c"]), P("Lãnh đạo chấm", st["head_c"]), P("Căn cứ", st["head_c"])]]
    extra, section = [], None
    number = 0
    for line in sheet.lines:
        if line.criterion["section"] != section:
            section = line.criterion["section"]
            top = sum(l.criterion["max_points"] for l in sheet.lines if l.criterion["section"] == section)
            rows.append([P(f"<b>{esc(section)}</b>", st["cell"]), "", P(f"<b>{_points(top)}</b>", st["cell_c"]),
                         "", "", ""])
            extra += [("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f5f5f5"))]
        number += 1
        rows.append([P(str(number), st["cell_c"]), P(esc(line.criterion["name"]), st["cell"]),
                     P(_points(line.criterion["max_points"]), st["cell_c"]),
                     P(_points(line.self_points) if line.manual else "", st["cell_c"]),
                     P(_points(line.points), st["cell_c"]), P(esc(line.note), st["cell"])])
    total = _points(sheet.total) if sheet.complete else "—"
    rows.append(["", P("<b>Tổng cộng</b>", st["cell"]), P(f"<b>{_points(sheet.maximum)}</b>", st["cell_c"]), "",
                 P(f"<b>{total}</b>", st["cell_c"]), ""])
    story.append(documents.grid(rows, [0.065, 0.445, 0.08, 0.08, 0.1, 0.23], extra=extra))
    story.append(Spacer(1, 4))
    if sheet.complete:
        text = (f"Tổng điểm: <b>{total}/{_points(sheet.maximum)}</b>. "
                f"Đề xuất xếp loại: <b>{esc(sheet.classification)}</b>.")
        if sheet.discipline:
            text += f" <i>(Bị xử lý kỷ luật trong năm: {esc(sheet.discipline)})</i>"
    else:
        text = (f"<b>Chưa chấm đủ</b> ({vnformat.number(len(sheet.missing))} tiêu chí chưa chấm): "
                "chưa tính tổng điểm, chưa xếp loại.")
    story.append(P(text, st["body"]))
    story.append(P("III. NHẬN XÉT, ĐÁNH GIÁ CỦA NGƯỜI QUẢN LÝ TRỰC TIẾP", st["heading"]))
    comments = esc(sheet.comments).replace("\n", "<br/>") if sheet.comments else "<br/>".join(["…" * 37] * 2)
    story.append(P(comments, st["body"]))
    story.append(Spacer(1, 4))
    head_title = (settings.get("office_head_title") or f"TRƯỞNG {settings.get('office_name') or 'BỘ PHẬN MỘT CỬA'}").upper()
    story.append(_signatures([("NGƯỜI TỰ ĐÁNH GIÁ", o["name"]), (head_title, settings.get("office_head") or ""),
                              ("CHỦ TỊCH", settings.get("chairman") or "")], st))
    return story


def _signatures(blocks: list[tuple[str, str]], st: dict):
    """The officer, the head of the office, the chairman side by side: titles on one row, room to
    sign, names on one row (aligned however the titles wrap)."""
    from reportlab.platypus import Table, TableStyle

    width = documents.FRAME_WIDTH / len(blocks)
    rows = [[Paragraph(esc(title), st["center_b"]) for title, _ in blocks],
            ["" for _ in blocks],
            [Paragraph(f"<b>{esc(name)}</b>", st["center"]) for _, name in blocks]]
    t = Table(rows, colWidths=[width] * len(blocks), rowHeights=[None, 16 * mm, None])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return t


def summary_page(sheets: list[Sheet], settings: dict, day: dt.date, st: dict) -> list:
    P = Paragraph
    first = sheets[0]
    story = [documents.header(settings, st), documents.date_line(settings, day, st),
             P(f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ CÁN BỘ, CÔNG CHỨC TẠI BỘ PHẬN MỘT CỬA<br/>{_quarter_title(first)}",
               st["title"]), Spacer(1, 8)]
    rows = [[P(h, st["head_c"]) for h in ("Hạng", "Họ và tên", "Chức vụ", "Số hồ sơ",
                                          "Đúng hạn", "Điểm", "Xếp loại")]]
    for rank, s in ranking(sheets):
        on_time = s.figures.on_time
        rows.append([P("" if rank is None else str(rank), st["cell_c"]), P(esc(s.officer["name"]), st["cell"]),
                     P(esc(s.officer["position"]), st["cell"]),
                     P(vnformat.number(s.figures.counts["received"]), st["cell_c"]),
                     P(vnformat.percent(on_time.rate, strip=False), st["cell_c"]),
                     P(_points(s.total) if s.complete else "—", st["cell_c"]),
                     P(esc(s.classification), st["cell"])])
    story.append(documents.grid(rows, [0.085, 0.2, 0.185, 0.09, 0.11, 0.08, 0.25]))
    story.append(Spacer(1, 16))
    story.append(KeepTogether(documents.signatures([
        ("NGƯỜI LẬP BIỂU", "", ""),
        ("CHỦ TỊCH", "", settings.get("chairman") or ""),
    ], st)))
    return story


def render(sheets: list[Sheet], settings: dict, day: dt.date | None = None, summary: bool = True,
           check_code: str = "") -> bytes:
    """All the forms in one file, one officer a page (shrunk to fit whatever the office
    details), and the ranking when there are several. ``check_code``: the audit chain's
    anchor, printed small at the foot of every page."""
    st = documents.styles()
    st["body"] = ParagraphStyle("form_body", st["body"], fontSize=12, leading=14.5)  # a form fits one page
    st["heading"] = ParagraphStyle("form_heading", st["heading"], fontSize=12, leading=14.5, spaceBefore=3)
    day = day or dt.date.today()
    story: list = []
    for i, sheet in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story.append(KeepInFrame(documents.FRAME_WIDTH, documents.A4[1] - 42 * mm,
                                 officer_page(sheet, settings, day, st), mode="shrink"))
    if summary and len(sheets) > 1:
        story.append(PageBreak())
        story += summary_page(sheets, settings, day, st)
    title = f"Phiếu đánh giá {_quarter_title(sheets[0]).lower()}" if sheets else "Phiếu đánh giá"
    footer = documents.check_footer(check_code)
    return documents.build(story, title, footer, on_first_page=footer)
