"""One typed vocabulary: the registry of indicators and its old views; a period that says "year to date"."""
import datetime as dt

from core.queries import dashboard
from core.domain import indicators
from core.domain import periods

D = dt.date


def test_the_old_names_are_views_of_the_one_registry():
    keys = [i.key for i in indicators.REGISTRY]
    assert keys == ["online", "digitized_on_receipt", "result_digitized", "on_time", "paid_online", "e_certified",
                    "on_time_766"]
    assert list(indicators.INDICATORS) == keys
    assert indicators.INDICATORS["on_time"] == ("Tỷ lệ hồ sơ giải quyết đúng hạn", "on_time", "resolved")
    assert indicators.INDICATORS["e_certified"][2] is None
    assert indicators.RATE_KEYS == (*keys[:5], "on_time_766")
    assert indicators.MONTHLY_RATE_KEYS == tuple(keys[:5])  # the rates kept as monthly totals
    assert indicators.SHORT_NAMES["paid_online"] == "Thanh toán trực tuyến"
    assert set(indicators.NARRATIVE_NAMES) == set(indicators.MONTHLY_RATE_KEYS)  # the paragraph names the monthly rates


def test_an_indicator_formats_its_own_value():
    # 46 of 47 resolved on time: 97,872…% rounded to 97,87% (written as the letters write it)
    result = indicators.Figures.from_counts(
        {"resolved": 47, "resolved_early": 40, "resolved_on_due": 6, "e_certified": 1234},
        {k: 100.0 for k in indicators.RATE_KEYS})
    assert result.on_time.formatted == "97,87%"
    assert result.e_certified.formatted == "1.234"


def test_a_year_to_date_period_says_so_and_knows_the_one_before():
    ytd = periods.parse("2023-09").year_to_date()
    assert (ytd.kind, ytd.start, ytd.end) == ("ytd", D(2023, 1, 1), D(2023, 9, 30))
    assert ytd.label == "từ đầu năm đến hết tháng 9/2023"
    assert periods.parse("2023-01-01..2023-09-29").year_to_date().label == "từ đầu năm đến ngày 29/09/2023"
    before = ytd.previous()
    assert (before.kind, before.start, before.end) == ("ytd", D(2022, 1, 1), D(2022, 9, 30))
    leap = periods.Period(D(2024, 1, 1), D(2024, 2, 29), "ytd").previous()
    assert leap.end == D(2023, 2, 28)
    assert periods.parse(ytd.code) == periods.Period(D(2023, 1, 1), D(2023, 9, 30), "range")  # the code reads back
    assert dashboard.period_for("ytd", 2023, 9) == ytd


def test_a_result_reads_as_typed_values():
    # 46 of 47 on time against a target of 98: 97,87% misses it; 1.234 e-certified copies is a count
    result = indicators.Figures.from_counts(
        {"resolved": 47, "resolved_early": 40, "resolved_on_due": 6, "e_certified": 1234},
        {k: 98.0 for k in indicators.RATE_KEYS})
    typed = {e.indicator.key: e for e in result.entries()}
    assert list(typed) == [i.key for i in indicators.REGISTRY]
    on_time = typed["on_time"]
    assert (on_time.numerator, on_time.denominator, on_time.rate, on_time.met) == (46, 47, 97.87, False)
    assert typed["e_certified"].formatted == "1.234" and typed["e_certified"].met is None
    assert typed["online"].rate is None and typed["online"].met is None  # no case received: no rate
