"""The praise-and-reminder letter (seed 001) drafted from a roll-up, as data: paragraphs of runs.

``draft`` turns a ``core.queries.rollup`` result into a ``Letter``; ``as_text`` gives
the paragraphs for the terminal (italics between asterisks, as section 6
quotes them); ``document`` lays the same data out as an official document
(Nghị định 30/2020), which ``pdf`` and ``docx`` render.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.documents import official
from core.documents.official import Run
from core.domain import vnformat
from core.domain.indicators import DIGITIZED_ON_RECEIPT, RESULT_DIGITIZED
from core.domain.periods import Period, parse
from core.queries import rollup

ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")


@dataclass
class Paragraph:
    runs: list[Run]
    style: str = "body"  # body | heading | item (a "- " line) | subitem (a "+ " line)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Letter:
    committee: str = ""
    parent: str = ""
    number: str = "Số:      /UBND-VP"
    subject: str = ""
    place_date: str = ""
    recipients: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    receivers: list[str] = field(default_factory=list)
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = ""
    settings: dict = field(default_factory=dict)  # the office details the document's header and signature use


def ordinal(n: int) -> str:
    """'thứ nhất', 'thứ hai' … 'thứ mười', then 'thứ 11'."""
    return "thứ " + (ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else str(n))


def _p(*parts, style: str = "body") -> Paragraph:
    """A paragraph from strings (plain) and 1-tuples (italic)."""
    runs = [Run(p[0], italic=True) if isinstance(p, tuple) else Run(p) for p in parts if p]
    return Paragraph(runs, style)


def _pct(rate: float | None) -> str:
    return vnformat.percent(rate)


def _names(rows: list[dict]) -> str:
    names = [r["unit"] for r in rows]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def _fields(row: dict) -> str:
    parts = row["overdue"]
    if len(parts) == 1:
        return f"lĩnh vực {parts[0]['field']}"
    return "các lĩnh vực: " + ", ".join(f"{o['field']} ({vnformat.padded(o['count'])} hồ sơ)" for o in parts)


def _change_phrase(change: float | None, prev_label: str) -> str:
    if change is None:
        return f"chưa có số liệu {prev_label} để so sánh"
    return f"{vnformat.change(change)} so với cùng kỳ {prev_label}"


def draft(result: dict, settings: dict | None = None, today: dt.date | None = None) -> Letter:
    """The letter of a roll-up month, worded as seed 001 and interfaces.md section 6."""
    settings = settings or {}
    today = today or dt.date.today()
    period: Period = parse(result["period"]["from"][:7])
    label = period.label  # 'tháng 4/2023'
    prev_label = period.previous().label
    nxt = parse(f"{period.end + dt.timedelta(days=1):%Y-%m}").label
    me = rollup.unit_name(settings, "") or "UBND"
    chair = f"Chủ tịch {me}"
    letter = Letter(
        committee=settings.get("committee", ""), parent=settings.get("parent", ""),
        subject=f"V/v biểu dương, nhắc nhở các cơ quan, đơn vị trong thực hiện nhiệm vụ cải cách hành chính {label}",
        place_date=f"{settings.get('place') or '……'}, ngày      tháng {today.month} năm {today.year}",
        recipients=["Thủ trưởng các cơ quan, đơn vị;", "Chủ tịch UBND các xã, phường, thị trấn."],
        receivers=["Như trên;", "Lưu: VT."], signer_name=settings.get("chairman", ""), settings=dict(settings))
    ps = letter.paragraphs
    avg = result["average"]

    # the pooled rates and their change
    sentences = []
    for indicator in (DIGITIZED_ON_RECEIPT, RESULT_DIGITIZED):
        a = avg[indicator.key]
        if a["rate"] is None:
            sentences.append(f"{indicator.result_name} chưa có hồ sơ để tính")
            continue
        s = f"{indicator.result_name} đạt {_pct(a['rate'])}"
        if a["change"] is not None:
            s += f", {vnformat.change(a['change'])} so với {prev_label}"
        sentences.append(s)
    first = (f"Trong {label} các cơ quan, đơn vị, địa phương đã có nhiều cố gắng trong thực hiện nhiệm vụ "
             f"Cải cách hành chính. Kết quả {'; '.join(sentences)}.")
    overdue = rollup.overdue_units(result)
    if overdue:
        listed = ", ".join(f"{r['unit']}: {vnformat.padded(rollup.overdue_total(r))} hồ sơ" for r in overdue)
        ps.append(_p(first + " Bên cạnh đó, vẫn để xảy ra tình trạng hồ sơ TTHC giải quyết quá hạn (",
                     (listed,), ")."))
    else:
        ps.append(_p(first))
    ps.append(_p(f"Trên cơ sở số liệu các cơ quan, đơn vị gửi về, {chair} có ý kiến như sau:"))

    # 1. praise
    ps.append(_p("1. Biểu dương các cơ quan, đơn vị", style="heading"))
    good = rollup.praised(result)
    if good:
        runs: list = [f"{chair} biểu dương {vnformat.padded(len(good))} cơ quan, đơn vị có kết quả tỷ lệ số hoá "
                      f"đầy đủ thành phần hồ sơ khi tiếp nhận và số hoá kết quả giải quyết TTHC trong {label} "
                      "đạt tỷ lệ 100%; gồm: "]
        for i, r in enumerate(good):
            a, b = r["indicators"]["digitized_on_receipt"], r["indicators"]["result_digitized"]
            fa, fb = vnformat.fraction(a["numerator"], a["denominator"]), \
                vnformat.fraction(b["numerator"], b["denominator"])
            fractions = f"{fa} hồ sơ" if fa == fb else f"tiếp nhận {fa} hồ sơ, số hoá {fb} hồ sơ"
            if i:
                runs.append(" và " if i == len(good) - 1 else ", ")
            runs += [f"{r['unit']} (", (fractions,), ")"]
        runs.append(".")
        ps.append(_p(*runs))
    else:
        ps.append(_p(f"Trong {label} chưa có cơ quan, đơn vị nào đạt tỷ lệ 100% ở cả hai chỉ tiêu số hoá."))

    # 2. results by rate
    ps.append(_p("2. Kết quả thực hiện cải cách thủ tục hành chính", style="heading"))
    section = 0
    for key, title in ((i.key, i.narrative) for i in (DIGITIZED_ON_RECEIPT, RESULT_DIGITIZED)):
        section += 1
        ps.append(_p(f"2.{section}. Về {title}", style="heading"))
        rising, falling = rollup.below_average(result, key)
        if not rising and not falling:
            ps.append(_p("Không có cơ quan, đơn vị nào thấp hơn mức bình quân chung.", style="item"))
            continue
        if rising:
            ps.append(_p(f"Có {vnformat.padded(len(rising))} cơ quan, đơn vị mặc dù kết quả tăng so với cùng kỳ "
                         f"{prev_label}, nhưng vẫn thấp hơn mức bình quân chung, gồm:", style="item"))
            for r in rising:
                item = r["indicators"][key]
                ps.append(_p(f"{r['unit']} (", (_pct(item['rate']),), f"), {_change_phrase(item['change'], prev_label)}"
                             f", nhưng vẫn thấp hơn {_pct(-item['gap'])} mức bình quân chung.", style="subitem"))
        if falling:
            ps.append(_p(f"Có {vnformat.padded(len(falling))} cơ quan, đơn vị có kết quả không tăng so với cùng kỳ "
                         f"{prev_label} và thấp hơn mức bình quân chung, cụ thể:", style="item"))
            for r in falling:
                item = r["indicators"][key]
                ps.append(_p(f"{r['unit']} (", (_pct(item['rate']),), f"), {_change_phrase(item['change'], prev_label)}"
                             f" và thấp hơn {_pct(-item['gap'])} mức bình quân chung.", style="subitem"))
        ps.append(_p(f"Đề nghị các cơ quan, đơn vị nêu trên quan tâm chỉ đạo quyết liệt để nâng cao hơn nữa {title} "
                     f"trong {nxt}, đảm bảo bằng hoặc cao hơn mức bình quân chung."))

    section += 1
    ps.append(_p(f"2.{section}. Về chứng thực bản sao điện tử từ bản chính", style="heading"))
    year, month = rollup.without_e_certification(result)
    cutoff = f"{period.end.day}/{period.end.month}/{period.end.year}"
    if year:
        ps.append(_p(f"Kể từ đầu năm đến hết ngày {cutoff}, có {vnformat.padded(len(year))} địa phương chưa thực "
                     f"hiện chứng thực bản sao điện tử từ bản chính, gồm: {_names(year)}.", style="item"))
    else:
        ps.append(_p(f"Kể từ đầu năm đến hết ngày {cutoff}, các địa phương đều đã thực hiện chứng thực bản sao "
                     "điện tử từ bản chính.", style="item"))
    if len(month) == 1:
        ps.append(_p(f"Trong {label}, có {month[0]['unit']} không thực hiện chứng thực bản sao điện tử từ bản chính.",
                     style="item"))
    elif month:
        ps.append(_p(f"Trong {label}, có {vnformat.padded(len(month))} địa phương không thực hiện chứng thực bản sao "
                     f"điện tử từ bản chính, gồm: {_names(month)}.", style="item"))
    if year or month:
        ps.append(_p(f"Yêu cầu Chủ tịch UBND {vnformat.padded(len(year) + len(month))} địa phương nêu trên chỉ đạo "
                     f"công chức Tư pháp - Hộ tịch trong {nxt} phải thực hiện chứng thực bản sao điện tử từ bản "
                     f"chính; nếu địa phương nào không thực hiện, {chair} sẽ có văn bản phê bình, nhắc nhở."))

    missing = result["not_reported"]
    if missing:
        section += 1
        ps.append(_p(f"2.{section}. Về chế độ báo cáo", style="heading"))
        runs = [f"Có {vnformat.padded(len(missing))} cơ quan, đơn vị chưa gửi số liệu {label}, gồm: "]
        for i, m in enumerate(missing):
            if i:
                runs.append("; ")
            runs += [f"{m['unit']} (", (m["reason"],), ")"]
        runs.append(".")
        ps.append(_p(*runs, style="item"))

    # 3. reminders
    n = 3
    for r in overdue:
        number = r.get("reminder")
        which = f"Nhắc nhở lần {ordinal(number)}" if number else "Nhắc nhở"
        ps.append(_p(f"{n}. {which} đối với {r['unit']}", style="heading"))
        ps.append(_p(f"Lý do: Trong {label}, đơn vị đã để phát sinh {vnformat.padded(rollup.overdue_total(r))} hồ sơ "
                     f"quá hạn thuộc {_fields(r)} trên Hệ thống thông tin giải quyết TTHC."))
        n += 1
    ps.append(_p("Yêu cầu các cơ quan, đơn vị nghiêm túc rút kinh nghiệm, tập trung cao độ trong chỉ đạo thực hiện "
                 "nhiệm vụ Cải cách hành chính tại địa phương, đơn vị để khắc phục các tình trạng nêu trên ngay "
                 f"trong {nxt}./."))
    return letter


_MARKS = {"heading": "", "body": "", "item": "- ", "subitem": "+ "}


def paragraph_text(p: Paragraph, marks: bool = True) -> str:
    """A paragraph as text; italics between asterisks when ``marks``."""
    body = "".join(f"*{r.text}*" if (r.italic and marks) else r.text for r in p.runs)
    return _MARKS.get(p.style, "") + body


def as_text(letter: Letter) -> str:
    """The letter's paragraphs, one a line with a blank line between (``rollup --text``)."""
    return "\n\n".join(paragraph_text(p) for p in letter.paragraphs) + "\n"


