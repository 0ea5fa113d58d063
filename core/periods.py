"""Reporting periods: a month, a quarter, a year or a date range, all inclusive."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # "month" | "quarter" | "year" | "ytd" (year to date) | "range"

    @property
    def label(self) -> str:
        """The Vietnamese name of the period: 'tháng 9/2023', 'quý III/2023', 'năm 2023'."""
        from core.vnformat import date_short, roman_quarter

        if self.kind == "month":
            return f"tháng {self.start.month}/{self.start.year}"
        if self.kind == "quarter":
            return f"quý {roman_quarter((self.start.month - 1) // 3 + 1)}/{self.start.year}"
        if self.kind == "year":
            return f"năm {self.start.year}"
        if self.kind == "ytd":
            if (self.end + dt.timedelta(days=1)).day == 1:
                return f"từ đầu năm đến hết tháng {self.end.month}/{self.end.year}"
            return f"từ đầu năm đến ngày {date_short(self.end)}"
        return f"từ {date_short(self.start)} đến {date_short(self.end)}"

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        if self.kind == "month":
            return month(*_shift_month(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, m = _shift_month(self.start.year, self.start.month, -3)
            return quarter(y, (m - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "ytd":  # the same span of the year before (29 February becomes the 28th)
            end = self.end.replace(year=self.end.year - 1, day=min(self.end.day, 28)) \
                if (self.end.month, self.end.day) == (2, 29) else self.end.replace(year=self.end.year - 1)
            return Period(dt.date(end.year, 1, 1), end, "ytd")
        length = (self.end - self.start).days + 1
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=length - 1), end, "range")

    def year_to_date(self) -> "Period":
        """From 1 January of the period's year to its end (the letters' 'tính đến ngày')."""
        return Period(dt.date(self.end.year, 1, 1), self.end, "ytd")


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def month(y: int, m: int) -> Period:
    return Period(dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month")


def quarter(y: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(dt.date(y, first, 1), month(y, first + 2).end, "quarter")


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def ytd(y: int, m: int) -> Period:
    """The year to date: from 1 January to the end of month ``m``."""
    return Period(dt.date(y, 1, 1), month(y, m).end, "ytd")


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse(text: str) -> Period:
    """Parse ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``FROM..TO`` (ISO dates, inclusive)."""
    text = (text or "").strip()
    try:
        if m := _MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12:
                raise PeriodError(f"kỳ không hợp lệ {text!r}: tháng phải từ 1 đến 12")
            return month(y, mo)
        if m := _QUARTER.match(text):
            return quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return year(int(m[1]))
        if m := _RANGE.match(text):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if end < start:
                raise PeriodError(f"kỳ {text!r}: ngày cuối trước ngày đầu")
            return Period(start, end, "range")
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"kỳ không hợp lệ {text!r}: {exc}") from None
    raise PeriodError(
        f"kỳ không hợp lệ {text!r}: dùng YYYY-MM, YYYY-Qn, YYYY hoặc YYYY-MM-DD..YYYY-MM-DD"
    )
