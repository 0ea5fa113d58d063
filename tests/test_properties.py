"""Property tests: indicators always make sense; the import never crashes nor writes part of a file."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import ops
from core.files import casefile
from core.domain import indicators
from core.queries import figures
from core.domain import periods
from db.store import Store
from tests.conftest import case

D = dt.date
OFFICERS = ["Phạm Thị Lan", "Trần Văn Hùng", "Vũ Thị Mai"]


@st.composite
def cases(draw):
    received = draw(st.dates(D(2023, 1, 1), D(2023, 12, 31)))
    due = received + dt.timedelta(days=draw(st.integers(0, 20)))
    resolved = draw(st.one_of(st.none(), st.dates(received, received + dt.timedelta(days=40))))
    has_fee = draw(st.integers(0, 1))
    return dict(officer=draw(st.sampled_from(OFFICERS)), received_date=received, due_date=due,
                resolved_date=resolved, channel=draw(st.integers(1, 3)), digitized=draw(st.integers(0, 1)),
                result_digitized=draw(st.integers(0, 1)) if resolved else 0, has_fee=has_fee,
                paid_online=draw(st.integers(0, 1)) if has_fee else 0, e_certified=draw(st.integers(0, 1)),
                status=draw(st.sampled_from([None, None, None, "withdrawn"])))


PERIODS = ["2023-01", "2023-06", "2023-Q2", "2023-Q4", "2023", "2023-03-15..2023-08-20"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=0, max_size=40), st.sampled_from(PERIODS))
def test_indicators_are_sound_and_officers_add_up_to_the_total(rows, period_text):
    store = Store.memory()
    store.insert_cases([case(f"C{i}", **r) for i, r in enumerate(rows)])
    period = periods.parse(period_text)
    total = figures.compute(store, period, today=D(2024, 6, 1)).as_json()
    by_officer = [figures.compute(store, period, indicators.Filters(officer=o), today=D(2024, 6, 1)).as_json()
                  for o in OFFICERS if store.officer_id(o) is not None]
    for key, item in total["indicators"].items():
        if "count" in item:
            assert item["count"] >= 0
            assert item["count"] == sum(r["indicators"][key]["count"] for r in by_officer)
            continue
        assert 0 <= item["numerator"] <= item["denominator"]
        assert item["rate"] is None if item["denominator"] == 0 else 0 <= item["rate"] <= 100
        assert item["numerator"] == sum(r["indicators"][key]["numerator"] for r in by_officer)
        assert item["denominator"] == sum(r["indicators"][key]["denominator"] for r in by_officer)
    for key, value in total["counts"].items():
        assert value >= 0
        assert value == sum(r["counts"][key] for r in by_officer), key
    c = total["counts"]
    assert c["resolved"] == c["resolved_early"] + c["resolved_on_due"] + c["resolved_late"]
    assert c["open_overdue"] <= c["open"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_never_crash_the_import_nor_write(tmp_path, data, suffix):
    store = Store.memory()
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        result = ops.import_file(store, path)
    except casefile.CaseFileError as exc:  # refused whole, with a message
        assert exc.problems and all(str(p).startswith("row ") for p in exc.problems)
        assert store.case_count() == 0
    else:
        assert store.case_count() == result.imported
        assert result.imported == 0 or not result.checked.problems


CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", "0", "1", "2", "online", "Trực tiếp", "2023-09-31",
                                                        "31/12/2023", "2023-09-05", "-3", "withdrawn"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=0, max_size=18), min_size=1, max_size=12))
def test_random_rows_are_imported_whole_or_not_at_all(tmp_path, rows):
    import csv

    store = Store.memory()
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(casefile.KEYS)
        writer.writerows(rows)
    try:
        result = ops.import_file(store, path)
    except casefile.CaseFileError as exc:  # the file as a whole is unreadable: nothing written
        assert exc.problems and store.case_count() == 0
        return
    if result.checked.problems:
        assert store.case_count() == 0  # all or nothing
        assert all(p.row >= 2 for p in result.checked.problems)
    else:
        assert store.case_count() == len(result.checked.cases) == result.imported
