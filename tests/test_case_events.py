"""Case events and the national timeliness rule (interfaces.md §5), on hand-worked cases.

October 2023 has no public holiday: its working days are 2–6, 9–13, 16–20, 23–27, 30–31.
September 2023's holidays are 1 and 4 (Quốc khánh). Every case below is judged for the
period 2023-10 on a "today" long after it, so an unfinished case is judged on 31/10/2023.
"""
import datetime as dt

import pytest

from core.domain import events
from core.domain import indicators
from core.queries import figures
from core.domain import periods
from core.domain.events import EventError
from core.domain.workdays import WorkCalendar
from tests.conftest import case

D = dt.date
OCT = periods.parse("2023-10")
TODAY = D(2026, 1, 1)
CAL = WorkCalendar()


def ours(code, **kw):
    """A case of 5 working days received on Monday 2/10/2023: due Monday 9/10 (3, 4, 5, 6, 9)."""
    base = dict(received_date=D(2023, 10, 2), due_date=D(2023, 10, 9), processing_days=5)
    base.update(kw)
    return case(code, **base)


def judge(store, period=OCT, **filters):
    return figures.compute(store, period, indicators.Filters(**filters), today=TODAY)


def on_time_766(store, period=OCT):
    item = judge(store, period).on_time_766
    return item.numerator, item.denominator


def case_id(store, code):
    return store.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]


def test_the_calendar_facts_the_cases_rely_on():
    assert CAL.add_working_days(D(2023, 10, 2), 5) == D(2023, 10, 9)
    assert CAL.working_days_between(D(2023, 10, 3), D(2023, 10, 6)) == 3  # 4, 5 and 6 October
    assert CAL.subtract_working_days(D(2023, 10, 10), 3) == D(2023, 10, 5)  # 9, 6, 5 October
    assert CAL.add_working_days(D(2023, 9, 25), 5) == D(2023, 10, 2)  # 26, 27, 28, 29 Sept, 2 Oct


def test_one_supplement_round_of_three_working_days_finished_a_day_after_due_is_on_time(store):
    # requested Tue 3/10, returned Fri 6/10: the clock stood still 3 working days (4, 5, 6).
    # Resolved Tue 10/10, a day after the due date 9/10; moved back 3 working days: Thu 5/10 <= 9/10.
    store.insert_cases([ours("ROUND")])
    cid = case_id(store, "ROUND")
    store.events.record(cid, "supplement_requested", D(2023, 10, 3), note="Thiếu bản sao CCCD", today=TODAY)
    store.events.record(cid, "supplement_returned", D(2023, 10, 6), today=TODAY)
    store.cases.update(cid, {"resolved_date": "2023-10-10"})
    values = store.cases.values(cid)
    assert (values["supplement_count"], values["paused_days"]) == (1, 3)
    assert on_time_766(store) == (1, 1)
    # the plain rule of §3 still calls it late: the two indicators differ on purpose
    assert judge(store).on_time.numerator == 0


def test_the_same_round_finished_four_working_days_after_due_is_late(store):
    # Mon 16/10 is 5 working days after 9/10 (10, 11, 12, 13, 16): moved back 3 it is Wed 11/10 > 9/10
    store.insert_cases([ours("ROUND", supplement_requested=D(2023, 10, 3), supplement_returned=D(2023, 10, 6),
                             supplement_count=1, paused_days=3, resolved_date=D(2023, 10, 16))])
    assert on_time_766(store) == (0, 1)


def test_two_supplement_requests_make_a_case_late_even_resolved_early(store):
    # rounds 3/10 → 4/10 and 5/10 → 6/10; resolved 6/10, three days before the due date
    store.insert_cases([ours("TWICE")])
    cid = case_id(store, "TWICE")
    for asked, back in ((D(2023, 10, 3), D(2023, 10, 4)), (D(2023, 10, 5), D(2023, 10, 6))):
        store.events.record(cid, "supplement_requested", asked, note="Thiếu giấy tờ", today=TODAY)
        store.events.record(cid, "supplement_returned", back, today=TODAY)
    store.cases.update(cid, {"resolved_date": "2023-10-06"})
    assert store.cases.values(cid)["supplement_count"] == 2
    assert on_time_766(store) == (0, 1)


