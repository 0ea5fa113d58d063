"""The period report: figures by field, the indicators, the narrative paragraph, PDF and XLSX."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from core.domain import indicators
from core.domain import periods
from core.domain import vnformat
from core.queries.dashboard import RATE_KEYS
from core.domain.periods import Period

# how the narrative names each rate, as the letters do (a view of core.domain.indicators.REGISTRY)
NARRATIVE_NAMES = indicators.NARRATIVE_NAMES
FIELD_COLUMNS = ("total", "carried_over", "direct", "online", "postal", "resolved", "resolved_early",
                 "resolved_on_due", "resolved_late", "open", "open_within", "open_overdue",
                 "withdrawn", "refused", "stopped")
NO_FIELD = "Chưa rõ lĩnh vực"  # the biểu 06 row of the cases entered without a field


@dataclass
class FieldRow:
    name: str
    values: dict[str, int]


@dataclass
class Report:
    """The report's data, built once from the store; the renderers (narrative, PDF, DOCX, XLSX) only read it."""
    period: Period
    previous: Period
    cumulative: Period | None  # from 1 January, when it differs from the period
    settings: dict
    current: dict  # indicators.compute of the period
    before: dict  # of the period compared with (``previous``)
    to_date: dict | None  # of the cumulative period
    fields: list[FieldRow]
    total: FieldRow
    overdue: list[dict]
    late: list[dict]
    months: list[str]
    monthly: dict
    monthly_targets: dict
    e_certified_monthly: list[int]
    cutoff: dt.date | None = None  # the last day reported: the period's end, or today for a period not over
    inner: Period | None = None  # the part the letters put in parentheses: 'tháng 9 là 157/159 hồ sơ'
    inner_figures: dict | None = None
    compare: str = "previous"  # 'previous' period or the same period a 'year' earlier
    averages: dict = field(default_factory=dict)  # indicator -> the district's average for the month
    # the citizens' ratings and complaints by officer (issue 14): {name: {good, fair, poor, complaints}}
    satisfaction: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"BÁO CÁO KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH {self.period.label.upper()}"

    @property
    def summary(self) -> str:
        """The title's summary line under 'BÁO CÁO' (Nghị định 30/2020)."""
        p = self.period
        if p.kind != "range":
            label = p.label
        elif p.start == dt.date(p.start.year, 1, 1) and p.end.year == p.start.year:
            label = f"năm {p.start.year}"  # the dates follow in the subtitle
        else:
            label = f"từ ngày {vnformat.date_brief(p.start)} đến ngày {vnformat.date_brief(p.end)}"
        return f"Kết quả tiếp nhận, giải quyết hồ sơ thủ{NBSP}tục{NBSP}hành{NBSP}chính {label}"

    @property
    def main(self) -> dict:
        return self.to_date if self.cumulative else self.current

    @property
    def ended(self) -> dt.date:
        return self.cutoff or self.period.end


NBSP = "\u00a0"


def _field_values(counts: dict) -> dict[str, int]:
    new = counts["received"]
    return {
        "total": new + counts["carried_over"], "carried_over": counts["carried_over"],
        "direct": counts["direct"], "online": counts["online_received"], "postal": counts["postal"],
        "resolved": counts["resolved"], "resolved_early": counts["resolved_early"],
        "resolved_on_due": counts["resolved_on_due"], "resolved_late": counts["resolved_late"],
        "open": counts["open"], "open_within": counts["open"] - counts["open_overdue"],
        "open_overdue": counts["open_overdue"], "withdrawn": counts["withdrawn"],
        "refused": counts["refused"], "stopped": counts["stopped"],
    }


def _counts(store, period: Period, field_id: int | None, today: dt.date) -> dict:
    c = store.indicator_counts(period.start, period.end, field_id=field_id, today=today)
    c["online_received"] = c["online"]
    if "refused" not in c:  # the store counts them itself once refusals and stops are recorded (issue 14)
        c.update(store.ended_counts(period.start, period.end, field_id=field_id))
    return c


def _inner_period(period: Period) -> Period | None:
    """What the letters put in parentheses after a figure from 1 January: the month or quarter asked for,
    or for a range from 1 January the month of its last day ('tháng 9 là 160/160 hồ sơ')."""
    jan1 = dt.date(period.end.year, 1, 1)
    if period.kind in ("month", "quarter") and period.start != jan1:
        return period
    if period.kind == "range" and period.start == jan1 and period.end.month > 1:
        return Period(period.end.replace(day=1), period.end, "month")
    return None


