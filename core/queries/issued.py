"""Period reports issued as final ("số liệu đã báo cáo").

Issuing keeps the data the report renderer consumes (``core.queries.report.Report``),
exactly as printed; a reprint renders that data again, never the live cases;
a correction made afterwards shows as a difference against what was reported.
The data is stored generically (any field the report gains is kept too).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from core.queries import report
from core.domain import vnformat
from core.domain.indicators import Figures
from core.domain.periods import Period

# the report's figures, kept in the shape of ``indicators --json`` (issues stored before typed figures too)
_FIGURES = ("current", "before", "to_date", "inner_figures")


def _encode(value):
    if isinstance(value, Figures):
        return _encode(value.as_json())
    if isinstance(value, Period):
        return {"__period__": [value.start.isoformat(), value.end.isoformat(), value.kind]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__row__": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"__pairs__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__period__" in value:
        start, end, kind = value["__period__"]
        return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end), kind)
    if "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    if "__datetime__" in value:
        return dt.datetime.fromisoformat(value["__datetime__"])
    if "__pairs__" in value:
        return {_hashable(_decode(k)): _decode(v) for k, v in value["__pairs__"]}
    if "__row__" in value:
        cls = getattr(report, value["__row__"])
        return cls(**{k: _decode(v) for k, v in value.items() if k != "__row__"})
    return {k: _decode(v) for k, v in value.items()}


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def report_data(r: report.Report) -> dict:
    return _encode(r)


def report_from_data(data: dict) -> report.Report:
    r = _decode(data)
    return dataclasses.replace(r, **{name: Figures.from_json(getattr(r, name)) for name in _FIGURES
                                     if isinstance(getattr(r, name), dict)})


def as_reported(store, period: Period) -> tuple[dict, report.Report] | None:
    """The newest issue of the period's report, rebuilt from what was kept; None if never issued."""
    issues = store.issued.list(period.code)
    if not issues:
        return None
    stored = store.issued.get(issues[0]["id"])
    return stored, report_from_data(stored["data"])


def differences(reported: report.Report, now: report.Report) -> list[dict]:
    """What changed since the report was issued: each indicator's fraction and each count."""
    out = []
    for b in now.current.entries():
        a, name = reported.current.get(b.indicator.key), b.indicator.name
        if a is None:  # an indicator counted only since the report was issued
            continue
        if not b.indicator.is_rate:
            if a.count != b.count:
                out.append({"what": name, "reported": vnformat.number(a.count), "now": vnformat.number(b.count),
                            "change": f"{b.count - a.count:+d}"})
            continue
        if (a.numerator, a.denominator) != (b.numerator, b.denominator):
            change = "" if a.rate is None or b.rate is None else "tỷ lệ không đổi" if a.rate == b.rate \
                else f"{'+' if b.rate > a.rate else '−'}{vnformat.percent(abs(b.rate - a.rate))}"
            out.append({"what": name,
                        "reported": f"{vnformat.fraction(a.numerator, a.denominator)} "
                                    f"({vnformat.percent(a.rate, strip=False)})",
                        "now": f"{vnformat.fraction(b.numerator, b.denominator)} "
                               f"({vnformat.percent(b.rate, strip=False)})",
                        "change": change})
    names = {"received": "Hồ sơ tiếp nhận", "resolved": "Hồ sơ đã giải quyết", "resolved_late": "Giải quyết quá hạn",
             "open": "Đang giải quyết", "open_overdue": "Quá hạn chưa giải quyết", "carried_over": "Kỳ trước chuyển sang",
             "withdrawn": "Rút hồ sơ"}
    for key, name in names.items():
        a, b = reported.current.counts.get(key), now.current.counts.get(key)
        if a is not None and b is not None and a != b:
            out.append({"what": name, "reported": vnformat.number(a), "now": vnformat.number(b),
                        "change": f"{b - a:+d}"})
    return out


def differences_text(stored: dict, diffs: list[dict]) -> str:
    when = dt.datetime.fromisoformat(stored["issued_at"])
    head = f"Số liệu đã báo cáo ngày {when:%d/%m/%Y} ({stored['issued_by']})"
    if not diffs:
        return f"{head}: không có thay đổi sau khi báo cáo."
    lines = [f"{head}; thay đổi sau khi báo cáo:"]
    lines += [f"- {d['what']}: đã báo cáo {d['reported']}, nay {d['now']} ({d['change']})" for d in diffs]
    return "\n".join(lines)
