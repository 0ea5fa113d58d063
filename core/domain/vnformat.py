"""How numbers, rates and dates are written for a Vietnamese reader.

The one place that knows interfaces.md section 4: ``1.235`` for thousands,
``97,86%`` with a decimal comma, ``ngày 29 tháng 9 năm 2023`` in running
text, ``ngày 05 tháng 02 năm 2026`` on an official date line.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """The percentage numerator/denominator rounded half up to two decimals.

    ``None`` when the denominator is 0. Exact: 1/160 is 0.625, which rounds
    to 0.63 (binary floats would give 0.62).
    """
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(_CENT, ROUND_HALF_UP)


def sentence(text: str) -> str:
    """A phrase begun as a sentence: its first letter upper case, the rest as written
    ('chưa có số liệu …' -> 'Chưa có số liệu …'; str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def number(n: int) -> str:
    """An integer with a dot between thousands: 1235 -> '1.235'."""
    sign = "-" if n < 0 else ""
    return sign + f"{abs(int(n)):,}".replace(",", ".")


def decimal(value: Decimal | float | int, places: int = 2, strip: bool = True) -> str:
    """A decimal number with a decimal comma and dotted thousands.

    ``strip`` drops trailing zeros as the official letters do (82,8%, 100%).
    """
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    q = abs(q)
    whole, _, frac = f"{q:.{places}f}".partition(".")
    if strip:
        frac = frac.rstrip("0")
    text = number(int(whole))
    return sign + (f"{text},{frac}" if frac else text)


def percent(value: Decimal | float | int | None, strip: bool = True, none: str = "—") -> str:
    """A rate as '97,86%'; ``none`` for a rate that does not exist."""
    if value is None:
        return none
    return decimal(value, 2, strip) + "%"


def cell_percent(value: Decimal | float | int | None, none: str = "—") -> str:
    """A rate in a table, a tile or a field: always two decimals ('97,86%', '100,00%', '1,00%').

    Prose (report text, notes written like the letters) uses ``percent`` and drops the zeros.
    """
    return percent(value, strip=False, none=none)


def date_time(text: str | dt.datetime | None, seconds: bool = False) -> str:
    """A stored ISO timestamp for people: '29/09/2023 14:05' (never '2023-09-29T14:05:00')."""
    if not text:
        return ""
    moment = text if isinstance(text, dt.datetime) else dt.datetime.fromisoformat(str(text))
    return moment.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def fraction(numerator: int, denominator: int) -> str:
    """'1.235/1.262' as the letters write it."""
    return f"{number(numerator)}/{number(denominator)}"


def change(points: Decimal | float | None, higher: str = "tăng", lower: str = "giảm") -> str:
    """A difference in percentage points: 'tăng 4,11%', 'giảm 5,74%', 'không thay đổi'."""
    if points is None:
        return "không có số liệu so sánh"
    points = Decimal(str(points))
    if points == 0:
        return "không thay đổi"
    return f"{higher if points > 0 else lower} {percent(abs(points))}"


def date_short(d: dt.date | None) -> str:
    """'29/09/2023' for tables and fields."""
    return d.strftime("%d/%m/%Y") if d else ""


def date_text(d: dt.date) -> str:
    """'ngày 29 tháng 9 năm 2023' for running text."""
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def date_brief(d: dt.date) -> str:
    """'29/9/2023' as a cut-off inside running text ('Tính đến ngày 29/9/2023', 'đến hết ngày 30/4/2023')."""
    return f"{d.day}/{d.month}/{d.year}"


def date_line(d: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026' for the date line of a document (Nghị định 30/2020).

    A leading zero for days below 10 and for the months 1 and 2.
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def roman_quarter(q: int) -> str:
    return _ROMAN[q]


def padded(n: int) -> str:
    """A count in prose as the letters write it: '04 hồ sơ', '08 địa phương', '1.235 hồ sơ'."""
    return f"{n:02d}" if 0 <= n < 10 else number(n)