def _year_earlier(p: Period) -> Period:
    def back(d: dt.date) -> dt.date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)
    if p.kind == "month" and p.end == periods.month(p.start.year, p.start.month).end:
        return periods.month(p.start.year - 1, p.start.month)
    return Period(back(p.start), back(p.end), p.kind)


def build(store, period: Period, today: dt.date | None = None, compare: str = "previous") -> Report:
    """Everything the report shows, from the store. ``compare``: 'previous' (the month before, as the
    letters do) or 'year' (the same period a year earlier)."""
    from core.queries import dashboard

    today = today or dt.date.today()
    cutoff = min(period.end, today)
    current = indicators.compute(store, period, today=today)
    ytd = period.year_to_date()
    cumulative = ytd if period.kind in ("month", "quarter") and ytd.start != period.start else None
    to_date = indicators.compute(store, ytd, today=today) if cumulative else None
    inner = _inner_period(period)
    inner_figures = None
    if inner is not None:
        inner_figures = current if inner == period else indicators.compute(store, inner, today=today)
    base = inner or period
    previous = _year_earlier(base) if compare == "year" else base.previous()
    before = indicators.compute(store, previous, today=today)
    rows = []
    for f in store.fields():
        values = _field_values(_counts(store, period, f["id"], today))
        if any(values.values()):
            rows.append(FieldRow(f["name"], values))
    values = _field_values(_counts(store, period, 0, today))
    if any(values.values()):
        rows.append(FieldRow(NO_FIELD, values))
    total = FieldRow("Tổng cộng", _field_values(_counts(store, period, None, today)))
    averages = {}
    if base.kind == "month":
        month_code = base.start.strftime("%Y-%m")
        for key in RATE_KEYS:
            value = store.district_average(key, month_code)
            if value is not None:
                averages[key] = value
    judged = cutoff
    months, monthly, targets, counts = dashboard.monthly_series(store, period.end)
    return Report(period, previous, cumulative, store.settings(), current, before, to_date, rows, total,
                  store.overdue_at(period.end, judged), store.resolved_late(period.start, period.end),
                  months, monthly, targets, counts["e_certified"], cutoff=cutoff, inner=inner,
                  inner_figures=inner_figures, compare=compare, averages=averages,
                  satisfaction=store.satisfaction_counts(period.start, min(period.end, cutoff)))


# ---- the narrative --------------------------------------------------------------------------
# Written as (text, italic) pieces: the letters set the figures in parentheses in italics
# ("UBND xã Tái Sơn (*82,8%*)"); the plain text joins them, the documents keep the italics.

def _rate_phrase(item: dict) -> str:
    return (f"{vnformat.fraction(item['numerator'], item['denominator'])} hồ sơ, "
            f"đạt {vnformat.percent(item['rate'])}")


def _short_label(p: Period, year: int) -> str:
    """'tháng 9', 'quý III' inside a sentence that already names the year; else the full label."""
    if p.start.year == year and p.kind == "month":
        return f"tháng {p.start.month}"
    if p.start.year == year and p.kind == "quarter":
        return f"quý {vnformat.roman_quarter((p.start.month - 1) // 3 + 1)}"
    return p.label


def _compared_label(r: Report) -> str:
    if r.compare == "year":
        return f"cùng kỳ năm {r.previous.start.year}"
    if r.previous.kind == "range":
        return f"từ ngày {vnformat.date_brief(r.previous.start)} đến ngày {vnformat.date_brief(r.previous.end)}"
    return r.previous.label


def _gap(points: float) -> str:
    if points == 0:
        return "bằng mức bình quân chung"
    return f"{'cao hơn' if points > 0 else 'thấp hơn'} {vnformat.percent(abs(points))} mức bình quân chung"


def _opening(r: Report) -> str:
    p, cutoff = r.period, r.ended
    jan1 = p.start == dt.date(p.start.year, 1, 1)
    if r.cumulative or (jan1 and (p.kind == "range" or cutoff < p.end)):
        return f"Tính đến ngày {vnformat.date_brief(cutoff)}"
    if p.kind == "range" or cutoff < p.end:
        return f"Từ ngày {vnformat.date_brief(p.start)} đến ngày {vnformat.date_brief(cutoff)}"
    return f"Trong {p.label}"


