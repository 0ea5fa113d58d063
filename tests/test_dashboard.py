import datetime as dt

import pytest

from core.documents import charts
from core.queries import dashboard
from core.files import demo
from core.domain import indicators
from core.queries import figures
from core.domain import periods
from core.domain.workdays import WorkCalendar
from tests.conftest import case

D = dt.date
TODAY = D(2026, 11, 20)


def _normal(grouped):
    return {k: {c: v for c, v in counts.items() if v} for k, counts in grouped.items()
            if any(counts.values())}


def test_monthly_totals_kept_by_triggers_equal_a_fresh_count(store):
    demo.generate(store, cases=2500, seed=4, today=TODAY)
    # edits of every kind after the insert
    ids = [r[0] for r in store.db.execute("SELECT id FROM cases ORDER BY id LIMIT 60")]
    for i in ids[:20]:
        store.cases.update(i, {"status": "withdrawn"})
    for i in ids[20:40]:
        store.cases.update(i, {"resolved_date": None, "result_digitized": 0})
    for i in ids[40:50]:
        store.cases.update(i, {"officer_id": 1, "field_id": None, "digitized": 1})
    for i in ids[50:60]:
        store.cases.delete(i, "nhập trùng")
    start, end = D(2024, 1, 1), D(2026, 11, 30)
    for group in ("month", "officer", "field"):
        from_totals = store.grouped_counts(start, end, group)
        # the same period, one day short of whole months, is counted from the cases
        counted = store.grouped_counts(start, D(2026, 11, 29), group)
        counted_tail = store.grouped_counts(D(2026, 11, 30), D(2026, 11, 30), group)
        for k, c in counted_tail.items():
            for col, v in c.items():
                counted.setdefault(k, {})
                counted[k][col] = counted[k].get(col, 0) + v
        assert _normal(from_totals) == _normal(counted), group


def test_grouped_counts_filter_by_officer_and_field(store):
    store.insert_cases([case("A", officer="Trần Văn Hùng", channel=2),
                        case("B", officer="Phạm Thị Lan", field=None, channel=2),
                        case("C", officer="Phạm Thị Lan", channel=1)])
    lan = store.officer_id("Phạm Thị Lan")
    got = store.grouped_counts(D(2023, 9, 1), D(2023, 9, 30), "field", officer_id=lan)
    assert {k: v["received"] for k, v in got.items()} == {None: 1, store.field_id("Chứng thực"): 1}
    got = store.grouped_counts(D(2023, 9, 1), D(2023, 9, 30), "month", field_id=store.field_id("Chứng thực"))
    assert got["2023-09"]["received"] == 2 and got["2023-09"]["online"] == 1


@pytest.fixture
def demo_store(store):
    demo.generate(store, cases=3000, seed=2, today=TODAY)
    return store


def test_the_dashboard_tiles_are_the_indicators(demo_store):
    p = periods.parse("2026-09")
    d = dashboard.build(demo_store, "month", p, WorkCalendar(), today=TODAY)
    direct = figures.compute(demo_store, p, today=TODAY).as_json()["indicators"]
    previous = figures.compute(demo_store, periods.parse("2026-08"), today=TODAY).as_json()["indicators"]
    for t in d.tiles:
        if t.key == "e_certified":
            assert t.count == direct["e_certified"]["count"]
            continue
        assert (t.numerator, t.denominator, t.rate, t.target) == (
            direct[t.key]["numerator"], direct[t.key]["denominator"], direct[t.key]["rate"], 100.0)
        assert t.change == round(direct[t.key]["rate"] - previous[t.key]["rate"], 2)
    # the last point of each monthly series is the month itself
    assert d.months[-1] == "2026-09" and len(d.months) == 12
    for key in indicators.MONTHLY_RATE_KEYS:
        assert d.monthly[key][-1] == direct[key]["rate"]
    lan = demo_store.officer_id("Phạm Thị Lan")
    by_lan = figures.compute(demo_store, p, indicators.Filters(officer="Phạm Thị Lan"), today=TODAY)
    i = d.officers.index("Phạm Thị Lan")
    assert d.by_officer["on_time"][i] == by_lan.on_time.rate
    assert lan is not None


