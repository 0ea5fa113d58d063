"""The indicator registry (one declaration site) and the typed figures of interfaces.md section 3.

Every indicator is declared once, by ``declare``, with everything the program says and counts
about it: its key, its full name, its short name, the name as the letters word it, its colour on
every chart, its default target, where the roll-up ranks it. Declaring a key twice raises. The
views other modules use (``RATE_KEYS``, ``SHORT_NAMES``, ``COLORS``…) are derived here and nowhere
else; nothing outside this module restates a name, a colour or a list of keys.

``Figures`` is what ``core.queries.figures.compute`` returns: one typed entry per indicator
(``figures.on_time.rate``), the counts, the period and filters; ``as_json`` is the object
``indicators --json`` prints, ``from_json`` reads it back (stored snapshots keep that shape).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from core.domain import vnformat

DEFAULT_TARGET = 100.0


@dataclass(frozen=True)
class Indicator:
    """One indicator of interfaces.md section 3: everything the program says and counts about it."""
    key: str
    name: str  # its full Vietnamese name (tables, PDFs, the targets editor)
    short: str  # on a dashboard tile, a chart, a roll-up column
    narrative: str | None  # as the letters name it in running text (lower case); None: the letters never do
    numerator: str  # the count it takes its numerator (or its count) from
    denominator: str | None  # the count it divides by; None for a plain count
    color: str  # its colour on every chart
    monthly: bool = True  # kept as monthly totals (charts, the report's months); False: counted per case
    target: float = DEFAULT_TARGET  # the target when the user has set none
    ranked: int | None = None  # its place in the roll-up's table and letter (seed 001); None: not ranked
    result_wording: str | None = None  # how the letters state its result ("Kết quả … đạt 95,47%"), if not narrative
    data: str | None = None  # what is unknown of a case, as "chưa có số liệu <data> của N hồ sơ" says it
    directive_wording: str | None = None  # how a letter's request names it ("nâng cao hơn nữa …"), if not narrative

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def data_name(self) -> str:
        return self.data or self.short.lower()

    @property
    def result_name(self) -> str | None:
        """The name before "đạt" in a letter's summary sentence (seed 001: no "TTHC" there)."""
        return self.result_wording or self.narrative

    @property
    def directive_name(self) -> str | None:
        """The name in a letter's request (seed 001: "nâng cao hơn nữa tỷ lệ số hoá hồ sơ TTHC khi tiếp nhận")."""
        return self.directive_wording or self.narrative


class DuplicateIndicator(ValueError):
    pass


_declared: dict[str, Indicator] = {}


def declare(indicator: Indicator) -> Indicator:
    """Add an indicator to the registry; a key declared twice raises ``DuplicateIndicator``."""
    if indicator.key in _declared:
        raise DuplicateIndicator(f"chỉ số {indicator.key!r} đã được khai báo")
    _declared[indicator.key] = indicator
    return indicator


# ---- the one declaration site, in the order shown --------------------------------------------

ONLINE = declare(Indicator(
    "online", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "Tiếp nhận trực tuyến",
    "tỷ lệ hồ sơ tiếp nhận trực tuyến", "online", "received", "#1f77b4", ranked=3,
    data="hình thức nộp"))
DIGITIZED_ON_RECEIPT = declare(Indicator(
    "digitized_on_receipt", "Tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận", "Số hoá khi tiếp nhận",
    "tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC khi tiếp nhận", "digitized", "received", "#2ca02c", ranked=1,
    result_wording="tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận", data="số hoá khi tiếp nhận",
    directive_wording="tỷ lệ số hoá hồ sơ TTHC khi tiếp nhận"))
RESULT_DIGITIZED = declare(Indicator(
    "result_digitized", "Tỷ lệ số hoá kết quả giải quyết TTHC", "Số hoá kết quả",
    "tỷ lệ số hoá kết quả giải quyết TTHC", "result_digitized", "resolved", "#9467bd", ranked=2,
    data="số hoá kết quả"))
ON_TIME = declare(Indicator(
    "on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Giải quyết đúng hạn",
    "tỷ lệ hồ sơ giải quyết đúng hạn", "on_time", "resolved", "#ff7f0e", ranked=4,
    data="ngày hẹn trả"))