def from_text(text: str) -> list[Paragraph]:
    """Paragraphs back from edited text: blank lines part them, *…* marks italics, '- '/'+ ' items."""
    import re

    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = " ".join(block.split())
        if not block:
            continue
        style = "body"
        if block.startswith("- "):
            style, block = "item", block[2:]
        elif block.startswith("+ "):
            style, block = "subitem", block[2:]
        elif re.match(r"^\d+(\.\d+)*\. ", block) and len(block) < 160 and not block.endswith("."):
            style = "heading"
        runs = [Run(part, italic=bool(i % 2)) for i, part in enumerate(block.split("*")) if part]
        out.append(Paragraph(runs, style))
    return out


def document(letter: Letter) -> official.Document:
    """The letter as an official document: a công văn with its 'V/v' summary, signed as the office details say."""
    settings = letter.settings
    body: list = []
    for p in letter.paragraphs:
        if p.style == "heading":
            body.append(official.Heading(p.text))
            continue
        mark = _MARKS.get(p.style, "")
        body.append(official.Paragraph(([Run(mark)] if mark else []) + list(p.runs)))
    about = letter.subject[4:] if letter.subject.startswith("V/v ") else letter.subject
    return official.from_settings(
        settings, committee=letter.committee or settings.get("committee") or "ỦY BAN NHÂN DÂN",
        parent=letter.parent, symbol=official.document_symbol(settings), about=about,
        recipients=list(letter.recipients), body=body, receivers=list(letter.receivers),
        signature=official.signature_from(settings, for_committee=False), meta_title=letter.subject)


def pdf(letter: Letter) -> bytes:
    return official.render_pdf(document(letter))


def docx(letter: Letter) -> bytes:
    return official.render_docx(document(letter))
