"""The chairman's letter (công văn) drafted from a period's figures, like seeds 000 and 003.

``draft(report)`` gives a ``Letter``: plain data a person edits in the window (the summary "V/v …", the
recipients, the figures paragraph, the shortfalls, the directives chosen from the office's list, "Nơi
nhận"), then ``document(letter, settings)`` turns it into an official document for the PDF and DOCX
renderers. The directives are data: a default list shipped here, the office's own list stored in the
settings (``letter_directives``, JSON), each with the shortfall that proposes it.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from core.documents import official
from core.domain import vnformat
from core.queries.report import Report, narrative_parts

# when: which shortfall proposes the directive ('always', a rate key under its target, 'late', 'e_certified')
DEFAULT_DIRECTIVES = [
    {"when": "always", "text": "Cán bộ, công chức phụ trách giải quyết TTHC: chấn chỉnh tinh thần, trách nhiệm "
     "làm việc, thực hiện đúng quy trình tiếp nhận, giải quyết và trả kết quả hồ sơ TTHC theo quy định."},
    {"when": "digitized_on_receipt", "text": "Bộ phận Một cửa: số hoá đầy đủ thành phần hồ sơ khi tiếp nhận, "
     "bảo đảm tỷ lệ số hoá hồ sơ đạt 100% ngay trong tháng tới."},
    {"when": "result_digitized", "text": "Các công chức chuyên môn: số hoá kết quả giải quyết TTHC đối với "
     "toàn bộ hồ sơ đã giải quyết, kể cả hồ sơ còn tồn từ đầu năm."},
    {"when": "late", "text": "Các công chức có hồ sơ quá hạn: khẩn trương giải quyết dứt điểm, gửi phiếu xin "
     "lỗi và hẹn lại ngày trả kết quả cho tổ chức, cá nhân; báo cáo rõ nguyên nhân với Chủ tịch UBND xã."},
    {"when": "online", "text": "Các ngành, đoàn thể xã: tăng cường tuyên truyền, hướng dẫn tổ chức, cá nhân nộp "
     "hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia."},
    {"when": "paid_online", "text": "Bộ phận Một cửa: hướng dẫn tổ chức, cá nhân thanh toán phí, lệ phí trực "
     "tuyến, phấn đấu đạt chỉ tiêu UBND tỉnh giao."},
    {"when": "e_certified", "text": "Công chức Tư pháp - Hộ tịch: thực hiện chứng thực điện tử bản sao từ bản "
     "chính theo lộ trình của tỉnh."},
    {"when": "always", "text": "Văn phòng - Thống kê: thường xuyên theo dõi, đôn đốc cán bộ, công chức thực "
     "hiện tốt nội dung công văn này, định kỳ báo cáo Chủ tịch UBND xã."},
]
DEFAULT_RECIPIENTS = ["Các ngành, đoàn thể xã;", "Cán bộ, công chức phụ trách TTHC xã;", "Bộ phận Một cửa xã."]
DEFAULT_RECEIVERS = ["Như trên;", "Chủ tịch, PCT UBND xã;", "Lưu: VT."]
CLOSING = "Yêu cầu nghiêm túc triển khai thực hiện./."


def directives(settings: dict) -> list[dict]:
    """The office's list of directives (``letter_directives``), or the default one."""
    try:
        stored = json.loads(settings.get("letter_directives") or "null")
    except ValueError:
        stored = None
    if isinstance(stored, list) and all(isinstance(d, dict) and str(d.get("text", "")).strip() for d in stored):
        return [{"when": str(d.get("when") or "always"), "text": " ".join(str(d["text"]).split())} for d in stored]
    return [dict(d) for d in DEFAULT_DIRECTIVES]


def directives_json(items: list[dict]) -> str:
    """The list as stored in the settings; blank texts dropped."""
    return json.dumps([{"when": d.get("when") or "always", "text": " ".join(d["text"].split())}
                       for d in items if d.get("text", "").strip()], ensure_ascii=False)


@dataclass
class Letter:
    about: str
    recipients: list[str]
    paragraphs: list[str]  # the figures and the shortfalls, then the sentence leading to the directives
    directives: list[str]  # numbered when the letter is set
    receivers: list[str] = field(default_factory=lambda: list(DEFAULT_RECEIVERS))
    sign_mode: str | None = None  # None: as the office details say
    number: str = ""
    day: dt.date | None = None
    closing: str = CLOSING


def shortfalls(r: Report) -> dict:
    """What the letter singles out: rates under target, late and overdue cases by field and by officer,
    no electronic certification."""
    main = r.main
    under = [e.indicator.key for e in main.entries() if e.indicator.narrative and e.below_target]

    def group(cases, key):
        counts: dict[str, int] = {}
        for c in cases:
            name = c.get(key) or ""
            counts[name] = counts.get(name, 0) + 1
        return sorted(counts.items(), key=lambda t: (-t[1], t[0]))

    return {"under": under, "late_fields": group(r.late, "field"), "late_officers": group(r.late, "officer"),
            "overdue_fields": group(r.overdue, "field"), "overdue_officers": group(r.overdue, "officer"),
            "no_e_certified": main.e_certified.count == 0 and main.counts["received"] > 0
            and not main.e_certified.unknown}


