"""Charts as pure functions: data in, a matplotlib ``Figure`` out (never pyplot).

The window embeds the figures with ``FigureCanvasQTAgg``; the PDFs save them as images.
Each indicator keeps its colour on every chart; the target is always a dashed red line.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from core.domain import vnformat
from core.domain.indicators import BY_KEY, E_CERTIFIED, MONTHLY_RATE_KEYS
from core.queries.dashboard import month_label

if TYPE_CHECKING:
    from core.queries.rollup import RollupResult

TARGET = "#d62728"
EARLY, ON_DUE, LATE, RECEIVED = "#2ca02c", "#98df8a", "#d62728", "#1f77b4"
EMPTY_TEXT = "Không có số liệu trong kỳ này"

_percent = FuncFormatter(lambda v, _: vnformat.percent(v))
_count = FuncFormatter(lambda v, _: vnformat.number(int(v)) if float(v).is_integer() else "")


# the window's own sans-serif first (Segoe UI on Windows, DejaVu Sans on most Linux desktops)
FONTS = ["Segoe UI", "DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]


def _figure(width: float = 10, height: float = 5.2, layout: str | None = "constrained") -> Figure:
    import matplotlib

    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = FONTS + [f for f in matplotlib.rcParams["font.sans-serif"]
                                                      if f not in FONTS]
    return Figure(figsize=(width, height), layout=layout, dpi=100)


# margins of the monthly chart in inches: the title and the legend above the panels, the month
# labels below; kept in inches so a small canvas never makes them overlap the panels
TOP_IN, BOTTOM_IN, LEFT_IN, RIGHT_IN = 0.62, 0.62, 0.62, 0.12


def fit(fig: Figure) -> None:
    """Re-place the panels of ``monthly_rates`` for the figure's current size (after a resize)."""
    if not getattr(fig, "_monthly_rates", False):
        return
    w, h = fig.get_size_inches()
    if w < 1 or h < 1:
        return  # not laid out yet
    panel_w = (w - LEFT_IN - RIGHT_IN) / 3.6
    panel_h = (h - TOP_IN - BOTTOM_IN) / 2.6
    fig.subplots_adjust(left=min(0.2, LEFT_IN / w), right=1 - RIGHT_IN / w, top=1 - min(0.35, TOP_IN / h),
                        bottom=min(0.35, BOTTOM_IN / h), wspace=min(0.8, 0.6 / panel_w),
                        hspace=min(0.8, 0.32 / panel_h))


def shared_floor(series: dict[str, list], targets: dict[str, list]) -> float:
    """One lower bound for every rate panel, so the panels compare at a glance."""
    return min(_floor(series[k], targets[k]) for k in MONTHLY_RATE_KEYS)


def empty(title: str, text: str = EMPTY_TEXT) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=12, fontweight="bold")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, color="#666", transform=ax.transAxes)
    return fig


def _nan(values):
    return [math.nan if v is None else v for v in values]


def _floor(values: list, targets: list) -> float:
    known = [v for v in (*values, *targets) if v is not None]
    low = min(known) if known else 0
    return max(0.0, math.floor((low - 5) / 10) * 10)


def _fixed_title(ax, text: str) -> None:
    """A panel's title just above its frame, where matplotlib would put it (no tick labels on top).

    Its place given, a draw no longer measures the tick labels of the panel and its neighbours
    to find it (a third of the chart's drawing time)."""
    ax.set_title(text, fontsize=10, y=1.0, pad=6)


