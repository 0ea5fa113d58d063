"""The indicators of interfaces.md section 3 for one period, from counts aggregated in SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.domain import vnformat
from core.domain.periods import Period

@dataclass(frozen=True)
class Indicator:
    """One indicator of interfaces.md section 3: everything the program says and counts about it."""
    key: str
    name: str  # its full Vietnamese name (tables, PDFs)
    short: str  # on a dashboard tile
    narrative: str | None  # in the report's paragraph (lower case), None when it is not a rate
    numerator: str  # the count it takes its numerator (or its count) from
    denominator: str | None  # the count it divides by; None for a plain count
    monthly: bool = True  # kept as monthly totals (charts, the report's months); False: counted per case

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def formatted(self, item: dict) -> str:
        """Its value in a result of ``from_counts`` as people read it: "97,86%" or "1.234"."""
        if not self.is_rate:
            return vnformat.number(item["count"])
        return vnformat.percent(item["rate"], strip=False)


# the one registry: keys, names, counts and formatting of every indicator, in the order shown
REGISTRY: tuple[Indicator, ...] = (
    Indicator("online", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "Tiếp nhận trực tuyến",
              "tỷ lệ hồ sơ tiếp nhận trực tuyến", "online", "received"),
    Indicator("digitized_on_receipt", "Tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận", "Số hoá khi tiếp nhận",
              "tỷ lệ số hoá đầy đủ thành phần hồ sơ TTHC khi tiếp nhận", "digitized", "received"),
    Indicator("result_digitized", "Tỷ lệ số hoá kết quả giải quyết TTHC", "Số hoá kết quả",
              "tỷ lệ số hoá kết quả giải quyết TTHC", "result_digitized", "resolved"),
    Indicator("on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Giải quyết đúng hạn",
              "tỷ lệ hồ sơ giải quyết đúng hạn", "on_time", "resolved"),
    Indicator("paid_online", "Tỷ lệ thanh toán trực tuyến", "Thanh toán trực tuyến",
              "tỷ lệ thanh toán trực tuyến", "paid_online", "with_fee"),
    Indicator("e_certified", "Chứng thực bản sao điện tử từ bản chính", "Chứng thực điện tử",
              None, "e_certified", None),
    # interfaces.md §5: the national index's progress indicator (Quyết định 766/QĐ-TTg)
    Indicator("on_time_766", "Tỷ lệ hồ sơ đúng hạn theo Quyết định 766", "Đúng hạn (QĐ 766)",
              None, "on_time_766", "population_766", monthly=False),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in REGISTRY}
RATE_KEYS: tuple[str, ...] = tuple(i.key for i in REGISTRY if i.is_rate)

# views of the registry under the names other modules import
# key -> (Vietnamese name, numerator count, denominator count)
INDICATORS: dict[str, tuple[str, str, str | None]] = {i.key: (i.name, i.numerator, i.denominator)
                                                      for i in REGISTRY}
SHORT_NAMES: dict[str, str] = {i.key: i.short for i in REGISTRY}
NARRATIVE_NAMES: dict[str, str] = {i.key: i.narrative for i in REGISTRY if i.narrative}

@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's entry of a ``compute`` result, typed (the JSON of section 3 stays a dict)."""
    indicator: Indicator
    numerator: int | None = None
    denominator: int | None = None
    rate: float | None = None
    target: float | None = None
    count: int | None = None

    @classmethod
    def of(cls, key: str, item: dict) -> "IndicatorResult":
        return cls(BY_KEY[key], item.get("numerator"), item.get("denominator"), item.get("rate"),
                   item.get("target"), item.get("count"))

    @property
    def met(self) -> bool | None:
        """Whether the rate reaches its target; None for a count or a rate with no case."""
        if self.rate is None or self.target is None:
            return None
        return self.rate >= self.target

    @property
    def formatted(self) -> str:
        if not self.indicator.is_rate:
            return vnformat.number(self.count or 0)
        return vnformat.percent(self.rate, strip=False)


def results(result: dict) -> dict[str, IndicatorResult]:
    """The indicators of a ``compute`` result as ``IndicatorResult`` values, in registry order."""
    return {i.key: IndicatorResult.of(i.key, result["indicators"][i.key]) for i in REGISTRY}


COUNT_KEYS = ("received", "resolved", "resolved_early", "resolved_on_due", "resolved_late",
              "carried_over", "open", "open_overdue", "withdrawn", "refused", "stopped", "supplement_pending")

DEFAULT_TARGET = 100.0


class UnknownName(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    officer: str | None = None
    field: str | None = None


def compute(store, period: Period, filters: Filters = Filters(), today: dt.date | None = None) -> dict:
    """The object ``indicators --json`` prints."""
    officer_id = field_id = None
    if filters.officer is not None:
        officer_id = store.officer_id(filters.officer)
        if officer_id is None:
            raise UnknownName(f"không có cán bộ tên {filters.officer!r}")
    if filters.field is not None:
        field_id = store.field_id(filters.field)
        if field_id is None:
            raise UnknownName(f"không có lĩnh vực tên {filters.field!r}")
    counts = store.indicator_counts(period.start, period.end, officer_id=officer_id,
                                    field_id=field_id, today=today)
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "filters": {"officer": filters.officer, "field": filters.field},
        "indicators": from_counts(counts, targets(store, period.end)),
        "counts": {k: counts[k] for k in COUNT_KEYS},
    }


def targets(store, on: dt.date) -> dict[str, float]:
    """The target in force on a date for every rate (100 unless the user set another)."""
    out = {}
    for key, (_, _, den) in INDICATORS.items():
        if den is not None:
            t = store.target(key, on)
            out[key] = float(t if t is not None else DEFAULT_TARGET)
    return out


def from_counts(counts: dict[str, int], target_values: dict[str, float]) -> dict[str, dict]:
    """The indicator entries of section 3 from aggregated counts (missing counts are 0)."""
    c = {k: counts.get(k) or 0 for k in ("received", "online", "digitized", "with_fee", "paid_online",
                                         "e_certified", "resolved", "result_digitized",
                                         "resolved_early", "resolved_on_due", "on_time_766", "population_766")}
    c["on_time"] = c["resolved_early"] + c["resolved_on_due"]
    out: dict[str, dict] = {}
    for key, (_, num_key, den_key) in INDICATORS.items():
        if den_key is None:
            out[key] = {"count": c[num_key]}
            continue
        num, den = c[num_key], c[den_key]
        r = vnformat.rate(num, den)
        out[key] = {"numerator": num, "denominator": den, "rate": float(r) if r is not None else None,
                    "target": target_values[key]}
    return out


def as_table(result: dict, title: str) -> str:
    """A readable Vietnamese table of one ``compute`` result, for the terminal."""
    lines = [title]
    f = result["filters"]
    if f["officer"]:
        lines.append(f"Cán bộ: {f['officer']}")
    if f["field"]:
        lines.append(f"Lĩnh vực: {f['field']}")
    lines.append("")
    width = max(len(name) for name, _, _ in INDICATORS.values())
    lines.append(f"{'Chỉ số':<{width}}  {'Số hồ sơ':>15}  {'Tỷ lệ':>8}  {'Chỉ tiêu':>8}")
    for r in results(result).values():
        name = r.indicator.name
        if not r.indicator.is_rate:
            lines.append(f"{name:<{width}}  {r.formatted:>15}")
            continue
        frac = vnformat.fraction(r.numerator, r.denominator)
        lines.append(f"{name:<{width}}  {frac:>15}  {r.formatted:>8}  {vnformat.percent(r.target):>8}")
    c = result["counts"]
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
