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
    month: dt.date | None = None  # the date line's month and year (the month after the period, seed 001)


def ordinal(n: int) -> str:
    """'thứ nhất', 'thứ hai' … 'thứ mười', then 'thứ 11'."""
    return "thứ " + (ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else str(n))


def _p(*parts, style: str = "body") -> Paragraph:
    """A paragraph from strings (plain) and 1-tuples (italic)."""
    runs = [Run(p[0], italic=True) if isinstance(p, tuple) else Run(p) for p in parts if p]
    return Paragraph(runs, style)


def _pct(rate: float | None) -> str:
    return vnformat.percent(rate)


# What the letter may contain, in its order: the chairman's choice (the page's boxes, the command line's
# --with/--without); seed 001's content by default: praise, receipt digitization below the average,
# e-certification, units not reported, reminders to the communes with overdue cases.
SECTIONS: dict[str, tuple[str, bool]] = {
    "praise": ("Biểu dương đơn vị đạt 100% cả hai tỷ lệ số hoá", True),
    "digitized_on_receipt": ("Số hoá khi tiếp nhận: đơn vị thấp hơn mức bình quân chung", True),
    "result_digitized": ("Số hoá kết quả: đơn vị thấp hơn mức bình quân chung", False),
    "e_certified": ("Chứng thực bản sao điện tử từ bản chính", True),
    "not_reported": ("Đơn vị chưa gửi số liệu", True),
    "reminders": ("Nhắc nhở địa phương (xã, phường, thị trấn) có hồ sơ quá hạn", True),
    "reminders_departments": ("Nhắc nhở cả cơ quan chuyên môn có hồ sơ quá hạn", False),
}
DEFAULT_SECTIONS = frozenset(k for k, (_, on) in SECTIONS.items() if on)
_LEVEL_ORDER = ("xã", "phường", "thị trấn")
_PARTY = {"huyện": "Huyện ủy", "tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy", "thị xã": "Thị ủy", "quận": "Quận ủy"}


def sections_from(with_: list[str] | None = None, without: list[str] | None = None,
                  base: set[str] | frozenset[str] | None = None) -> set[str]:
    """The sections chosen: ``base`` (seed 001's by default) with ``with_`` added and ``without`` taken
    away; an unknown key raises ``RollupError`` naming the keys there are."""
    out = set(DEFAULT_SECTIONS if base is None else base)
    for key in [*(with_ or []), *(without or [])]:
        if key not in SECTIONS:
            raise rollup.RollupError(f"không có phần {key!r} của công văn; có: "
                                     + "; ".join(f"{k} ({v[0]})" for k, v in SECTIONS.items()))
    return (out | set(with_ or [])) - set(without or [])


def office_level(settings: dict) -> str:
    """The roll-up office's level from its committee's name: 'huyện' for 'ỦY BAN NHÂN DÂN HUYỆN TỨ KỲ'."""
    name = rollup.unit_name(settings, "")
    for _, lower in sorted(rollup._LEVELS, key=lambda x: -len(x[1])):
        if name.startswith(f"UBND {lower}"):
            return lower
    return ""


def _place(unit: str) -> tuple[str | None, str]:
    """('xã', 'Tái Sơn') for 'UBND xã Tái Sơn'; (None, name) for a department."""
    level = rollup.commune_level(unit)
    if level is None:
        return None, unit
    return level, unit.split(None, 1)[1][len(level):].strip()


def _levels(rows: list[rollup.UnitRow]) -> str:
    """The levels of the communes among ``rows`` as a letter names them together: 'xã, thị trấn'."""
    present = {rollup.commune_level(r.unit) for r in rows}
    return ", ".join(level for level in _LEVEL_ORDER if level in present)


def _noun(rows: list[rollup.UnitRow | rollup.NotReported]) -> str:
    """'địa phương' for communes, 'cơ quan' for district departments, 'cơ quan, đơn vị' for both."""
    kinds = {rollup.is_commune(r.unit) for r in rows}
    return "địa phương" if kinds == {True} else "cơ quan" if kinds == {False} else "cơ quan, đơn vị"


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def _names(rows: list[rollup.UnitRow]) -> str:
    return _and([r.unit for r in rows])


