"""Reporting periods: a month, a quarter, a year or a date range, all inclusive."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    pass


FIRST_DAY = dt.date(2000, 1, 1)  # no case of this program was received before it (core.domain.cases.EARLIEST)


def last_day(today: dt.date | None = None) -> dt.date:
    """The last day a period may reach: the end of next year (a plan for next year, never 9999)."""
    return dt.date((today or dt.date.today()).year + 1, 12, 31)


def accepted_range(today: dt.date | None = None) -> str:
    return f"từ {FIRST_DAY:%d/%m/%Y} đến {last_day(today):%d/%m/%Y}"


def within(period: "Period", text: str = "", today: dt.date | None = None) -> "Period":
    """The period itself when it lies inside the range the program accepts; ``PeriodError`` naming it otherwise."""
    if period.start < FIRST_DAY or period.end > last_day(today):
        shown = text or period.label
        raise PeriodError(f"kỳ {shown!r} nằm ngoài khoảng chương trình nhận ({accepted_range(today)})")
    return period


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # "month" | "quarter" | "year" | "ytd" (year to date) | "range"

    @property
    def label(self) -> str:
        """The Vietnamese name of the period: 'tháng 9/2023', 'quý III/2023', 'năm 2023'."""
        from core.domain.vnformat import date_short, roman_quarter

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

# what people type (after lower case, NFC and single spaces)
_VN_MONTH = re.compile(r"^(?:tháng|th|t)?\s*(\d{1,2})\s*(?:/|-|\.|năm)\s*(\d{4})$")
_VN_QUARTER = re.compile(r"^(?:quý|quy|q)\s*([1-4]|i{1,3}|iv)\s*(?:/|-|\.|năm)\s*(\d{4})$")
_VN_YEAR = re.compile(r"^năm\s*(\d{4})$")
_DATE = r"(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})"
_VN_RANGE = re.compile(rf"^(?:từ(?: ngày)?\s*)?{_DATE}\s*(?:-|–|\.\.|đến(?: hết)?(?: ngày)?)\s*{_DATE}$")
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
EXAMPLES = "9/2025, tháng 9/2025, quý 3/2025, Q3/2025, 2025, 1/1/2025-29/9/2025 hoặc từ 1/1/2025 đến 29/9/2025"


def _date(text: str) -> dt.date:
    if "/" in text:
        d, m, y = (int(x) for x in text.split("/"))
        return dt.date(y, m, d)
    return dt.date.fromisoformat(text)


def _month(text: str, y: int, mo: int) -> Period:
    if not 1 <= mo <= 12:
        raise PeriodError(f"kỳ không hợp lệ {text!r}: tháng phải từ 1 đến 12")
    return month(y, mo)


def _range(text: str, start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError(f"kỳ {text!r}: ngày cuối trước ngày đầu")
    return Period(start, end, "range")


def parse(text: str, today: dt.date | None = None) -> Period:
    """A period as a script writes it or as a person types it, inside the accepted range (``within``)."""
    return within(_parse(text), (text or "").strip(), today)


def _parse(text: str) -> Period:
    """A period as a script writes it or as a person types it.

    ``YYYY-MM``, ``YYYY-Qn``, ``YYYY``, ``FROM..TO`` (ISO dates, inclusive), and the
    Vietnamese forms: ``9/2025``, ``tháng 9/2025``, ``quý 3/2025``, ``quý III/2025``,
    ``Q3/2025``, ``năm 2025``, ``1/1/2025-29/9/2025``, ``từ 1/1/2025 đến 29/9/2025``.
    """
    import unicodedata

    text = (text or "").strip()
    plain = " ".join(unicodedata.normalize("NFC", text).lower().split())
    try:
        if m := _MONTH.match(plain):
            return _month(text, int(m[1]), int(m[2]))
        if m := _QUARTER.match(plain):
            return quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(plain) or _VN_YEAR.match(plain):
            return year(int(m[1]))
        if m := _RANGE.match(plain):
            return _range(text, dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))
        if m := _VN_MONTH.match(plain):
            return _month(text, int(m[2]), int(m[1]))
        if m := _VN_QUARTER.match(plain):
            q = int(m[1]) if m[1].isdigit() else _ROMAN_Q[m[1]]
            return quarter(int(m[2]), q)
        if m := _VN_RANGE.match(plain):
            return _range(text, _date(m[1]), _date(m[2]))
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"kỳ không hợp lệ {text!r}: có ngày không có trên lịch") from None
    raise PeriodError(f"kỳ không hợp lệ {text!r}: ghi như {EXAMPLES} (hoặc YYYY-MM, YYYY-Qn, "
                      f"YYYY-MM-DD..YYYY-MM-DD)")