def monthly_rates(months: list[str], series: dict[str, list], targets: dict[str, list],
                  e_certified: list[int] | None = None, title: str = "",
                  size: tuple[float, float] = (11, 6)) -> Figure:
    """Each rate month by month against its target line, one small chart per indicator.

    The five rate panels share one y-axis range (they are compared); the title and the
    legend sit on one line above the panels. ``size`` in inches: (7.2, 5.4) for an A4 page.
    """
    if all(v is None for k in MONTHLY_RATE_KEYS for v in series[k]) and not any(e_certified or []):
        return empty(title or "Các tỷ lệ theo tháng")
    fig = _figure(*size, layout=None)  # fixed margins: the layout solver would double the drawing time
    axes = fig.subplots(2, 3, sharex=True)
    fig._monthly_rates = True
    fit(fig)
    x = list(range(len(months)))
    labels = [month_label(m) for m in months]
    floor = shared_floor(series, targets)
    for ax, key in zip(axes.flat, MONTHLY_RATE_KEYS):
        ax.plot(x, _nan(series[key]), marker="o", color=BY_KEY[key].color, linewidth=2, label=BY_KEY[key].short)
        ax.plot(x, targets[key], linestyle="--", color=TARGET, linewidth=1.2, label="Chỉ tiêu")
        _fixed_title(ax, BY_KEY[key].short)
        ax.set_ylim(floor, 101)
        ax.yaxis.set_major_formatter(_percent)
        if ax.get_subplotspec().colspan.start:
            ax.tick_params(axis="y", labelleft=False)  # one y-range: its labels once a row
        ax.grid(axis="y", alpha=0.3)
    ax = axes.flat[5]
    ax.bar(x, e_certified or [0] * len(x), color=E_CERTIFIED.color)
    _fixed_title(ax, "Chứng thực điện tử (số bản)")
    ax.yaxis.set_major_formatter(_count)
    ax.grid(axis="y", alpha=0.3)
    for ax in axes.flat:
        # no axis labels in these panels: their places are fixed, so a draw does not measure every
        # tick label of the row and column to find where an (empty) label would go
        ax.xaxis.set_label_coords(0.5, -0.2)
        ax.yaxis.set_label_coords(-0.2, 0.5)
    ax0 = axes.flat[0]
    ax0.set_xticks(x)  # shared by the six panels: set once
    for ax in axes[1]:
        ax.set_xticklabels(labels, rotation=60, fontsize=8)
    fig._month_labels = labels
    first = axes.flat[0]
    fig.legend(first.get_lines()[:2], ["Tỷ lệ trong tháng", "Chỉ tiêu"], loc="upper right", ncols=2,
               fontsize=9, frameon=False, bbox_to_anchor=(0.995, 0.995))
    fig.suptitle(title or "Các tỷ lệ theo tháng so với chỉ tiêu", fontsize=12, fontweight="bold",
                 x=0.01, y=0.99, ha="left", va="top")
    return fig


def update_monthly_rates(fig: Figure, months: list[str], series: dict[str, list], targets: dict[str, list],
                         e_certified: list[int] | None = None, title: str = "") -> bool:
    """Put new data into a figure made by ``monthly_rates``; False when it must be made anew.

    The dashboard switches periods many times: moving the existing lines and bars
    costs far less than building the six charts again.
    """
    if not getattr(fig, "_monthly_rates", False) or len(months) != len(fig.axes[0].get_lines()[0].get_xdata()):
        return False
    if all(v is None for k in MONTHLY_RATE_KEYS for v in series[k]) and not any(e_certified or []):
        return False
    labels = [month_label(m) for m in months]
    floor = shared_floor(series, targets)
    for ax, key in zip(fig.axes, MONTHLY_RATE_KEYS):
        rate_line, target_line = ax.get_lines()[:2]
        rate_line.set_ydata(_nan(series[key]))
        target_line.set_ydata(targets[key])
        ax.set_ylim(floor, 101)
    bars_ax = fig.axes[5]
    counts = e_certified or [0] * len(months)
    for bar, value in zip(bars_ax.patches, counts):
        bar.set_height(value)
    bars_ax.set_ylim(0, max(1, max(counts)) * 1.05)
    if labels != getattr(fig, "_month_labels", None):  # the same twelve months: the labels stay
        for ax in fig.axes[3:6]:
            ax.set_xticklabels(labels, rotation=60, fontsize=8)
        fig._month_labels = labels
    heading = title or "Các tỷ lệ theo tháng so với chỉ tiêu"
    if fig.get_suptitle() != heading:
        fig.suptitle(heading, fontsize=12, fontweight="bold", x=0.01, y=0.99, ha="left", va="top")
    return True