def _grouped(rows: list[rollup.UnitRow], colon: bool = True, joined: str = " và ") -> str:
    """Units grouped by level as seed 001 lists them: 'UBND các xã: Văn Tô, Tái Sơn và UBND thị trấn Tứ Kỳ'
    (in the rows' order); a department by its name. ``joined`` links the last part (', ' for a list of
    whom a request goes to: 'Chủ tịch UBND các xã Tái Sơn, Hưng Đạo, Hà Thanh, Văn Tô')."""
    groups: dict[str | None, list[str]] = {}
    for r in rows:
        level, place = _place(r.unit)
        groups.setdefault(level, []).append(place)
    mark = ":" if colon else ""
    if len(groups) == 1 and None not in groups:  # one level: the last place after "và"
        level, places = next(iter(groups.items()))
        if len(places) == 1:
            return f"UBND {level} {places[0]}"
        return f"UBND các {level}{mark} " + ", ".join(places[:-1]) + joined + places[-1]
    parts = []
    for level, places in groups.items():
        if level is None:
            parts += places
        elif len(places) == 1:
            parts.append(f"UBND {level} {places[0]}")
        else:
            parts.append(f"UBND các {level}{mark} {', '.join(places)}")
    return ", ".join(parts[:-1]) + joined + parts[-1] if len(parts) > 1 else "".join(parts)


def _heads(rows: list[rollup.UnitRow]) -> str:
    """Who is asked: 'Chủ tịch UBND các xã Tái Sơn, Hưng Đạo', 'Thủ trưởng Phòng …'."""
    communes = [r for r in rows if rollup.is_commune(r.unit)]
    departments = [r.unit for r in rows if not rollup.is_commune(r.unit)]
    parts = [f"Chủ tịch {_grouped(communes, colon=False, joined=', ')}"] if communes else []
    if departments:
        parts.append("Thủ trưởng " + _and(departments))
    return "; ".join(parts)


def _fields(row: rollup.UnitRow) -> str:
    parts = row.overdue
    if len(parts) == 1:
        return f"lĩnh vực {parts[0].field}"
    return "các lĩnh vực: " + ", ".join(f"{o.field} ({vnformat.padded(o.count)} hồ sơ)" for o in parts)


def _overdue_listed(rows: list[rollup.UnitRow]) -> str:
    """'UBND xã Đại Sơn: 04 hồ sơ, lĩnh vực Tài nguyên và Môi trường: 01 hồ sơ': a commune by its name,
    a department by its field (as seed 001 writes them)."""
    parts = []
    for r in rows:
        if rollup.is_commune(r.unit):
            parts.append(f"{r.unit}: {vnformat.padded(r.overdue_total)} hồ sơ")
        else:
            parts += [f"lĩnh vực {o.field}: {vnformat.padded(o.count)} hồ sơ" for o in r.overdue]
    return ", ".join(parts)


def _unit_line(row, key: str, tail) -> Paragraph:
    """A unit's line under a rate's section: "UBND xã Tái Sơn (*82,8%*), <tail(its entry)>"."""
    item = row.indicators.get(key)
    return _p(f"{row.unit} (", (_pct(item.rate),), f"), {tail(item)}", style="subitem")


def _change_phrase(change: float | None, prev_label: str) -> str:
    if change is None:
        return f"chưa có số liệu {prev_label} để so sánh"
    return f"{vnformat.change(change)} so với cùng kỳ {prev_label}"