def test_a_supplement_pending_at_the_end_is_judged_at_the_request_date(store):
    # received Mon 16/10, due Mon 23/10 (17, 18, 19, 20, 23); asked Thu 19/10, nothing back by 31/10:
    # judged on 19/10 <= 23/10, on time; pending at the end; past 23/10 but not overdue (the clock stopped)
    store.insert_cases([ours("WAIT", received_date=D(2023, 10, 16), due_date=D(2023, 10, 23))])
    store.events.record(case_id(store, "WAIT"), "supplement_requested", D(2023, 10, 19), note="Thiếu tờ khai",
                        today=TODAY)
    result = judge(store)
    assert on_time_766(store) == (1, 1)
    assert result.counts["supplement_pending"] == 1
    assert (result.counts["open"], result.counts["open_overdue"]) == (1, 0)
    # a request made after the due date does not save it: asked 24/10 > 23/10
    store.insert_cases([ours("WAIT2", received_date=D(2023, 10, 16), due_date=D(2023, 10, 23),
                             supplement_requested=D(2023, 10, 24), supplement_count=1)])
    assert on_time_766(store) == (1, 2)
    assert judge(store).counts["open_overdue"] == 1


def test_refused_before_the_due_date_is_on_time_and_counted_apart(store):
    store.insert_cases([ours("NO")])
    store.events.record(case_id(store, "NO"), "refused", D(2023, 10, 5), note="Không thuộc thẩm quyền",
                        today=TODAY)
    result = judge(store)
    assert on_time_766(store) == (1, 1)
    assert (result.counts["refused"], result.counts["resolved"], result.counts["open"]) == (1, 0, 0)
    assert result.on_time.denominator == 0


def test_stopped_is_counted_by_its_date_and_never_open_after_it(store):
    store.insert_cases([ours("STOP", status="stopped", resolved_date=D(2023, 10, 20))])
    result = judge(store)
    assert (result.counts["stopped"], result.counts["open"], result.counts["open_overdue"]) == (1, 0, 0)
    assert on_time_766(store) == (0, 1)  # stopped on 20/10, after its due date 9/10
    # it was open at the start of November's predecessor: carried into October's second half
    half = periods.parse("2023-10-16..2023-10-31")
    assert figures.compute(store, half, today=TODAY).counts["carried_over"] == 1


def test_a_withdrawn_case_counts_ended_on_time(store):
    store.insert_cases([ours("GONE", status="withdrawn")])
    assert on_time_766(store) == (1, 1)


def test_open_past_due_at_the_end_is_late(store):
    store.insert_cases([ours("OPEN")])
    assert on_time_766(store) == (0, 1)
    assert judge(store).counts["open_overdue"] == 1


def test_open_not_yet_due_at_the_end_is_on_time(store):
    # received Mon 30/10, due Mon 6/11 (31/10, 1, 2, 3, 6/11): judged on 31/10, on time
    store.insert_cases([ours("NEW", received_date=D(2023, 10, 30), due_date=D(2023, 11, 6))])
    assert on_time_766(store) == (1, 1)


def test_a_case_carried_over_from_the_previous_period_is_in_the_population(store):
    # received Mon 25/9, due Mon 2/10 (26, 27, 28, 29/9 and 2/10); resolved 4/10: late, in October's count.
    # One resolved on 29/9 ended before October: not in it.
    store.insert_cases([
        case("CARRIED", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), resolved_date=D(2023, 10, 4)),
        case("CARRIED_OK", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), resolved_date=D(2023, 10, 2)),
        case("ENDED", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), resolved_date=D(2023, 9, 29)),
        case("STILL_OPEN", received_date=D(2023, 9, 25), due_date=D(2023, 11, 2)),
    ])
    assert on_time_766(store) == (2, 3)  # CARRIED_OK on its due date, STILL_OPEN not yet due
    assert judge(store).counts["carried_over"] == 3


