"""The service-index estimate of interfaces.md §5 (Quyết định 766/QĐ-TTg), out of 100.

Each component is either computed from the office's own data (a rate, a count or a share,
scaled by its weight or through a curve) or typed in per period from the national
portal's dashboard. Weights and curves are dated data (``store.index.model``); the
shipped model is today's default. The curves published by third parties are
reverse-engineered: the result is an estimate and says so.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from core.domain import vnformat
from core.domain.indicators import ON_TIME_766, RATE_KEYS, Figures, rate_of
from core.domain.periods import Period
from core.queries import figures as figures_of


class IndexError_(ValueError):
    """A typed-in value that cannot be: unknown component or points out of range."""


def _round(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def curve_points(curve: list[list[float]], x: float) -> float:
    """Piecewise-linear points for ``x`` through the curve's [x, points] corners (flat beyond its ends)."""
    pts = sorted(curve)
    if x <= pts[0][0]:
        return float(pts[0][1])
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x <= x1:
            return float(y0 + (y1 - y0) * (x - x0) / (x1 - x0)) if x1 != x0 else float(y1)
    return float(pts[-1][1])


def figures(store, period: Period, today: dt.date | None = None, base: Figures | None = None) -> Figures:
    """The indicators and counts the computed components read. ``base``: the section 3 figures
    the caller has already (the dashboard, from its monthly totals); only the national rule's
    counts are then added."""
    if base is None:
        result = figures_of.compute(store, period, today=today)
    else:
        n = store.national_counts(period.start, period.end, today=today)
        target = figures_of.targets(store, period.end)[ON_TIME_766.key]
        result = dataclasses.replace(
            base, on_time_766=rate_of(ON_TIME_766, n["on_time_766"], n["population_766"], target),
            counts={k: n[k] for k in ("open_overdue", "refused", "stopped", "supplement_pending")})
    counts = dict(result.counts)
    counts["population_766"] = result.on_time_766.denominator
    rated = store.events.satisfaction_totals(period.start, period.end)
    counts["poor"] = rated["poor"]
    counts["rated"] = rated["good"] + rated["fair"] + rated["poor"]
    counts["complaints"] = rated["complaints"]
    return dataclasses.replace(result, counts=counts)


def compute(store, period: Period, today: dt.date | None = None, data: Figures | None = None) -> dict:
    """The estimate for a period; ``data`` is ``figures(...)`` when the caller has it already."""
    valid_from, model = store.index.model(period.end)
    data = data or figures(store, period, today)
    typed = store.index.points(period.code)
    components = []
    for c in model["components"]:
        top = float(c["max_points"])
        item = {"key": c["key"], "group": c["group"], "name": c["name"], "max_points": top,
                "source": "typed" if c["rule"] == "typed" else "computed", "numerator": None, "denominator": None,
                "value": None, "points": None}
        if c["rule"] == "typed":
            item["points"] = typed.get(c["key"])
        elif c["rule"] == "rate":
            ind = data.get(c["param"])
            item.update(numerator=ind.numerator, denominator=ind.denominator, value=ind.rate)
            if ind.rate is not None:
                item["points"] = curve_points(c["curve"], ind.rate) if c.get("curve") else top * ind.rate / 100
        elif c["rule"] == "count":
            n = data.get(c["param"]).count
            item.update(numerator=n, value=n, points=curve_points(c["curve"], n) if c.get("curve") else top * bool(n))
        elif c["rule"] == "share_not":
            num_key, den_key = c["param"].split("/")
            num, den = data.counts[num_key], data.counts[den_key]
            item.update(numerator=num, denominator=den)
            if den:
                share = vnformat.rate(num, den)
                item["value"] = float(share)
                item["points"] = top * (1 - num / den)
        if item["points"] is not None:
            item["points"] = _round(min(top, max(0.0, item["points"])))
        components.append(item)
    total = _round(sum(i["points"] or 0 for i in components))
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "code": period.code},
        "estimate": True, "title": model.get("title", ""), "note": model.get("note", ""),
        "model_valid_from": valid_from,
        "total": total, "max_points": _round(sum(i["max_points"] for i in components)),
        "computed": _round(sum(i["points"] or 0 for i in components if i["source"] == "computed")),
        "typed": _round(sum(i["points"] or 0 for i in components if i["source"] == "typed")),
        "missing": [i["key"] for i in components if i["points"] is None],
        "components": components,
    }


def total_text(result: dict) -> str:
    """The estimate's total as a person reads it: '84,5/100', or 'chưa đủ 5 phần' while parts lack
    points (a sum of what is there would read as the office's score, issue 27)."""
    missing = len(result["missing"])
    if missing:
        return f"chưa đủ {vnformat.number(missing)} phần"
    return f"{vnformat.decimal(result['total'], strip=False)}/{vnformat.decimal(result['max_points'])}"


