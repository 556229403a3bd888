"""Cell parsing: Indonesian numbers, dates, ISO weeks, and text that is never evaluated."""

import datetime as dt
from decimal import Decimal

import pytest

from pipelines.manual_reports.cells import parse_count, parse_date, parse_number, parse_text, parse_week
from pipelines.manual_reports.issues import CellError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17.583", 17583),
        ("1.234.567", 1234567),
        ("17583", 17583),
        (" 17 583 ", 17583),
        ("17\u00a0583", 17583),
        ("1.234,0", 1234),
        ("0", 0),
        ("-5", -5),  # read as a number; the validation suite refuses negatives with its own reason
        (17583, 17583),
        (17583.0, 17583),
        ("", None),
        (None, None),
    ],
)
def test_counts_in_indonesian_notation(text, expected):
    assert parse_count(text) == expected


def test_decimal_comma_is_two_and_a_half():
    assert parse_number("2,5") == Decimal("2.5")
    assert parse_number("1.234,75") == Decimal("1234.75")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2,5", "not a whole number"),
        ("17,583", "ambiguous"),  # US thousands or an Indonesian decimal: refused, never guessed (issue 9)
        ("15,000", "ambiguous"),  # used to land as 15 (a whole decimal): issue 9
        ("17583 241", "ambiguous"),  # two numbers in one cell? used to land as 17,583,241
        ("1,234,567", "US notation"),
        ("12345678901234567890", "too large"),
        ("17.5", "ambiguous"),
        ("12a", "is not a number"),
        ("dua ribu", "is not a number"),
        ("=1+1", "formulas are never evaluated"),
        ("+62", "formulas are never evaluated"),
        ("@SUM(A1)", "formulas are never evaluated"),
        ("-2+3+cmd|' /C calc'!A0", "formulas are never evaluated"),
        (2.5, "not a whole number"),
        (True, "is not a number"),
        (dt.datetime(2026, 11, 17), "is not a number"),
    ],
)
def test_bad_counts_say_why(text, fragment):
    with pytest.raises(CellError) as err:
        parse_count(text)
    assert fragment in err.value.en_text
    assert err.value.id_text  # always an Indonesian wording too


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17/11/2026", dt.date(2026, 11, 17)),
        ("7/1/2026", dt.date(2026, 1, 7)),
        ("17-11-2026", dt.date(2026, 11, 17)),
        ("17.11.2026", dt.date(2026, 11, 17)),
        ("2026-11-17", dt.date(2026, 11, 17)),
        ("2026-11-17 00:00:00", dt.date(2026, 11, 17)),
        (dt.datetime(2026, 11, 17, 0, 0), dt.date(2026, 11, 17)),
        (dt.date(2026, 11, 17), dt.date(2026, 11, 17)),
        (46343, dt.date(2026, 11, 17)),  # an Excel serial number in an unformatted cell
        ("", None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["11/22/2026", "31/02/2026", "17/11/26", "kemarin", "=TODAY()", 12])
def test_bad_dates(value):
    with pytest.raises(CellError) as err:
        parse_date(value)
    assert "dd/mm/yyyy" in err.value.en_text


def test_weeks_iso_or_monday():
    assert parse_week("2026-W47") == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert parse_week("2026w47") == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert parse_week("16/11/2026") == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    with pytest.raises(CellError, match="not a Monday"):
        parse_week("17/11/2026")
    with pytest.raises(CellError, match="not an existing ISO week"):
        parse_week("2026-W54")
    with pytest.raises(CellError, match="not a week"):
        parse_week("minggu lalu")


def test_text_is_kept_as_written():
    assert parse_text('  =HYPERLINK("x")  ') == '=HYPERLINK("x")'
    assert parse_text(3578.0) == "3578"
    assert parse_text("   ") is None
