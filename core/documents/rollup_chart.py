"""The roll-up's chart as a pure function: each unit's rate against the pooled average and the target."""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from core.domain import vnformat
from core.documents.charts import TARGET, empty
from core.domain.indicators import BY_KEY

AVERAGE = "#333333"
LABELLED = 40  # above this many units the names would overlap: ranks only


def units_chart(result: dict, key: str = "digitized_on_receipt", target: float | None = 100.0) -> Figure:
    """Bars of every unit's rate for ``key`` (highest first), the pooled average and the target as lines."""
    title = f"{BY_KEY[key].short}: từng đơn vị so với mức bình quân chung"
    rows = [r for r in result["units"] if r["indicators"][key]["rate"] is not None]
    if not rows:
        return empty(title)
    rows.sort(key=lambda r: (-r["indicators"][key]["rate"], r["unit"]))
    rates = [r["indicators"][key]["rate"] for r in rows]
    average = result["average"][key]["rate"]
    fig = Figure(figsize=(10, 5.2), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    x = range(len(rows))
    colors = [BY_KEY[key].color if average is None or v >= average else "#e377c2" for v in rates]
    ax.bar(x, rates, color=colors, width=0.8)
    if average is not None:
        ax.axhline(average, color=AVERAGE, linewidth=1.5, label=f"Bình quân chung {vnformat.percent(average)}")
    if target is not None:
        ax.axhline(target, color=TARGET, linestyle="--", linewidth=1.2, label=f"Chỉ tiêu {vnformat.percent(target)}")
    low = min(rates + [average if average is not None else 100, target if target is not None else 100])
    ax.set_ylim(max(0, low - 5), 101)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: vnformat.percent(v)))
    if len(rows) <= LABELLED:
        ax.set_xticks(list(x), [r["unit"] for r in rows], rotation=60, ha="right", fontsize=8)
    else:
        ax.set_xlabel(f"{vnformat.number(len(rows))} đơn vị, xếp từ cao xuống thấp")
        ax.set_xticks([])
    ax.set_title(title, fontsize=12, fontweight="bold")
    ax.legend(loc="lower left", fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig
