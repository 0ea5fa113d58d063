"""What the chairman's dashboard shows for a period, computed from grouped SQL counts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.domain import periods
from core.domain import vnformat
from core.domain import vnsort
from core.domain.indicators import BY_KEY, E_CERTIFIED, MONTHLY_RATE_KEYS, ON_TIME_766, Figures
from core.domain.periods import Period
from core.queries.figures import compute, targets as targets_on

KINDS = {"month": "Tháng", "quarter": "Quý", "year": "Năm", "ytd": "Từ đầu năm đến hết tháng"}


def period_for(kind: str, year: int, sub: int = 1) -> Period:
    """The period a selector names: ``sub`` is the month (month, ytd) or the quarter."""
    if kind == "month":
        return periods.month(year, sub)
    if kind == "quarter":
        return periods.quarter(year, sub)
    if kind == "year":
        return periods.year(year)
    return periods.ytd(year, sub)


def previous_of(kind: str, period: Period) -> Period | None:
    """The period the change is measured against: the previous month, quarter or year;
    for a year to date, the year to the end of the month before."""
    if kind != "ytd":
        return period.previous()
    if period.end.month == 1:
        return None
    return Period(period.start, periods.month(period.end.year, period.end.month - 1).end, "range")


def describe(kind: str, period: Period) -> str:
    if kind == "ytd":
        return f"từ đầu năm đến hết tháng {period.end.month}/{period.end.year}"
    return period.label


def compared_with(kind: str, period: Period, previous: Period | None, today: dt.date) -> str:
    """What a tile's change is measured against, in words; a period still running against a whole
    one says so ('cả tháng 11/2026, kỳ này mới tính đến ngày 7/12/2026', issue 27)."""
    if previous is None:
        return ""
    label = describe(kind, previous)
    if period.start <= today < period.end and previous.end < today:
        return f"cả {label}, kỳ này mới tính đến ngày {vnformat.date_brief(today)}"
    return label


@dataclass
class Tile:
    key: str
    name: str
    numerator: int = 0
    denominator: int = 0
    rate: float | None = None
    target: float | None = None
    count: int | None = None  # e-certifications
    previous: float | None = None
    change: float | None = None  # percentage points against the previous period
    district: float | None = None
    gap: float | None = None  # percentage points against the district average
    warning: str = ""
    unknown: int = 0  # cases of the population whose value is unknown (§3)
    unknown_text: str = ""  # "chưa có số liệu số hoá kết quả của 276 hồ sơ"

    @property
    def change_text(self) -> str:
        return "" if self.change is None else vnformat.change(self.change)

    @property
    def gap_text(self) -> str:
        if self.gap is None:
            return ""
        if self.gap == 0:
            return "bằng mức bình quân chung"
        return f"{vnformat.change(self.gap, 'cao hơn', 'thấp hơn')} so với mức bình quân chung"


@dataclass
class Dashboard:
    kind: str
    period: Period
    previous: Period | None
    tiles: list[Tile]
    counts: dict[str, int]  # the period's receipt and resolution counts
    months: list[str]  # 'YYYY-MM' of the 12 months ending with the period
    monthly: dict[str, list[float | None]]
    monthly_targets: dict[str, list[float]]
    monthly_counts: dict[str, list[int]]  # received, resolved_early, resolved_on_due, resolved_late, e_certified
    officers: list[str]
    by_officer: dict[str, list[float | None]]
    fields: list[str]
    by_field: dict[str, list[float | None]]
    targets: dict[str, float]
    overdue: list[dict] = field(default_factory=list)
    due_soon: list[dict] = field(default_factory=list)
    index: dict | None = None  # the service-index estimate of §5 (core.queries.service_index)
    national: Tile | None = None  # on_time_766, the national rule's on-time rate

    @property
    def title(self) -> str:
        return describe(self.kind, self.period)

    @property
    def empty(self) -> bool:
        return not self.counts.get("received") and not self.counts.get("resolved")


def month_label(month: str) -> str:
    y, m = month.split("-")
    return f"{int(m)}/{y}"


def _months_ending(end: dt.date, n: int = 12) -> list[str]:
    out = []
    y, m = end.year, end.month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def monthly_series(store, end: dt.date) -> tuple[list[str], dict, dict, dict]:
    """The 12 months ending with ``end``'s month: each rate, its target and the counts, month by month."""
    months = _months_ending(end)
    first = dt.date.fromisoformat(months[0] + "-01")
    grouped = store.grouped_counts(first, periods.month(end.year, end.month).end, "month")
    monthly: dict[str, list] = {k: [] for k in MONTHLY_RATE_KEYS}
    monthly_targets: dict[str, list] = {k: [] for k in MONTHLY_RATE_KEYS}
    monthly_counts: dict[str, list] = {k: [] for k in ("received", "resolved_early", "resolved_on_due",
                                                       "resolved_late", "e_certified")}
    for month in months:
        counts = grouped.get(month, {})
        month_end = periods.month(int(month[:4]), int(month[5:])).end
        month_targets = targets_on(store, month_end)
        values = Figures.from_counts(counts, month_targets)
        for k in MONTHLY_RATE_KEYS:
            monthly[k].append(values.get(k).rate)
            monthly_targets[k].append(month_targets[k])
        for k in monthly_counts:
            monthly_counts[k].append(counts.get(k) or 0)
    return months, monthly, monthly_targets, monthly_counts


