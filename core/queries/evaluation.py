"""The quarterly staff evaluation: each officer's figures, the points they earn, the classification.

Criteria come from the template in the database. A rule scores a criterion
from the figures where it can; ``manual`` criteria are scored by a person:
- ``rate``: the maximum in proportion to the rate against its target (full
  points when the officer had no case of that kind);
- ``failures``: every late or overdue case costs ``param`` per cent of the
  maximum (25 by default, as Nghị định 335/2025 does for delays);
- ``e_certified``: full points when the officer issued at least one electronic
  certified copy, or received no case of the field ``param``; none otherwise;
- ``quantity``, ``quality``, ``timeliness`` (Nghị định 335/2025): each case the
  officer handled in the quarter is a product worth an equal share of the
  criterion; a failing product loses ``param`` per cent (25) of its share. A case
  overdue and still open fails quantity, one resolved late fails timeliness, one
  not digitized (on receipt or its result) fails quality only when it failed
  neither of the others: no case is penalised twice.

Nothing is totalled, classified or ranked until every criterion is scored; a
recorded disciplinary measure forces the lowest classification. An approved
quarter is read from what its approval stored, never recomputed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.domain import indicators
from core.domain import vnformat
from core.domain import vnsort
from core.domain.indicators import PARAM_NAMES, RATE_KEYS, SATISFACTION, Figures, IndicatorResult, rate_of
from core.queries import figures as figures_of
from core.domain.cases import nfc
from core.domain.periods import Period

RULES = {"manual": "Chấm tay", "rate": "Theo tỷ lệ", "failures": "Trừ theo hồ sơ quá hạn",
         "e_certified": "Có chứng thực điện tử", "quantity": "Số lượng sản phẩm",
         "quality": "Chất lượng sản phẩm", "timeliness": "Tiến độ sản phẩm"}
PRODUCT_RULES = ("quantity", "quality", "timeliness")
INCOMPLETE = "chưa chấm đủ"
CAP = 0.20  # "xuất sắc" at most 20% of those rated "tốt" or better


class EvaluationError(ValueError):
    pass


def _points(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


@dataclass
class Line:
    criterion: dict
    points: float | None  # None: a manual criterion not yet scored
    note: str
    self_points: float | None = None  # the officer's own score of a manual criterion

    @property
    def manual(self) -> bool:
        return self.criterion["rule"] == "manual"


@dataclass
class Sheet:
    officer: dict
    quarter: str
    period: Period
    figures: Figures  # this officer's, with ``satisfaction``
    lines: list[Line]
    comments: str
    thresholds: list
    title: str
    approved: dict | None = None
    missing: list[str] = field(default_factory=list)  # manual criteria not yet scored
    discipline: str = ""  # a disciplinary measure recorded in the year
    template: dict = field(default_factory=dict)  # id, valid_from, version of the template used

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def total(self) -> float | None:
        """None until every criterion is scored."""
        if self.missing:
            return None
        return _points(sum(line.points or 0 for line in self.lines))

    @property
    def maximum(self) -> float:
        return _points(sum(line.criterion["max_points"] for line in self.lines))

    @property
    def classification(self) -> str:
        if self.missing:
            return INCOMPLETE
        if self.discipline:
            return lowest(self.thresholds)
        return classify(self.total, self.thresholds)

    def as_dict(self) -> dict:
        return {"officer": dict(self.officer), "quarter": self.quarter, "figures": self.figures.as_json(),
                "lines": [{"criterion": dict(l.criterion), "points": l.points, "note": l.note,
                           "self_points": l.self_points} for l in self.lines],
                "comments": self.comments, "thresholds": self.thresholds, "title": self.title,
                "missing": self.missing, "discipline": self.discipline, "template": self.template,
                "total": self.total, "classification": self.classification}


def lowest(thresholds: list) -> str:
    return min(thresholds, key=lambda t: t[0])[1] if thresholds else ""


def classify(total: float, thresholds: list) -> str:
    for minimum, label in sorted(thresholds, key=lambda t: -t[0]):
        if total >= minimum:
            return label
    return thresholds[-1][1] if thresholds else ""


# what a 'rate' criterion may score: the province's rates, the national on-time rate, and the
# citizens' satisfaction (share of ratings that are not "Không hài lòng"; issue 14)
RATE_PARAMS = (*RATE_KEYS, SATISFACTION.key)


def satisfaction_item(store, period: Period, officer: str | None) -> IndicatorResult:
    """The ratings given at return in a period as a rate entry: not poor / rated, and complaints."""
    rated = store.events.satisfaction_counts(period.start, period.end)
    rows = [r for name, r in rated.items() if officer is None or name == officer]
    total = sum(r["good"] + r["fair"] + r["poor"] for r in rows)
    fine = sum(r["good"] + r["fair"] for r in rows)
    return rate_of(SATISFACTION, fine, total, SATISFACTION.target, complaints=sum(x["complaints"] for x in rows))


def quarter_code(period: Period) -> str:
    if period.kind != "quarter":
        raise EvaluationError(f"đánh giá theo quý: cần kỳ dạng YYYY-Qn, không phải {period.code}")
    return period.code


def score(criterion: dict, figures: Figures, field_received: int | None, manual: dict,
          products: dict | None = None) -> tuple[float | None, str]:
    rule, top = criterion["rule"], float(criterion["max_points"])
    if rule in PRODUCT_RULES:
        total = products["products"] if products else 0
        failing = products[{"quantity": "overdue", "quality": "quality", "timeliness": "late"}[rule]] if products else 0
        if not total:
            return top, "không phát sinh"
        share = float(criterion["param"] or 25) / 100
        points = _points(max(0.0, top * (1 - share * failing / total)))
        what = {"quantity": "quá hạn chưa giải quyết", "quality": "chưa số hoá đầy đủ",
                "timeliness": "giải quyết trễ hạn"}[rule]
        return points, f"{vnformat.number(total)} hồ sơ; {vnformat.number(failing)} {what}"
    if rule == "manual":
        value = manual.get(criterion["key"] if "key" in criterion else criterion["id"])
        if value is None:
            return None, "chưa chấm"
        return _points(min(top, max(0.0, float(value)))), "chấm tay"
    if rule == "rate":
        item = figures.get(criterion["param"])
        if item.no_data:  # unknown is never scored as zero nor as "không phát sinh" (issue 24)
            value = manual.get(criterion["key"] if "key" in criterion else criterion["id"])
            if value is None:
                return None, f"{item.unknown_text}: chấm tay"
            return _points(min(top, max(0.0, float(value)))), f"chấm tay ({item.unknown_text})"
        if not item.denominator:
            return top, "không phát sinh"
        rate, target = item.rate, item.target
        ratio = 1.0 if not target else min(1.0, rate / target)
        unknown = f"; {item.unknown_text}" if item.unknown else ""
        return (_points(top * ratio),
                f"{vnformat.fraction(item.numerator, item.denominator)}, đạt {vnformat.percent(rate)}{unknown}")
    if rule == "failures":
        c = figures.counts
        n = c["resolved_late"] + c["open_overdue"]
        penalty = float(criterion["param"] or 25) / 100
        if n == 0:
            return top, "không có"
        return _points(top * max(0.0, 1 - penalty * n)), f"{vnformat.number(n)} hồ sơ quá hạn"
    if rule == "e_certified":
        item = figures.e_certified
        count = item.count
        if count:
            return top, f"{vnformat.number(count)} bản"
        if not field_received:
            return top, "không phát sinh"
        if item.unknown:  # unknown is never scored as "chưa thực hiện" (issue 24): the chairman scores it
            value = manual.get(criterion["key"] if "key" in criterion else criterion["id"])
            if value is None:
                return None, f"{item.unknown_text}: chấm tay"
            return _points(min(top, max(0.0, float(value)))), f"chấm tay ({item.unknown_text})"
        return 0.0, "chưa thực hiện"
    raise EvaluationError(f"quy tắc chấm điểm không biết: {rule}")


def snapshot_of(sheets: list[Sheet]) -> dict:
    """What an approval stores: every form as computed at that moment."""
    return {"sheets": [s.as_dict() for s in sheets]}


def sheets_from_snapshot(snapshot: dict, period: Period, approved: dict) -> list[Sheet]:
    out = []
    for d in snapshot["sheets"]:
        lines = [Line(l["criterion"], l["points"], l["note"], l.get("self_points")) for l in d["lines"]]
        out.append(Sheet(d["officer"], d["quarter"], period, Figures.from_json(d["figures"]), lines, d["comments"], d["thresholds"],
                         d["title"], approved, d["missing"], d.get("discipline", ""), d.get("template", {})))
    return out


def build(store, period: Period, officer: str | None = None, today: dt.date | None = None) -> list[Sheet]:
    """One sheet per active officer (or the one named), in the order of the officer list.

    An approved quarter comes from what its approval stored: later case edits, template
    or target changes do not touch it.
    """
    quarter = quarter_code(period)
    approved = store.evaluations.approval(quarter)
    if approved and approved.get("snapshot"):
        sheets = sheets_from_snapshot(approved["snapshot"], period, approved)
        if officer is not None:
            sheets = [s for s in sheets if s.officer["name"] == officer]
            if not sheets:
                raise indicators.UnknownName(f"không có cán bộ tên {officer!r} trong kết quả đã duyệt")
        return sheets
    return compute(store, period, officer, today, approved)


def compute(store, period: Period, officer: str | None = None, today: dt.date | None = None,
            approved: dict | None = None) -> list[Sheet]:
    """The forms from the live data and the template in force."""
    quarter = quarter_code(period)
    # a quarter approved before approvals stored their forms: the template as it was then
    template = store.evaluations.template(period.end, as_of=approved["approved_at"] if approved else None)
    judged = min(period.end, today or dt.date.today())
    officers = store.officers(active_only=officer is None)
    if officer is not None:
        officers = [o for o in officers if o["name"] == nfc(officer)]
        if not officers:
            raise indicators.UnknownName(f"không có cán bộ tên {officer!r}")
    sheets = []
    for o in officers:
        figures = dataclasses.replace(
            figures_of.compute(store, period, indicators.Filters(officer=o["name"]), today=today),
            satisfaction=satisfaction_item(store, period, o["name"]))
        entry = store.evaluations.entry(o["id"], quarter)
        products = None
        if any(c["rule"] in PRODUCT_RULES for c in template["criteria"]):
            products = store.evaluations.products(o["id"], period.start, period.end, judged)
        lines, missing = [], []
        for c in template["criteria"]:
            field_received = None
            if c["rule"] == "e_certified" and c["param"] and store.field_id(c["param"]) is not None:
                field_received = figures_of.compute(
                    store, period, indicators.Filters(officer=o["name"], field=c["param"]),
                    today=today).counts["received"]
            points, note = score(c, figures, field_received, entry["manual"], products)
            if points is None:
                missing.append(c["name"])
            own = entry["self"].get(c["key"]) if c["rule"] == "manual" else None
            lines.append(Line(c, points, note, own))
        sheets.append(Sheet(o, quarter, period, figures, lines, entry["comments"], template["thresholds"],
                            template["title"], approved, missing, store.evaluations.discipline_in_year(o["id"], quarter),
                            {"id": template["id"], "valid_from": template["valid_from"],
                             "version": template.get("version", 1)}))
    return sheets


def approved_quarters_for(store, cases: list[dict]) -> list[str]:
    """The approved quarters a change to these cases (their values before and after) falls in:
    the officer is told before saving that the approved forms will not follow."""
    quarters = set()
    for values in cases:
        for key in ("received_date", "resolved_date"):
            day = values.get(key)
            if day:
                day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
                quarters.add(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return sorted(q for q in quarters if store.evaluations.approval(q))


def approval_warnings(sheets: list[Sheet], today: dt.date | None = None) -> list[str]:
    """What the chairman should know before approving: a quarter not over yet, forms not fully
    scored, the 20% cap."""
    out = []
    if sheets and today is not None and today <= sheets[0].period.end:
        end = sheets[0].period.end
        out.append(f"{sheets[0].period.label[:1].upper()}{sheets[0].period.label[1:]} chưa kết thúc "
                   f"(đến hết ngày {vnformat.date_short(end)}): số liệu còn thay đổi đến hết quý, "
                   "phiếu duyệt bây giờ giữ số liệu đến hôm nay.")
    missing = [s.officer["name"] for s in sheets if s.missing]
    if missing:
        out.append(f"Còn chưa chấm đủ: {', '.join(missing)}.")
    complete = [s for s in sheets if s.complete]
    if complete and complete[0].thresholds:
        ordered = sorted(complete[0].thresholds, key=lambda t: -t[0])
        best = ordered[0][1]
        good = {label for _, label in ordered[:2]}
        n_best = sum(s.classification == best for s in complete)
        n_good = sum(s.classification in good for s in complete)
        if n_best and n_best > CAP * n_good:
            out.append(f"Có {n_best} người xếp loại «{best}» trong {n_good} người xếp loại «{ordered[1][1]}» "
                       f"trở lên: vượt quá 20% (tối đa {int(CAP * n_good)} người).")
    return out


def ranking(sheets: list[Sheet]) -> list[tuple[int | None, Sheet]]:
    """Officers from the highest total down; equal totals share a rank. A form not fully
    scored gets no rank (None) and comes last."""
    done = sorted((s for s in sheets if s.complete), key=lambda s: (-s.total, vnsort.key(s.officer["name"])))
    out, rank, last = [], 0, None
    for i, s in enumerate(done, 1):
        if s.total != last:
            rank, last = i, s.total
        out.append((rank, s))
    out += [(None, s) for s in sorted((s for s in sheets if not s.complete), key=lambda s: s.officer["name"])]
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


# what the editor calls each parameter of the 'rate' rule: the registry's short names (PARAM_NAMES)


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
        if r["rule"] in PRODUCT_RULES and not (str(r.get("param") or "25").isdigit()
                                               and 0 < int(r.get("param") or 25) <= 100):
            return f"Tiêu chí {i}: tham số là phần trăm điểm bị trừ mỗi hồ sơ không đạt (1–100), ví dụ 25."
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


def scores_over_maximum(criteria: dict, scores: dict) -> list[tuple[object, str]]:
    """Scores typed above their criterion's maximum, as (key, Vietnamese reason): refused, never cut
    down to the maximum nor dropped. ``criteria`` maps a key to its criterion, ``scores`` a key to a
    number (below 0: not scored)."""
    out = []
    for key, value in scores.items():
        criterion = criteria.get(key)
        if criterion is None or value is None or value < 0:
            continue
        top = float(criterion["max_points"])
        if value > top + 1e-9:
            out.append((key, f"Tiêu chí “{criterion['name']}”: {vnformat.decimal(value)} điểm vượt điểm tối đa "
                             f"{vnformat.decimal(top)}"))
    return out
