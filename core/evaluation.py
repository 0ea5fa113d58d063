"""The quarterly staff evaluation: each officer's figures, the points they earn, the classification.

Criteria come from the template in the database. A rule scores a criterion
from the figures where it can; ``manual`` criteria are scored by a person:
- ``rate``: the maximum in proportion to the rate against its target (full
  points when the officer had no case of that kind);
- ``failures``: every late or overdue case costs ``param`` per cent of the
  maximum (25 by default, as Nghị định 335/2025 does for delays);
- ``e_certified``: full points when the officer issued at least one electronic
  certified copy, or received no case of the field ``param``; none otherwise.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core import indicators, vnformat, vnsort
from core.cases import nfc
from core.periods import Period

RULES = {"manual": "Chấm tay", "rate": "Theo tỷ lệ", "failures": "Trừ theo hồ sơ quá hạn",
         "e_certified": "Có chứng thực điện tử"}


class EvaluationError(ValueError):
    pass


def _points(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


@dataclass
class Line:
    criterion: dict
    points: float | None  # None: a manual criterion not yet scored
    note: str

    @property
    def manual(self) -> bool:
        return self.criterion["rule"] == "manual"


@dataclass
class Sheet:
    officer: dict
    quarter: str
    period: Period
    figures: dict  # the object of interfaces.md section 3 for this officer
    lines: list[Line]
    comments: str
    thresholds: list
    title: str
    approved: dict | None = None
    missing: list[str] = field(default_factory=list)  # manual criteria not yet scored

    @property
    def total(self) -> float:
        return _points(sum(line.points or 0 for line in self.lines))

    @property
    def maximum(self) -> float:
        return _points(sum(line.criterion["max_points"] for line in self.lines))

    @property
    def classification(self) -> str:
        return classify(self.total, self.thresholds)


def classify(total: float, thresholds: list) -> str:
    for minimum, label in sorted(thresholds, key=lambda t: -t[0]):
        if total >= minimum:
            return label
    return thresholds[-1][1] if thresholds else ""


# what a 'rate' criterion may score: the province's rates, the national on-time rate, and the
# citizens' satisfaction (share of ratings that are not "Không hài lòng"; issue 14)
RATE_PARAMS = (*(k for k, (_, _, den) in indicators.INDICATORS.items() if den is not None), "satisfaction")


def satisfaction_item(store, period: Period, officer: str | None) -> dict:
    """The ratings given at return in a period as a rate entry: not poor / rated, and complaints."""
    rated = store.satisfaction_counts(period.start, period.end)
    rows = [r for name, r in rated.items() if officer is None or name == officer]
    total = sum(r["good"] + r["fair"] + r["poor"] for r in rows)
    fine = sum(r["good"] + r["fair"] for r in rows)
    r = vnformat.rate(fine, total)
    return {"numerator": fine, "denominator": total, "rate": float(r) if r is not None else None,
            "target": 100.0, "complaints": sum(x["complaints"] for x in rows)}


def quarter_code(period: Period) -> str:
    if period.kind != "quarter":
        raise EvaluationError(f"đánh giá theo quý: cần kỳ dạng YYYY-Qn, không phải {period.code}")
    return period.code


def score(criterion: dict, figures: dict, field_received: int | None, manual: dict) -> tuple[float | None, str]:
    rule, top = criterion["rule"], float(criterion["max_points"])
    if rule == "manual":
        value = manual.get(criterion["id"])
        if value is None:
            return None, "chưa chấm"
        return _points(min(top, max(0.0, float(value)))), "chấm tay"
    if rule == "rate":
        item = figures["indicators"][criterion["param"]]
        if not item["denominator"]:
            return top, "không phát sinh"
        rate, target = item["rate"], item["target"]
        ratio = 1.0 if not target else min(1.0, rate / target)
        return (_points(top * ratio),
                f"{vnformat.fraction(item['numerator'], item['denominator'])}, đạt {vnformat.percent(rate)}")
    if rule == "failures":
        c = figures["counts"]
        n = c["resolved_late"] + c["open_overdue"]
        penalty = float(criterion["param"] or 25) / 100
        if n == 0:
            return top, "không có"
        return _points(top * max(0.0, 1 - penalty * n)), f"{vnformat.number(n)} hồ sơ quá hạn"
    if rule == "e_certified":
        count = figures["indicators"]["e_certified"]["count"]
        if count:
            return top, f"{vnformat.number(count)} bản"
        if not field_received:
            return top, "không phát sinh"
        return 0.0, "chưa thực hiện"
    raise EvaluationError(f"quy tắc chấm điểm không biết: {rule}")


def build(store, period: Period, officer: str | None = None, today: dt.date | None = None) -> list[Sheet]:
    """One sheet per active officer (or the one named), in the order of the officer list."""
    quarter = quarter_code(period)
    template = store.eval_template(period.end)
    officers = store.officers(active_only=officer is None)
    if officer is not None:
        officers = [o for o in officers if o["name"] == nfc(officer)]
        if not officers:
            raise indicators.UnknownName(f"không có cán bộ tên {officer!r}")
    approved = store.quarter_approval(quarter)
    sheets = []
    for o in officers:
        figures = indicators.compute(store, period, indicators.Filters(officer=o["name"]), today=today)
        figures["indicators"]["satisfaction"] = satisfaction_item(store, period, o["name"])
        entry = store.evaluation_entry(o["id"], quarter)
        lines, missing = [], []
        for c in template["criteria"]:
            field_received = None
            if c["rule"] == "e_certified" and c["param"] and store.field_id(c["param"]) is not None:
                field_received = indicators.compute(
                    store, period, indicators.Filters(officer=o["name"], field=c["param"]),
                    today=today)["counts"]["received"]
            points, note = score(c, figures, field_received, entry["manual"])
            if points is None:
                missing.append(c["name"])
            lines.append(Line(c, points, note))
        sheets.append(Sheet(o, quarter, period, figures, lines, entry["comments"], template["thresholds"],
                            template["title"], approved, missing))
    return sheets


def ranking(sheets: list[Sheet]) -> list[tuple[int, Sheet]]:
    """Officers from the highest total down; equal totals share a rank."""
    ordered = sorted(sheets, key=lambda s: (-s.total, vnsort.key(s.officer["name"])))
    out, rank, last = [], 0, None
    for i, s in enumerate(ordered, 1):
        if s.total != last:
            rank, last = i, s.total
        out.append((rank, s))
    return out


def parse_thresholds(text: str) -> tuple[list | None, str]:
    """``"90: Hoàn thành xuất sắc; 70: Hoàn thành tốt"`` as ``[[90.0, "…"], …]`` (highest first), or a problem."""
    thresholds = []
    for part in text.split(";"):
        if not part.strip():
            continue
        minimum, _, label = part.partition(":")
        try:
            thresholds.append([float(minimum.strip().replace(",", ".")), label.strip()])
        except ValueError:
            return None, f"Ngưỡng '{part.strip()}' phải có dạng 'điểm: xếp loại'."
    if not thresholds or not all(label for _, label in thresholds):
        return None, "Nhập các ngưỡng xếp loại, ví dụ 90: Hoàn thành xuất sắc nhiệm vụ; 70: …"
    return sorted(thresholds, key=lambda t: -t[0]), ""


# what the editor calls each parameter of the 'rate' rule (the registry's short names)
PARAM_NAMES = {**indicators.SHORT_NAMES, "satisfaction": "Người dân hài lòng"}


def template_problem(template: dict) -> str | None:
    """The one set of rules a template of the form keeps (the editor and the Store's writers use it)."""
    rows = template.get("criteria") or []
    if not rows:
        return "Mẫu cần ít nhất một tiêu chí."
    for i, r in enumerate(rows, 1):
        if r["rule"] not in RULES:
            return f"Tiêu chí {i}: cách chấm phải là một trong: {', '.join(RULES.values())}."
        if r["rule"] == "rate" and r.get("param") not in RATE_PARAMS:
            names = [PARAM_NAMES.get(k, k) for k in RATE_PARAMS]
            return (f"Tiêu chí {i}: cách chấm '{RULES['rate']}' cần chọn một chỉ số ở cột "
                    f"Tham số: {', '.join(names)}.")
        if not str(r["name"]).strip():
            return f"Tiêu chí {i}: chưa có tên."
        try:
            if float(r["max_points"]) < 0:
                return f"Tiêu chí {i}: điểm tối đa phải ≥ 0."
        except (TypeError, ValueError):
            return f"Tiêu chí {i}: điểm tối đa phải là một số."
    total = sum(float(r["max_points"]) for r in rows)
    if abs(total - 100) > 1e-9:
        return f"Tổng điểm tối đa là {vnformat.decimal(total)}, cần đúng 100."
    if not template.get("thresholds") or not all(label for _, label in template["thresholds"]):
        return "Nhập các ngưỡng xếp loại, ví dụ 90: Hoàn thành xuất sắc nhiệm vụ; 70: …"
    if not str(template.get("title") or "").strip():
        return "Nhập tiêu đề phiếu."
    return None