def _totals(store, period: Period) -> dict[str, int]:
    """The period's receipt and resolution counts, summed from the monthly totals."""
    totals: dict[str, int] = {}
    for counts in store.grouped_counts(period.start, period.end, "officer").values():
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + (v or 0)
    return totals


def build(store, kind: str, period: Period, calendar, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    targets = targets_on(store, period.end)
    current_totals = _totals(store, period)
    current = Figures.from_counts(current_totals, targets)
    prev_period = previous_of(kind, period)
    prev = None
    if prev_period:
        prev = Figures.from_counts(_totals(store, prev_period), targets_on(store, prev_period.end))
    month_code = period.end.strftime("%Y-%m") if kind == "month" else None

    tiles = []
    for key in (*MONTHLY_RATE_KEYS, E_CERTIFIED.key):
        item = current.get(key)
        tile = Tile(key, BY_KEY[key].short)
        if not item.indicator.is_rate:
            tile.count = item.count
            tile.unknown, tile.unknown_text = item.unknown or 0, item.unknown_text
            if kind == "month" and item.count == 0 and not item.unknown:  # unknown is not "none" (issue 24)
                tile.warning = f"Không có bản chứng thực điện tử nào trong {period.label}."
        else:
            tile.numerator, tile.denominator = item.numerator, item.denominator
            tile.rate, tile.target = item.rate, item.target
            tile.unknown, tile.unknown_text = item.unknown or 0, item.unknown_text
            if prev is not None:
                tile.previous = prev.get(key).rate
                if tile.rate is not None and tile.previous is not None:
                    tile.change = round(tile.rate - tile.previous, 2)
            if month_code:
                tile.district = store.district_average(key, month_code)
                if tile.rate is not None and tile.district is not None:
                    tile.gap = round(tile.rate - tile.district, 2)
            if tile.rate is not None and tile.rate < tile.target:
                tile.warning = f"Chưa đạt chỉ tiêu {vnformat.percent(tile.target)}."
        tiles.append(tile)

    national, index = _national(store, period, current, today)
    months, monthly, monthly_targets, monthly_counts = monthly_series(store, period.end)

    def breakdown(group: str, names: dict) -> tuple[list[str], dict[str, list]]:
        counts = store.grouped_counts(period.start, period.end, group)
        rows = sorted(((names.get(gid, "Không rõ"), values) for gid, values in counts.items()),
                      key=lambda t: vnsort.key(t[0]))
        series = {k: [] for k in MONTHLY_RATE_KEYS}
        for _, c in rows:
            values = Figures.from_counts(c, targets)
            for k in MONTHLY_RATE_KEYS:
                series[k].append(values.get(k).rate)
        return [n for n, _ in rows], series

    officer_names, by_officer = breakdown("officer", {o["id"]: o["name"] for o in store.officers()})
    field_names, by_field = breakdown("field", {f["id"]: f["name"] for f in store.fields()})

    soon = calendar.add_working_days(today, 3)
    due = store.open_cases_due_by(soon, today=today)
    # the due date counting paused time (a returned supplement round) decides the list
    overdue = [c for c in due if c["effective_due"] < today.isoformat()]
    due_soon = [c for c in due if c["effective_due"] >= today.isoformat()]
    return Dashboard(kind, period, prev_period, tiles, current_totals, months, monthly, monthly_targets,
                     monthly_counts, officer_names, by_officer, field_names, by_field, targets,
                     overdue, due_soon, index, national)


def _national(store, period: Period, base: Figures, today: dt.date) -> tuple[Tile, dict]:
    """The on_time_766 tile and the service-index estimate of §5; only the national rule's counts
    are read (the rest comes from the monthly totals). The tile has no change against the previous
    period: that would double the time of a period switch."""
    from core.queries import service_index

    national = service_index.figures(store, period, today, base=base)
    item = national.on_time_766
    tile = Tile(ON_TIME_766.key, ON_TIME_766.short, item.numerator, item.denominator, item.rate, item.target)
    if tile.rate is not None and tile.rate < tile.target:
        tile.warning = f"Chưa đạt chỉ tiêu {vnformat.percent(tile.target)}."
    index = service_index.compute(store, period, today, data=national)
    index["life"] = {k: national.counts[k] for k in ("refused", "stopped", "supplement_pending")}
    return tile, index


def to_xlsx(d: Dashboard, path, store=None, today: dt.date | None = None) -> None:
    """The dashboard's figures as a workbook: tiles, months, officers, fields, overdue cases.

    Given the store, the period's full counts (carried over, open, overdue) are added.
    """
    from openpyxl import Workbook

    from core.files.spreadsheet import append_row
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số"
    append_row(ws, [f"Chỉ số {d.title}"])
    ws["A1"].font = Font(bold=True)
    append_row(ws, ["Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu (%)", "Kỳ trước (%)",
               "Thay đổi (điểm %)", "Bình quân chung (%)", "Chênh lệch (điểm %)"])
    for t in (*d.tiles, *([d.national] if d.national else [])):
        if not BY_KEY[t.key].is_rate:
            append_row(ws, [t.name + " (số bản)", t.count])
        else:
            append_row(ws, [t.name, t.numerator, t.denominator, t.rate, t.target, t.previous, t.change,
                       t.district, t.gap])
    append_row(ws, [])
    counts = compute(store, d.period, today=today).counts if store is not None else d.counts
    for key, value in counts.items():
        append_row(ws, [key, value])

    ws = wb.create_sheet("Theo tháng")
    append_row(ws, ["Tháng", *[BY_KEY[k].short + " (%)" for k in MONTHLY_RATE_KEYS], "Tiếp nhận", "Trước hạn", "Đúng hạn",
               "Quá hạn", "Chứng thực điện tử"])
    for i, month in enumerate(d.months):
        append_row(ws, [month_label(month), *[d.monthly[k][i] for k in MONTHLY_RATE_KEYS],
                   *[d.monthly_counts[k][i] for k in ("received", "resolved_early", "resolved_on_due",
                                                     "resolved_late", "e_certified")]])
    for title, names, series in (("Theo cán bộ", d.officers, d.by_officer), ("Theo lĩnh vực", d.fields, d.by_field)):
        ws = wb.create_sheet(title)
        append_row(ws, [title[4:].capitalize(), *[BY_KEY[k].short + " (%)" for k in MONTHLY_RATE_KEYS]])
        for i, name in enumerate(names):
            append_row(ws, [name, *[series[k][i] for k in MONTHLY_RATE_KEYS]])
    ws = wb.create_sheet("Hồ sơ quá hạn")
    append_row(ws, ["Mã hồ sơ", "Thủ tục", "Người nộp", "Cán bộ", "Ngày nhận", "Hẹn trả"])
    for c in d.overdue:
        append_row(ws, [c["code"], c["procedure"], c["applicant"], c["officer"], c["received_date"], c["due_date"]])
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 34
    from core.files.spreadsheet import save_workbook

    save_workbook(wb, path)
    from db.store import make_private

    make_private(path)  # readable by its owner only