def test_district_average_gap_is_phrased_as_the_letters_do(demo_store):
    p = periods.parse("2026-09")
    rate = figures.compute(demo_store, p, today=TODAY).paid_online.rate
    demo_store.set_district_average("paid_online", "2026-09", rate + 12.67)
    d = dashboard.build(demo_store, "month", p, WorkCalendar(), today=TODAY)
    tile = next(t for t in d.tiles if t.key == "paid_online")
    assert tile.gap == -12.67
    assert tile.gap_text == "thấp hơn 12,67% so với mức bình quân chung"


def test_a_month_without_e_certification_is_warned(store):
    store.insert_cases([case("A")])
    d = dashboard.build(store, "month", periods.parse("2023-09"), WorkCalendar(), today=TODAY)
    tile = next(t for t in d.tiles if t.key == "e_certified")
    assert tile.count == 0 and "Không có bản chứng thực điện tử nào trong tháng 9/2023" in tile.warning


def test_year_to_date_compares_with_the_month_before():
    p = dashboard.period_for("ytd", 2023, 9)
    assert (p.start, p.end) == (D(2023, 1, 1), D(2023, 9, 30))
    prev = dashboard.previous_of("ytd", p)
    assert (prev.start, prev.end) == (D(2023, 1, 1), D(2023, 8, 31))
    assert dashboard.previous_of("ytd", dashboard.period_for("ytd", 2023, 1)) is None


def test_the_monthly_chart_plots_the_indicator_values(demo_store):
    d = dashboard.build(demo_store, "month", periods.parse("2026-09"), WorkCalendar(), today=TODAY)
    fig = charts.monthly_rates(d.months, d.monthly, d.monthly_targets, d.monthly_counts["e_certified"])
    axes = fig.axes
    for ax, key in zip(axes, indicators.MONTHLY_RATE_KEYS):
        rate_line, target_line = ax.get_lines()[:2]
        assert list(rate_line.get_ydata()) == d.monthly[key]
        assert list(target_line.get_ydata()) == d.monthly_targets[key]
        assert ax.get_title() == indicators.BY_KEY[key].short
    bars = [p.get_height() for p in axes[5].patches]
    assert bars == d.monthly_counts["e_certified"]
    assert [t.get_text() for t in axes[3].get_xticklabels()][-1] == "9/2026"


def test_the_group_and_flow_charts_plot_their_data(demo_store):
    d = dashboard.build(demo_store, "year", periods.parse("2025"), WorkCalendar(), today=TODAY)
    fig = charts.rates_by_group(d.officers, d.by_officer, d.targets, "Theo cán bộ")
    ax = fig.axes[0]
    n = len(d.officers)
    on_time = [p.get_width() for p in ax.patches[3 * n:4 * n]]  # the fourth indicator's bars
    assert on_time == d.by_officer["on_time"]
    assert [t.get_text() for t in ax.get_yticklabels()] == d.officers
    c = d.monthly_counts
    fig = charts.received_resolved(d.months, c["received"], c["resolved_early"], c["resolved_on_due"],
                                   c["resolved_late"])
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights[:12] == c["received"] and heights[12:24] == c["resolved_early"]


def test_an_empty_period_gives_the_empty_state(store):
    d = dashboard.build(store, "month", periods.parse("2023-09"), WorkCalendar(), today=TODAY)
    assert d.empty
    for fig in (charts.monthly_rates(d.months, d.monthly, d.monthly_targets, d.monthly_counts["e_certified"]),
                charts.rates_by_group(d.officers, d.by_officer, d.targets, "Theo cán bộ"),
                charts.received_resolved(d.months, *[d.monthly_counts[k] for k in
                                                     ("received", "resolved_early", "resolved_on_due",
                                                      "resolved_late")])):
        texts = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert charts.EMPTY_TEXT in texts