def draft(result: rollup.RollupResult, settings: dict | None = None, today: dt.date | None = None,
          sections: set[str] | frozenset[str] | None = None) -> Letter:
    """The letter of a roll-up month, worded as seed 001 and interfaces.md section 6, with the
    ``sections`` chosen (seed 001's by default). Raises ``rollup.UnnamedUnits`` while a unit is known
    only by a file name that looks like a code: a letter never prints one."""
    settings = settings or {}
    chosen = DEFAULT_SECTIONS if sections is None else frozenset(sections)
    unnamed = rollup.unnamed(result)
    if unnamed:
        raise rollup.UnnamedUnits(unnamed)
    period: Period = result.period
    label = period.label  # 'tháng 4/2023'
    prev_label = period.previous().label
    after = period.end + dt.timedelta(days=1)
    nxt = parse(f"{after:%Y-%m}").label
    level = office_level(settings)
    me = f"UBND {level}" if level else (rollup.unit_name(settings, "") or "UBND")
    of_level = f" của {level}" if level else ""
    chair = f"Chủ tịch {me}"
    units = result.units
    communes = [r for r in units if rollup.is_commune(r.unit)]
    departments = [r for r in units if not rollup.is_commune(r.unit)]
    levels = _levels(communes)
    whom = ", ".join((["các cơ quan chuyên môn"] if departments else []) + ([f"UBND các {levels}"] if levels else []))
    recipients = ([f"Thủ trưởng các cơ quan chuyên môn thuộc {me};"] if departments else []) + \
        ([f"Chủ tịch UBND các {levels}."] if levels else [])
    if recipients:
        recipients[-1] = recipients[-1].rstrip(";.") + "."
    receivers = ["Như trên;"]
    if level in _PARTY:
        receivers.append(f"Ban Thường vụ {_PARTY[level]};")
    receivers.append(f"CT, các PCT.{me};")
    if levels:
        receivers.append(f"Bí thư Đảng ủy các {levels};")
    receivers += ["Các cơ quan, đơn vị có liên quan;",
                  f"Lưu: VT{', ' + settings['doc_unit'] if settings.get('doc_unit') else ''}."]
    letter = Letter(
        committee=settings.get("committee", ""), parent=settings.get("parent", ""),
        subject=f"V/v biểu dương, nhắc nhở {whom or 'các cơ quan, đơn vị'} trong thực hiện nhiệm vụ cải cách "
                f"hành chính {label}",
        place_date=f"{settings.get('place') or '……'}, ngày      tháng {after.month} năm {after.year}",
        recipients=recipients or ["Thủ trưởng các cơ quan, đơn vị."], receivers=receivers,
        signer_name=settings.get("chairman", ""), settings=dict(settings), month=after)
    ps = letter.paragraphs
    avg = result.average

    # the pooled rates and their change
    sentences = []
    for indicator in (DIGITIZED_ON_RECEIPT, RESULT_DIGITIZED):
        a = avg.get(indicator.key)
        if a.rate is None:
            if a.unknown:  # never a rate from nothing (interfaces.md §3)
                sentences.append(f"{indicator.result_name}: chưa có số liệu {indicator.data_name} của "
                                 f"{vnformat.padded(a.unknown)} hồ sơ")
            else:
                sentences.append(f"{indicator.result_name} chưa có hồ sơ để tính")
            continue
        s = f"{indicator.result_name} đạt {_pct(a.rate)}"
        if a.change is not None:
            s += f", {vnformat.change(a.change)} so với {prev_label}"
        sentences.append(s)
    who = "các cơ quan, đơn vị" + (f", UBND các {levels}" if levels else "")
    first = (f"Trong {label} {who} đã có nhiều cố gắng trong thực hiện nhiệm vụ "
             f"Cải cách hành chính. Kết quả {'; '.join(sentences)}.")
    overdue = rollup.overdue_units(result)
    if overdue:
        ps.append(_p(first + " Bên cạnh đó, vẫn để xảy ra tình trạng hồ sơ TTHC giải quyết quá hạn (",
                     (_overdue_listed(overdue),), ")."))
    else:
        ps.append(_p(first))
    reminded = rollup.reminded_units(result, "reminders_departments" in chosen) if (
        "reminders" in chosen or "reminders_departments" in chosen) else []
    if "reminders" not in chosen:
        reminded = [r for r in reminded if not rollup.is_commune(r.unit)]
    reported_by = [r.unit for r in overdue if not rollup.is_commune(r.unit) and r not in reminded]
    proposer = settings.get("rollup_proposer") or (f"Văn phòng HĐND và UBND {level}" if level else "")
    basis = (f"Theo đề xuất của {proposer}" if proposer else "Trên cơ sở số liệu các cơ quan, đơn vị gửi về") + \
        (f"; xét báo cáo của {_and(reported_by)}" if reported_by else "")
    ps.append(_p(f"{basis}, {chair} có ý kiến như sau:"))

    n = 0
    # 1. praise
    if "praise" in chosen:
        n += 1
        ps.append(_p(f"{n}. Biểu dương các cơ quan, đơn vị", style="heading"))
        good = rollup.praised(result)
        if good:
            runs: list = [f"{chair} biểu dương {vnformat.padded(len(good))} {_noun(good)} có kết quả tỷ lệ số hoá "
                          f"đầy đủ thành phần hồ sơ khi tiếp nhận và số hoá kết quả giải quyết TTHC trong {label} "
                          "đạt tỷ lệ 100%; gồm: "]
            for i, r in enumerate(good):
                a, b = r.indicators.digitized_on_receipt, r.indicators.result_digitized
                fa, fb = vnformat.fraction(a.numerator, a.denominator), vnformat.fraction(b.numerator, b.denominator)
                fractions = f"{fa} hồ sơ" if fa == fb else f"tiếp nhận {fa} hồ sơ, số hoá {fb} hồ sơ"
                if i:
                    runs.append(" và " if i == len(good) - 1 else ", ")
                runs += [f"{r.unit} (", (fractions,), ")"]
            runs.append(".")
            ps.append(_p(*runs))
        else:
            ps.append(_p(f"Trong {label} chưa có cơ quan, đơn vị nào đạt tỷ lệ 100% ở cả hai chỉ tiêu số hoá."))

    # 2. results by rate, e-certification, reporting
    rates = [i for i in (DIGITIZED_ON_RECEIPT, RESULT_DIGITIZED) if i.key in chosen]
    year, month = rollup.without_e_certification(result)
    missing = result.not_reported if "not_reported" in chosen else []
    second = rates or "e_certified" in chosen or missing
    section = 0
    if second:
        n += 1
        ps.append(_p(f"{n}. Kết quả thực hiện cải cách thủ tục hành chính", style="heading"))
    for indicator in rates:
        key, title = indicator.key, indicator.narrative
        section += 1
        ps.append(_p(f"{n}.{section}. Về {title}", style="heading"))
        rising, falling = rollup.below_average(result, key)
        new = rollup.below_average_new(result, key)
        if not rising and not falling and not new:
            ps.append(_p("Không có cơ quan, đơn vị nào thấp hơn mức bình quân chung.", style="item"))
            continue
        if rising:
            ps.append(_p(f"Có {vnformat.padded(len(rising))} {_noun(rising)} mặc dù kết quả tăng so với cùng kỳ "
                         f"{prev_label}, nhưng vẫn thấp hơn mức bình quân chung{of_level}, gồm:", style="item"))
            ps += [_unit_line(r, key, lambda i: f"{_change_phrase(i.change, prev_label)}, nhưng vẫn thấp hơn "
                                               f"{_pct(-i.gap)} mức bình quân chung{of_level}.") for r in rising]
        if falling:
            went = "giảm" if all(r.indicators.get(key).change < 0 for r in falling) else "không tăng"
            lead = (f"Riêng {_names(falling)} có" if len(falling) <= 2 and rising else
                    f"Có {vnformat.padded(len(falling))} {_noun(falling)} có")
            ps.append(_p(f"{lead} kết quả {went} so với cùng kỳ {prev_label} và thấp hơn mức bình quân "
                         f"chung{of_level}, cụ thể:", style="item"))
            ps += [_unit_line(r, key, lambda i: f"{_change_phrase(i.change, prev_label)} và thấp hơn "
                                               f"{_pct(-i.gap)} mức bình quân chung{of_level}.") for r in falling]
        if new:
            ps.append(_p(f"Có {vnformat.padded(len(new))} {_noun(new)} chưa có số liệu {prev_label} để so sánh, "
                         f"có kết quả thấp hơn mức bình quân chung{of_level}, gồm:", style="item"))
            ps += [_unit_line(r, key, lambda i: f"thấp hơn {_pct(-i.gap)} mức bình quân chung{of_level}.")
                   for r in new]
        ps.append(_p(f"Đề nghị {_heads(rising + falling + new)} cần quan tâm chỉ đạo quyết liệt để nâng cao hơn nữa "
                     f"{indicator.directive_name} trong {nxt}, đảm bảo bằng hoặc cao hơn mức bình quân chung"
                     f"{' của toàn ' + level if level else ''}."))

    if "e_certified" in chosen:
        section += 1
        ps.append(_p(f"{n}.{section}. Về chứng thực bản sao điện tử từ bản chính", style="heading"))
        cutoff = f"{period.end.day}/{period.end.month}/{period.end.year}"
        if year:
            ps.append(_p(f"Kể từ đầu năm đến hết ngày {cutoff}, có {vnformat.padded(len(year))} {_noun(year)} chưa "
                         f"thực hiện chứng thực bản sao điện tử từ bản chính, gồm {_grouped(year)}.", style="item"))
        else:
            ps.append(_p(f"Kể từ đầu năm đến hết ngày {cutoff}, các địa phương đều đã thực hiện chứng thực bản sao "
                         "điện tử từ bản chính.", style="item"))
        if len(month) == 1:
            ps.append(_p(f"Trong {label}, có {month[0].unit} không thực hiện chứng thực bản sao điện tử từ bản "
                         "chính.", style="item"))
        elif month:
            ps.append(_p(f"Trong {label}, có {vnformat.padded(len(month))} {_noun(month)} không thực hiện chứng thực "
                         f"bản sao điện tử từ bản chính, gồm {_grouped(month)}.", style="item"))
        if year or month:
            ps.append(_p(f"Yêu cầu Chủ tịch UBND {vnformat.padded(len(year) + len(month))} {_levels(year + month)} "
                         "nêu trên chỉ đạo công chức Tư pháp - Hộ tịch trong "
                         f"{nxt} phải thực hiện chứng thực bản sao điện tử từ bản chính; nếu địa phương nào không thực "
                         f"hiện, {chair} sẽ có văn bản phê bình, nhắc nhở."))

    if missing:
        section += 1
        ps.append(_p(f"{n}.{section}. Về chế độ báo cáo", style="heading"))
        runs = [f"Có {vnformat.padded(len(missing))} {_noun(missing)} chưa gửi số liệu {label}, gồm: "]
        for i, m in enumerate(missing):
            if i:
                runs.append("; ")
            runs += [f"{m.unit} (", (m.reason,), ")"]
        runs.append(".")
        ps.append(_p(*runs, style="item"))

    # 3. reminders
    for r in reminded:
        n += 1
        number = r.reminder
        which = f"Nhắc nhở lần {ordinal(number)}" if number else "Nhắc nhở"
        ps.append(_p(f"{n}. {which} đối với {r.unit}", style="heading"))
        kind = rollup.commune_level(r.unit) or "cơ quan"
        ps.append(_p(f"Lý do: Trong {label}, {kind} đã để phát sinh {vnformat.padded(r.overdue_total)} hồ "
                     f"sơ quá hạn thuộc {_fields(r)} trên Hệ thống thông tin giải quyết TTHC của tỉnh."))
    ps.append(_p("Yêu cầu các cơ quan, đơn vị nghiêm túc rút kinh nghiệm, tập trung cao độ trong chỉ đạo thực hiện "
                 "nhiệm vụ Cải cách hành chính tại địa phương, đơn vị để khắc phục các tình trạng nêu trên ngay "
                 f"trong {nxt}."))
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
        signature=official.signature_from(settings, for_committee=False), meta_title=letter.subject,
        month=letter.month)


def pdf(letter: Letter) -> bytes:
    return official.render_pdf(document(letter))


def docx(letter: Letter) -> bytes:
    return official.render_docx(document(letter))
