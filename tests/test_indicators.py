import datetime as dt

import pytest

from core.domain import indicators
from core.domain import periods
from core.domain.indicators import Filters
from core.queries import figures
from tests.conftest import case

D = dt.date
SEPT = periods.parse("2023-09")


def compute(store, period=SEPT, **filters):
    """The object ``indicators --json`` prints."""
    return figures.compute(store, period, Filters(**filters), today=D(2026, 1, 1)).as_json()


def test_one_online_case_in_160_rounds_half_up_to_0_63(store):
    store.insert_cases([case(f"C{i}", channel=2 if i == 0 else 1) for i in range(160)])
    item = compute(store)["indicators"]["online"]
    assert item == {"numerator": 1, "denominator": 160, "rate": 0.63, "target": 100.0, "unknown": 0}


def test_an_empty_period_has_null_rates_and_zero_counts(store):
    store.insert_cases([case("C1")])
    result = compute(store, periods.parse("2023-10"))
    for key in ("online", "digitized_on_receipt", "result_digitized", "on_time", "paid_online"):
        assert result["indicators"][key]["rate"] is None
        assert result["indicators"][key]["denominator"] == 0
    assert result["indicators"]["e_certified"] == {"count": 0}
    assert result["counts"]["received"] == 0


def test_receipt_side_indicators_count_by_received_date(store):
    store.insert_cases([
        case("A", channel=2, digitized=1, has_fee=1, paid_online=1, e_certified=1),
        case("B", channel=3, digitized=0, has_fee=1, paid_online=0),
        case("C", channel=1, digitized=1),
        case("D", channel=2, digitized=1, e_certified=1),
        case("OUT", received_date=D(2023, 8, 31), due_date=D(2023, 8, 31), channel=2),
    ])
    ind = compute(store)["indicators"]
    assert (ind["online"]["numerator"], ind["online"]["denominator"], ind["online"]["rate"]) == (2, 4, 50.0)
    assert (ind["digitized_on_receipt"]["numerator"], ind["digitized_on_receipt"]["rate"]) == (3, 75.0)
    assert (ind["paid_online"]["numerator"], ind["paid_online"]["denominator"]) == (1, 2)
    assert ind["e_certified"] == {"count": 2}


def test_resolution_side_counts_by_resolved_date_early_on_due_and_late(store):
    rec, due = D(2023, 8, 28), D(2023, 9, 6)
    store.insert_cases([
        case("EARLY", received_date=rec, due_date=due, resolved_date=D(2023, 9, 4), result_digitized=1),
        case("ONDUE", received_date=rec, due_date=due, resolved_date=due, result_digitized=1),
        case("LATE", received_date=rec, due_date=due, resolved_date=D(2023, 9, 8)),
        case("OCT", received_date=rec, due_date=due, resolved_date=D(2023, 10, 2), result_digitized=1),
    ])
    result = compute(store)
    ind, c = result["indicators"], result["counts"]
    assert (c["resolved"], c["resolved_early"], c["resolved_on_due"], c["resolved_late"]) == (3, 1, 1, 1)
    assert (ind["on_time"]["numerator"], ind["on_time"]["denominator"], ind["on_time"]["rate"]) == (2, 3, 66.67)
    assert (ind["result_digitized"]["numerator"], ind["result_digitized"]["rate"]) == (2, 66.67)
    assert c["received"] == 0  # all four came in August


def test_carried_over_open_and_overdue_counts(store):
    store.insert_cases([
        # open since August, due in August: carried over, still open and overdue at the end
        case("OLD-OPEN", received_date=D(2023, 8, 20), due_date=D(2023, 8, 25)),
        # from August, resolved in September: carried over, not open at the end
        case("OLD-DONE", received_date=D(2023, 8, 30), due_date=D(2023, 9, 6), resolved_date=D(2023, 9, 5)),
        # from August, resolved in August: neither
        case("OLD-GONE", received_date=D(2023, 8, 1), due_date=D(2023, 8, 3), resolved_date=D(2023, 8, 2)),
        # received in September, open, due in October: open, not overdue
        case("NEW-OPEN", received_date=D(2023, 9, 25), due_date=D(2023, 10, 5)),
        # received in September, resolved in October: open at the end of September, overdue then
        case("NEW-LATER", received_date=D(2023, 9, 11), due_date=D(2023, 9, 20), resolved_date=D(2023, 10, 2)),
        # withdrawn: never open
        case("GONE", received_date=D(2023, 8, 20), due_date=D(2023, 8, 25), status="withdrawn"),
    ])
    c = compute(store)["counts"]
    assert c["carried_over"] == 2
    assert c["open"] == 3
    assert c["open_overdue"] == 2
    assert c["withdrawn"] == 0  # received in August
    assert compute(store, periods.parse("2023-08"))["counts"]["withdrawn"] == 1


