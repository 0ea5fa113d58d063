"""The working-day calendar: due dates in working days after receipt.

Saturdays, Sundays and Vietnam's public holidays (lunar ones included) are
not working days. The public holidays are dated data shipped with the program
(``resources/holidays_vn.csv``, made from the ``holidays`` package, which is
asked only for a year outside the table). The office's own calendar entries,
dated data kept in the database, come on top: a day off (a compensatory
holiday announced for the year) or a working day (a Saturday worked in
exchange).
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

_TABLE: tuple[int, int, dict[dt.date, str]] | None = None  # read once per process


def _table() -> tuple[int, int, dict[dt.date, str]]:
    global _TABLE
    if _TABLE is None:
        from resources import holidays_vn

        _TABLE = holidays_vn.read()
    return _TABLE


class PublicHolidays:
    """Vietnam's public holidays by date: the shipped table for its years, the ``holidays`` package beyond."""

    def __init__(self):
        self._package = None

    def get(self, d: dt.date) -> str | None:
        first, last, days = _table()
        if first <= d.year <= last:
            return days.get(d)
        if self._package is None:
            import holidays

            self._package = holidays.country_holidays("VN", language="vi")
        return self._package.get(d)

    def __contains__(self, d: dt.date) -> bool:
        first, last, days = _table()
        if first <= d.year <= last:
            return d in days
        return self.get(d) is not None


class WorkCalendar:
    def __init__(self, extra_off: Iterable[dt.date] = (), extra_work: Iterable[dt.date] = ()):
        self._extra_off = set(extra_off)
        self._extra_work = set(extra_work)
        self._holidays = PublicHolidays()
        self._years: set[int] = set()
        self._ordinals: list[int] = []  # sorted ordinals of working days in self._years

    def holiday_name(self, d: dt.date) -> str | None:
        if d in self._extra_work:
            return None
        if d in self._extra_off:
            return "Ngày nghỉ"
        return self._holidays.get(d)

    def is_working_day(self, d: dt.date) -> bool:
        if d in self._extra_work:
            return True
        if d in self._extra_off or d.weekday() >= 5:
            return False
        return d not in self._holidays

    def _cover(self, first_year: int, last_year: int) -> None:
        missing = [y for y in range(first_year, last_year + 1) if y not in self._years]
        if not missing:
            return
        for y in missing:
            day = dt.date(y, 1, 1)
            while day.year == y:
                if self.is_working_day(day):
                    self._ordinals.append(day.toordinal())
                day += dt.timedelta(days=1)
            self._years.add(y)
        self._ordinals.sort()

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; counting starts the day after.

        0 days gives ``start`` itself (a case settled on the day it came in).
        """
        if days < 0:
            raise ValueError("số ngày làm việc phải ≥ 0")
        if days == 0:
            return start
        # generous cover: 5 working days a week, at most ~20 holidays a year
        self._cover(start.year, start.year + 1 + days // 200)
        i = bisect.bisect_right(self._ordinals, start.toordinal())
        return dt.date.fromordinal(self._ordinals[i + days - 1])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``."""
        if end <= start:
            return 0
        self._cover(start.year, end.year)
        return bisect.bisect_right(self._ordinals, end.toordinal()) - bisect.bisect_right(
            self._ordinals, start.toordinal()
        )

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The working day ``days`` working days before ``end`` (0 gives ``end`` itself)."""
        if days < 0:
            raise ValueError("số ngày làm việc phải ≥ 0")
        if days == 0:
            return end
        self._cover(end.year - 1 - days // 200, end.year)
        i = bisect.bisect_left(self._ordinals, end.toordinal())
        return dt.date.fromordinal(self._ordinals[i - days])