def rates_by_group(groups: list[str], series: dict[str, list], targets: dict[str, float], title: str) -> Figure:
    """Every rate for each officer or field, as grouped horizontal bars, with the target line."""
    if not groups:
        return empty(title)
    height = max(3.5, 0.75 * len(groups) + 1.5)
    fig = _figure(10, min(height, 12))
    ax = fig.add_subplot()
    n = len(MONTHLY_RATE_KEYS)
    bar = 0.8 / n
    for i, key in enumerate(MONTHLY_RATE_KEYS):
        y = [g + (i - (n - 1) / 2) * bar for g in range(len(groups))]
        ax.barh(y, _nan(series[key]), height=bar, color=BY_KEY[key].color, label=BY_KEY[key].short)
    target = max(targets.values()) if targets else 100
    ax.axvline(target, color=TARGET, linestyle="--", linewidth=1.2, label=f"Chỉ tiêu {vnformat.percent(target)}")
    ax.set_yticks(range(len(groups)), groups)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.xaxis.set_major_formatter(_percent)
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=8, ncols=3)
    ax.set_title(title, fontsize=12, fontweight="bold")
    return fig


def received_resolved(months: list[str], received: list[int], early: list[int], on_due: list[int],
                      late: list[int], title: str = "Tiếp nhận và giải quyết theo tháng") -> Figure:
    """Received beside resolved per month, resolved stacked early / on time / late."""
    if not any(received) and not any(early) and not any(on_due) and not any(late):
        return empty(title)
    fig = _figure()
    ax = fig.add_subplot()
    x = list(range(len(months)))
    w = 0.38
    ax.bar([i - w / 2 for i in x], received, width=w, color=RECEIVED, label="Tiếp nhận")
    right = [i + w / 2 for i in x]
    ax.bar(right, early, width=w, color=EARLY, label="Giải quyết trước hạn")
    ax.bar(right, on_due, width=w, bottom=early, color=ON_DUE, label="Đúng hạn")
    ax.bar(right, late, width=w, bottom=[a + b for a, b in zip(early, on_due)], color=LATE, label="Quá hạn")
    ax.set_xticks(x, [month_label(m) for m in months], rotation=45, fontsize=9)
    ax.yaxis.set_major_formatter(_count)
    ax.set_ylabel("Số hồ sơ")
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=9, ncols=4)
    ax.set_title(title, fontsize=12, fontweight="bold")
    return fig


# ---- the roll-up: each unit against the pooled average -----------------------------------------

AVERAGE = "#333333"
LABELLED = 40  # above this many units the names would overlap: ranks only


def units_chart(result: RollupResult, key: str = "digitized_on_receipt", target: float | None = 100.0) -> Figure:
    """Bars of every unit's rate for ``key`` (highest first), the pooled average and the target as lines."""
    title = f"{BY_KEY[key].short}: từng đơn vị so với mức bình quân chung"
    rows = [r for r in result.units if r.indicators.get(key).rate is not None]
    if not rows:
        return empty(title)
    rows.sort(key=lambda r: (-r.indicators.get(key).rate, r.unit))
    rates = [r.indicators.get(key).rate for r in rows]
    average = result.average.get(key).rate
    # one bar a unit, lying down: the names read horizontally beside their bars, the scale starts at
    # 0% (a bar's length is its rate; an axis from 88% made 90% look half of 100%)
    fig = Figure(figsize=(10, min(9.0, max(4.0, 1.6 + 0.3 * min(len(rows), LABELLED)))), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    y = range(len(rows))
    colors = [BY_KEY[key].color if average is None or v >= average else "#e377c2" for v in rates]
    ax.barh(y, rates, color=colors, height=0.7)
    if average is not None:
        ax.axvline(average, color=AVERAGE, linewidth=1.5, label=f"Bình quân chung {vnformat.percent(average)}")
    if target is not None:
        ax.axvline(target, color=TARGET, linestyle="--", linewidth=1.2, label=f"Chỉ tiêu {vnformat.percent(target)}")
    ax.set_xlim(0, 101)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: vnformat.percent(v)))
    if len(rows) <= LABELLED:
        ax.set_yticks(list(y), [r.unit for r in rows], rotation=0, fontsize=9)
        for i, v in enumerate(rates):
            ax.text(v - 1, i, vnformat.percent(v), va="center", ha="right", fontsize=8, color="white")
    else:
        ax.set_ylabel(f"{vnformat.number(len(rows))} đơn vị, xếp từ cao xuống thấp")
        ax.set_yticks([])
    ax.invert_yaxis()  # the highest first, at the top
    ax.set_title(title, fontsize=12, fontweight="bold")
    fig.legend(loc="outside lower center", ncols=2, fontsize=9, frameon=False)  # never over a bar
    ax.grid(axis="x", alpha=0.3)
    return fig