def test_all_the_cases_together_make_five_of_eight(store):
    # ROUND on time, TWICE late, WAIT on time, NO on time, GONE on time, OPEN late, NEW on time,
    # CARRIED late: 5/8 = 62,50%
    store.insert_cases([
        ours("ROUND", supplement_requested=D(2023, 10, 3), supplement_returned=D(2023, 10, 6),
             supplement_count=1, paused_days=3, resolved_date=D(2023, 10, 10)),
        ours("TWICE", supplement_requested=D(2023, 10, 5), supplement_returned=D(2023, 10, 6),
             supplement_count=2, paused_days=2, resolved_date=D(2023, 10, 6)),
        ours("WAIT", received_date=D(2023, 10, 16), due_date=D(2023, 10, 23),
             supplement_requested=D(2023, 10, 19), supplement_count=1),
        ours("NO", status="refused", resolved_date=D(2023, 10, 5)),
        ours("GONE", status="withdrawn"),
        ours("OPEN"),
        ours("NEW", received_date=D(2023, 10, 30), due_date=D(2023, 11, 6)),
        case("CARRIED", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), resolved_date=D(2023, 10, 4)),
        case("ENDED", received_date=D(2023, 9, 25), due_date=D(2023, 10, 2), resolved_date=D(2023, 9, 29)),
    ])
    item = judge(store).on_time_766
    assert item.as_json() == {"numerator": 5, "denominator": 8, "rate": 62.5, "target": 100.0, "unknown": 0}
    # the per-case rule in core agrees with the SQL, case by case
    rows = store.db.query("SELECT * FROM cases WHERE code != 'ENDED' ORDER BY id")
    verdicts = {r["code"]: events.on_time_766(r, D(2023, 10, 31), CAL) for r in rows}
    assert verdicts == {"ROUND": True, "TWICE": False, "WAIT": True, "NO": True, "GONE": True, "OPEN": False,
                        "NEW": True, "CARRIED": False}


def test_an_officer_filter_applies_to_the_national_rule(store):
    store.insert_cases([ours("A", officer="Lê Thị Hoa"), ours("B", resolved_date=D(2023, 10, 9))])
    assert judge(store, officer="Lê Thị Hoa").on_time_766.denominator == 1


# ---- events: rules, undo, audit ----------------------------------------------------------

def test_an_event_is_undone_with_the_case_as_it_was_and_audited(store):
    store.insert_cases([ours("U")])
    cid = case_id(store, "U")
    before = store.cases.values(cid)
    first = store.events.record(cid, "supplement_requested", D(2023, 10, 3), note="Thiếu ảnh", today=TODAY)
    second = store.events.record(cid, "supplement_returned", D(2023, 10, 6), today=TODAY)
    assert store.db.execute("SELECT paused_due FROM cases WHERE id = ?", [cid]).fetchone()[0] == "2023-10-12"
    assert [e["kind"] for e in store.events.of_case(cid)] == ["supplement_requested", "supplement_returned"]
    store.events.cancel(second)
    store.events.cancel(first)
    assert store.cases.values(cid) == before
    assert store.events.of_case(cid) == []
    assert store.db.execute("SELECT paused_due FROM cases WHERE id = ?", [cid]).fetchone()[0] is None
    actions = [h["action"] for h in store.audit.history("case", cid)]
    assert actions == ["supplement_requested", "supplement_returned", "cancel supplement_returned",
                       "cancel supplement_requested"]
    assert store.check() == []  # row hashes kept up to date


def test_an_apology_keeps_the_first_due_date_for_judging(store):
    store.insert_cases([ours("SORRY")])
    cid = case_id(store, "SORRY")
    store.events.record(cid, "extended", D(2023, 10, 9), note="Chờ xác minh", new_date=D(2023, 10, 13),
                        today=TODAY)
    store.cases.update(cid, {"resolved_date": "2023-10-12"})
    assert store.cases.values(cid)["new_due_date"] == "2023-10-13"
    assert on_time_766(store) == (0, 1)


@pytest.mark.parametrize("kind, kw, reason", [
    ("supplement_returned", {}, "không có yêu cầu bổ sung"),
    ("supplement_requested", {"note": ""}, "Cần ghi nội dung"),
    ("refused", {"note": ""}, "Cần ghi lý do từ chối"),
    ("extended", {"note": "x", "new_date": D(2023, 10, 9)}, "phải sau ngày hẹn trả"),
    ("rated", {"rating": "good"}, "chưa có kết quả"),
])
def test_an_event_that_cannot_happen_says_why_and_changes_nothing(store, kind, kw, reason):
    store.insert_cases([ours("X")])
    cid = case_id(store, "X")
    before = store.cases.values(cid)
    with pytest.raises(EventError, match=reason):
        store.events.record(cid, kind, D(2023, 10, 5), today=TODAY, **kw)
    assert store.cases.values(cid) == before
    assert store.events.of_case(cid) == []


def test_a_second_request_waits_for_the_first_return(store):
    store.insert_cases([ours("X")])
    cid = case_id(store, "X")
    store.events.record(cid, "supplement_requested", D(2023, 10, 3), note="a", today=TODAY)
    with pytest.raises(EventError, match="đang chờ bổ sung"):
        store.events.record(cid, "supplement_requested", D(2023, 10, 4), note="b", today=TODAY)


