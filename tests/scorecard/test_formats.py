"""How the page writes numbers and dates in Bahasa Indonesia and English (and that the page test reads them back)."""

import datetime as dt
from decimal import Decimal

import pytest
from page_figures import parse

from pipelines.scorecard.charts import sparkline
from pipelines.scorecard.i18n import Formatter


@pytest.mark.parametrize(
    "lang,integer,signed,percent,decimal,date",
    [
        ("id", "1.234.567", "−33.012", "+3,46 %", "75,5", "17 Agustus 2026"),
        ("en", "1,234,567", "−33,012", "+3.46%", "75.5", "17 August 2026"),
    ],
)
def test_numbers_and_dates_are_written_as_readers_of_the_language_write_them(
    lang, integer, signed, percent, decimal, date
):
    fmt = Formatter(lang)
    assert fmt.integer(1234567) == integer
    assert fmt.signed(-33012) == signed and fmt.signed(0).startswith("±")
    assert fmt.percent(0.034567, 2, signed=True) == percent
    assert fmt.decimal(75.46) == decimal
    assert fmt.date(dt.date(2026, 8, 17)) == date
    assert fmt.integer(None) == fmt.percent(None) == "–"
    assert fmt.range(10, None) == "≥ 10" and fmt.range(None, None) == "–"
    assert parse(integer, lang) == (Decimal(1234567), False, 0)
    assert parse(signed, lang) == (Decimal(-33012), False, 0)
    assert parse(percent, lang) == (Decimal("3.46"), True, 2)


def test_a_sparkline_draws_the_known_weeks_and_marks_the_last():
    svg = sparkline([40.0, None, 55.5, 61.0], "Kota Contoh: 4 minggu")
    assert svg.startswith('<svg class="spark"') and "<title>Kota Contoh: 4 minggu</title>" in svg
    assert svg.count(",") == 3 + 0  # three known points in the polyline
    assert "<circle" in svg
    assert sparkline([None, None], "none") == ""
