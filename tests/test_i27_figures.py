"""Issue 27: the last wrong figures, each worked out by hand on a case or two.

October 2023 has no public holiday: its working days are 2–6, 9–13, 16–20, 23–27, 30–31;
November's start: Thu 2, Fri 3, Mon 6 … September 2023's holidays are 1 and 4 (Quốc khánh).
"""
import datetime as dt

from core.domain import indicators, periods
from core.queries import evaluation, figures
from tests.conftest import case

D = dt.date
OCT = periods.parse("2023-10")
TODAY = D(2026, 1, 1)


def judge(store, period=OCT):
    return figures.compute(store, period, indicators.Filters(), today=TODAY)


def cid(store, code):
    return store.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]


def test_a_round_that_began_after_the_judged_day_does_not_save_an_overdue_case(store):
    # Received Mon 23/10/2023, 5 working days: due Mon 30/10 (24, 25, 26, 27, 30). Still open on
    # 31/10, nothing paused on that day: overdue on 31/10 (30/10 < 31/10), and late for on_time_766.
    # A supplement round asked Thu 2/11 and returned Thu 9/11 (3, 6, 7, 8, 9 Nov = 5 working days)
    # moves the due date to 6/11, but only after the judged day: October still counts it overdue.
    store.insert_cases([case("LATE", received_date=D(2023, 10, 23), due_date=D(2023, 10, 30),
                             processing_days=5)])
    store.events.record(cid(store, "LATE"), "supplement_requested", D(2023, 11, 2), note="Thiếu giấy", today=TODAY)
    store.events.record(cid(store, "LATE"), "supplement_returned", D(2023, 11, 9), today=TODAY)
    assert store.cases.values(cid(store, "LATE"))["paused_days"] == 5
    f = judge(store)
    assert (f.on_time_766.numerator, f.on_time_766.denominator) == (0, 1)
    assert f.counts["open_overdue"] == 1  # was 0 on main
    assert [r["code"] for r in store.overdue_at(OCT.end, OCT.end)] == ["LATE"]
    # November is judged on 30/11 with the round (returned 9/11) counted: due 6/11 < 30/11, still overdue
    assert judge(store, periods.parse("2023-11")).counts["open_overdue"] == 1


def test_a_carried_over_open_case_s_verdict_does_not_depend_on_other_cases(store):
    # Received Mon 25/9/2023, 5 working days: due Mon 2/10 (26, 27, 28, 29 Sept, 2 Oct).
    # Asked Tue 26/9, returned Mon 30/10: paused 27, 28, 29 Sept + 20 October days 2–27 + 30 Oct = 24.
    # Still open on 31/10: its end 31/10 moved back 24 working days is Wed 27/9 <= 2/10: on time, 1/1.
    store.insert_cases([case("OLD", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), processing_days=5)])
    store.events.record(cid(store, "OLD"), "supplement_requested", D(2023, 9, 26), note="Thiếu giấy", today=TODAY)
    store.events.record(cid(store, "OLD"), "supplement_returned", D(2023, 10, 30), today=TODAY)
    assert store.cases.values(cid(store, "OLD"))["paused_days"] == 24
    alone = judge(store).on_time_766
    assert (alone.numerator, alone.denominator) == (1, 1)  # was 0/1 on main (request before 1/10 - 0 days)
    # a case resolved 200 days after receipt elsewhere in the file widens the window: the same verdict
    store.insert_cases([case("LONG", received_date=D(2022, 1, 4), due_date=D(2022, 1, 4),
                             resolved_date=D(2022, 7, 23))])
    beside = judge(store).on_time_766
    assert (beside.numerator, beside.denominator) == (1, 1)