def test_a_refused_case_needs_its_date_and_has_no_result(store):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        store.insert_cases([ours("BAD", status="refused")])
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_cases([ours("BAD", status="refused", resolved_date=D(2023, 10, 5), result_digitized=1)])


def test_ratings_and_complaints_are_counted_per_officer(store):
    store.insert_cases([ours("R1", resolved_date=D(2023, 10, 5)), ours("R2", resolved_date=D(2023, 10, 6)),
                        ours("R3", resolved_date=D(2023, 10, 6), officer="Lê Thị Hoa")])
    store.events.record(case_id(store, "R1"), "rated", D(2023, 10, 5), rating="good", today=TODAY)
    store.events.record(case_id(store, "R2"), "rated", D(2023, 10, 6), rating="poor", today=TODAY)
    store.events.record(case_id(store, "R2"), "complaint", D(2023, 10, 7), note="Chờ lâu", today=TODAY)
    counts = store.events.satisfaction_counts(OCT.start, OCT.end)
    assert counts == {"Trần Văn Hùng": {"good": 1, "fair": 0, "poor": 1, "complaints": 1}}


def test_the_report_states_the_national_rate_refusals_and_pending_supplements(store):
    from core.queries import report

    store.insert_cases([
        ours("ROUND", supplement_requested=D(2023, 10, 3), supplement_returned=D(2023, 10, 6),
             supplement_count=1, paused_days=3, resolved_date=D(2023, 10, 10)),
        ours("NO", status="refused", resolved_date=D(2023, 10, 5)),
        ours("WAIT", received_date=D(2023, 10, 16), due_date=D(2023, 10, 23),
             supplement_requested=D(2023, 10, 19), supplement_count=1),
    ])
    text = report.narrative(report.build(store, periods.parse("2023"), today=TODAY))
    # ROUND on time (3 paused days), NO refused on time, WAIT judged at its request: 3/3
    assert ("Theo cách tính của Quyết định 766/QĐ-TTg, không tính thời gian chờ bổ sung hồ sơ, tỷ lệ hồ sơ "
            "giải quyết đúng hạn là 3/3 hồ sơ, đạt 100%.") in text
    assert "Đã từ chối 01 hồ sơ." in text and "Đến hết kỳ còn 01 hồ sơ chờ người nộp bổ sung." in text


def test_the_evaluation_template_can_score_satisfaction(store):
    from core.queries import evaluation

    q4 = periods.parse("2023-Q4")
    store.insert_cases([ours(f"R{i}", resolved_date=D(2023, 10, 6)) for i in range(4)])
    for i, rating in enumerate(("good", "fair", "poor", "good")):
        store.events.record(case_id(store, f"R{i}"), "rated", D(2023, 10, 6), rating=rating, today=TODAY)
    template = store.evaluations.template(q4.end)
    criteria = [dict(c) for c in template["criteria"]]
    # the 8 manual points for attitude become 8 points scored from the ratings
    attitude = next(c for c in criteria if "thái độ phục vụ" in c["name"].lower())
    attitude.update(rule="rate", param="satisfaction")
    store.evaluations.save_template({**template, "criteria": criteria}, valid_from=D(2023, 10, 1))
    sheet = evaluation.build(store, q4, today=TODAY)[0]
    line = next(l for l in sheet.lines if l.criterion["param"] == "satisfaction")
    # 3 of 4 ratings are not "Không hài lòng": 75% of 8 points = 6
    assert (line.points, line.note) == (6.0, "3/4, đạt 75%")
    assert "satisfaction" in evaluation.RATE_PARAMS and "on_time_766" in evaluation.RATE_PARAMS


def test_a_deleted_case_keeps_its_life_and_gets_it_back_on_restore(store):
    store.insert_cases([ours("DEL")])
    cid = case_id(store, "DEL")
    store.events.record(cid, "supplement_requested", D(2023, 10, 3), note="Thiếu ảnh", today=TODAY)
    store.events.record(cid, "supplement_returned", D(2023, 10, 6), today=TODAY)
    before = store.cases.values(cid)
    store.cases.delete(cid, "Nhập trùng")
    assert store.case_count() == 0
    store.cases.restore(cid)
    assert store.cases.values(cid) == before and before["paused_days"] == 3
    assert len(store.events.of_case(cid)) == 2
    assert store.db.execute("SELECT paused_due FROM cases WHERE id = ?", [cid]).fetchone()[0] == "2023-10-12"
    assert store.check() == []


