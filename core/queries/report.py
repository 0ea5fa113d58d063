"""The period report: figures by field, the indicators, the narrative paragraph, PDF and XLSX."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.domain import periods
from core.domain import vnformat
from core.domain.indicators import MONTHLY_RATE_KEYS, Figures, IndicatorResult
from core.domain.periods import Period
from core.queries.figures import compute
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
    current: Figures  # of the period
    before: Figures  # of the period compared with (``previous``)
    to_date: Figures | None  # of the cumulative period
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
    inner_figures: Figures | None = None
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
    def main(self) -> Figures:
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
    current = compute(store, period, today=today)
    ytd = period.year_to_date()
    cumulative = ytd if period.kind in ("month", "quarter") and ytd.start != period.start else None
    to_date = compute(store, ytd, today=today) if cumulative else None
    inner = _inner_period(period)
    inner_figures = None
    if inner is not None:
        inner_figures = current if inner == period else compute(store, inner, today=today)
    base = inner or period
    previous = _year_earlier(base) if compare == "year" else base.previous()
    before = compute(store, previous, today=today)
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
        for key in MONTHLY_RATE_KEYS:
            value = store.district_average(key, month_code)
            if value is not None:
                averages[key] = value
    judged = cutoff
    months, monthly, targets, counts = dashboard.monthly_series(store, period.end)
    return Report(period, previous, cumulative, store.settings(), current, before, to_date, rows, total,
                  store.overdue_at(period.end, judged), store.resolved_late(period.start, period.end),
                  months, monthly, targets, counts["e_certified"], cutoff=cutoff, inner=inner,
                  inner_figures=inner_figures, compare=compare, averages=averages,
                  satisfaction=store.events.satisfaction_counts(period.start, min(period.end, cutoff)))


# ---- the narrative --------------------------------------------------------------------------
# Written as (text, italic) pieces: the letters set the figures in parentheses in italics
# ("UBND xã Tái Sơn (*82,8%*)"); the plain text joins them, the documents keep the italics.

def _rate_phrase(item: IndicatorResult) -> str:
    unknown = f", {item.unknown_text}" if item.unknown else ""
    return (f"{vnformat.fraction(item.numerator, item.denominator)} hồ sơ, "
            f"đạt {vnformat.percent(item.rate)}{unknown}")


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

    c = main.counts
    count = vnformat.padded
    say(f"{_opening(r)}, {office} ")
    if not c["received"] and not c["resolved"]:
        say("chưa tiếp nhận hồ sơ nào")
    else:
        say(f"đã tiếp nhận {count(c['received'])} hồ sơ" if c["received"] else "chưa tiếp nhận hồ sơ mới")
        if inner:
            got = inner.counts["received"]
            aside([f"{inner_label} là {count(got)} hồ sơ" if got else f"{inner_label} chưa tiếp nhận hồ sơ nào"])
        say(f", giải quyết {count(c['resolved'])} hồ sơ" if c["resolved"] else ", chưa giải quyết hồ sơ nào")
    for key in MONTHLY_RATE_KEYS:
        item = main.get(key)
        if not item.denominator:
            if item.unknown:  # never a rate from nothing (interfaces.md §3)
                say(f"; {item.unknown_text} nên chưa tính được {item.indicator.narrative}")
            continue
        say(f"; {item.indicator.narrative} là {_rate_phrase(item)}")
        shown = inner.get(key) if inner else item
        details = []
        if inner and shown.denominator:
            details.append(f"{inner_label} là {_rate_phrase(shown)}")
        prev = r.before.get(key)
        if shown.rate is not None and prev.rate is not None and r.previous.kind != "range":
            if r.ended < (r.inner or r.period).end and r.previous.end <= r.ended:
                # a period still running against a whole one: the sentence says so (issue 27)
                details.append(f"{vnformat.change(round(shown.rate - prev.rate, 2))} so với cả {compared_label}, "
                               f"kỳ này mới tính đến ngày {vnformat.date_brief(r.ended)}")
            else:
                details.append(f"{vnformat.change(round(shown.rate - prev.rate, 2))} so với {compared_label}")
        if shown.rate is not None and key in r.averages:
            details.append(_gap(round(shown.rate - r.averages[key], 2)))
        aside(details)
    say(".")
    certified = main.e_certified.count
    unknown = main.e_certified.unknown_text  # a file without the column says nothing: never "chưa thực hiện"
    if certified:
        say(f" Thực hiện {count(certified)} bản chứng thực điện tử bản sao từ bản chính")
        details = [unknown] if unknown else []
        if inner:
            done = inner.e_certified.count
            details.append(f"{inner_label} là {count(done)} bản" if done
                           else f"{inner_label} chưa có số liệu" if inner.e_certified.unknown
                           else f"{inner_label} chưa thực hiện")
        aside(details)
        say(".")
    elif unknown:
        say(f" {vnformat.sentence(unknown)} nên chưa nói được số bản chứng thực điện tử bản sao từ bản chính.")
    elif c["received"]:
        say(" Chưa thực hiện chứng thực điện tử bản sao từ bản chính.")
    _national(main, say)
    rated = _satisfaction_phrase(r.satisfaction, _span(r))
    if rated:
        say(rated)

    if not shortfalls:
        return out
    under = [(item.indicator.narrative, item) for item in map(main.get, MONTHLY_RATE_KEYS) if item.below_target]
    if under:
        say(" Các chỉ tiêu chưa đạt: ")
        for i, (name, item) in enumerate(under):
            say(("; " if i else "") + name)
            aside([f"{vnformat.percent(item.rate)}, chỉ tiêu {vnformat.percent(item.target)}"])
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


def _national(main: Figures, say) -> None:
    """On time as Quyết định 766 counts it, refusals, stops and cases waiting for papers: said once the
    store counts them (issue 14), silent before."""
    count = vnformat.padded
    item, c = main.on_time_766, main.counts  # None in a report issued before it was counted
    if item and item.denominator:
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
