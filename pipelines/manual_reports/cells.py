"""Reading single cells the way Indonesian offices write them.

Numbers: '.' groups thousands and ',' marks decimals ('17.583' = 17583, '2,5' = 2.5, '1.234.567'), plain
'17583' too. A string like '17,583' is therefore 17.583, which is not a whole number and is refused rather
than guessed at. Dates: dd/mm/yyyy (also '-' or '.'), yyyy-mm-dd, and Excel date cells. Nothing is ever
evaluated: a text cell starting with = + - @ stays text, and text in a number column is an error.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pipelines.manual_reports.issues import FORMULA_PREFIXES, CellError, show_value

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_PLAIN = re.compile(r"^\d+$")
_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+),\d+$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, as Python sees it


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: object) -> Decimal | None:
    """A cell as a number (Indonesian notation for text). None for a blank cell."""
    if _is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.time):
        raise CellError(f"{show_value(value)} bukan angka", f"{show_value(value)} is not a number")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(f"{show_value(value)} bukan angka", f"{show_value(value)} is not a number")
        return Decimal(str(value))
    text = str(value).strip()
    shown = show_value(text)
    negative = text.startswith("-") and len(text) > 1
    body = _SPACES.sub("", text[1:] if negative else text)
    if _PLAIN.match(body):
        number = Decimal(body)
    elif _DOT_GROUPS.match(body):
        number = Decimal(body.replace(".", ""))
    elif _DECIMAL_COMMA.match(body):
        number = Decimal(body.replace(".", "").replace(",", "."))
    elif text.startswith(FORMULA_PREFIXES):
        raise CellError(
            f"{shown} adalah teks (diawali '{text[0]}'), bukan angka; rumus tidak dijalankan",
            f"{shown} is text (starts with '{text[0]}'), not a number; formulas are never evaluated",
        )
    elif re.match(r"^\d+\.\d+$", body):
        raise CellError(
            f"{shown} tidak jelas: titik adalah pemisah ribuan (17.583) dan koma adalah desimal (2,5)",
            f"{shown} is ambiguous: '.' groups thousands (17.583) and ',' marks decimals (2,5)",
        )
    else:
        raise CellError(f"{shown} bukan angka", f"{shown} is not a number")
    return -number if negative else number


def parse_count(value: object) -> int | None:
    """A count: a whole number (negative numbers are returned; the validation suite refuses them)."""
    number = parse_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        shown = show_value(value)
        raise CellError(
            f"{shown} bukan bilangan bulat (koma adalah tanda desimal; tulis ribuan dengan titik: 17.583)",
            f"{shown} is not a whole number (',' is the decimal mark; write thousands with '.': 17.583)",
        )
    try:
        return int(number)
    except (InvalidOperation, OverflowError) as exc:  # pragma: no cover - Decimal of digits is finite
        raise CellError(f"{show_value(value)} bukan angka", f"{show_value(value)} is not a number") from exc


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def parse_date(value: object) -> dt.date | None:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, an Excel date cell or an Excel serial number."""
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    shown = show_value(value)
    bad = CellError(
        f"{shown} bukan tanggal (tulis dd/mm/yyyy, misalnya 17/11/2026)",
        f"{shown} is not a date (write dd/mm/yyyy, e.g. 17/11/2026)",
    )
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An unformatted Excel date cell holds its serial number; accept 2000-01-01 .. 2099-12-31.
        if value == int(value) and 36526 <= value <= 73050:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise bad
    text = str(value).strip()
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _YMD.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise bad
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise bad from None


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_week(value: object) -> tuple[dt.date, dt.date] | None:
    """An ISO week ('2026-W47') or the Monday that starts it → (Monday, Sunday)."""
    if _is_blank(value):
        return None
    shown = show_value(value)
    if isinstance(value, str) and (m := _ISO_WEEK.match(_SPACES.sub("", value))):
        try:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise CellError(
                f"{shown} bukan minggu ISO yang ada", f"{shown} is not an existing ISO week"
            ) from None
        return monday, monday + dt.timedelta(days=6)
    try:
        start = parse_date(value)
    except CellError:
        raise CellError(
            f"{shown} bukan minggu (tulis 2026-W47 atau tanggal hari Senin awal minggu, 16/11/2026)",
            f"{shown} is not a week (write 2026-W47 or the Monday that starts it, 16/11/2026)",
        ) from None
    assert start is not None
    if start.weekday() != 0:
        raise CellError(
            f"{shown} bukan hari Senin; minggu dimulai hari Senin (minggu ISO)",
            f"{shown} is not a Monday; weeks start on Monday (ISO weeks)",
        )
    return start, start + dt.timedelta(days=6)


def parse_text(value: object) -> str | None:
    """Text exactly as written (trimmed), never evaluated. Numbers from XLSX become their digits."""
    if _is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
