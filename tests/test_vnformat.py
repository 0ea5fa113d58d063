import datetime as dt
from decimal import Decimal

import pytest

from core.domain import vnformat as f
from core.domain import vnformat


@pytest.mark.parametrize("num,den,expected", [
    (1, 160, Decimal("0.63")),     # 0.625 rounds half up, not to even
    (157, 159, Decimal("98.74")),  # the letters' September figure
    (1235, 1262, Decimal("97.86")),
    (149, 853, Decimal("17.47")),
    (160, 160, Decimal("100.00")),
    (0, 5, Decimal("0.00")),
])
def test_rate_rounds_half_up_to_two_decimals(num, den, expected):
    assert f.rate(num, den) == expected


def test_rate_of_nothing_is_none():
    assert f.rate(0, 0) is None


@pytest.mark.parametrize("n,text", [(0, "0"), (999, "999"), (1235, "1.235"), (1000000, "1.000.000"),
                                    (-1262, "-1.262")])
def test_number_uses_dots_between_thousands(n, text):
    assert f.number(n) == text


def test_percent_and_fraction_as_the_letters_write_them():
    assert f.percent(Decimal("97.86")) == "97,86%"
    assert f.percent(Decimal("82.80")) == "82,8%"
    assert f.percent(Decimal("100.00")) == "100%"
    assert f.percent(Decimal("82.80"), strip=False) == "82,80%"
    assert f.percent(None) == "—"
    assert f.fraction(1235, 1262) == "1.235/1.262"
    assert f.decimal(Decimal("1234.5")) == "1.234,5"


def test_change_in_percentage_points():
    assert f.change(Decimal("4.11")) == "tăng 4,11%"
    assert f.change(Decimal("-5.74")) == "giảm 5,74%"
    assert f.change(Decimal("-12.67"), "cao hơn", "thấp hơn") == "thấp hơn 12,67%"
    assert f.change(0) == "không thay đổi"


def test_dates_in_text_and_on_the_date_line():
    assert f.date_text(dt.date(2023, 9, 29)) == "ngày 29 tháng 9 năm 2023"
    assert f.date_line(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert f.date_line(dt.date(2023, 10, 3)) == "ngày 03 tháng 10 năm 2023"
    assert f.date_line(dt.date(2023, 9, 29)) == "ngày 29 tháng 9 năm 2023"
    assert f.date_short(dt.date(2023, 9, 5)) == "05/09/2023"


def test_tables_and_tiles_always_show_two_decimals():
    # the same rates the letters write "1%", "94,9%", "100%" are "1,00%", "94,90%", "100,00%" in a table
    assert [vnformat.cell_percent(v) for v in (1, Decimal("94.9"), 100, Decimal("97.86"))] == \
        ["1,00%", "94,90%", "100,00%", "97,86%"]
    assert vnformat.cell_percent(None) == "—"
    assert vnformat.percent(Decimal("94.90")) == "94,9%"  # prose keeps the letters' style


def test_stored_timestamps_are_shown_day_first():
    assert vnformat.date_time("2023-09-29T14:05:33") == "29/09/2023 14:05"
    assert vnformat.date_time("2023-09-29T14:05:33", seconds=True) == "29/09/2023 14:05:33"
    assert vnformat.date_time(None) == ""


def test_a_phrase_begun_as_a_sentence_keeps_the_rest_as_written():
    assert vnformat.sentence("chưa có số liệu Số hoá của 05 hồ sơ") == "Chưa có số liệu Số hoá của 05 hồ sơ"
    assert vnformat.sentence("đã ghi UBND xã") == "Đã ghi UBND xã" and vnformat.sentence("") == ""