def test_a_case_edited_behind_the_program_s_back_is_found_in_its_new_columns(store):
    store.insert_cases([ours("T")])
    store.db.execute("UPDATE cases SET paused_days = 9 WHERE code = 'T'")
    assert any("bị sửa ngoài chương trình" in p for p in store.check())


@pytest.mark.parametrize("code", ["2025-06", "2025-Q3", "2025"])
def test_the_sql_of_the_national_rule_agrees_with_the_rule_case_by_case(store, code):
    """On demo data given supplement rounds (one or two, returned or pending), refusals and
    withdrawals, the SQL count equals core.domain.events.on_time_766 applied to every case."""
    import random

    from core.files import demo

    demo.generate(store, cases=1500, seed=5, today=D(2026, 3, 1))
    rnd = random.Random(5)
    rows = list(store.db.query("SELECT id, received_date, due_date, resolved_date FROM cases WHERE status IS NULL"))
    with store.db.atomic():
        for r in rnd.sample(rows, 400):
            asked = dt.date.fromisoformat(r["received_date"]) + dt.timedelta(days=rnd.randint(0, 5))
            back = asked + dt.timedelta(days=rnd.randint(0, 9)) if rnd.random() < 0.7 else None
            if r["resolved_date"] and back and back.isoformat() > r["resolved_date"]:
                back = dt.date.fromisoformat(r["resolved_date"])
            if r["resolved_date"] and asked.isoformat() > r["resolved_date"]:
                continue
            store.db.execute("UPDATE cases SET supplement_requested = ?, supplement_returned = ?, supplement_count = ?,"
                             " paused_days = ? WHERE id = ?",
                             [asked.isoformat(), back and back.isoformat(), rnd.choice((1, 1, 1, 2)),
                              CAL.working_days_between(asked, back) if back else 0, r["id"]])
        for r in rnd.sample([r for r in rows if r["resolved_date"]], 60):
            store.db.execute("UPDATE cases SET status = ?, result_digitized = 0 WHERE id = ?",
                             [rnd.choice(("refused", "stopped")), r["id"]])
    period = periods.parse(code)
    judged = min(period.end, D(2026, 3, 1))
    counts = store.indicator_counts(period.start, period.end, today=D(2026, 3, 1))
    start = period.start.isoformat()
    population = list(store.db.query(
        "SELECT * FROM cases WHERE received_date BETWEEN :s AND :e OR (received_date < :s AND "
        "((status IS NOT 'withdrawn' AND (resolved_date IS NULL OR resolved_date >= :s)) "
        "OR (status = 'withdrawn' AND resolved_date >= :s)))", {"s": start, "e": period.end.isoformat()}))
    assert counts["population_766"] == len(population) > 40
    assert counts["on_time_766"] == sum(events.on_time_766(r, judged, CAL) for r in population)



def test_refused_and_stopped_are_counted_off_their_own_index_as_off_the_cases(store):
    """Issue 30: the refused and stopped cases of a period are read from a small index of those
    cases alone (m022); the counts are those of the cases, for a whole period, an officer, a field."""
    import random

    from core.files import demo

    demo.generate(store, cases=1200, seed=7, today=D(2026, 3, 1))
    rnd = random.Random(7)
    resolved = list(store.db.query("SELECT id FROM cases WHERE resolved_date IS NOT NULL AND status IS NULL"))
    with store.db.atomic():
        for r in rnd.sample(resolved, 160):
            store.db.execute("UPDATE cases SET status = ?, result_digitized = 0 WHERE id = ?",
                             [rnd.choice(("refused", "stopped")), r["id"]])
    rows = list(store.db.query("SELECT status, resolved_date, officer_id, field_id FROM cases"))
    officer = rows[0]["officer_id"]
    field = next(r["field_id"] for r in rows if r["field_id"] is not None)
    seen = 0
    for code in ("2025-06", "2025-Q3", "2025", "2026-Q1"):
        period = periods.parse(code)
        for filters in ({}, {"officer_id": officer}, {"field_id": field}):
            got = store.national_counts(period.start, period.end, today=D(2026, 3, 1), **filters)
            chosen = [r for r in rows if r["resolved_date"] and period.start.isoformat() <= r["resolved_date"]
                      <= period.end.isoformat() and all(r[k] == v for k, v in filters.items())]
            want = {s: sum(r["status"] == s for r in chosen) for s in ("refused", "stopped")}
            assert (got["refused"], got["stopped"]) == (want["refused"], want["stopped"]), (code, filters)
            seen += want["refused"] + want["stopped"]
    assert seen > 40  # the comparison saw refused and stopped cases, not zeros alone


