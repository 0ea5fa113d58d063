"""The forms of a case's life, in the official layout of the receipt slip (issue 14).

Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; phiếu từ chối tiếp nhận, giải quyết hồ sơ;
phiếu xin lỗi và hẹn lại ngày trả kết quả; thông báo dừng giải quyết hồ sơ; phiếu kiểm
soát quá trình giải quyết hồ sơ; the register book (sổ theo dõi hồ sơ) of a period.
Their words are data: ``resources/forms.json`` ships the defaults, the office's own
text is stored over them (``Store.set_wording('form.KIND', json)``). Each function
returns the PDF's bytes.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from core.documents import base as documents
from core.domain import vnformat
from core.documents.base import esc

FORM_KINDS = ("supplement", "refused", "apology", "stopped", "control")
# the event each form is printed for
EVENT_OF = {"supplement": "supplement_requested", "refused": "refused", "apology": "extended", "stopped": "stopped"}
STATUS_TEXT = {"withdrawn": "Rút hồ sơ", "refused": "Từ chối", "stopped": "Dừng giải quyết"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def wording(stored: dict[str, str] | None = None) -> dict:
    """The shipped wording with the office's own text of each form laid over it."""
    from resources import form_wording

    out = form_wording()
    for key, value in (stored or {}).items():
        if not key.startswith("form."):
            continue
        kind = key[5:]
        try:
            own = json.loads(value)
        except ValueError:
            continue
        if kind in out and isinstance(own, dict):
            out[kind] = {**out[kind], **{k: v for k, v in own.items() if k in out[kind]}}
    return out


def fill(template: str, values: dict[str, str]) -> str:
    """``{name}`` replaced by its (escaped) value; an unknown name stays as written."""
    return _PLACEHOLDER.sub(lambda m: esc(values[m[1]]) if m[1] in values else m[0], template)


def _date(value) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def values(case: dict, settings: dict, event: dict | None = None, today: dt.date | None = None) -> dict[str, str]:
    """What the placeholders of a form stand for."""
    due, new_due = _date(case.get("due_date")), _date((event or {}).get("new_date") or case.get("new_due_date"))
    day = _date((event or {}).get("day")) or today or dt.date.today()
    return {
        "code": case.get("code") or "", "procedure": case.get("procedure") or "",
        "applicant": case.get("applicant") or "……………………", "officer": case.get("officer") or "",
        "received": vnformat.date_text(_date(case["received_date"])),
        "due": vnformat.date_text(due) if due else "……",
        "new_due": vnformat.date_text(new_due) if new_due else "ngày …… tháng …… năm ……",
        "received_short": vnformat.date_short(_date(case["received_date"])),
        "due_short": vnformat.date_short(due) if due else "……",
        "new_due_short": vnformat.date_short(new_due) if new_due else "……",
        "event_day": vnformat.date_text(day), "note": (event or {}).get("note") or "",
        "office": settings.get("office_name") or "Bộ phận Một cửa",
        "committee": documents.committee_in_text(settings),
        "chairman": settings.get("chairman") or "", "period": "",
    }


def _head(settings: dict, day: dt.date, title: str, st: dict) -> list:
    from reportlab.platypus import Paragraph

    return [documents.header(settings, st), documents.date_line(settings, day, st), Paragraph(esc(title), st["title"])]