PAID_ONLINE = declare(Indicator(
    "paid_online", "Tỷ lệ thanh toán trực tuyến", "Thanh toán trực tuyến",
    "tỷ lệ thanh toán trực tuyến", "paid_online", "with_fee", "#17becf", ranked=5,
    data="phí, lệ phí và thanh toán trực tuyến"))
E_CERTIFIED = declare(Indicator(
    "e_certified", "Chứng thực bản sao điện tử từ bản chính", "Chứng thực điện tử",
    None, "e_certified", None, "#8c564b", data="chứng thực điện tử"))
# interfaces.md §5: the national index's progress indicator (Quyết định 766/QĐ-TTg)
ON_TIME_766 = declare(Indicator(
    "on_time_766", "Tỷ lệ hồ sơ đúng hạn theo Quyết định 766", "Đúng hạn (QĐ 766)",
    None, "on_time_766", "population_766", "#bcbd22", monthly=False))

# the evaluation form's own rate (issue 14): not one of section 3, so not in REGISTRY
SATISFACTION_KEY = "satisfaction"
SATISFACTION = Indicator("satisfaction", "Người dân hài lòng", "Người dân hài lòng", None, "not_poor", "rated",
                         "#e377c2", monthly=False)

# ---- views of the registry, defined once ------------------------------------------------------

REGISTRY: tuple[Indicator, ...] = tuple(_declared.values())
BY_KEY: dict[str, Indicator] = dict(_declared)
RATE_KEYS: tuple[str, ...] = tuple(i.key for i in REGISTRY if i.is_rate)
# the rates kept as monthly totals (charts, tiles, the report's paragraph); on_time_766 has a tile of its own
MONTHLY_RATE_KEYS: tuple[str, ...] = tuple(i.key for i in REGISTRY if i.is_rate and i.monthly)
# the rates the roll-up ranks, in the order of its table and letter
RANKED_KEYS: tuple[str, ...] = tuple(i.key for i in sorted((i for i in REGISTRY if i.ranked), key=lambda i: i.ranked))
# key -> (Vietnamese name, numerator count, denominator count)
INDICATORS: dict[str, tuple[str, str, str | None]] = {i.key: (i.name, i.numerator, i.denominator)
                                                      for i in REGISTRY}
SHORT_NAMES: dict[str, str] = {i.key: i.short for i in REGISTRY}
NARRATIVE_NAMES: dict[str, str] = {i.key: i.narrative for i in REGISTRY if i.narrative}
COLORS: dict[str, str] = {i.key: i.color for i in REGISTRY}
# what a 'rate' criterion of the evaluation form may score, and what its editor calls each one
PARAM_NAMES: dict[str, str] = {**SHORT_NAMES, SATISFACTION.key: SATISFACTION.short}


# ---- typed figures ----------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's entry of ``Figures``: a rate (numerator, denominator, rate, target) or a count."""
    indicator: Indicator
    numerator: int | None = None
    denominator: int | None = None
    rate: float | None = None
    target: float | None = None
    count: int | None = None
    complaints: int | None = None  # the satisfaction entry of an evaluation form only
    # cases of the population whose yes/no value is unknown (§3, added in turn 3): in neither the
    # numerator nor the denominator; None in a snapshot stored before unknown values existed
    unknown: int | None = None

    @classmethod
    def of(cls, indicator: Indicator, item: dict) -> "IndicatorResult":
        """An entry of the JSON of section 3 (or of a stored snapshot), typed."""
        return cls(indicator, item.get("numerator"), item.get("denominator"), item.get("rate"),
                   item.get("target"), item.get("count"), item.get("complaints"), item.get("unknown"))

    def as_json(self) -> dict:
        if not self.indicator.is_rate:  # a count says its unknown cases only when there are some
            return {"count": self.count, "unknown": self.unknown} if self.unknown else {"count": self.count}
        out = {"numerator": self.numerator, "denominator": self.denominator, "rate": self.rate,
               "target": self.target}
        if self.complaints is not None:
            out["complaints"] = self.complaints
        if self.indicator.key != SATISFACTION_KEY or self.unknown is not None:
            out["unknown"] = self.unknown or 0
        return out

    @property
    def no_data(self) -> bool:
        """A rate with cases in its population but none known, or a count of none where some cases are
        not known (a file without the column): nothing to state but the count unknown, never "none"."""
        if not self.indicator.is_rate:
            return not self.count and bool(self.unknown)
        return self.rate is None and bool(self.unknown)

    @property
    def unknown_text(self) -> str:
        """'chưa có số liệu số hoá kết quả của 276 hồ sơ' (§3), or '' when every case is known."""
        if not self.unknown:
            return ""
        return f"chưa có số liệu {self.indicator.data_name} của {vnformat.padded(self.unknown)} hồ sơ"

    @property
    def met(self) -> bool | None:
        """Whether the rate reaches its target; None for a count or a rate with no case."""
        if self.rate is None or self.target is None:
            return None
        return self.rate >= self.target

    @property
    def below_target(self) -> bool:
        """A rate computed from some cases that misses its target (what the letters single out)."""
        return self.met is False

    @property
    def formatted(self) -> str:
        """Its value as people read it: "97,86%" or "1.234"."""
        if not self.indicator.is_rate:
            return vnformat.number(self.count or 0)
        return vnformat.percent(self.rate, strip=False)