def test_dashboard_figures_export_to_xlsx(demo_store, tmp_path):
    from openpyxl import load_workbook

    d = dashboard.build(demo_store, "month", periods.parse("2026-09"), WorkCalendar(), today=TODAY)
    out = tmp_path / "so-lieu.xlsx"
    dashboard.to_xlsx(d, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Chỉ số", "Theo tháng", "Theo cán bộ", "Theo lĩnh vực", "Hồ sơ quá hạn"]
    tile = next(t for t in d.tiles if t.key == "on_time")
    row = next(r for r in wb["Chỉ số"].iter_rows(values_only=True) if r[0] == tile.name)
    assert row[1:5] == (tile.numerator, tile.denominator, tile.rate, tile.target)
    months = list(wb["Theo tháng"].iter_rows(values_only=True))
    assert months[-1][0] == "9/2026" and months[-1][4] == d.monthly["on_time"][-1]


def test_bulk_inserts_into_months_that_have_cases_keep_totals_and_search_right(store):
    triggers = set(store.db.dialect.triggers(store.db))
    assert "cases_stats_insert" in triggers
    store.insert_cases([case(f"A{i}", officer="Trần Văn Hùng", applicant=f"Nguyễn Văn {i}") for i in range(5)])
    store.insert_cases([case(f"B{i}", officer="Trần Văn Hùng", channel=2) for i in range(3)])
    store.cases.add({"code": "ONE", "procedure_id": 1, "field_id": 1, "officer_id": 1,
                     "received_date": "2023-09-05", "due_date": "2023-09-05", "channel": 1, "digitized": 1})
    start, end = D(2023, 9, 1), D(2023, 9, 30)
    totals = store.grouped_counts(start, end, "month")["2023-09"]
    counted = store.grouped_counts(start, D(2023, 9, 29), "month")["2023-09"]
    assert totals == counted and totals["received"] == 9 and totals["online"] == 3
    assert set(store.db.dialect.triggers(store.db)) == triggers  # put back after the insert
    from db.register import RegisterFilter

    assert store.cases.count(RegisterFilter(search="nguyen van")) == 8  # A0–A4 and B0–B2 ("Nguyễn Văn A")
    assert store.cases.count(RegisterFilter(search="van 3")) == 1  # A3 only


def test_a_failed_bulk_insert_leaves_triggers_and_totals_untouched(store):
    import sqlite3

    triggers = store.db.dialect.triggers(store.db)
    store.insert_cases([case("A1")])
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_cases([case("A2"), case("A1")])  # a duplicate code: the whole batch fails
    assert store.db.dialect.triggers(store.db) == triggers
    assert store.grouped_counts(D(2023, 9, 1), D(2023, 9, 30), "month")["2023-09"]["received"] == 1


def test_updates_that_change_no_counted_column_fire_no_totals_trigger(store):
    sql = store.db.dialect.triggers(store.db)
    assert "AFTER UPDATE OF received_date" in sql["cases_stats_update"]
    if store.engine == "sqlite":  # the search index's trigger (PostgreSQL folds as it reads: no index)
        assert "AFTER UPDATE OF code, applicant" in sql["cases_au"]
    store.insert_cases([case("A1", applicant="Lê Văn Tám")])
    case_id = store.db.execute("SELECT id FROM cases").fetchone()[0]
    store.cases.update(case_id, {"applicant": "Lê Thị Tám", "papers": "Tờ khai"})
    from db.register import RegisterFilter

    assert store.cases.count(RegisterFilter(search="le thi tam")) == 1
    assert store.cases.count(RegisterFilter(search="le van tam")) == 0
    assert store.grouped_counts(D(2023, 9, 1), D(2023, 9, 30), "month")["2023-09"]["received"] == 1


def test_the_monthly_chart_updated_in_place_equals_one_made_anew(demo_store):
    a = dashboard.build(demo_store, "month", periods.parse("2026-09"), WorkCalendar(), today=TODAY)
    b = dashboard.build(demo_store, "month", periods.parse("2025-04"), WorkCalendar(), today=TODAY)
    fig = charts.monthly_rates(a.months, a.monthly, a.monthly_targets, a.monthly_counts["e_certified"], "A")
    assert charts.update_monthly_rates(fig, b.months, b.monthly, b.monthly_targets,
                                       b.monthly_counts["e_certified"], "B")
    fresh = charts.monthly_rates(b.months, b.monthly, b.monthly_targets, b.monthly_counts["e_certified"], "B")
    for ax, ref in zip(fig.axes, fresh.axes):
        assert [list(l.get_ydata()) for l in ax.get_lines()] == [list(l.get_ydata()) for l in ref.get_lines()]
        assert ax.get_ylim() == ref.get_ylim() or ax is fig.axes[5]
        assert [t.get_text() for t in ax.get_xticklabels()] == [t.get_text() for t in ref.get_xticklabels()]
    assert [p.get_height() for p in fig.axes[5].patches] == b.monthly_counts["e_certified"]
    empty = charts.empty("x")
    assert charts.update_monthly_rates(empty, b.months, b.monthly, b.monthly_targets) is False