def _span(r: Report) -> str:
    """The period inside a sentence: 'trong tháng 9/2023', 'từ đầu năm đến ngày 29/9/2023'."""
    p, cutoff = r.period, r.ended
    if p.kind != "range" and cutoff == p.end:
        return f"trong {p.label}"
    if p.start == dt.date(p.start.year, 1, 1):
        return f"từ đầu năm đến ngày {vnformat.date_brief(cutoff)}"
    return f"từ ngày {vnformat.date_brief(p.start)} đến ngày {vnformat.date_brief(cutoff)}"


def narrative_parts(r: Report, shortfalls: bool = True) -> list[tuple[str, bool]]:
    """The paragraph in the style of the commune letters (seeds 000, 003) as (text, italic) pieces;
    without ``shortfalls`` it stops after the figures (targets missed and late cases left out)."""
    office = r.settings.get("office_name") or "Bộ phận Một cửa"
    main = r.main
    inner = r.inner_figures
    year = r.ended.year
    inner_label = _short_label(r.inner, year) if r.inner else ""
    compared_label = _compared_label(r)
    out: list[tuple[str, bool]] = []

    def say(text: str) -> None:
        out.append((text, False))

    def aside(items: list[str]) -> None:
        if items:
            out.append((f" ({'; '.join(items)})", True))

    c = main["counts"]
    count = vnformat.padded
    say(f"{_opening(r)}, {office} ")
    if not c["received"] and not c["resolved"]:
        say("chưa tiếp nhận hồ sơ nào")
    else:
        say(f"đã tiếp nhận {count(c['received'])} hồ sơ" if c["received"] else "chưa tiếp nhận hồ sơ mới")
        if inner:
            got = inner["counts"]["received"]
            aside([f"{inner_label} là {count(got)} hồ sơ" if got else f"{inner_label} chưa tiếp nhận hồ sơ nào"])
        say(f", giải quyết {count(c['resolved'])} hồ sơ" if c["resolved"] else ", chưa giải quyết hồ sơ nào")
    for key in RATE_KEYS:
        item = main["indicators"][key]
        if not item["denominator"]:
            continue
        say(f"; {NARRATIVE_NAMES[key]} là {_rate_phrase(item)}")
        shown = inner["indicators"][key] if inner else item
        details = []
        if inner and shown["denominator"]:
            details.append(f"{inner_label} là {_rate_phrase(shown)}")
        prev = r.before["indicators"][key]
        if shown["rate"] is not None and prev["rate"] is not None and r.previous.kind != "range":
            details.append(f"{vnformat.change(round(shown['rate'] - prev['rate'], 2))} so với {compared_label}")
        if shown["rate"] is not None and key in r.averages:
            details.append(_gap(round(shown["rate"] - r.averages[key], 2)))
        aside(details)
    say(".")
    certified = main["indicators"]["e_certified"]["count"]
    if certified:
        say(f" Thực hiện {count(certified)} bản chứng thực điện tử bản sao từ bản chính")
        if inner:
            done = inner["indicators"]["e_certified"]["count"]
            aside([f"{inner_label} là {count(done)} bản" if done else f"{inner_label} chưa thực hiện"])
        say(".")
    elif c["received"]:
        say(" Chưa thực hiện chứng thực điện tử bản sao từ bản chính.")
    _national(main, say)
    rated = _satisfaction_phrase(r.satisfaction, _span(r))
    if rated:
        say(rated)

    if not shortfalls:
        return out
    under = [(NARRATIVE_NAMES[k], main["indicators"][k]) for k in RATE_KEYS
             if main["indicators"][k]["rate"] is not None
             and main["indicators"][k]["rate"] < main["indicators"][k]["target"]]
    if under:
        say(" Các chỉ tiêu chưa đạt: ")
        for i, (name, item) in enumerate(under):
            say(("; " if i else "") + name)
            aside([f"{vnformat.percent(item['rate'])}, chỉ tiêu {vnformat.percent(item['target'])}"])
        say(".")
    late = _by_field(r.late)
    overdue = _by_field(r.overdue)
    if late:
        span = _span(r)
        say(f" {span[:1].upper()}{span[1:]} còn để xảy ra hồ sơ giải quyết quá hạn: ")
        _field_list(late, say, aside)
        say(".")
    if overdue:
        say(f" Đến hết ngày {vnformat.date_brief(r.ended)} còn {count(len(r.overdue))} hồ sơ quá hạn "
            "chưa giải quyết: ")
        _field_list(overdue, say, aside)
        say(".")
    if not late and not overdue and (c["received"] or c["resolved"]):
        say(f" Không có hồ sơ quá hạn {_span(r)}.")
    return out


