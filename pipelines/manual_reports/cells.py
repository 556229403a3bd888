"""Reading single cells the way Indonesian offices write them: one documented rule per kind of cell.

Numbers (text): digits, optionally grouped in thousands by '.' ('17.583', '1.234.567') or by spaces
('17 583'); a decimal comma after them ('2,5', '1.234,0'). Anything that could mean two things is refused,
never guessed: a comma followed by exactly three digits ('15,000', '17,583': thousands in US notation, a
decimal in Indonesian), a dot not followed by three digits ('17.5'), spaces that do not group thousands
('17583 241': two numbers in one cell?), more than 15 digits (Excel keeps no more). Numbers (Excel cells):
the stored number; a formula counts by its saved value, and a formula without one, or an error value
('#DIV/0!'), is refused. Dates: dd/mm/yyyy (also '-' or '.'), yyyy-mm-dd, Excel date cells and serial numbers;
whether a day/month pair could be swapped is decided for the whole file in `dates.py`. Nothing is ever
evaluated: a text cell starting with = + - @ stays text, and text in a number column is an error.
"""

import datetime as dt
import re
from decimal import Decimal

from pipelines.manual_reports.issues import FORMULA_PREFIXES, CellError, show_value
from pipelines.manual_reports.xlsx_stream import ExcelError, NoSavedValue

_SPACE = "[ \u00a0\u202f\u2009]"
_PLAIN = re.compile(r"^[0-9]+$")
_DOT_GROUPS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_SPACE_GROUPS = re.compile(rf"^[0-9]{{1,3}}({_SPACE}[0-9]{{3}})+$")
_DECIMAL_COMMA = re.compile(r"^([0-9]+|[0-9]{1,3}(\.[0-9]{3})+),[0-9]+$")
_COMMA_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, as Python sees it
MAX_DIGITS = 15  # Excel stores 15 significant digits; no social-media count comes near


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _special(value: object) -> None:
    """Refuse what an Excel cell shows instead of a value: an error, or a formula without a saved result."""
    shown = show_value(value)
    if isinstance(value, NoSavedValue):
        raise CellError(
            f"sel berisi rumus {shown} tanpa hasil tersimpan (berkas disimpan oleh program yang tidak "
            "menghitung rumus); ketik angkanya langsung, atau buka dan simpan ulang di Excel",
            f"the cell holds the formula {shown} with no saved result (saved by a program that does not "
            "calculate formulas); type the figure itself, or open and save the file in Excel",
        )
    if isinstance(value, ExcelError):
        raise CellError(
            f"sel menampilkan galat Excel {shown}; ketik angkanya langsung",
            f"the cell shows the Excel error {shown}; type the figure itself",
        )


def _dots(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


def _comma_ambiguous(text: str, body: str) -> CellError:
    shown = show_value(text)
    digits = body.split(".")[0].replace(",", "")
    if body.count(",") == 1 and "." not in body:
        whole, frac = body.split(",")
        return CellError(
            f"{shown} tidak jelas: koma bisa berarti ribuan (format AS: {digits}) atau desimal (format "
            f"Indonesia: {whole} koma {frac}); tulis {digits} atau {_dots(digits)} tanpa koma",
            f"{shown} is ambiguous: the comma may group thousands (US: {digits}) or mark decimals (Indonesian: "
            f"{whole} point {frac}); write {digits} or {_dots(digits)} without a comma",
        )
    return CellError(
        f"{shown} memakai koma sebagai pemisah ribuan (format AS), padahal di sini koma berarti desimal; "
        f"tulis {digits} atau {_dots(digits)}",
        f"{shown} uses commas to group thousands (US notation), but here a comma marks decimals; write "
        f"{digits} or {_dots(digits)}",
    )


def parse_number(value: object) -> Decimal | None:
    """A cell as a number (Indonesian notation for text). None for a blank cell."""
    if _is_blank(value):
        return None
    _special(value)
    if isinstance(value, bool | dt.date | dt.time):
        raise CellError(f"{show_value(value)} bukan angka", f"{show_value(value)} is not a number")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(f"{show_value(value)} bukan angka", f"{show_value(value)} is not a number")
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
        return _within_digits(number, value)
    text = str(value).strip()
    shown = show_value(text)
    negative = text.startswith("-") and len(text) > 1
    body = text[1:] if negative else text
    if _PLAIN.match(body) or _DOT_GROUPS.match(body):
        number = Decimal(body.replace(".", ""))
    elif _SPACE_GROUPS.match(body):
        number = Decimal(re.sub(_SPACE, "", body))
    elif _COMMA_THOUSANDS.match(body):
        raise _comma_ambiguous(text, body)
    elif _DECIMAL_COMMA.match(body):
        number = Decimal(body.replace(".", "").replace(",", "."))
    elif text.startswith(FORMULA_PREFIXES):
        raise CellError(
            f"{shown} adalah teks (diawali '{text[0]}'), bukan angka; rumus tidak dijalankan",
            f"{shown} is text (starts with '{text[0]}'), not a number; formulas are never evaluated",
        )
    elif re.match(rf"^[0-9]+({_SPACE}+[0-9]+)+$", body):
        raise CellError(
            f"{shown} tidak jelas: spasi di dalam angka hanya boleh memisahkan ribuan (17 583); apakah ini "
            "dua angka dalam satu sel? Tulis satu angka saja, tanpa spasi (17583)",
            f"{shown} is ambiguous: spaces inside a number may only group thousands (17 583); are these two "
            "numbers in one cell? Write one number, without spaces (17583)",
        )
    elif re.match(r"^[0-9]+\.[0-9]+$", body):
        raise CellError(
            f"{shown} tidak jelas: titik adalah pemisah ribuan (17.583) dan koma adalah desimal (2,5)",
            f"{shown} is ambiguous: '.' groups thousands (17.583) and ',' marks decimals (2,5)",
        )
    else:
        raise CellError(f"{shown} bukan angka", f"{shown} is not a number")
    number = _within_digits(number, text)
    return -number if negative else number


def _within_digits(number: Decimal, value: object) -> Decimal:
    if abs(number) >= Decimal(10) ** MAX_DIGITS:
        shown = show_value(value)
        raise CellError(
            f"{shown} terlalu besar (lebih dari {MAX_DIGITS} digit) untuk sebuah jumlah; periksa angkanya",
            f"{shown} is too large for a count (more than {MAX_DIGITS} digits); check the figure",
        )
    return number


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
    return int(number)


DMY_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def parse_date(value: object) -> dt.date | None:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, an Excel date cell or an Excel serial number."""
    if _is_blank(value):
        return None
    _special(value)
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
    if m := DMY_TEXT.match(text):
        day, month, year = (int(g) for g in m.groups())
        if day <= 12 < month <= 31:
            raise CellError(
                f"{shown} bukan tanggal dd/mm/yyyy: tampaknya urutan bulan/hari (format AS); tulis "
                f"{month:02d}/{day:02d}/{year}",
                f"{shown} is not a dd/mm/yyyy date: it looks like month/day order (US); write "
                f"{month:02d}/{day:02d}/{year}",
            )
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
    if isinstance(value, str) and (m := _ISO_WEEK.match(re.sub(r"\s", "", value))):
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
    _special(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