COUNT_KEYS = ("received", "resolved", "resolved_early", "resolved_on_due", "resolved_late",
              "carried_over", "open", "open_overdue", "withdrawn", "refused", "stopped", "supplement_pending")


class UnknownName(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    officer: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Figures:
    """The figures of one period (interfaces.md section 3), typed: ``figures.on_time.rate``.

    One attribute per indicator of the registry, in its order (checked below); an entry is None only
    in a stored snapshot older than its indicator. ``satisfaction`` is the evaluation form's own rate.
    """
    online: IndicatorResult | None = None
    digitized_on_receipt: IndicatorResult | None = None
    result_digitized: IndicatorResult | None = None
    on_time: IndicatorResult | None = None
    paid_online: IndicatorResult | None = None
    e_certified: IndicatorResult | None = None
    on_time_766: IndicatorResult | None = None
    satisfaction: IndicatorResult | None = None
    counts: dict[str, int] = field(default_factory=dict)
    start: dt.date | None = None  # the period, when the figures are of one (``compute``)
    end: dt.date | None = None
    filters: Filters | None = None

    def get(self, key: str) -> IndicatorResult | None:
        """The entry of an indicator named by data (a criterion's or a component's parameter)."""
        if key not in BY_KEY and key != SATISFACTION.key:
            raise KeyError(key)
        return getattr(self, key)

    def entries(self) -> list[IndicatorResult]:
        """The registry's entries present, in registry order (``satisfaction`` not included)."""
        return [e for e in (getattr(self, i.key) for i in REGISTRY) if e is not None]

    def as_json(self) -> dict:
        """The object ``indicators --json`` prints (interfaces.md section 3); stored snapshots keep it."""
        out: dict = {}
        if self.start is not None:
            out["period"] = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.filters is not None:
            out["filters"] = {"officer": self.filters.officer, "field": self.filters.field}
        items = {e.indicator.key: e.as_json() for e in self.entries()}
        if self.satisfaction is not None:
            items[SATISFACTION.key] = self.satisfaction.as_json()
        out["indicators"] = items
        out["counts"] = dict(self.counts)
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Figures":
        """Figures read back from ``as_json``'s shape (an approved evaluation, an issued report)."""
        items = data.get("indicators") or {}
        entries = {i.key: IndicatorResult.of(i, items[i.key]) for i in (*REGISTRY, SATISFACTION) if i.key in items}
        period, f = data.get("period"), data.get("filters")
        return cls(**entries, counts=dict(data.get("counts") or {}),
                   start=dt.date.fromisoformat(period["from"]) if period else None,
                   end=dt.date.fromisoformat(period["to"]) if period else None,
                   filters=Filters(f.get("officer"), f.get("field")) if f is not None else None)

    @classmethod
    def from_counts(cls, totals: dict[str, int], targets: dict[str, float], /, **rest) -> "Figures":
        """Every indicator's entry from aggregated counts (missing counts are 0); ``rest``: the other fields."""
        c = {k: totals.get(k) or 0 for k in ("received", "online", "digitized", "with_fee", "paid_online",
                                             "e_certified", "resolved", "result_digitized",
                                             "resolved_early", "resolved_on_due", "on_time_766",
                                             "population_766", *UNKNOWN_COUNTS)}
        c["on_time"] = c["resolved_early"] + c["resolved_on_due"]
        entries = {}
        for i in REGISTRY:
            if not i.is_rate:
                entries[i.key] = IndicatorResult(i, count=c[i.numerator], unknown=sum(unknown_of(i.key, c)) or None)
                continue
            outside, inside = unknown_of(i.key, c)
            entries[i.key] = rate_of(i, c[i.numerator], c[i.denominator] - inside, targets[i.key],
                                     unknown=outside + inside)
        return cls(**entries, **rest)


# the counts of unknown yes/no values (db: the indicator counts and the monthly totals)
UNKNOWN_COUNTS = ("digitized_unknown", "fee_unknown", "paid_unknown", "result_unknown", "ecert_unknown")


def unknown_of(key: str, counts: dict) -> tuple[int, int]:
    """(unknown outside the denominator count, unknown inside it) of a rate from aggregated counts.

    ``digitized_on_receipt``: received cases whose digitization is unknown (inside ``received``);
    ``result_digitized``: resolved ones whose result's is (inside ``resolved``); ``paid_online``:
    received cases whose fee is unknown (outside ``with_fee``: they may or may not have one) and
    those with a fee whose payment is unknown (inside it). The others read only dates and channels."""
    get = lambda k: counts.get(k) or 0  # noqa: E731
    if key == "digitized_on_receipt":
        return 0, get("digitized_unknown")
    if key == "result_digitized":
        return 0, get("result_unknown")
    if key == "paid_online":
        return get("fee_unknown"), get("paid_unknown")
    if key == "e_certified":  # a count: received cases whose e-certification is unknown
        return get("ecert_unknown"), 0
    return 0, 0


def rate_of(indicator: Indicator, numerator: int, denominator: int, target: float | None,
            **extra) -> IndicatorResult:
    """A rate entry: the percentage rounded half up to two decimals, None when nothing is counted."""
    r = vnformat.rate(numerator, denominator)
    return IndicatorResult(indicator, numerator, denominator, float(r) if r is not None else None, target, **extra)


# an indicator declared without its attribute on Figures (or the other way round) stops the program here
if [f.name for f in dataclasses.fields(Figures)][:len(REGISTRY) + 1] != [*(i.key for i in REGISTRY),
                                                                          SATISFACTION.key]:
    raise DuplicateIndicator("Figures must have one attribute per declared indicator, in the registry's order")


def as_table(figures: Figures, title: str) -> str:
    """A readable Vietnamese table of one period's figures, for the terminal."""
    lines = [title]
    f = figures.filters or Filters()
    if f.officer:
        lines.append(f"Cán bộ: {f.officer}")
    if f.field:
        lines.append(f"Lĩnh vực: {f.field}")
    lines.append("")
    width = max(len(i.name) for i in REGISTRY)
    lines.append(f"{'Chỉ số':<{width}}  {'Số hồ sơ':>15}  {'Tỷ lệ':>8}  {'Chỉ tiêu':>8}")
    for r in figures.entries():
        name = r.indicator.name
        if not r.indicator.is_rate:
            lines.append(f"{name:<{width}}  {r.formatted:>15}")
            continue
        frac = vnformat.fraction(r.numerator, r.denominator)
        lines.append(f"{name:<{width}}  {frac:>15}  {r.formatted:>8}  {vnformat.percent(r.target):>8}")
    c = figures.counts
    n = vnformat.number
    lines += [
        "",
        f"Tiếp nhận: {n(c['received'])} hồ sơ (kỳ trước chuyển sang: {n(c['carried_over'])}; "
        f"rút: {n(c['withdrawn'])})",
        f"Đã giải quyết: {n(c['resolved'])} (trước hạn {n(c['resolved_early'])}, "
        f"đúng hạn {n(c['resolved_on_due'])}, quá hạn {n(c['resolved_late'])})",
        f"Đang giải quyết cuối kỳ: {n(c['open'])} (quá hạn {n(c['open_overdue'])}; "
        f"chờ bổ sung {n(c['supplement_pending'])})",
        f"Từ chối: {n(c['refused'])}; dừng giải quyết: {n(c['stopped'])}",
    ]
    return "\n".join(lines)
