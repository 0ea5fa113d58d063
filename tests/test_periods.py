import datetime as dt

import pytest

from core.domain import periods

D = dt.date


@pytest.mark.parametrize("text,start,end,label", [
    ("2023-09", D(2023, 9, 1), D(2023, 9, 30), "tháng 9/2023"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "tháng 2/2024"),
    ("2023-Q3", D(2023, 7, 1), D(2023, 9, 30), "quý III/2023"),
    ("2023-q1", D(2023, 1, 1), D(2023, 3, 31), "quý I/2023"),
    ("2023", D(2023, 1, 1), D(2023, 12, 31), "năm 2023"),
    ("2023-01-01..2023-09-29", D(2023, 1, 1), D(2023, 9, 29), "từ 01/01/2023 đến 29/09/2023"),
])
def test_parse_every_kind_of_period(text, start, end, label):
    p = periods.parse(text)
    assert (p.start, p.end, p.label) == (start, end, label)


@pytest.mark.parametrize("text", ["", "2023-13", "2023-Q5", "23", "2023-09-30..2023-09-01",
                                  "2023-02-30..2023-03-01", "tháng 9"])
def test_parse_rejects_bad_periods_with_a_message(text):
    with pytest.raises(periods.PeriodError, match="kỳ|tháng"):
        periods.parse(text)


@pytest.mark.parametrize("text,start,end,kind", [
    ("9/2025", D(2025, 9, 1), D(2025, 9, 30), "month"),
    ("tháng 9/2025", D(2025, 9, 1), D(2025, 9, 30), "month"),
    ("Tháng 02 năm 2024", D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("quý 3/2025", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
    ("Quý III/2025", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
    ("Q3/2025", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
    ("q1-2025", D(2025, 1, 1), D(2025, 3, 31), "quarter"),
    ("năm 2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("1/1/2025-29/9/2025", D(2025, 1, 1), D(2025, 9, 29), "range"),
    ("1/1/2025 – 29/9/2025", D(2025, 1, 1), D(2025, 9, 29), "range"),
    ("từ 1/1/2025 đến 29/9/2025", D(2025, 1, 1), D(2025, 9, 29), "range"),
    ("Từ ngày 01/01/2025 đến hết ngày 29/09/2025", D(2025, 1, 1), D(2025, 9, 29), "range"),
    ("tha\u0301ng 9/2025", D(2025, 9, 1), D(2025, 9, 30), "month"),  # typed with a combining accent
])
def test_parse_what_people_type(text, start, end, kind):
    p = periods.parse(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)
    assert periods.parse(p.label) == p  # what the window shows is read back


@pytest.mark.parametrize("text,reason", [
    ("13/2025", "tháng phải từ 1 đến 12"), ("quý 5/2025", "quý 3/2025"),
    ("29/9/2025-1/1/2025", "ngày cuối trước ngày đầu"), ("31/2/2025-1/3/2025", "không có trên lịch"),
])
def test_typed_periods_that_are_wrong_say_why_in_vietnamese(text, reason):
    with pytest.raises(periods.PeriodError, match=reason):
        periods.parse(text)


def test_previous_period_of_each_kind():
    assert periods.parse("2023-01").previous().code == "2022-12"
    assert periods.parse("2023-Q1").previous().code == "2022-Q4"
    assert periods.parse("2023").previous().code == "2022"
    prev = periods.parse("2023-09-11..2023-09-20").previous()
    assert (prev.start, prev.end) == (D(2023, 9, 1), D(2023, 9, 10))


def test_year_to_date_runs_from_january():
    ytd = periods.parse("2023-09").year_to_date()
    assert (ytd.start, ytd.end) == (D(2023, 1, 1), D(2023, 9, 30))