def _national(main: dict, say) -> None:
    """On time as Quyết định 766 counts it, refusals, stops and cases waiting for papers: said once the
    store counts them (issue 14), silent before."""
    count = vnformat.padded
    item, c = main["indicators"].get("on_time_766"), main["counts"]
    if item and item.get("denominator"):
        say(" Theo cách tính của Quyết định 766/QĐ-TTg, không tính thời gian chờ bổ sung hồ sơ, tỷ lệ hồ sơ giải "
            f"quyết đúng hạn là {_rate_phrase(item)}.")
    ended = []
    if c.get("refused"):
        ended.append(f"từ chối {count(c['refused'])} hồ sơ")
    if c.get("stopped"):
        ended.append(f"dừng giải quyết {count(c['stopped'])} hồ sơ")
    if ended:
        say(" Đã " + ", ".join(ended) + ".")
    if c.get("supplement_pending"):
        say(f" Đến hết kỳ còn {count(c['supplement_pending'])} hồ sơ chờ người nộp bổ sung.")


def _by_field(cases: list[dict]) -> list[tuple[str | None, int]]:
    counts: dict[str | None, int] = {}
    for case in cases:
        counts[case["field"] or None] = counts.get(case["field"] or None, 0) + 1
    return sorted(counts.items(), key=lambda t: (-t[1], t[0] is None, t[0] or ""))


def _field_list(items, say, aside) -> None:
    for i, (name, n) in enumerate(items):
        say((", " if i else "") + (f"lĩnh vực {name}" if name else "hồ sơ chưa rõ lĩnh vực"))
        aside([f"{vnformat.padded(n)} hồ sơ"])


def narrative(r: Report) -> str:
    """The paragraph as plain text, to copy into a letter."""
    return "".join(text for text, _ in narrative_parts(r))


# ---- the document (PDF and DOCX from the same data) ------------------------------------------

def _field_table(r: Report):
    from core.documents import official

    heads = ["Tổng số", "Từ kỳ trước", "Trực tiếp", "Trực tuyến", "Bưu chính", "Tổng số", "Trước hạn",
             "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn", "Rút hồ sơ", "Từ chối", "Dừng giải quyết"]
    rows = [["Lĩnh vực", "Tiếp nhận", "", "", "", "", "Đã giải quyết", "", "", "", "Đang giải quyết", "", "",
             "Kết thúc khác", "", ""], ["", *heads]]
    for row in (*r.fields, r.total):
        rows.append([row.name, *[vnformat.number(row.values[k]) for k in FIELD_COLUMNS]])
    n = len(FIELD_COLUMNS)
    return official.Table(rows, [0.13] + [0.87 / n] * n, header_rows=2,
                          spans=[(0, 0, 1, 0), (0, 1, 0, 5), (0, 6, 0, 9), (0, 10, 0, 12), (0, 13, 0, 15)],
                          align=["left"] + ["center"] * n, bold_rows=[len(rows) - 1], size=8, padding=1)


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]  # 'Quý II/2025', never 'Quý ii/2025'


def _indicator_table(r: Report):
    """The period's indicators against their targets, and the change of the compared part (the period, or
    for a range from 1 January the month of its end) against the period compared with."""
    from core.documents import official

    part = r.inner if r.inner is not None and r.inner != r.period else None
    shown = r.inner_figures if part else r.current
    head = ["Chỉ số", "Hồ sơ", "Tỷ lệ", "Chỉ tiêu"] + ([_capital(_short_label(part, r.ended.year))] if part else [])
    rows = [head + [_capital(r.previous.label), "Thay đổi"]]
    for key, (name, _, den) in indicators.INDICATORS.items():
        item, inner, prev = r.current["indicators"][key], shown["indicators"][key], r.before["indicators"][key]
        if den is None:
            rows.append([name, vnformat.number(item["count"]) + " bản", "", ""]
                        + ([vnformat.number(inner["count"]) + " bản"] if part else [])
                        + [vnformat.number(prev["count"]) + " bản", ""])
            continue
        change = "" if inner["rate"] is None or prev["rate"] is None else vnformat.change(
            round(inner["rate"] - prev["rate"], 2))
        rows.append([name, vnformat.fraction(item["numerator"], item["denominator"]),
                     vnformat.percent(item["rate"], strip=False), vnformat.percent(item["target"])]
                    + ([vnformat.percent(inner["rate"], strip=False)] if part else [])
                    + [vnformat.percent(prev["rate"], strip=False), change])
    widths = [0.31, 0.13, 0.1, 0.09, 0.11, 0.11, 0.15] if part else [0.38, 0.14, 0.11, 0.1, 0.13, 0.14]
    return official.Table(rows, widths, align=["left"] + ["center"] * (len(widths) - 1), size=10.5)


