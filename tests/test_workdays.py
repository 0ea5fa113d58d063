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


def test_the_shipped_holiday_table_is_the_holidays_package_day_for_day():
    """The calendar reads its public holidays from resources/holidays_vn.csv (issue 30): the same days
    and names the package gives, every year of the table, so no due date or figure moves."""
    from resources import holidays_vn

    first, last, table = holidays_vn.read()
    assert first <= 2000 and last >= 2060
    assert table == holidays_vn.from_package(first, last)


def test_years_beyond_the_table_still_come_from_the_package():
    import holidays

    from core.domain.workdays import PublicHolidays
    from resources import holidays_vn

    first, last, _ = holidays_vn.read()
    package = holidays.country_holidays("VN", language="vi")
    days = PublicHolidays()
    for year in (first - 1, last + 1):
        for d in (D(year, 1, 1), D(year, 9, 2), D(year, 3, 3)):
            assert days.get(d) == package.get(d)
            assert (d in days) == (d in package)


def test_the_calendar_does_not_rebuild_the_lunar_calendar():
    """Working days of the table's years come without importing the holidays package."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, datetime as dt; from core.domain.workdays import WorkCalendar; "
            "c = WorkCalendar(); assert c.add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23); "
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip() == "False"