def _signers(form: dict, vals: dict, st: dict) -> list:
    from reportlab.platypus import Spacer

    if not form.get("signers"):
        return []
    blocks = [(fill(t, vals), fill(h, vals), fill(n, vals)) for t, h, n in form["signers"]]
    # esc() was applied by fill; signatures() escapes again, so give it the plain text back
    plain = [tuple(x.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") for x in b) for b in blocks]
    return [Spacer(1, 14), documents.signatures(plain, st)]


def render(kind: str, case: dict, settings: dict, stored: dict | None = None, event: dict | None = None,
           events: list[dict] | None = None, today: dt.date | None = None) -> bytes:
    """One form for one case: ``kind`` is one of ``FORM_KINDS``; ``event`` the event it is printed for."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    form = wording(stored)[kind]
    st = documents.styles()
    st["body"] = ParagraphStyle("form_body", st["body"], spaceAfter=4, firstLineIndent=0)
    vals = values(case, settings, event, today)
    day = _date((event or {}).get("day")) or today or dt.date.today()
    story = _head(settings, day, form["title"], st) + [Spacer(1, 8)]
    story += [Paragraph(fill(p, vals), st["body"]) for p in form["paragraphs"]]
    if kind == "control":
        story.append(Spacer(1, 6))
        story.append(_control_table(case, events or [], st))
    else:
        lines = [line.strip() for line in (vals["note"] or "").splitlines() if line.strip()] or ["……"]
        for i, line in enumerate(lines, 1):
            prefix = f"{i}. " if kind == "supplement" else "– "
            story.append(Paragraph(prefix + esc(line), st["body"]))
    story += [Paragraph(fill(p, vals), st["body"]) for p in form["after"]]
    story += _signers(form, vals, st)
    return documents.build(story, f"{form['name']} {case.get('code', '')}")


def _control_table(case: dict, events: list[dict], st: dict):
    """Hand-over rows: receipt, each event, the result; blank rows for the desks to fill."""
    from reportlab.platypus import Paragraph

    from core.domain.events import KINDS

    P = Paragraph
    rows = [[P(h, st["head_c"]) for h in ("TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
                                          "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (trước hạn / đúng hạn / quá hạn)", "GHI CHÚ")]]
    received = _date(case["received_date"])
    rows.append([P(f"1. Giao: {esc(case.get('officer') or '')} (tiếp nhận)<br/>Nhận: ……", st["cell"]),
                 P(f"{case.get('received_time') or '…'} giờ, {vnformat.date_short(received)}", st["cell_c"]), "", ""])
    n = 2
    for e in events:
        name = KINDS.get(e["kind"], (e["kind"],))[0]
        note = e.get("note") or ""
        if e.get("new_date"):
            note += f" (hẹn lại {vnformat.date_short(_date(e['new_date']))})"
        rows.append([P(f"{n}. {esc(name)}", st["cell"]), P(vnformat.date_short(_date(e["day"])), st["cell_c"]), "",
                     P(esc(note), st["cell"])])
        n += 1
    resolved, due = _date(case.get("resolved_date")), _date(case.get("due_date"))
    if resolved and not case.get("status"):
        verdict = "trước hạn" if resolved < due else "đúng hạn" if resolved == due else "quá hạn"
        rows.append([P(f"{n}. Có kết quả giải quyết", st["cell"]), P(vnformat.date_short(resolved), st["cell_c"]),
                     P(verdict, st["cell_c"]), ""])
        n += 1
    for _ in range(max(0, 9 - len(rows))):
        rows.append([P(f"{n}. Giao: ……<br/>Nhận: ……", st["cell"]), "", "", ""])
        n += 1
    return documents.grid(rows, [0.34, 0.2, 0.24, 0.22], extra=[("VALIGN", (0, 0), (-1, -1), "TOP")])


BOOK_COLUMNS = ("STT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Cán bộ tiếp nhận", "Ngày nhận", "Hẹn trả",
                "Yêu cầu bổ sung", "Nhận bổ sung", "Hẹn lại", "Ngày có KQ", "Kết quả / tình trạng")


def book_row(i: int, c: dict) -> list[str]:
    """One line of the register book."""
    d = vnformat.date_short
    resolved, due = _date(c.get("resolved_date")), _date(c["due_date"])
    if c.get("status"):
        state = STATUS_TEXT.get(c["status"], c["status"])
    elif resolved:
        state = "Trước hạn" if resolved < due else "Đúng hạn" if resolved == due else "Quá hạn"
    elif c.get("supplement_requested") and not c.get("supplement_returned"):
        state = "Chờ bổ sung"
    else:
        state = "Đang giải quyết"
    count = c.get("supplement_count") or 0
    asked = d(_date(c.get("supplement_requested"))) if c.get("supplement_requested") else ""
    if count > 1:
        asked += f" ({count} lần)"
    return [str(i), c["code"], c["procedure"], c.get("applicant") or "", c.get("officer") or "",
            d(_date(c["received_date"])), d(due), asked,
            d(_date(c.get("supplement_returned"))) if c.get("supplement_returned") else "",
            d(_date(c.get("new_due_date"))) if c.get("new_due_date") else "",
            d(resolved) if resolved else "", state]


def render_book(cases: list[dict], period_label: str, settings: dict, stored: dict | None = None,
                today: dt.date | None = None) -> bytes:
    """The register book (sổ theo dõi hồ sơ) of the cases received in a period, A4 landscape."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    form = wording(stored)["book"]
    st = documents.styles()
    small = ParagraphStyle("book", st["cell"], fontSize=8.5, leading=10)
    head = ParagraphStyle("book_h", small, fontName=documents.FONT + "-Bold", alignment=1)
    vals = values({"received_date": (today or dt.date.today()).isoformat()}, settings, today=today)
    vals["period"] = period_label
    day = today or dt.date.today()
    story = [documents.header(settings, st), documents.date_line(settings, day, st),
             Paragraph(esc(form["title"]), st["title"])]
    story += [Paragraph(fill(p, vals), st["center"]) for p in form["paragraphs"]]
    story.append(Spacer(1, 6))
    rows = [[Paragraph(h, head) for h in BOOK_COLUMNS]]
    for i, c in enumerate(cases, 1):
        rows.append([Paragraph(esc(v), small) for v in book_row(i, c)])
    if len(rows) == 1:
        rows.append([Paragraph("Không có hồ sơ nào trong kỳ.", small)] + [""] * (len(BOOK_COLUMNS) - 1))
    width = landscape(A4)[0] - 30 * mm
    fractions = (0.03, 0.1, 0.16, 0.1, 0.09, 0.072, 0.072, 0.08, 0.072, 0.072, 0.072, 0.08)
    table = Table(rows, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    story.append(table)
    story += _signers(form, vals, st)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"Sổ theo dõi hồ sơ {period_label}",
                            author="Một Cửa", topMargin=15 * mm, bottomMargin=15 * mm, leftMargin=20 * mm,
                            rightMargin=10 * mm)
    doc.build(story, onLaterPages=_landscape_page_number)
    return buffer.getvalue()


def _landscape_page_number(canvas, doc) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont(documents.FONT, 12)
    w, h = landscape(A4)
    canvas.drawCentredString(w / 2, h - 8 * mm, str(doc.page))
    canvas.restoreState()
