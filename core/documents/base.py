"""What every official document shares (Nghị định 30/2020): A4, margins, a Times-style serif
with every Vietnamese diacritic, the committee and national-motto header, the date line,
signature blocks. Built with reportlab's platypus; documents are returned as bytes.
"""
from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from core.domain import vnformat

FONT = "TimesVN"
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
FRAME_WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

_registered = False


def register_fonts() -> None:
    """Liberation Serif (metric-compatible with Times New Roman), bundled with its licence."""
    global _registered
    if _registered:
        return
    from reportlab.lib.fonts import addMapping

    from resources import font

    for suffix, file in (("", "Regular"), ("-Bold", "Bold"), ("-Italic", "Italic"),
                         ("-BoldItalic", "BoldItalic")):
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(font(f"LiberationSerif-{file}.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
                                  boldItalic=FONT + "-BoldItalic")
    for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
        addMapping(FONT, bold, italic, FONT + suffix)
    _registered = True


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=15.5, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=11, leading=13.5, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", base, fontSize=10.5, leading=12, alignment=TA_LEFT),
        "cell_c": ParagraphStyle("cell_c", base, fontSize=10.5, leading=12, alignment=TA_CENTER),
        "cell_r": ParagraphStyle("cell_r", base, fontSize=10.5, leading=12, alignment=TA_RIGHT),
        "head_c": ParagraphStyle("head_c", base, fontSize=10.5, leading=12, alignment=TA_CENTER,
                                 fontName=FONT + "-Bold"),
        "center": ParagraphStyle("center", base, alignment=TA_CENTER),
        "center_b": ParagraphStyle("center_b", base, alignment=TA_CENTER, fontName=FONT + "-Bold"),
        "title": ParagraphStyle("title", base, alignment=TA_CENTER, fontName=FONT + "-Bold", fontSize=14,
                                leading=16.5, spaceBefore=6),
        "date": ParagraphStyle("date", base, alignment=TA_CENTER, fontName=FONT + "-Italic", fontSize=13),
        "heading": ParagraphStyle("heading", base, fontName=FONT + "-Bold", spaceBefore=5, spaceAfter=2),
        "motto1": ParagraphStyle("motto1", base, alignment=TA_CENTER, fontName=FONT + "-Bold", fontSize=12,
                                 leading=15),
        "motto2": ParagraphStyle("motto2", base, alignment=TA_CENTER, fontName=FONT + "-Bold", fontSize=13,
                                 leading=16),
        "organ": ParagraphStyle("organ", base, alignment=TA_CENTER, fontSize=12, leading=15),
        "organ_b": ParagraphStyle("organ_b", base, alignment=TA_CENTER, fontName=FONT + "-Bold", fontSize=12,
                                  leading=15),
    }


def committee_in_text(settings: dict) -> str:
    """'ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ' as running text writes it: 'Ủy ban nhân dân xã Phượng Kỳ'."""
    name = " ".join((settings.get("committee") or "Ủy ban nhân dân").split())
    if not name.isupper():
        return name
    words = name.split()
    out, i = [], 0
    lead = ["ủy", "ban", "nhân", "dân"]
    while i < len(words) and i < 4 and words[i].lower() in (lead[i], "uỷ"):
        out.append(words[i].lower())
        i += 1
    if i < len(words) and words[i].lower() in ("xã", "phường", "huyện", "tỉnh", "thành", "quận"):
        out.append(words[i].lower())
        i += 1
    elif i + 1 < len(words) and f"{words[i]} {words[i + 1]}".lower() == "thị trấn":
        out += ["thị", "trấn"]
        i += 2
    out += [w.capitalize() for w in words[i:]]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rule(width_mm: float) -> Table:
    """A short centred line under the committee name and the motto."""
    t = Table([[""]], colWidths=[width_mm * mm], rowHeights=[1])
    t.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, -1), 0.7, colors.black)]))
    return t


def header(settings: dict, st: dict) -> Table:
    """Committee (and its parent) at left, the national motto at right."""
    left = []
    if settings.get("parent"):
        left.append(Paragraph(esc(settings["parent"].upper()), st["organ"]))
    from core.documents.official import committee_lines  # 'ỦY BAN NHÂN DÂN' / 'XÃ PHƯỢNG KỲ', never split inside a name

    lines = committee_lines(settings.get("committee") or "")
    left.append(Paragraph("<br/>".join(esc(line).replace(" ", "&nbsp;") if len(lines) > 1 else esc(line)
                                       for line in lines), st["organ_b"]))
    left.append(_rule(25))
    right = [Paragraph(MOTTO[0], st["motto1"]), Paragraph(MOTTO[1], st["motto2"]), _rule(55)]
    t = Table([[left, right]], colWidths=[FRAME_WIDTH * 0.4, FRAME_WIDTH * 0.6])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def date_line(settings: dict, day: dt.date, st: dict) -> Table:
    """'Phượng Kỳ, ngày 05 tháng 02 năm 2026' in italics under the motto."""
    place = settings.get("place") or "……"
    t = Table([["", Paragraph(f"{esc(place)}, {vnformat.date_line(day)}", st["date"])]],
              colWidths=[FRAME_WIDTH * 0.4, FRAME_WIDTH * 0.6])
    t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 4)]))
    return t


def signatures(blocks: list[tuple[str, str, str]], st: dict) -> Table:
    """Signature blocks side by side: (title, hint, printed name), with room to sign."""
    cells = []
    for title, hint, name in blocks:
        cells.append([Paragraph(esc(title), st["center_b"]),
                      Paragraph(f"<i>{esc(hint)}</i>", st["center"]) if hint else Paragraph("", st["center"]),
                      Paragraph("<br/><br/>", st["center"]),
                      Paragraph(f"<b>{esc(name)}</b>", st["center"])])
    width = FRAME_WIDTH / len(blocks)
    t = Table([cells], colWidths=[width] * len(blocks))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def grid(rows: list[list], widths: list[float], header_rows: int = 1, extra: list | None = None) -> Table:
    """A ruled table; widths are fractions of the frame."""
    t = Table(rows, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=header_rows)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee"))]
    t.setStyle(TableStyle(style + (extra or [])))
    return t


def build(story: list, title: str, on_later_pages=None, on_first_page=None) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Một Cửa", **MARGINS)
    if on_later_pages or on_first_page:
        kwargs = {"onLaterPages": on_later_pages} if on_later_pages else {}
        if on_first_page:
            kwargs["onFirstPage"] = on_first_page
        doc.build(story, **kwargs)
    else:
        doc.build(story)
    return buffer.getvalue()


def check_footer(code: str, then=None):
    """A page callback that prints the audit chain's check code small at the foot (and calls ``then``)."""
    def draw(canvas, doc) -> None:
        if then is not None:
            then(canvas, doc)
        if code:
            canvas.saveState()
            canvas.setFont(FONT, 7)
            canvas.drawRightString(MARGINS["leftMargin"] + FRAME_WIDTH, 10 * mm, f"Mã kiểm tra nhật ký: {code}")
            canvas.restoreState()
    return draw


def page_number(canvas, doc) -> None:
    """Page numbers from page 2, centred at the top (Nghị định 30/2020)."""
    canvas.saveState()
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(MARGINS["leftMargin"] + FRAME_WIDTH / 2, A4[1] - 12 * mm, str(doc.page))
    canvas.restoreState()