PDF_LIST_ROWS = 100  # the documents list this many cases of each kind; the XLSX lists them all


def _satisfaction_phrase(by_officer: dict, span: str) -> str:
    """The citizens' ratings at return and their complaints in the period (issue 14)."""
    count = vnformat.padded
    total = {k: sum(r[k] for r in by_officer.values()) for k in ("good", "fair", "poor", "complaints")}
    rated = total["good"] + total["fair"] + total["poor"]
    text = ""
    if rated:
        kinds = ", ".join(f"{name} {count(total[k])}" for k, name in
                          (("good", "hài lòng"), ("fair", "bình thường"), ("poor", "không hài lòng")) if total[k])
        text += f" {span[:1].upper() + span[1:]}, người dân đánh giá {count(rated)} lượt khi nhận kết quả: {kinds}."
    if total["complaints"]:
        text += f" Tiếp nhận {count(total['complaints'])} phản ánh, kiến nghị."
    return text


def _satisfaction_table(r: Report) -> list:
    from core.documents import official

    n = vnformat.number
    rows = [["Cán bộ", "Hài lòng", "Bình thường", "Không hài lòng", "Phản ánh"]]
    for name, c in sorted(r.satisfaction.items()):
        rows.append([name, *[n(c[k]) for k in ("good", "fair", "poor", "complaints")]])
    return [official.Table(rows, [0.4, 0.15, 0.15, 0.15, 0.15], align=["left"] + ["center"] * 4)]


def _case_table(cases: list[dict], resolved: bool, judged: dt.date) -> list:
    from core.documents import official

    last = "Ngày có KQ" if resolved else "Số ngày quá hạn"
    rows = [["Mã hồ sơ", "Thủ tục", "Người nộp", "Cán bộ", "Hẹn trả", last]]
    for c in cases[:PDF_LIST_ROWS]:
        due = dt.date.fromisoformat(c["due_date"])
        tail = (vnformat.date_short(dt.date.fromisoformat(c["resolved_date"])) if resolved
                else vnformat.number((judged - due).days))
        rows.append([c["code"], c["procedure"] or "", c["applicant"] or "", c["officer"] or "",
                     vnformat.date_short(due), tail])
    out = [official.Table(rows, [0.16, 0.3, 0.14, 0.14, 0.13, 0.13],
                          align=["left", "left", "left", "left", "center", "center"], size=9.5)]
    if len(cases) > PDF_LIST_ROWS:
        out.append(official.para(official.I(f"… và {vnformat.number(len(cases) - PDF_LIST_ROWS)} hồ sơ khác "
                                            "(xem đủ trong tệp XLSX của báo cáo)."), indent=False, size=11))
    return out


def chart_png(r: Report) -> bytes:
    from core.documents import charts

    fig = charts.monthly_rates(r.months, r.monthly, r.monthly_targets, r.e_certified_monthly,
                               f"Các tỷ lệ 12 tháng đến hết tháng {r.period.end.month}/{r.period.end.year}",
                               size=(7.2, 5.6))  # about the width of an A4 frame: labels print at size
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130)
    return buffer.getvalue()


DEFAULT_RECEIVERS = ("Chủ tịch, các PCT UBND xã;", "Lưu: VT.")


def receivers(settings: dict) -> list[str]:
    """'Nơi nhận' of a report: the parent agency when there is one, then the office's stored list."""
    from core.documents import official

    stored = [line.strip() for line in (settings.get("report_receivers") or "").splitlines() if line.strip()]
    out = stored or list(DEFAULT_RECEIVERS)
    parent = official.agency_in_text(settings.get("parent") or "")
    if parent and not stored:
        out.insert(0, f"{parent} (để b/c);")
    return out


