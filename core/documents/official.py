"""An official document (Nghị định 30/2020/NĐ-CP, phụ lục I) described as data, rendered as PDF and DOCX.

A document is a plain ``Document``: the header blocks (parent agency and committee at left with the
number "Số: …/BC-UBND"; the national motto at right with the place-and-date line), the title and its
summary or, for a letter (công văn), the "V/v …" summary under the number, "Kính gửi", the body (paragraphs
made of runs with bold and italic, numbered headings, tables, images), "Nơi nhận" and the signature block
(TM. / KT. / Q.). ``render_pdf`` (reportlab platypus, Times New Roman where the system has it, else Liberation
Serif, its metric twin: ``fonts``) and ``render_docx`` (python-docx,
Times New Roman) both return bytes, so every document exists as a PDF to print and as a Word file to edit.
This is the one document engine: the report, the letters, the receipt slip, the case-life forms and the
evaluation forms are all built as a ``Document`` and rendered here; none builds its own PDF.

Layout (Nghị định 30/2020): A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; the agency's name
12–13 pt in capitals, the committee's bold; the motto 12–13 pt bold capitals over "Độc lập - Tự do - Hạnh
phúc" 13–14 pt bold, each with a short rule under it; the date line in italics; body 13–14 pt, justified,
first line indented; page numbers from page 2, centred at the top. A register of many columns may
lie on its side (``landscape``); a one-page form may be shrunk to its page (``fit_page``).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from core.documents import fonts
from core.domain import vnformat

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NBSP = "\u00a0"
BODY_PT = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
FRAME_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
# a landscape register (sổ theo dõi): A4 on its side, narrower margins for its many columns
LANDSCAPE_MARGINS_MM = {"top": 15, "bottom": 15, "left": 20, "right": 10}
LEFT_SHARE = 0.42  # the header's left column (agency, number, V/v); the motto takes the rest
DOCX_FONT = fonts.DOCX_FONT

# signing modes (Nghị định 30/2020, điều 13): the head signs himself, or for the collective (TM.),
# a deputy signs for the head (KT.), an acting head signs (Q.)
SIGN_MODES = {
    "": "Chủ tịch ký",
    "TM": "TM. Ủy ban nhân dân, Chủ tịch ký",
    "KT": "KT. Chủ tịch, Phó Chủ tịch ký thay",
    "TM-KT": "TM. Ủy ban nhân dân, KT. Chủ tịch, Phó Chủ tịch ký thay",
    "Q": "Q. Chủ tịch (quyền) ký",
}


# ---- the document as data -------------------------------------------------------------------

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


def B(text: str) -> Run:
    return Run(text, bold=True)


def I(text: str) -> Run:  # noqa: E743 - the letter for italics
    return Run(text, italic=True)


@dataclass
class Paragraph:
    runs: list[Run]
    align: str = "justify"  # justify | left | center | right
    indent: bool = True  # first line indented
    size: float | None = None  # points; the body size when None
    space_before: float = 0


def para(*parts: str | Run, **kw) -> Paragraph:
    """A paragraph of plain strings and runs: ``para("Tỷ lệ ", I("(82,8%)"), ".")``."""
    return Paragraph([p if isinstance(p, Run) else Run(p) for p in parts if p != ""], **kw)


@dataclass
class Heading:
    """A numbered heading as the letters write it: '1. Biểu dương các cơ quan, đơn vị' in bold."""
    text: str
    level: int = 1


@dataclass
class Table:
    """A ruled table. Cells are text (a line break where the text has one), a ``Paragraph`` (runs in
    bold and italic; its own alignment) or an ``Image``; ``widths`` are fractions of the text width;
    ``spans`` are (first row, first column, last row, last column) inclusive; header rows and
    ``bold_rows`` bold; ``shaded`` rows on a light grey. ``ruled=False``: a layout
    table, no lines (a code beside its QR image)."""
    rows: list[list]
    widths: list[float]
    header_rows: int = 1
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    align: list[str] | None = None  # per column: left | center | right (body rows)
    bold_rows: list[int] = field(default_factory=list)
    size: float = 10.5
    padding: float = 2.5  # points left and right in each cell
    valign: str = "middle"  # top | middle (PDF; Word sets cells at the top)
    shaded: list[int] = field(default_factory=list)
    ruled: bool = True


@dataclass
class Image:
    png: bytes
    width: float = 1.0  # fraction of the text width (in a table cell too)


@dataclass
class PageBreak:
    pass


@dataclass
class Signature:
    lines: list[str]  # 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'
    name: str = ""
    hint: str = ""  # '(Ký, ghi rõ họ tên)' for a person's own signature on a form; never for the signer


@dataclass
class Document:
    committee: str  # 'ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ'
    parent: str = ""  # 'UBND HUYỆN TỨ KỲ' or nothing
    symbol: str = ""  # 'BC-UBND', 'UBND-VP'; no number line when empty
    number: str = ""  # blank: filled in by the clerk when the document is issued
    place: str = ""
    day: dt.date | None = None  # None: 'ngày … tháng … năm …' to fill in
    kind: str = ""  # 'BÁO CÁO', 'KẾ HOẠCH'…; empty for a letter (công văn)
    title: str = ""  # the summary under the kind: 'Kết quả tiếp nhận, giải quyết hồ sơ …'
    subtitle: str = ""  # a line in italics under the title: '(Từ ngày … đến ngày …)'
    about: str = ""  # a letter's summary, printed 'V/v …' under its number
    recipients: list[str] = field(default_factory=list)  # Kính gửi
    body: list = field(default_factory=list)  # Paragraph | Heading | Table | Image | PageBreak
    receivers: list[str] = field(default_factory=list)  # Nơi nhận
    signature: Signature | None = None
    co_signatures: list[Signature] = field(default_factory=list)  # on forms: the officer, the head…
    footer: str = ""  # a small line at the foot of every page, at the right (the audit chain's check code)
    meta_title: str = ""
    landscape: bool = False  # A4 on its side (the register book); a bundle takes its first document's page
    fit_page: bool = False  # the PDF shrinks the document to one page (a form signed on one sheet)
    month: dt.date | None = None  # without ``day``: the month and year of the date line ('ngày … tháng 5 năm 2023')

    @property
    def page_mm(self) -> tuple[float, float]:
        return (PAGE_MM[1], PAGE_MM[0]) if self.landscape else PAGE_MM

    @property
    def margins_mm(self) -> dict[str, float]:
        return LANDSCAPE_MARGINS_MM if self.landscape else MARGINS_MM

    @property
    def frame_mm(self) -> float:
        """The width of the text between the margins."""
        return self.page_mm[0] - self.margins_mm["left"] - self.margins_mm["right"]

    @property
    def number_line(self) -> str:
        if not self.symbol:
            return ""
        number = self.number or NBSP * 8
        return f"Số: {number}/{self.symbol}"

    @property
    def date_line(self) -> str:
        place = self.place or "……"
        if self.day is None and self.month is not None:  # the day filled in when it is signed
            return f"{place}, ngày{NBSP * 6}tháng {self.month.month} năm {self.month.year}"
        if self.day is None:
            return f"{place}, ngày{NBSP * 4}tháng{NBSP * 4}năm {dt.date.today().year}"
        return f"{place}, {vnformat.date_line(self.day)}"

    @property
    def heading_title(self) -> str:
        return self.meta_title or self.kind + (" " + self.title if self.title else "") or self.about


def committee_lines(name: str) -> list[str]:
    """'ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ' on two lines as the letters set it: 'ỦY BAN NHÂN DÂN' / 'XÃ PHƯỢNG KỲ'."""
    name = " ".join((name or "ỦY BAN NHÂN DÂN").upper().split())
    for lead in ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"):
        if name.startswith(lead + " "):
            return [lead, name[len(lead) + 1:]]
    return [name]


_LOWER_WORDS = {"ủy", "uỷ", "ban", "nhân", "dân", "xã", "phường", "huyện", "tỉnh", "quận", "thị", "trấn", "thành",
                "phố", "hội", "đồng", "văn", "phòng", "và", "bộ", "phận", "một", "cửa"}


def agency_in_text(name: str) -> str:
    """An agency's name as running text writes it: 'UBND HUYỆN TỨ KỲ' -> 'UBND huyện Tứ Kỳ',
    'ỦY BAN NHÂN DÂN HUYỆN TỨ KỲ' -> 'Ủy ban nhân dân huyện Tứ Kỳ'. A name not in capitals stays as typed."""
    name = " ".join((name or "").split())
    if not name.isupper():
        return name
    words = []
    for w in name.split():
        low = w.lower()
        words.append(w if w in ("UBND", "HĐND", "UBMTTQ", "TTHC") else low if low in _LOWER_WORDS
                     else low.capitalize())
    text = " ".join(words)
    return text[:1].upper() + text[1:]


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


def signature_from(settings: dict, for_committee: bool, mode: str | None = None) -> Signature:
    """The signature block the office details ask for.

    ``settings``: ``sign_mode`` ('' the chairman, 'KT' a deputy signs for the chairman, 'Q' an acting
    chairman), ``signer_title`` (the deputy's title, 'PHÓ CHỦ TỊCH'), ``signer_name`` (else ``chairman``).
    ``for_committee``: a document the committee issues as a body (a report) is signed 'TM. ỦY BAN NHÂN DÂN'.
    ``mode`` overrides the stored mode for one document ('', 'TM', 'KT', 'TM-KT', 'Q').
    """
    mode = (settings.get("sign_mode") or "") if mode is None else mode
    mode = mode.upper().replace(" ", "")
    if for_committee and not mode.startswith("TM") and mode != "Q":
        mode = "TM" + ("-" + mode if mode else "")
    head = (settings.get("head_title") or "CHỦ TỊCH").upper()
    collective = committee_lines(settings.get("committee") or "")[0]
    lines = []
    if mode.startswith("TM"):
        lines.append(f"TM. {collective}")
        mode = mode[3:] if mode.startswith("TM-") else ""
    if mode == "KT":
        lines += [f"KT. {head}", (settings.get("signer_title") or f"PHÓ {head}").upper()]
        name = settings.get("signer_name") or ""
    elif mode == "Q":
        lines.append(f"Q. {head}")
        name = settings.get("signer_name") or ""
    else:
        lines.append(head)
        name = settings.get("chairman") or ""
    return Signature(lines, " ".join(name.split()))


def document_symbol(settings: dict, kind_code: str = "") -> str:
    """'BC-UBND' for a report (the kind, then the office's symbol); 'UBND-VP' for a letter (the office's
    symbol, then the drafting unit's)."""
    symbol = (settings.get("doc_symbol") or "UBND").strip()
    if kind_code:
        return f"{kind_code}-{symbol}"
    unit = (settings.get("doc_unit") or "").strip()
    return f"{symbol}-{unit}" if unit else symbol


def from_settings(settings: dict, **kw) -> Document:
    """A document with the office's header, place and number symbol filled in."""
    base = {"committee": settings.get("committee") or "ỦY BAN NHÂN DÂN", "parent": settings.get("parent") or "",
            "place": settings.get("place") or ""}
    base.update(kw)
    return Document(**base)


def escape(text: str) -> str:
    """Text made safe to sit inside the small markup of ``markup_runs``."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TAG = re.compile(r"<(/?)([bi])>|<br\s*/?>", re.IGNORECASE)


def markup_runs(text: str) -> list[Run]:
    """Runs from a line of wording with ``<b>…</b>``, ``<i>…</i>`` and ``<br/>`` (the office's own text of a
    form); ``&lt;``, ``&gt;`` and ``&amp;`` stand for the characters. Anything else is printed as written."""
    runs: list[Run] = []
    bold = italic = False
    at = 0

    def add(piece: str) -> None:
        piece = piece.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        if piece:
            runs.append(Run(piece, bold=bold, italic=italic))

    for m in _TAG.finditer(text):
        add(text[at:m.start()])
        at = m.end()
        if m.group(2) is None:
            add("\n")
        elif m.group(2).lower() == "b":
            bold = not m.group(1)
        else:
            italic = not m.group(1)
    add(text[at:])
    return runs


def plain_text(doc: Document) -> str:
    """The whole document as text, a paragraph a line (for the window and for tests)."""
    out = []
    for block in doc.body:
        if isinstance(block, Paragraph):
            out.append("".join(r.text for r in block.runs))
        elif isinstance(block, Heading):
            out.append(block.text)
    return "\n".join(out)


# ---- PDF ------------------------------------------------------------------------------------

def _pdf_styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts.register()
    f = fonts.FONT
    base = ParagraphStyle("o_body", fontName=f, fontSize=BODY_PT, leading=BODY_PT * 1.2, alignment=TA_JUSTIFY,
                          spaceAfter=4)
    aligns = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
    return aligns, {
        "body": base,
        "organ": ParagraphStyle("o_organ", base, fontSize=12.5, leading=15, alignment=TA_CENTER, spaceAfter=0),
        "organ_b": ParagraphStyle("o_organ_b", base, fontSize=12.5, leading=15, alignment=TA_CENTER,
                                  fontName=f + "-Bold", spaceAfter=0),
        "motto1": ParagraphStyle("o_motto1", base, fontSize=12.5, leading=15, alignment=TA_CENTER,
                                 fontName=f + "-Bold", spaceAfter=0),
        "motto2": ParagraphStyle("o_motto2", base, fontSize=13.5, leading=16, alignment=TA_CENTER,
                                 fontName=f + "-Bold", spaceAfter=0),
        "number": ParagraphStyle("o_number", base, fontSize=13, leading=15.5, alignment=TA_CENTER, spaceAfter=0),
        "about": ParagraphStyle("o_about", base, fontSize=12, leading=14, alignment=TA_CENTER, spaceAfter=0),
        "date": ParagraphStyle("o_date", base, fontSize=13.5, leading=15.5, alignment=TA_CENTER,
                               fontName=f + "-Italic", spaceAfter=0),
        "kind": ParagraphStyle("o_kind", base, fontSize=14, leading=17, alignment=TA_CENTER, fontName=f + "-Bold",
                               spaceBefore=10, spaceAfter=0),
        "title": ParagraphStyle("o_title", base, fontSize=14, leading=17, alignment=TA_CENTER,
                                fontName=f + "-Bold", spaceAfter=0),
        "subtitle": ParagraphStyle("o_subtitle", base, alignment=TA_CENTER, fontName=f + "-Italic", spaceAfter=0),
        "heading": ParagraphStyle("o_heading", base, fontName=f + "-Bold", firstLineIndent=12.7 * 2.835,
                                  spaceBefore=4),
        "recipient": ParagraphStyle("o_recipient", base, alignment=TA_LEFT, spaceAfter=0),
        "receivers_h": ParagraphStyle("o_recv_h", base, fontSize=12, leading=14, alignment=TA_LEFT,
                                      fontName=f + "-BoldItalic", spaceAfter=0),
        "receivers": ParagraphStyle("o_recv", base, fontSize=11, leading=13, alignment=TA_LEFT, spaceAfter=0),
        "sign": ParagraphStyle("o_sign", base, fontSize=13.5, leading=16, alignment=TA_CENTER,
                               fontName=f + "-Bold", spaceAfter=0),
        "hint": ParagraphStyle("o_hint", base, fontSize=12, leading=14, alignment=TA_CENTER,
                               fontName=f + "-Italic", spaceAfter=0),
    }


def _esc(text: str) -> str:
    return escape(text)


def _markup(runs: list[Run]) -> str:
    out = []
    for r in runs:
        t = _esc(r.text).replace("\n", "<br/>")
        if r.bold:
            t = f"<b>{t}</b>"
        if r.italic:
            t = f"<i>{t}</i>"
        out.append(t)
    return "".join(out)


def _text_width(text: str, bold: bool, size: float) -> float:
    return fonts.text_width(text, bold, size)


def _rule_flowable(width_pt: float):
    """A short centred line under a name, the motto or a title."""
    from reportlab.lib import colors
    from reportlab.platypus.flowables import HRFlowable

    return HRFlowable(width=width_pt, thickness=0.6, color=colors.black, spaceBefore=2, spaceAfter=2,
                      hAlign="CENTER")


def _pdf_header(doc: Document, st: dict, frame: float) -> list:
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    left: list = []
    if doc.parent:
        left.append(P(_esc(doc.parent.upper()), st["organ"]))
    lines = committee_lines(doc.committee)
    for line in lines:
        left.append(P(_esc(line).replace(" ", "&nbsp;") if len(lines) > 1 else _esc(line), st["organ_b"]))
    longest = max(_text_width(line, True, 12.5) for line in lines)
    left.append(_rule_flowable(min(longest, frame * LEFT_SHARE) * 0.4))
    right = [P(MOTTO[0], st["motto1"]), P(MOTTO[1], st["motto2"]),
             _rule_flowable(_text_width(MOTTO[1], True, 13.5))]
    rows = [[left, right]]
    second_left = []
    if doc.number_line:
        second_left.append(P(_esc(doc.number_line), st["number"]))
    if doc.about and not doc.kind:
        second_left.append(P(_esc("V/v " + doc.about), st["about"]))
    rows.append([second_left, [P(_esc(doc.date_line), st["date"])]])
    t = T(rows, colWidths=[frame * LEFT_SHARE, frame * (1 - LEFT_SHARE)])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 1), (-1, 1), 6),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [t]


SHADE = "#eeeeee"  # the light grey of a table's shaded rows


def _pdf_image(block: Image, frame: float):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image as RLImage

    w, h = ImageReader(io.BytesIO(block.png)).getSize()
    width = frame * block.width
    return RLImage(io.BytesIO(block.png), width=width, height=width * h / w)


def _pdf_table(block: Table, aligns: dict, frame: float):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus import TableStyle

    cell = ParagraphStyle("o_cell", fontName=fonts.FONT, fontSize=block.size, leading=block.size * 1.18)
    head = ParagraphStyle("o_cell_h", cell, fontName=fonts.FONT + "-Bold", alignment=aligns["center"])
    columns = block.align or ["left"] * len(block.widths)
    styles_by_col = [ParagraphStyle(f"o_cell_{a}", cell, alignment=aligns[a]) for a in columns]
    bold_by_col = [ParagraphStyle(f"o_cell_b_{a}", s, fontName=fonts.FONT + "-Bold")
                   for a, s in zip(columns, styles_by_col)]
    rows, image_cells = [], []
    for i, row in enumerate(block.rows):
        out = []
        header_row = i < block.header_rows
        for j, content in enumerate(row):
            if header_row:
                style = head
            else:
                style = bold_by_col[j] if i in block.bold_rows else styles_by_col[j]
            if isinstance(content, Image):  # placed as the column's text would be
                out.append(_pdf_image(content, frame))
                image_cells.append(("ALIGN", (j, i), (j, i), "CENTER" if header_row else columns[j].upper()))
            elif isinstance(content, Paragraph):
                out.append(P(_markup(content.runs), ParagraphStyle("o_cell_p", style,
                                                                   alignment=aligns[content.align])))
            else:
                out.append(P(_esc(content).replace("\n", "<br/>"), style) if content != "" else "")
        rows.append(out)
    t = T(rows, colWidths=[w * frame for w in block.widths], repeatRows=block.header_rows)
    style = [("VALIGN", (0, 0), (-1, -1), block.valign.upper()),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("LEFTPADDING", (0, 0), (-1, -1), block.padding), ("RIGHTPADDING", (0, 0), (-1, -1), block.padding)]
    if block.ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    for r in block.shaded:
        style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(SHADE)))
    style += image_cells
    for r0, c0, r1, c1 in block.spans:
        style.append(("SPAN", (c0, r0), (c1, r1)))
    t.setStyle(TableStyle(style))
    return t


def _pdf_bottom(doc: Document, st: dict, frame: float) -> list:
    from reportlab.platypus import KeepTogether, Spacer, TableStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T

    def block(sig: Signature) -> list:
        cells = [P(_esc(line) or NBSP, st["sign"]) for line in sig.lines]  # a blank line keeps names level
        if sig.hint:
            cells.append(P(_esc(sig.hint), st["hint"]))
        cells.append(Spacer(1, 62))
        cells.append(P(_esc(sig.name) or NBSP, st["sign"]))
        return cells

    out: list = []
    if doc.co_signatures:
        sigs = doc.co_signatures + ([doc.signature] if doc.signature else [])
        t = T([[block(s) for s in sigs]], colWidths=[frame / len(sigs)] * len(sigs))
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
        out.append(t)
        if doc.receivers:
            out += [Spacer(1, 8), *_pdf_receivers(doc, st)]
        return [Spacer(1, 8), KeepTogether(out)]
    if not doc.receivers and not doc.signature:
        return []
    left = _pdf_receivers(doc, st) if doc.receivers else ""
    right = block(doc.signature) if doc.signature else ""
    t = T([[left, right]], colWidths=[frame * 0.48, frame * 0.52])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 8), KeepTogether([t])]


def _pdf_receivers(doc: Document, st: dict) -> list:
    from reportlab.platypus import Paragraph as P

    return [P("Nơi nhận:", st["receivers_h"])] + [P(_esc(f"- {r}"), st["receivers"]) for r in doc.receivers]


def _pdf_story(doc: Document, aligns: dict, st: dict) -> list:
    """The flowables of one document, from its header to its signatures."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, KeepTogether, Spacer
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as P

    frame = doc.frame_mm * mm
    story = _pdf_header(doc, st, frame)
    if doc.kind:
        story.append(P(_esc(doc.kind), st["kind"]))
        if doc.title:
            story.append(P(_esc(doc.title), st["title"]))
        story.append(_rule_flowable(frame * 0.25))
        if doc.subtitle:
            story.append(P(_esc(doc.subtitle), st["subtitle"]))
    story.append(Spacer(1, 10))
    if doc.recipients:
        if len(doc.recipients) == 1:
            story.append(P(f"Kính gửi: {_esc(doc.recipients[0])}", ParagraphStyle(
                "o_kg1", st["recipient"], alignment=aligns["center"])))
        else:
            story.append(P("Kính gửi:", ParagraphStyle("o_kg", st["recipient"], leftIndent=frame * 0.22)))
            for r in doc.recipients:
                story.append(P(_esc(f"- {r}"), ParagraphStyle("o_kgl", st["recipient"], leftIndent=frame * 0.3)))
        story.append(Spacer(1, 6))
    indent = 12.7 * mm
    for block in doc.body:
        if isinstance(block, Paragraph):
            style = ParagraphStyle("o_p", st["body"], alignment=aligns[block.align],
                                   firstLineIndent=indent if block.indent else 0,
                                   spaceBefore=block.space_before)
            if block.size:
                style.fontSize, style.leading = block.size, block.size * 1.2
            story.append(P(_markup(block.runs), style))
        elif isinstance(block, Heading):
            story.append(P(_esc(block.text), st["heading"]))
        elif isinstance(block, Table):
            story += [_pdf_table(block, aligns, frame), Spacer(1, 6)]
        elif isinstance(block, Image):
            story.append(_pdf_image(block, frame))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
    story += _pdf_bottom(doc, st, frame)
    if doc.fit_page:  # shrunk to the page's frame, whatever the office details make it
        flat = []
        for f in story:  # a KeepTogether splits pages, which a frame of one page cannot draw
            flat += f._content if isinstance(f, KeepTogether) else [f]
        return [KeepInFrame(frame, 0, flat, mode="shrink")]
    return story


# ---- long texts: wrapped, and cut with "…" where a box has a size -------------------------------

ELLIPSIS = "…"
CELL_LINES = 10  # the most lines a table cell takes: a 5.000-character name is cut, never a layout error
SIGNATURE_LINES = 3  # a signer's name or title line under the signature
MM_PT = 72 / 25.4


NAME_CHARS = 200  # a person's or an organisation's name in running text (the longest real ones: ~120)
TEXT_CHARS = 500  # a procedure's name or a note in running text


def shortened(text: str | None, limit: int = NAME_CHARS) -> str:
    """A name for running text: whole up to ``limit`` characters, otherwise cut at a word with "…"
    (a 5.000-character name typed by mistake keeps a one-page slip on one page)."""
    text = text or ""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def _lines_taken(text: str, width_pt: float, size: float, bold: bool) -> int:
    """How many printed lines ``text`` takes in a box ``width_pt`` wide (its line breaks kept; a
    margin for words that do not fill a line)."""
    usable = max(width_pt * 0.85, size)
    return sum(max(1, -(-int(fonts.text_width(line, bold, size)) // int(usable))) for line in text.split("\n"))


def fitted(text: str, width_pt: float, size: float, lines: int, bold: bool = False) -> str:
    """``text`` as it fits in ``lines`` lines ``width_pt`` wide: whole when it does, otherwise cut at
    a word where it can be, with "…" (the same cut in the PDF and the Word file)."""
    if not text or _lines_taken(text, width_pt, size, bold) <= lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest beginning that fits with its "…"
        mid = (lo + hi + 1) // 2
        if _lines_taken(text[:mid].rstrip() + ELLIPSIS, width_pt, size, bold) <= lines:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.8:  # at a word, unless that loses much
        cut = cut[:space]
    return cut.rstrip(" ,;:-\n") + ELLIPSIS


def _fitted_runs(runs: list[Run], width_pt: float, size: float, lines: int) -> list[Run]:
    whole = "".join(r.text for r in runs)
    short = fitted(whole, width_pt, size, lines)
    if short == whole:
        return runs
    keep, out = len(short) - len(ELLIPSIS), []
    for r in runs:
        if keep <= 0:
            break
        out.append(Run(r.text[:keep], r.bold, r.italic))
        keep -= len(r.text)
    out.append(Run(ELLIPSIS))
    return out


def _fitted_table(block: Table, frame_mm: float) -> Table:
    spans = {(r0, c0): (c0, c1) for r0, c0, r1, c1 in block.spans}
    rows = []
    for i, row in enumerate(block.rows):
        out = []
        for j, content in enumerate(row):
            c0, c1 = spans.get((i, j), (j, j))
            width = sum(block.widths[c0:c1 + 1]) * frame_mm * MM_PT - 2 * block.padding
            bold = i < block.header_rows or i in block.bold_rows
            if isinstance(content, Paragraph):
                content = Paragraph(_fitted_runs(content.runs, width, block.size, CELL_LINES), content.align,
                                    content.indent, content.size, content.space_before)
            elif isinstance(content, str):
                content = fitted(content, width, block.size, CELL_LINES, bold)
            out.append(content)
        rows.append(out)
    return Table(rows, block.widths, block.header_rows, block.spans, block.align, block.bold_rows, block.size,
                 block.padding, block.valign, block.shaded, block.ruled)


def _fitted_signature(sig: Signature | None, width_mm: float) -> Signature | None:
    if sig is None:
        return None
    width = width_mm * MM_PT - 4
    return Signature([fitted(line, width, 13.5, SIGNATURE_LINES, True) for line in sig.lines],
                     fitted(sig.name, width, 13.5, SIGNATURE_LINES, True), sig.hint)


def fitted_document(doc: Document) -> Document:
    """The document with every box of a fixed size (a table's cell, a signature's column) holding
    its text within bounds: long texts wrap, and beyond ``CELL_LINES`` lines are cut with "…".
    Paragraphs of the body wrap over as many lines and pages as they need."""
    from dataclasses import replace

    frame = doc.frame_mm
    sigs = len(doc.co_signatures) + (1 if doc.signature else 0) if doc.co_signatures else 0
    sig_width = frame / sigs if sigs else frame * 0.52
    body = [_fitted_table(b, frame) if isinstance(b, Table) else b for b in doc.body]
    return replace(doc, body=body, signature=_fitted_signature(doc.signature, sig_width),
                   co_signatures=[_fitted_signature(s, sig_width) for s in doc.co_signatures])


TEXT_LIMIT = 20_000  # characters of one piece of text in a document (a run, a line)
CELL_LIMIT = 300  # characters of one table cell: a cell taller than a page cannot be printed


def printable(value, limit: int = TEXT_LIMIT):
    """A document (or any part of one) with every text made printable by ``core.domain.textsafe``:
    control characters and right-to-left marks dropped, a name of 100.000 characters cut. Both
    renderers call it first, so every document writes whatever text was stored."""
    import dataclasses

    from core.domain.textsafe import printable as clean

    if isinstance(value, str):
        return clean(value, limit)
    if isinstance(value, Table):
        rows = [[printable(c, CELL_LIMIT) for c in row] for row in value.rows]
        return dataclasses.replace(value, rows=rows)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: printable(getattr(value, f.name), limit)
                                            for f in dataclasses.fields(value) if f.init})
    if isinstance(value, list):
        return [printable(v, limit) for v in value]
    if isinstance(value, tuple):
        return tuple(printable(v, limit) for v in value)
    if isinstance(value, dict):
        return {k: printable(v, limit) for k, v in value.items()}
    return value


def render_pdf(doc: Document) -> bytes:
    """The document as a PDF (A4, Nghị định 30/2020 margins, page numbers from page 2)."""
    return render_pdf_bundle([doc], numbered=True)


def render_pdf_bundle(docs: list[Document], numbered: bool = False) -> bytes:
    """Several documents in one PDF, each from a new page (the quarter's evaluation forms, one an officer).
    ``numbered``: page numbers from page 2 (one long document); a bundle of one-page forms has none.
    The first document's page (A4 upright or on its side) and footer line hold for every page."""
    docs = printable(list(docs))
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import SimpleDocTemplate

    aligns, st = _pdf_styles()
    docs = [fitted_document(doc) for doc in docs]
    story: list = []
    for i, doc in enumerate(docs):
        if i:
            story.append(RLPageBreak())
        story += _pdf_story(doc, aligns, st)
    head = docs[0]
    width, height = head.page_mm
    margins = head.margins_mm

    def first(canvas, d):
        _pdf_footer(canvas, head)

    def later(canvas, d):
        if numbered:  # from page 2, centred at the top (Nghị định 30/2020)
            canvas.saveState()
            canvas.setFont(fonts.FONT, 12)
            canvas.drawCentredString((margins["left"] + head.frame_mm / 2) * mm,
                                     (height - min(12, margins["top"] - 5)) * mm, str(d.page))
            canvas.restoreState()
        _pdf_footer(canvas, head)

    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=(width * mm, height * mm), title=head.heading_title,
                                 author="Một Cửa", subject=fonts.note(),
                                 topMargin=margins["top"] * mm, bottomMargin=margins["bottom"] * mm,
                                 leftMargin=margins["left"] * mm, rightMargin=margins["right"] * mm)
    template.build(story, onFirstPage=first, onLaterPages=later)
    return buffer.getvalue()


def _pdf_footer(canvas, doc: Document) -> None:
    if not doc.footer:
        return
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont(fonts.FONT, 7)
    canvas.drawRightString((doc.page_mm[0] - doc.margins_mm["right"]) * mm, 10 * mm, doc.footer)
    canvas.restoreState()


# ---- DOCX -----------------------------------------------------------------------------------

def _docx_font(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = DOCX_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), DOCX_FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _docx_para(container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False, align="center",
               space_after: float = 0, space_before: float = 0, first_indent_mm: float = 0, left_mm: float = 0):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    pf = p.paragraph_format
    pf.space_after, pf.space_before = Pt(space_after), Pt(space_before)
    pf.line_spacing = 1.0
    if first_indent_mm:
        pf.first_line_indent = Mm(first_indent_mm)
    if left_mm:
        pf.left_indent = Mm(left_mm)
    if text:
        _docx_font(p.add_run(text), size, bold, italic)
    else:  # an empty line is as tall as its paragraph mark: give the mark the size asked for
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rpr, sz = OxmlElement("w:rPr"), OxmlElement("w:sz")
        sz.set(qn("w:val"), str(max(2, round(size * 2))))
        rpr.append(sz)
        _place(p._p.get_or_add_pPr(), rpr, _PPR_ORDER)
    return p


def _docx_rule(cell, width_mm: float, cell_mm: float) -> None:
    """A short rule: an empty paragraph with a top border, indented to ``width_mm`` and centred."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = cell.add_paragraph()
    side = max(0.0, (cell_mm - width_mm) / 2)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.line_spacing = Pt(6)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    _place(ppr, border, _PPR_ORDER)


# the order WordprocessingML requires among the children of a table's and a paragraph's properties: Word
# refuses a file whose elements are out of order (LibreOffice is lenient)
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription")
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _place(parent, child, order: tuple[str, ...]) -> None:
    """Put ``child`` among ``parent``'s children where the schema wants it, replacing one of its kind."""
    from docx.oxml.ns import qn

    name = child.tag.rsplit("}", 1)[1]
    for old in parent.findall(qn(f"w:{name}")):
        parent.remove(old)
    rank = order.index(name)
    for i, existing in enumerate(parent):
        tag = existing.tag.rsplit("}", 1)[1]
        if tag in order and order.index(tag) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def _docx_no_borders(table) -> None:
    """No lines and no side margins in the cells: a layout table, as Word's own templates do."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _docx_cell_margins(table, 0)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    _place(table._tbl.tblPr, borders, _TBLPR_ORDER)


def _docx_cell_margins(table, points: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), str(round(points * 20)))
        e.set(qn("w:type"), "dxa")
        margins.append(e)
    _place(table._tbl.tblPr, margins, _TBLPR_ORDER)


def _docx_widths(table, widths_mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)


def _cell_text(cell, text, **kw):
    """Write ``text`` into the cell's fresh first paragraph (a new cell has one), or a new paragraph."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.runs and first._p.pPr is None:
        first._p.getparent().remove(first._p)
        p = _docx_para(cell, text, **kw)
        return p
    return _docx_para(cell, text, **kw)


def _docx_header(d, doc: Document) -> None:
    left_mm, right_mm = doc.frame_mm * LEFT_SHARE, doc.frame_mm * (1 - LEFT_SHARE)
    t = d.add_table(rows=2, cols=2)
    _docx_no_borders(t)
    _docx_widths(t, [left_mm, right_mm])
    left, right = t.cell(0, 0), t.cell(0, 1)
    if doc.parent:
        _cell_text(left, doc.parent.upper(), size=12.5)
    lines = committee_lines(doc.committee)
    for line in lines:
        _cell_text(left, line.replace(" ", NBSP) if len(lines) > 1 else line, size=12.5, bold=True)
    longest = max(_text_width(line, True, 12.5) for line in lines) / 2.835  # points → mm
    _docx_rule(left, min(longest, left_mm) * 0.4, left_mm)
    _cell_text(right, MOTTO[0], size=12.5, bold=True)
    _cell_text(right, MOTTO[1], size=13.5, bold=True)
    _docx_rule(right, _text_width(MOTTO[1], True, 13.5) / 2.835, right_mm)
    second, date = t.cell(1, 0), t.cell(1, 1)
    if doc.number_line:
        _cell_text(second, doc.number_line, size=13, space_before=6)
    if doc.about and not doc.kind:
        _cell_text(second, "V/v " + doc.about, size=12)
    _cell_text(date, doc.date_line, size=13.5, italic=True, space_before=6)


def _docx_table(d, block: Table, frame_mm: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    t = d.add_table(rows=len(block.rows), cols=len(block.widths))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.ruled:
        t.style = "Table Grid"
    else:
        _docx_no_borders(t)
    _docx_cell_margins(t, block.padding)
    _docx_widths(t, [w * frame_mm for w in block.widths])
    columns = block.align or ["left"] * len(block.widths)
    covered = set()
    for r0, c0, r1, c1 in block.spans:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    # cells reached through their row (table.cell() rebuilds the whole grid each time: quadratic)
    for i, (row, tr) in enumerate(zip(block.rows, t.rows)):
        cells = tr.cells
        for j, content in enumerate(row):
            if i in block.shaded:
                _docx_shade(cells[j])
            if (i, j) in covered:
                continue
            header = i < block.header_rows
            bold = header or i in block.bold_rows
            if isinstance(content, Image):
                p = _cell_text(cells[j], "", size=block.size, align="center" if header else columns[j])
                p.add_run().add_picture(io.BytesIO(content.png), width=Mm(frame_mm * content.width))
            elif isinstance(content, Paragraph):
                p = _cell_text(cells[j], "", size=block.size, align=content.align)
                for r in content.runs:
                    _docx_font(p.add_run(r.text), block.size, r.bold or bold, r.italic)
            else:
                _cell_text(cells[j], content, size=block.size, bold=bold, align="center" if header else columns[j])
    for r0, c0, r1, c1 in block.spans:
        t.cell(r0, c0).merge(t.cell(r1, c1))
    # header rows repeat on every page
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for i in range(block.header_rows):
        trpr = t.rows[i]._tr.get_or_add_trPr()
        e = OxmlElement("w:tblHeader")
        e.set(qn("w:val"), "true")
        trpr.append(e)


_TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark")


def _docx_shade(cell) -> None:
    """A light grey under the cell, as the PDF's shaded rows."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", SHADE.lstrip("#").upper())):
        shd.set(qn(k), v)
    _place(cell._tc.get_or_add_tcPr(), shd, _TCPR_ORDER)


def _docx_keep(paragraph, with_next: bool = True) -> None:
    """A paragraph kept whole and, with ``with_next``, on the page of what follows it."""
    paragraph.paragraph_format.keep_together = True
    if with_next:
        paragraph.paragraph_format.keep_with_next = True


def _docx_unsplittable(table) -> None:
    """Every row of a layout table on one page (``w:cantSplit``), its paragraphs kept together:
    a signature block never leaves its title at the foot of one page and the name on the next."""
    from docx.oxml import OxmlElement

    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        if trpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is None:
            trpr.insert(0, OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for i, p in enumerate(cell.paragraphs):
                _docx_keep(p, i < len(cell.paragraphs) - 1)


def _docx_keep_last_lines(d, lines: int = 2) -> None:
    """The last ``lines`` paragraphs of text before the signatures go with them to a new page when the
    signatures do not fit (Word and LibreOffice keep a paragraph with the table after it), so no page
    holds only a signature block."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    body = d.element.body
    kept = 0
    for element in reversed(list(body.iterchildren())):
        if element.tag.endswith("}sectPr"):
            continue
        if not element.tag.endswith("}p"):
            break  # a table before the signatures: its last row is kept by the keep of the spacer
        p = DocxParagraph(element, d._body)
        _docx_keep(p)
        if p.text.strip():
            kept += 1
            if kept >= lines:
                break


def _docx_bottom(d, doc: Document) -> None:
    sigs = doc.co_signatures + ([doc.signature] if doc.signature else []) if doc.co_signatures else []
    compact = doc.fit_page
    if doc.co_signatures:
        _docx_keep_last_lines(d)
        t = d.add_table(rows=1, cols=len(sigs))
        _docx_no_borders(t)
        _docx_widths(t, [doc.frame_mm / len(sigs)] * len(sigs))
        for cell, sig in zip(t.rows[0].cells, sigs):
            _docx_signature(cell, sig, compact)
        _docx_unsplittable(t)
        if doc.receivers:
            _docx_para(d, "", size=6)
            _docx_receivers(d, doc.receivers)
        return
    if not doc.receivers and not doc.signature:
        return
    _docx_keep_last_lines(d)
    t = d.add_table(rows=1, cols=2)
    _docx_no_borders(t)
    _docx_widths(t, [doc.frame_mm * 0.48, doc.frame_mm * 0.52])
    if doc.receivers:
        _docx_receivers(t.cell(0, 0), doc.receivers)
    if doc.signature:
        _docx_signature(t.cell(0, 1), doc.signature, compact)
    _docx_unsplittable(t)


def _docx_receivers(container, receivers: list[str]) -> None:
    write = _cell_text if hasattr(container, "width") else _docx_para
    write(container, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    for r in receivers:
        _docx_para(container, f"- {r}", size=11, align="left")


def _docx_signature(cell, sig: Signature, compact: bool = False) -> None:
    """A signature block; ``compact`` (a form that must fit its page) leaves a little less room to sign."""
    size = 12 if compact else 13.5
    for line in sig.lines:
        _cell_text(cell, line, size=size, bold=True)
    if sig.hint:
        _cell_text(cell, sig.hint, size=11 if compact else 12, italic=True)
    for _ in range(3 if compact else 4):
        _cell_text(cell, "", size=11 if compact else BODY_PT)
    _cell_text(cell, sig.name, size=size, bold=True)


def _docx_page_numbers(section) -> None:
    """Page numbers from page 2: a PAGE field in the header, none on the first page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = p.add_run()
    _docx_font(run, 13)
    field_.append(run._r)
    p._p.append(field_)


def _docx_document(d, doc: Document) -> None:
    """One document's blocks, from its header to its signatures, appended to ``d``."""
    from docx.shared import Mm

    frame = doc.frame_mm
    _docx_header(d, doc)
    if doc.kind:
        _docx_para(d, doc.kind, size=14, bold=True, space_before=10)
        if doc.title:
            _docx_para(d, doc.title, size=14, bold=True)
        _docx_rule(d, frame * 0.25, frame)
        if doc.subtitle:
            _docx_para(d, doc.subtitle, italic=True)
    _docx_para(d, "", size=6)
    if doc.recipients:
        if len(doc.recipients) == 1:
            _docx_para(d, f"Kính gửi: {doc.recipients[0]}", align="center", space_after=6)
        else:
            _docx_para(d, "Kính gửi:", align="left", left_mm=frame * 0.22)
            for r in doc.recipients:
                _docx_para(d, f"- {r}", align="left", left_mm=frame * 0.3)
            _docx_para(d, "", size=6)
    for block in doc.body:
        if isinstance(block, Paragraph):
            p = _docx_para(d, align=block.align, first_indent_mm=12.7 if block.indent else 0, space_after=4,
                           space_before=block.space_before)
            for r in block.runs:
                _docx_font(p.add_run(r.text), block.size or BODY_PT, r.bold, r.italic)
        elif isinstance(block, Heading):
            _docx_keep(_docx_para(d, block.text, bold=True, align="justify", first_indent_mm=12.7, space_after=4,
                                  space_before=4))  # a heading never ends a page
        elif isinstance(block, Table):
            _docx_table(d, block, frame)
            _docx_para(d, "", size=6)
        elif isinstance(block, Image):
            d.add_picture(io.BytesIO(block.png), width=Mm(frame * block.width))
        elif isinstance(block, PageBreak):
            _docx_page_break(d)
    _docx_para(d, "", size=6)
    _docx_bottom(d, doc)


def _docx_page_break(d) -> None:
    """What follows starts a new page: a paragraph of one point that begins a page itself (a break
    character in a line of its own would, after a full page, leave a blank page behind)."""
    from docx.shared import Pt

    p = _docx_para(d, "", size=1)
    p.paragraph_format.page_break_before = True
    p.paragraph_format.line_spacing = Pt(1)


def render_docx(doc: Document) -> bytes:
    """The document as a Word file to edit: Times New Roman, the same blocks as the PDF."""
    return render_docx_bundle([doc], numbered=True)


def render_docx_bundle(docs: list[Document], numbered: bool = False) -> bytes:
    """Several documents in one Word file, each from a new page (as ``render_pdf_bundle``)."""
    docs = printable(list(docs))
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    docs = [fitted_document(doc) for doc in docs]
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(BODY_PT)
    head = docs[0]
    section = d.sections[0]
    if head.landscape:
        from docx.enum.section import WD_ORIENT

        section.orientation = WD_ORIENT.LANDSCAPE
    margins = head.margins_mm
    section.page_width, section.page_height = Mm(head.page_mm[0]), Mm(head.page_mm[1])
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance, section.footer_distance = Mm(min(10, margins["top"] - 5)), Mm(8)
    if numbered:
        _docx_page_numbers(section)
    if head.footer:
        footers = (section.footer, section.first_page_footer) if numbered else (section.footer,)
        for footer in footers:
            footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _docx_font(footer.paragraphs[0].add_run(head.footer), 7)
    d.core_properties.title = head.heading_title
    d.core_properties.author = "Một Cửa"
    d.core_properties.comments = f"Phông chữ: {DOCX_FONT}"
    # python-docx starts with one empty paragraph; the header table goes before everything
    body = d.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)
    for i, doc in enumerate(docs):
        if i:
            _docx_page_break(d)
        _docx_document(d, doc)
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def render(doc: Document, fmt: str) -> bytes:
    """``fmt``: 'pdf' or 'docx'."""
    return {"pdf": render_pdf, "docx": render_docx}[fmt](doc)
