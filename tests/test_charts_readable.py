"""Charts readable at 1366×768 and on A4: one y-range for the rates, nothing drawn over anything else."""
import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from core.documents import charts
from core.domain import indicators
from core.queries import dashboard
from core.documents import official
from core.domain import periods
from core.domain.workdays import WorkCalendar
from tests.test_dashboard import TODAY, demo_store  # noqa: F401  (the fixture)


@pytest.fixture
def data(demo_store):  # noqa: F811
    return dashboard.build(demo_store, "month", periods.parse("2026-09"), WorkCalendar(), today=TODAY)


def monthly(d, size=(11, 6)):
    return charts.monthly_rates(d.months, d.monthly, d.monthly_targets, d.monthly_counts["e_certified"],
                                "Các tỷ lệ 12 tháng đến hết tháng 9/2026", size=size)


def boxes(fig):
    """The drawn extents (pixels) of the title, the legend, and each panel with its title and tick labels."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    out = {"title": fig._suptitle.get_window_extent(renderer), "legend": fig.legends[0].get_window_extent(renderer)}
    for i, ax in enumerate(fig.axes):
        out[f"panel {i}"] = ax.get_tightbbox(renderer)
    return out


def test_the_rate_panels_share_one_y_range_from_the_data(data):
    fig = monthly(data)
    limits = {ax.get_ylim() for ax in fig.axes[:5]}
    assert len(limits) == 1
    low = limits.pop()[0]
    # the floor is the lowest rate or target of any panel, 5 points below, rounded down to tens
    lowest = min(v for k in indicators.MONTHLY_RATE_KEYS for v in (*data.monthly[k], *data.monthly_targets[k])
                 if v is not None)
    assert low == max(0, (int(lowest - 5) // 10) * 10) and low <= lowest


@pytest.mark.parametrize("size", [(11, 6), (10.5, 3.6), (7.2, 5.6)], ids=["large", "dashboard 1366x768", "A4"])
def test_title_legend_and_panels_never_overlap(data, size):
    fig = monthly(data, size)
    b = boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for (name_a, a), (name_b, c) in itertools.combinations(b.items(), 2):
        if name_a == "title" and name_b == "legend":
            continue  # side by side on one line: checked below
        assert not a.overlaps(c), f"{name_a} overlaps {name_b} at {size}"
    assert b["title"].x1 < b["legend"].x0  # the title on the left, the legend on the right
    for name, box in b.items():
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, name


def test_a_canvas_resized_smaller_keeps_the_title_clear_of_the_panels(data):
    fig = monthly(data)
    fig.set_size_inches(9, 3.2)
    charts.fit(fig)
    b = boxes(fig)
    assert not any(b["title"].overlaps(b[f"panel {i}"]) for i in range(6))
    assert not any(b["legend"].overlaps(b[f"panel {i}"]) for i in range(6))


def test_labels_print_at_a_readable_size_on_a4(data):
    from core.documents import report as report_doc

    fig = monthly(data, (7.2, 5.6))
    assert report_doc.chart_png  # the report draws the chart at this size
    # the image is scaled to the frame width: a tick label of 8 pt stays above 7 pt on paper
    scale = official.FRAME_MM / 25.4 * 72 / (7.2 * 72)
    tick = fig.axes[3].get_xticklabels()[0].get_fontsize()
    assert tick * scale >= 7
