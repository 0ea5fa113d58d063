import datetime as dt

import pytest

from core.domain.workdays import WorkCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


@pytest.mark.parametrize("received,days,due", [
    (D(2023, 9, 5), 0, D(2023, 9, 5)),      # settled the same day
    (D(2023, 9, 7), 1, D(2023, 9, 8)),      # Thursday -> Friday
    (D(2023, 9, 8), 1, D(2023, 9, 11)),     # Friday -> Monday, the weekend skipped
    (D(2023, 8, 31), 1, D(2023, 9, 5)),     # across Quốc khánh 2023: 1/9, 2/9 and 4/9 off
    # Tết 2026: 16-20/2 off, then a weekend
    (D(2026, 2, 13), 1, D(2026, 2, 23)),
    (D(2026, 2, 12), 3, D(2026, 2, 24)),
    # Tết 2023: 20-26/1 off
    (D(2023, 1, 19), 2, D(2023, 1, 30)),
    # Giỗ Tổ Hùng Vương 2023 (29/4, observed 2/5) with 30/4 and 1/5 (observed 3/5)
    (D(2023, 4, 28), 1, D(2023, 5, 4)),
    # Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/4, observed Monday 27/4
    (D(2026, 4, 24), 1, D(2026, 4, 28)),
    (D(2023, 12, 29), 3, D(2024, 1, 4)),    # across the new year: 1/1/2024 off
])
def test_due_date_counts_working_days_after_receipt(cal, received, days, due):
    assert cal.add_working_days(received, days) == due


def test_holidays_are_named_in_vietnamese(cal):
    assert "Tết" in cal.holiday_name(D(2026, 2, 17))
    assert cal.holiday_name(D(2026, 2, 23)) is None


def test_the_office_calendar_adds_days_off_and_working_saturdays():
    cal = WorkCalendar(extra_off=[D(2023, 9, 11)], extra_work=[D(2023, 9, 9)])
    assert cal.add_working_days(D(2023, 9, 8), 1) == D(2023, 9, 9)   # a Saturday worked
    assert cal.add_working_days(D(2023, 9, 9), 1) == D(2023, 9, 12)  # Monday given off


def test_working_days_between_and_long_limits(cal):
    assert cal.working_days_between(D(2023, 9, 8), D(2023, 9, 11)) == 1
    due = cal.add_working_days(D(2023, 1, 3), 450)
    assert cal.working_days_between(D(2023, 1, 3), due) == 450


def test_negative_days_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(D(2023, 1, 3), -1)