def points_problem(store, period: Period, key: str, points: float | None) -> str | None:
    """Why a component's points typed in for a period cannot be kept (None when they can),
    checked against the model in force (``core.ops.reports.set_index_points`` writes them)."""
    _, model = store.index.model(period.end)
    by_key = {c["key"]: c for c in model["components"]}
    if key not in by_key:
        return f"không có thành phần {key!r}; có: {', '.join(by_key)}"
    c = by_key[key]
    if c["rule"] != "typed":
        return f"thành phần {key!r} ({c['name']}) được tính từ dữ liệu, không nhập tay"
    if points is not None and not 0 <= points <= c["max_points"]:
        return f"điểm {key!r} phải từ 0 đến {vnformat.decimal(c['max_points'])}"
    return None


RULES = ("typed", "rate", "count", "share_not")
RATE_PARAMS = RATE_KEYS
SHARE_PARAMS = ("open_overdue/population_766", "poor/rated")


def model_problems(model) -> list[str]:
    """Why a model of weights and curves cannot be used (empty when it can), in Vietnamese."""
    if not isinstance(model, dict) or not isinstance(model.get("components"), list) or not model["components"]:
        return ["cần một đối tượng JSON có danh sách \"components\""]
    out, keys = [], set()
    for i, c in enumerate(model["components"], 1):
        where = f"thành phần {i}"
        if not isinstance(c, dict):
            out.append(f"{where}: không phải đối tượng")
            continue
        for field in ("key", "group", "name"):
            if not isinstance(c.get(field), str) or not c[field].strip():
                out.append(f"{where}: thiếu {field}")
        if c.get("key") in keys:
            out.append(f"{where}: khoá {c.get('key')!r} lặp lại")
        keys.add(c.get("key"))
        if not isinstance(c.get("max_points"), (int, float)) or c["max_points"] < 0:
            out.append(f"{where}: max_points phải là số ≥ 0")
        rule = c.get("rule")
        if rule not in RULES:
            out.append(f"{where}: rule phải là một trong {', '.join(RULES)}")
        elif rule == "rate" and c.get("param") not in RATE_PARAMS:
            out.append(f"{where}: param của rate là một trong {', '.join(RATE_PARAMS)}")
        elif rule == "count" and c.get("param") != "e_certified":
            out.append(f"{where}: param của count là e_certified")
        elif rule == "share_not" and c.get("param") not in SHARE_PARAMS:
            out.append(f"{where}: param của share_not là một trong {', '.join(SHARE_PARAMS)}")
        curve = c.get("curve")
        if curve is not None and not (isinstance(curve, list) and len(curve) >= 2 and all(
                isinstance(pt, list) and len(pt) == 2 and all(isinstance(v, (int, float)) for v in pt)
                for pt in curve)):
            out.append(f"{where}: curve là danh sách các cặp [x, điểm]")
    return out


def describe(item: dict) -> str:
    """What a component counts, in a few words: 'a/b hồ sơ (97,86%)' or 'nhập tay'."""
    if item["source"] == "typed":
        return "nhập tay theo Cổng Dịch vụ công quốc gia" if item["points"] is not None else "chưa nhập"
    if item["denominator"] is None:
        return f"{vnformat.number(item['numerator'] or 0)} bản"
    if not item["denominator"]:
        return "không có dữ liệu trong kỳ"
    return f"{vnformat.fraction(item['numerator'], item['denominator'])} ({vnformat.percent(item['value'], strip=False)})"


def as_table(result: dict, label: str) -> str:
    p = lambda x: "—" if x is None else vnformat.decimal(x, strip=False)  # noqa: E731
    lines = [f"{result['title']} — {label}", f"(ƯỚC TÍNH) {result['note']}", ""]
    width = max(len(i["name"]) for i in result["components"])
    lines.append(f"{'Thành phần':<{width}}  {'Điểm':>6}  {'Tối đa':>6}  Nguồn, căn cứ")
    for i in result["components"]:
        source = "tính" if i["source"] == "computed" else "nhập"
        lines.append(f"{i['name']:<{width}}  {p(i['points']):>6}  {p(i['max_points']):>6}  {source}: {describe(i)}")
    total = (f"{p(result['total'])}/{p(result['max_points'])} điểm" if not result["missing"]
             else f"{total_text(result)}, chưa cộng tổng")
    lines += ["", f"Tổng (ước tính): {total} "
                  f"(tính từ dữ liệu {p(result['computed'])}; nhập tay {p(result['typed'])})"]
    if result["missing"]:
        lines.append("Chưa có điểm: " + ", ".join(result["missing"]))
    return "\n".join(lines)
