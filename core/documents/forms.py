"""The forms of a case's life, in the official layout of the receipt slip (issue 14).

Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; phiếu từ chối tiếp nhận, giải quyết hồ sơ;
phiếu xin lỗi và hẹn lại ngày trả kết quả; thông báo dừng giải quyết hồ sơ; phiếu kiểm
soát quá trình giải quyết hồ sơ; the register book (sổ theo dõi hồ sơ) of a period.
Their words are data: ``resources/forms.json`` ships the defaults, the office's own
text is stored over them (``Store.set_wording('form.KIND', json)``), with ``<b>``/``<i>`` for
bold and italics. Each form is an official ``Document`` (``document``, ``book``), printed as a PDF
(``render``, ``render_book``) or a Word file (``official.render_docx``).
"""
from __future__ import annotations

import datetime as dt
import json
import re

from core.documents import official
from core.documents.official import escape as esc
from core.domain import vnformat

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
        "code": case.get("code") or "", "procedure": official.shortened(case.get("procedure"), official.TEXT_CHARS),
        "applicant": official.shortened(case.get("applicant")) or "……………………",
        "officer": official.shortened(case.get("officer")),
        "received": vnformat.date_text(_date(case["received_date"])),
        "due": vnformat.date_text(due) if due else "……",
        "new_due": vnformat.date_text(new_due) if new_due else "ngày …… tháng …… năm ……",
        "received_short": vnformat.date_short(_date(case["received_date"])),
        "due_short": vnformat.date_short(due) if due else "……",
        "new_due_short": vnformat.date_short(new_due) if new_due else "……",
        "event_day": vnformat.date_text(day), "note": (event or {}).get("note") or "",
        "office": settings.get("office_name") or "Bộ phận Một cửa",
        "committee": official.committee_in_text(settings),
        "chairman": settings.get("chairman") or "", "period": "",
    }


def _signers(form: dict, vals: dict) -> dict:
    """The form's signature blocks (title, hint, name): the last at the right, the others beside it."""
    if not form.get("signers"):
        return {}
    # fill() escapes for the markup of a paragraph; a signature block is plain text
    sigs = [official.Signature([_plain(fill(t, vals))], _plain(fill(n, vals)), _plain(fill(h, vals)))
            for t, h, n in form["signers"]]
    return {"signature": sigs[-1], "co_signatures": sigs[:-1]}


def _plain(text: str) -> str:
    return "".join(r.text for r in official.markup_runs(text))


def _para(text: str, **kw) -> official.Paragraph:
    """A paragraph of the office's wording (its <b> and <i> kept), as the forms set it: no first-line indent."""
    return official.Paragraph(official.markup_runs(text), indent=False, **kw)


def document(kind: str, case: dict, settings: dict, stored: dict | None = None, event: dict | None = None,
             events: list[dict] | None = None, today: dt.date | None = None) -> official.Document:
    """One form for one case: ``kind`` is one of ``FORM_KINDS``; ``event`` the event it is printed for."""
    form = wording(stored)[kind]
    vals = values(case, settings, event, today)
    day = _date((event or {}).get("day")) or today or dt.date.today()
    body: list = [_para(fill(p, vals)) for p in form["paragraphs"]]
    if kind == "control":
        body.append(_control_table(case, events or []))
    else:
        lines = [line.strip() for line in (vals["note"] or "").splitlines() if line.strip()] or ["……"]
        for i, line in enumerate(lines, 1):
            prefix = f"{i}. " if kind == "supplement" else "– "
            body.append(official.Paragraph([official.Run(prefix + line)], indent=False))
    body += [_para(fill(p, vals)) for p in form["after"]]
    return official.from_settings(settings, day=day, kind=form["title"], body=body,
                                  meta_title=f"{form['name']} {case.get('code', '')}", **_signers(form, vals))


def render(kind: str, case: dict, settings: dict, stored: dict | None = None, event: dict | None = None,
           events: list[dict] | None = None, today: dt.date | None = None) -> bytes:
    """One form for one case as a PDF (see ``document``)."""
    return official.render_pdf(document(kind, case, settings, stored, event, events, today))


def _control_table(case: dict, events: list[dict]) -> official.Table:
    """Hand-over rows: receipt, each event, the result; blank rows for the desks to fill."""
    from core.domain.events import KINDS

    rows = [["TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
             "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (trước hạn / đúng hạn / quá hạn)", "GHI CHÚ"]]
    received = _date(case["received_date"])
    rows.append([f"1. Giao: {case.get('officer') or ''} (tiếp nhận)\nNhận: ……",
                 f"{case.get('received_time') or '…'} giờ, {vnformat.date_short(received)}", "", ""])
    n = 2
    for e in events:
        name = KINDS.get(e["kind"], (e["kind"],))[0]
        note = e.get("note") or ""
        if e.get("new_date"):
            note += f" (hẹn lại {vnformat.date_short(_date(e['new_date']))})"
        rows.append([f"{n}. {name}", vnformat.date_short(_date(e["day"])), "", note])
        n += 1
    resolved, due = _date(case.get("resolved_date")), _date(case.get("due_date"))
    if resolved and not case.get("status"):
        verdict = "trước hạn" if resolved < due else "đúng hạn" if resolved == due else "quá hạn"
        rows.append([f"{n}. Có kết quả giải quyết", vnformat.date_short(resolved), verdict, ""])
        n += 1
    for _ in range(max(0, 9 - len(rows))):
        rows.append([f"{n}. Giao: ……\nNhận: ……", "", "", ""])
        n += 1
    return official.Table(rows, [0.34, 0.2, 0.24, 0.22], align=["left", "center", "center", "left"],
                          valign="top", shaded=[0])


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


def book(cases: list[dict], period_label: str, settings: dict, stored: dict | None = None,
         today: dt.date | None = None) -> official.Document:
    """The register book (sổ theo dõi hồ sơ) of the cases received in a period, A4 landscape."""
    form = wording(stored)["book"]
    vals = values({"received_date": (today or dt.date.today()).isoformat()}, settings, today=today)
    vals["period"] = period_label
    day = today or dt.date.today()
    rows = [list(BOOK_COLUMNS)] + [book_row(i, c) for i, c in enumerate(cases, 1)]
    spans = []
    if len(rows) == 1:
        rows.append(["Không có hồ sơ nào trong kỳ."] + [""] * (len(BOOK_COLUMNS) - 1))
        spans.append((1, 0, 1, len(BOOK_COLUMNS) - 1))
    fractions = [0.03, 0.1, 0.16, 0.1, 0.09, 0.072, 0.072, 0.08, 0.072, 0.072, 0.072, 0.08]
    body: list = [_para(fill(p, vals), align="center") for p in form["paragraphs"]]
    body.append(official.Table(rows, fractions, spans=spans, size=8.5, padding=3, valign="top", shaded=[0]))
    return official.from_settings(settings, day=day, kind=form["title"], body=body, landscape=True,
                                  meta_title=f"Sổ theo dõi hồ sơ {period_label}", **_signers(form, vals))


def render_book(cases: list[dict], period_label: str, settings: dict, stored: dict | None = None,
                today: dt.date | None = None) -> bytes:
    """The register book as a PDF (see ``book``)."""
    return official.render_pdf(book(cases, period_label, settings, stored, today))