def test_the_evaluation_counts_overdue_cases_by_one_rule(store):
    # Received Mon 2/10/2023, 5 working days: due Mon 9/10. Asked Fri 6/10 (before the due date),
    # still pending on 31/12: the clock stopped, so not overdue, for "Trong đó quá hạn" and for
    # the quantity item alike: 1 case, 0 overdue, full points (on main: "1 quá hạn", 25% off).
    store.add_officer("Trần Văn Hùng", "Công chức Văn phòng - Thống kê", "Chứng thực")
    store.insert_cases([case("WAIT", received_date=D(2023, 10, 2), due_date=D(2023, 10, 9), processing_days=5)])
    store.events.record(cid(store, "WAIT"), "supplement_requested", D(2023, 10, 6), note="Thiếu giấy", today=TODAY)
    q4 = periods.parse("2023-Q4")
    sheet = evaluation.build(store, q4, today=TODAY)[0]
    assert sheet.figures.counts["open_overdue"] == 0
    quantity = next(l for l in sheet.lines if l.criterion["rule"] == "quantity")
    assert quantity.note == "1 hồ sơ; 0 quá hạn chưa giải quyết"
    assert quantity.points == float(quantity.criterion["max_points"])


def test_a_wholly_future_period_has_no_national_rate(store):
    # A case received 2/10/2023, due 9/10, still open. Judged on "today" 20/10/2023, the month of
    # December 2023 has not begun: nothing can be judged in it, so on_time_766 is 0/0 (no rate),
    # where main judged the carried-over case on today and printed 0/1 = 0%.
    store.insert_cases([case("OPEN", received_date=D(2023, 10, 2), due_date=D(2023, 10, 9), processing_days=5)])
    item = figures.compute(store, periods.parse("2023-12"), indicators.Filters(), today=D(2023, 10, 20)).on_time_766
    assert (item.numerator, item.denominator, item.rate) == (0, 0, None)


def test_a_month_still_running_says_it_is_compared_with_a_whole_month(store):
    from core.queries import report

    # November 2023: 10 received, 9 digitized (90%); December up to today 7/12: 2 received, both
    # digitized (100%): +10 points, but against the whole of November, which the sentence says.
    store.insert_cases([case(f"N{i}", received_date=D(2023, 11, 6), due_date=D(2023, 11, 6), digitized=int(i < 9))
                        for i in range(10)]
                       + [case(f"D{i}", received_date=D(2023, 12, 4), due_date=D(2023, 12, 4)) for i in range(2)])
    text = report.narrative(report.build(store, periods.parse("2023-12"), today=D(2023, 12, 7)))
    assert "tăng 10% so với cả tháng 11/2023, kỳ này mới tính đến ngày 7/12/2023" in text
    whole = report.narrative(report.build(store, periods.parse("2023-12"), today=D(2024, 1, 5)))
    assert "tăng 10% so với tháng 11/2023" in whole and "kỳ này mới" not in whole


def test_the_service_index_prints_no_total_while_parts_are_missing(store):
    from core.queries import service_index

    # one case received and resolved on 2/10/2023, no fee, no rating: the 4 parts typed in from the
    # national portal (publicity, reuse, integration, complaints) are not typed, online payment and
    # ratings have nothing to count: 6 parts without points, so "chưa đủ 6 phần", no total
    store.insert_cases([case("ONE", received_date=D(2023, 10, 2), due_date=D(2023, 10, 2),
                             resolved_date=D(2023, 10, 2), result_digitized=1)])
    result = service_index.compute(store, OCT, TODAY)
    assert len(result["missing"]) == 6
    assert service_index.total_text(result) == "chưa đủ 6 phần"
    assert "chưa đủ 6 phần, chưa cộng tổng" in service_index.as_table(result, OCT.label)


def test_the_dashboard_says_a_running_month_is_compared_with_a_whole_one():
    from core.queries import dashboard

    dec, nov = periods.parse("2026-12"), periods.parse("2026-11")
    assert dashboard.compared_with("month", dec, nov, D(2026, 12, 7)) == \
        "cả tháng 11/2026, kỳ này mới tính đến ngày 7/12/2026"
    assert dashboard.compared_with("month", dec, nov, D(2027, 1, 2)) == "tháng 11/2026"
