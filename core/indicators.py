"""The indicators of interfaces.md section 3 for one period, from counts aggregated in SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import vnformat
from core.periods import Period

# key -> (Vietnamese name, numerator count, denominator count)
INDICATORS: dict[str, tuple[str, str, str | None]] = {
    "online": ("Tỷ lệ hồ sơ tiếp nhận trực tuyến", "online", "received"),
    "digitized_on_receipt": ("Tỷ lệ số hoá đầy đủ thành phần hồ sơ khi tiếp nhận", "digitized", "received"),
    "result_digitized": ("Tỷ lệ số hoá kết quả giải quyết TTHC", "result_digitized", "resolved"),
    "on_time": ("Tỷ lệ hồ sơ giải quyết đúng hạn", "on_time", "resolved"),
    "paid_online": ("Tỷ lệ thanh toán trực tuyến", "paid_online", "with_fee"),
    "e_certified": ("Chứng thực bản sao điện tử từ bản chính", "e_certified", None),
}

COUNT_KEYS = ("received", "resolved", "resolved_early", "resolved_on_due", "resolved_late",
              "carried_over", "open", "open_overdue", "withdrawn")

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
    counts["on_time"] = counts["resolved_early"] + counts["resolved_on_due"]
    indicators: dict[str, dict] = {}
    for key, (_, num_key, den_key) in INDICATORS.items():
        if den_key is None:
            indicators[key] = {"count": counts[num_key]}
            continue
        num, den = counts[num_key], counts[den_key]
        r = vnformat.rate(num, den)
        target = store.target(key, period.end)
        indicators[key] = {
            "numerator": num, "denominator": den,
            "rate": float(r) if r is not None else None,
            "target": float(target if target is not None else DEFAULT_TARGET),
        }
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "filters": {"officer": filters.officer, "field": filters.field},
        "indicators": indicators,
        "counts": {k: counts[k] for k in COUNT_KEYS},
    }


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
    for key, (name, _, den) in INDICATORS.items():
        item = result["indicators"][key]
        if den is None:
            lines.append(f"{name:<{width}}  {vnformat.number(item['count']):>15}")
            continue
        frac = vnformat.fraction(item["numerator"], item["denominator"])
        rate = vnformat.percent(item["rate"], strip=False)
        target = vnformat.percent(item["target"])
        lines.append(f"{name:<{width}}  {frac:>15}  {rate:>8}  {target:>8}")
    c = result["counts"]
    n = vnformat.number
    lines += [
        "",
        f"Tiếp nhận: {n(c['received'])} hồ sơ (kỳ trước chuyển sang: {n(c['carried_over'])}; "
        f"rút: {n(c['withdrawn'])})",
        f"Đã giải quyết: {n(c['resolved'])} (trước hạn {n(c['resolved_early'])}, "
        f"đúng hạn {n(c['resolved_on_due'])}, quá hạn {n(c['resolved_late'])})",
        f"Đang giải quyết cuối kỳ: {n(c['open'])} (quá hạn {n(c['open_overdue'])})",
    ]
    return "\n".join(lines)