def document(r: Report, day: dt.date | None = None, chart: bool = True):
    """The report as an official document (Nghị định 30/2020): the same data for the PDF and the DOCX."""
    from core.documents import official

    s = r.settings
    runs = [official.Run(text, italic=italic) for text, italic in narrative_parts(r)]
    judged = r.ended
    body = [official.Paragraph(runs),
            official.Heading("1. Tình hình tiếp nhận, giải quyết hồ sơ theo lĩnh vực"), _field_table(r),
            official.Heading("2. Các chỉ số"), _indicator_table(r)]
    if chart:
        body += [official.Heading("3. Diễn biến 12 tháng"), official.Image(chart_png(r))]
    body.append(official.Heading(f"4. Hồ sơ quá hạn chưa giải quyết đến hết ngày {vnformat.date_brief(judged)}"
                                 + (f" ({vnformat.padded(len(r.overdue))} hồ sơ)" if r.overdue else "")))
    body += _case_table(r.overdue, False, judged) if r.overdue else [official.para("Không có.")]
    body.append(official.Heading(f"5. Hồ sơ giải quyết quá hạn {_span(r)}"
                                 + (f" ({vnformat.padded(len(r.late))} hồ sơ)" if r.late else "")))
    body += _case_table(r.late, True, judged) if r.late else [official.para("Không có.")]
    if r.satisfaction:
        body += [official.Heading(f"6. Đánh giá của người dân {_span(r)}"), *_satisfaction_table(r)]
    return official.from_settings(
        s, symbol=official.document_symbol(s, "BC"), day=day or dt.date.today(), kind="BÁO CÁO",
        title=r.summary, subtitle=f"(Từ ngày {vnformat.date_short(r.period.start)} "
                                  f"đến ngày {vnformat.date_short(judged)})",
        body=body, receivers=receivers(s), signature=official.signature_from(s, for_committee=True),
        meta_title=r.title)


CHECK_LINE = "Mã kiểm tra nhật ký: {}"  # the audit chain's check code at the foot of every page


def render_pdf(r: Report, day: dt.date | None = None, check_code: str = "") -> bytes:
    from core.documents import official

    doc = document(r, day)
    doc.footer = CHECK_LINE.format(check_code) if check_code else ""
    return official.render_pdf(doc)


def render_docx(r: Report, day: dt.date | None = None, check_code: str = "") -> bytes:
    from core.documents import official

    doc = document(r, day)
    doc.footer = CHECK_LINE.format(check_code) if check_code else ""
    return official.render_docx(doc)


# ---- XLSX -----------------------------------------------------------------------------------

FIELD_HEADERS = ("Tiếp nhận: tổng số", "Kỳ trước chuyển sang", "Trực tiếp", "Trực tuyến", "Bưu chính",
                 "Đã giải quyết: tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết: tổng số",
                 "Trong hạn", "Quá hạn", "Rút hồ sơ", "Từ chối", "Dừng giải quyết")


def to_xlsx(r: Report, path) -> None:
    from openpyxl import Workbook

    from core.files.spreadsheet import append_row
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Theo lĩnh vực"
    append_row(ws, [r.title])
    ws["A1"].font = Font(bold=True)
    append_row(ws, ["Lĩnh vực", *FIELD_HEADERS])
    for row in (*r.fields, r.total):
        append_row(ws, [row.name, *[row.values[k] for k in FIELD_COLUMNS]])
    ws.column_dimensions["A"].width = 28
    ws = wb.create_sheet("Chỉ số")
    append_row(ws, ["Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu (%)", f"{r.previous.label} (%)",
               "Thay đổi (điểm %)"])
    for key, (name, _, den) in indicators.INDICATORS.items():
        item, prev = r.current["indicators"][key], r.before["indicators"][key]
        part = (r.inner_figures if r.inner is not None else r.current)["indicators"][key]  # what was compared
        if den is None:
            append_row(ws, [name + " (số bản)", item["count"], None, None, None, prev["count"]])
        else:
            change = None if part["rate"] is None or prev["rate"] is None else round(part["rate"] - prev["rate"], 2)
            append_row(ws, [name, item["numerator"], item["denominator"], item["rate"], item["target"], prev["rate"],
                       change])
    ws.column_dimensions["A"].width = 52
    for title, cases in (("Quá hạn chưa giải quyết", r.overdue), ("Giải quyết quá hạn", r.late)):
        ws = wb.create_sheet(title)
        append_row(ws, ["Mã hồ sơ", "Thủ tục", "Lĩnh vực", "Người nộp", "Cán bộ", "Ngày nhận", "Hẹn trả", "Ngày có KQ"])
        for c in cases:
            append_row(ws, [c["code"], c["procedure"], c["field"], c["applicant"], c["officer"], c["received_date"],
                       c["due_date"], c["resolved_date"]])
    ws = wb.create_sheet("Nội dung")
    append_row(ws, [narrative(r)])
    wb.save(path)
    from db.store import make_private

    make_private(path)  # readable by its owner only