def test_a_period_not_yet_over_is_judged_on_today(store):
    store.insert_cases([case("X", received_date=D(2023, 9, 5), due_date=D(2023, 9, 15))])
    on_10th = figures.compute(store, SEPT, today=D(2023, 9, 10)).counts
    on_20th = figures.compute(store, SEPT, today=D(2023, 9, 20)).counts
    assert (on_10th["open"], on_10th["open_overdue"]) == (1, 0)
    assert (on_20th["open"], on_20th["open_overdue"]) == (1, 1)


def test_filters_by_officer_and_field(store):
    store.insert_cases([
        case("H1", officer="Trần Văn Hùng", digitized=1),
        case("H2", officer="Trần Văn Hùng", digitized=0, procedure="Đăng ký khai sinh", field="Hộ tịch"),
        case("L1", officer="Phạm Thị Lan", digitized=1),
    ])
    assert compute(store, officer="Trần Văn Hùng")["counts"]["received"] == 2
    assert compute(store, officer="Phạm Thị Lan")["counts"]["received"] == 1
    assert compute(store, field="Hộ tịch")["indicators"]["digitized_on_receipt"]["rate"] == 0.0
    both = compute(store, officer="Trần Văn Hùng", field="Chứng thực")
    assert both["counts"]["received"] == 1
    assert both["filters"] == {"officer": "Trần Văn Hùng", "field": "Chứng thực"}


def test_an_unknown_officer_is_an_error_not_an_empty_result(store):
    with pytest.raises(indicators.UnknownName, match="Không Ai"):
        compute(store, officer="Không Ai")


def test_targets_are_dated_and_the_one_in_force_applies(store):
    store.set_target("paid_online", D(2023, 1, 1), 30)
    store.set_target("paid_online", D(2024, 1, 1), 50)
    assert compute(store)["indicators"]["paid_online"]["target"] == 30.0
    assert compute(store, periods.parse("2024-03"))["indicators"]["paid_online"]["target"] == 50.0
    assert compute(store, periods.parse("2022-03"))["indicators"]["paid_online"]["target"] == 100.0
    assert compute(store)["indicators"]["on_time"]["target"] == 100.0


def test_the_readable_table_uses_vietnamese_numbers(store):
    store.insert_cases([case(f"C{i}", channel=2 if i < 3 else 1) for i in range(1262)])
    text = indicators.as_table(figures.compute(store, SEPT, today=D(2026, 1, 1)), "Chỉ số tháng 9/2023")
    assert "3/1.262" in text and "0,24%" in text
    assert "Tỷ lệ hồ sơ tiếp nhận trực tuyến" in text


def test_open_counts_match_a_case_by_case_count_on_demo_data(store):
    from core.files import demo

    today = D(2026, 11, 20)
    demo.generate(store, cases=3000, seed=11, today=today)
    rows = list(store.export_rows())
    officer = "Phạm Thị Lan"

    def open_on(day, judged=None, who=None):
        day = day.isoformat()
        return sum(1 for r in rows
                   if r["status"] is None and r["received_date"] <= day
                   and (r["resolved_date"] is None or r["resolved_date"] > day)
                   and (judged is None or r["due_date"] < judged.isoformat())
                   and (who is None or r["officer"] == who))

    checked = 0
    for text in ("2024-01", "2024-Q2", "2025", "2026-10", "2026-11", "2023-12-15..2024-01-10"):
        p = periods.parse(text)
        for who in (None, officer):
            c = figures.compute(store, p, Filters(officer=who), today=today).counts
            assert c["carried_over"] == open_on(p.start - dt.timedelta(days=1), who=who)
            assert c["open"] == open_on(p.end, who=who)
            assert c["open_overdue"] == open_on(p.end, min(p.end, today), who=who)
            checked += c["carried_over"] + c["open_overdue"]
    assert checked > 0