def test_the_ratings_of_every_officer_together_are_the_sum_of_each_officer_s(store):
    """Issue 30: the service index reads the period's ratings and complaints in one pass
    (``satisfaction_totals``); they are the per-officer counts summed, a deleted case's complaint
    left out by both."""
    store.insert_cases([ours("R1", resolved_date=D(2023, 10, 5)), ours("R2", resolved_date=D(2023, 10, 6)),
                        ours("R3", resolved_date=D(2023, 10, 6), officer="Lê Thị Hoa"),
                        ours("R4", resolved_date=D(2023, 11, 2), officer="Lê Thị Hoa"),
                        ours("R5", resolved_date=D(2023, 10, 9))])
    for code, day, rating in (("R1", D(2023, 10, 5), "good"), ("R2", D(2023, 10, 6), "fair"),
                              ("R3", D(2023, 10, 6), "poor"), ("R4", D(2023, 11, 2), "poor")):
        store.events.record(case_id(store, code), "rated", day, rating=rating, today=TODAY)
    for code, day in (("R2", D(2023, 10, 7)), ("R3", D(2023, 10, 8)), ("R4", D(2023, 11, 3)), ("R5", D(2023, 10, 9))):
        store.events.record(case_id(store, code), "complaint", day, note="Chờ lâu", today=TODAY)
    store.cases.delete(case_id(store, "R5"), "Nhập trùng")
    for start, end in ((D(2023, 10, 1), D(2023, 10, 31)), (D(2023, 10, 1), D(2023, 12, 31)),
                       (D(2023, 11, 1), D(2023, 11, 30)), (D(2024, 1, 1), D(2024, 12, 31))):
        each = store.events.satisfaction_counts(start, end)
        summed = {k: sum(r[k] for r in each.values()) for k in ("good", "fair", "poor", "complaints")}
        assert store.events.satisfaction_totals(start, end) == summed
    assert store.events.satisfaction_totals(D(2023, 10, 1), D(2023, 10, 31)) == {
        "good": 1, "fair": 1, "poor": 1, "complaints": 2}

def test_the_report_counts_ratings_and_complaints_per_officer(store):
    import io

    from pypdf import PdfReader

    from core.queries import report
    from core.documents import report as report_doc

    store.insert_cases([ours("R1", resolved_date=D(2023, 10, 5)), ours("R2", resolved_date=D(2023, 10, 6)),
                        ours("R3", resolved_date=D(2023, 10, 6), officer="Lê Thị Hoa")])
    store.events.record(case_id(store, "R1"), "rated", D(2023, 10, 5), rating="good", today=TODAY)
    store.events.record(case_id(store, "R3"), "rated", D(2023, 10, 6), rating="poor", today=TODAY)
    store.events.record(case_id(store, "R2"), "complaint", D(2023, 10, 7), note="Chờ lâu", today=TODAY)
    r = report.build(store, OCT, today=TODAY)
    text = report.narrative(r)
    assert ("Trong tháng 10/2023, người dân đánh giá 02 lượt khi nhận kết quả: hài lòng 01, không hài lòng 01. "
            "Tiếp nhận 01 phản ánh, kiến nghị.") in text
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_doc.render_pdf(r))).pages).split())
    assert "6. Đánh giá của người dân trong tháng 10/2023" in pdf
    assert "Lê Thị Hoa 0 0 1 0" in pdf and "Trần Văn Hùng 1 0 0 1" in pdf


def test_a_unit_database_of_an_older_schema_still_gives_its_overdue_cases(tmp_path):
    """The roll-up reads other units' files as they are: one made before this issue has no paused time."""
    import sqlite_utils

    from db.migrations import migrations
    from db.rollup import open_readonly

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m013_case_events")
    db.execute("INSERT INTO officers (name) VALUES ('A')")
    db.execute("INSERT INTO procedures (name) VALUES ('P')")
    db.execute("INSERT INTO cases (code, procedure_id, officer_id, received_date, due_date, channel, digitized) "
               "VALUES ('OLD', 1, 1, '2023-10-02', '2023-10-09', 1, 1)")
    db.conn.commit()
    db.conn.close()
    store = open_readonly(path)
    assert [c["code"] for c in store.overdue_at(D(2023, 10, 31), D(2023, 10, 31))] == ["OLD"]
    store.close()