def _names(items: list[tuple[str, int]], kind: str) -> str:
    count = vnformat.padded
    parts = []
    for name, n in items:
        who = (f"lĩnh vực {name}" if name else "hồ sơ chưa rõ lĩnh vực") if kind == "field" else f"công chức {name}"
        parts.append(f"{who} ({count(n)} hồ sơ)")
    return ", ".join(parts)


def draft(r: Report, settings: dict | None = None, day: dt.date | None = None) -> Letter:
    """The letter as the chairman would send it after this period, to be edited before it is saved."""
    settings = settings if settings is not None else r.settings
    text = "".join(t for t, _ in narrative_parts(r, shortfalls=False))
    figures = "Theo số liệu trên Hệ thống thông tin giải quyết TTHC, " + text[:1].lower() + text[1:]
    s = shortfalls(r)
    main = r.main
    lacks = []
    late_total = sum(n for _, n in s["late_fields"])
    if late_total:
        lacks.append(f"còn {vnformat.padded(late_total)} hồ sơ giải quyết quá hạn, thuộc "
                     f"{_names(s['late_fields'], 'field')}; của {_names(s['late_officers'], 'officer')}")
    overdue_total = sum(n for _, n in s["overdue_fields"])
    if overdue_total:
        lacks.append(f"đến hết ngày {vnformat.date_brief(r.ended)} còn {vnformat.padded(overdue_total)} hồ sơ quá "
                     f"hạn chưa giải quyết, thuộc {_names(s['overdue_fields'], 'field')}; "
                     f"của {_names(s['overdue_officers'], 'officer')}")
    for key in s["under"]:
        item = main.get(key)
        lacks.append(f"{item.indicator.narrative} đạt {vnformat.percent(item.rate)}, chưa đạt chỉ tiêu "
                     f"({vnformat.percent(item.target)})")
    if s["no_e_certified"]:
        lacks.append("chưa thực hiện chứng thực điện tử bản sao từ bản chính")
    elif main.e_certified.no_data:  # a file without the column: unknown, never "chưa thực hiện"
        lacks.append(f"{main.e_certified.unknown_text}, chưa nói được số bản chứng thực điện tử")
    for item in main.entries():  # a rate from nothing is never stated: the cases without data are
        if item.no_data and item.indicator.narrative:
            lacks.append(f"{item.unknown_text}, chưa tính được {item.indicator.narrative}")
    paragraphs = [figures]
    if lacks:
        paragraphs.append("Bên cạnh những kết quả đạt được, vẫn còn tồn tại, hạn chế: " + "; ".join(lacks) + ".")
    chairman = "Chủ tịch " + _short_committee(settings)
    paragraphs.append("Để khắc phục những tồn tại, hạn chế nêu trên và nâng cao kết quả tiếp nhận, giải quyết "
                      f"TTHC trong thời gian tới, {chairman} yêu cầu:")
    proposed = {"always"} | set(s["under"]) | ({"late"} if late_total or overdue_total else set()) | (
        {"e_certified"} if s["no_e_certified"] else set())
    chosen = [d["text"] for d in directives(settings) if d["when"] in proposed]
    return Letter(about=f"chấn chỉnh, nâng cao kết quả tiếp nhận, giải quyết TTHC {r.period.label}"
                  if lacks else f"tiếp tục nâng cao kết quả tiếp nhận, giải quyết TTHC {r.period.label}",
                  recipients=list(DEFAULT_RECIPIENTS), paragraphs=paragraphs, directives=chosen, day=day)


def _short_committee(settings: dict) -> str:
    """'UBND xã Phượng Kỳ' for 'ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ'."""
    lines = official.committee_lines(settings.get("committee") or "")
    if len(lines) == 2:
        place = official.agency_in_text(lines[1])
        return "UBND " + place[:1].lower() + place[1:]
    return official.agency_in_text(lines[0])


_ASIDE = re.compile(r"\((?=[^()]*\d)[^()]*\)")


def runs(text: str) -> list[official.Run]:
    """A paragraph with the figures in parentheses set in italics, as the letters do."""
    out, at = [], 0
    for m in _ASIDE.finditer(text):
        if m.start() > at:
            out.append(official.Run(text[at:m.start()]))
        out.append(official.Run(m.group(), italic=True))
        at = m.end()
    if at < len(text):
        out.append(official.Run(text[at:]))
    return out


def document(letter: Letter, settings: dict) -> official.Document:
    body = [official.Paragraph(runs(p)) for p in letter.paragraphs if p.strip()]
    body += [official.Paragraph(runs(f"{i}. {d}")) for i, d in enumerate(letter.directives, 1) if d.strip()]
    if letter.closing:
        body.append(official.para(letter.closing))
    return official.from_settings(
        settings, symbol=official.document_symbol(settings), number=letter.number, day=letter.day,
        about=letter.about, recipients=[r for r in letter.recipients if r.strip()], body=body,
        receivers=[r for r in letter.receivers if r.strip()],
        signature=official.signature_from(settings, for_committee=False, mode=letter.sign_mode),
        meta_title=f"Công văn V/v {letter.about}")
