"""Charts as pure functions: data in, a matplotlib ``Figure`` out (never pyplot).

The window embeds the figures with ``FigureCanvasQTAgg``; the PDFs save them as images.
Each indicator keeps its colour on every chart; the target is always a dashed red line.
"""
from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from core import vnformat
from core.dashboard import RATE_KEYS, SHORT_NAMES, month_label

COLORS = {
    "online": "#1f77b4",
    "digitized_on_receipt": "#2ca02c",
    "result_digitized": "#9467bd",
    "on_time": "#ff7f0e",
    "paid_online": "#17becf",
    "e_certified": "#8c564b",
}
TARGET = "#d62728"
EARLY, ON_DUE, LATE, RECEIVED = "#2ca02c", "#98df8a", "#d62728", "#1f77b4"
EMPTY_TEXT = "Không có số liệu trong kỳ này"

_percent = FuncFormatter(lambda v, _: vnformat.percent(v))
_count = FuncFormatter(lambda v, _: vnformat.number(int(v)) if float(v).is_integer() else "")


def _figure(width: float = 10, height: float = 5.2, layout: str | None = "constrained") -> Figure:
    return Figure(figsize=(width, height), layout=layout, dpi=100)


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


def monthly_rates(months: list[str], series: dict[str, list], targets: dict[str, list],
                  e_certified: list[int] | None = None, title: str = "") -> Figure:
    """Each rate month by month against its target line, one small chart per indicator."""
    if all(v is None for k in RATE_KEYS for v in series[k]) and not any(e_certified or []):
        return empty(title or "Các tỷ lệ theo tháng")
    fig = _figure(11, 6, layout=None)  # fixed margins: the layout solver would double the drawing time
    axes = fig.subplots(2, 3, sharex=True)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.89, bottom=0.2, wspace=0.25, hspace=0.3)
    x = list(range(len(months)))
    labels = [month_label(m) for m in months]
    for ax, key in zip(axes.flat, RATE_KEYS):
        ax.plot(x, _nan(series[key]), marker="o", color=COLORS[key], linewidth=2, label=SHORT_NAMES[key])
        ax.plot(x, targets[key], linestyle="--", color=TARGET, linewidth=1.2, label="Chỉ tiêu")
        ax.set_title(SHORT_NAMES[key], fontsize=10)
        ax.set_ylim(_floor(series[key], targets[key]), 101)
        ax.yaxis.set_major_formatter(_percent)
        ax.grid(axis="y", alpha=0.3)
    ax = axes.flat[5]
    ax.bar(x, e_certified or [0] * len(x), color=COLORS["e_certified"])
    ax.set_title("Chứng thực điện tử (số bản)", fontsize=10)
    ax.yaxis.set_major_formatter(_count)
    ax.grid(axis="y", alpha=0.3)
    for ax in axes[1]:
        ax.set_xticks(x, labels, rotation=60, fontsize=8)
    first = axes.flat[0]
    fig.legend(first.get_lines()[:2], ["Tỷ lệ trong tháng", "Chỉ tiêu"], loc="lower center", ncols=2,
               fontsize=9)
    fig.suptitle(title or "Các tỷ lệ theo tháng so với chỉ tiêu", fontsize=12, fontweight="bold")
    fig._monthly_rates = True
    return fig


def update_monthly_rates(fig: Figure, months: list[str], series: dict[str, list], targets: dict[str, list],
                         e_certified: list[int] | None = None, title: str = "") -> bool:
    """Put new data into a figure made by ``monthly_rates``; False when it must be made anew.

    The dashboard switches periods many times: moving the existing lines and bars
    costs far less than building the six charts again.
    """
    if not getattr(fig, "_monthly_rates", False) or len(months) != len(fig.axes[0].get_lines()[0].get_xdata()):
        return False
    if all(v is None for k in RATE_KEYS for v in series[k]) and not any(e_certified or []):
        return False
    labels = [month_label(m) for m in months]
    for ax, key in zip(fig.axes, RATE_KEYS):
        rate_line, target_line = ax.get_lines()[:2]
        rate_line.set_ydata(_nan(series[key]))
        target_line.set_ydata(targets[key])
        ax.set_ylim(_floor(series[key], targets[key]), 101)
    bars_ax = fig.axes[5]
    counts = e_certified or [0] * len(months)
    for bar, value in zip(bars_ax.patches, counts):
        bar.set_height(value)
    bars_ax.set_ylim(0, max(1, max(counts)) * 1.05)
    for ax in fig.axes[3:6]:
        ax.set_xticks(range(len(months)), labels, rotation=60, fontsize=8)
    fig.suptitle(title or "Các tỷ lệ theo tháng so với chỉ tiêu", fontsize=12, fontweight="bold")
    return True


def rates_by_group(groups: list[str], series: dict[str, list], targets: dict[str, float], title: str) -> Figure:
    """Every rate for each officer or field, as grouped horizontal bars, with the target line."""
    if not groups:
        return empty(title)
    height = max(3.5, 0.75 * len(groups) + 1.5)
    fig = _figure(10, min(height, 12))
    ax = fig.add_subplot()
    n = len(RATE_KEYS)
    bar = 0.8 / n
    for i, key in enumerate(RATE_KEYS):
        y = [g + (i - (n - 1) / 2) * bar for g in range(len(groups))]
        ax.barh(y, _nan(series[key]), height=bar, color=COLORS[key], label=SHORT_NAMES[key])
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
