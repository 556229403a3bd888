"""Whether a file's dates agree with each other: the day/month order decided for the whole file.

A date whose day and month are both 12 or less (and differ) reads two ways: '05/11/2026' is 5 November
(dd/mm, our rule) or 11 May (mm/dd, US). An Excel date cell is no safer: dd/mm typed into Excel set to US order
is stored as the swapped date, and nothing in the cell says so. Such a date is 'swappable'. It is taken as read
unless the file itself says otherwise, in which case it is refused (never swapped by us):

1. month-first text: another text date in the file only fits mm/dd ('11/22/2026'), so the file was written
   month-first and every swappable text date in it is in doubt;
2. date cells beside text dates: in an .xlsx, the date column holds both date cells and dd/mm text with a day
   above 12, the mark of dd/mm typed into US-order Excel (it turns 05/11 into 11 May and leaves 17/11 as text);
3. the day it was saved: in an .xlsx, the date lies after the day the workbook was saved while its swap does
   not; or, for a date cell, its swap lies within SENT_WITHIN_DAYS before that day and closer to it than the
   date as read (a report is sent soon after its day: '02/12' typed into US-order Excel and saved on
   3 December is stored as 12 February). A date cell typed into US-order Excel and sent more than two months
   late can still land swapped: it is the one case the file cannot tell (the docs say so);
4. the other rows: the swap lies within NEAR_DAYS of the file's unambiguous dates while the date as read lies
   farther away, or, when every date is swappable, the dates as read spread over more than a month while the
   swapped dates fall within one (a report covers a run of days, not the same day of many months).

Not swappable (anchors): text in yyyy-mm-dd, a day above 12, day equal to month, a date cell whose format
shows the month by name or year-first (what the unit saw is what it meant), an unformatted Excel serial.
"""

import datetime as dt

from pipelines.manual_reports.cells import DMY_TEXT
from pipelines.manual_reports.issues import Issue, clip_value
from pipelines.manual_reports.xlsx_stream import ExcelDate

NEAR_DAYS = 7
MONTH_DAYS = 31
SENT_WITHIN_DAYS = 62


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def swapped(day: dt.date) -> dt.date:
    return dt.date(day.year, day.day, day.month)


def alternative(raw: object, read: dt.date | None) -> dt.date | None:
    """The other reading of a date cell, when it has one (None: the date is unambiguous)."""
    if read is None or read.day > 12 or read.day == read.month:
        return None
    if isinstance(raw, ExcelDate):
        return None if raw.shows_month_plainly else swapped(read)
    if isinstance(raw, dt.datetime):  # a date cell whose format we do not know
        return swapped(read)
    if isinstance(raw, str) and DMY_TEXT.match(raw.strip()):
        return swapped(read)
    return None


def _month_first_example(raws: list[object]) -> str | None:
    for raw in raws:
        if isinstance(raw, str) and (m := DMY_TEXT.match(raw.strip())):
            first, second = int(m.group(1)), int(m.group(2))
            if first <= 12 < second <= 31:
                return raw.strip()
    return None


def _day_first_text_example(raws: list[object]) -> str | None:
    for raw in raws:
        if isinstance(raw, str) and (m := DMY_TEXT.match(raw.strip())) and int(m.group(1)) > 12:
            return raw.strip()
    return None


def _distance(day: dt.date, low: dt.date, high: dt.date) -> int:
    return 0 if low <= day <= high else min(abs((day - low).days), abs((day - high).days))


def _sent_soon_after(other: dt.date, read: dt.date, saved_on: dt.date) -> bool:
    """The swapped day lies within SENT_WITHIN_DAYS before the save, and closer to it than the day as read."""
    return 0 <= (saved_on - other).days <= SENT_WITHIN_DAYS and (saved_on - other) < abs(saved_on - read)


def _spread(days: list[dt.date]) -> int:
    return (max(days) - min(days)).days if days else 0


def check_dates(rows: list, raw_dates: dict[int, object], kind: str, saved_on: dt.date | None) -> list[Issue]:
    """Issues for the swappable dates the file contradicts; those rows' dates are cleared (not validated on).

    `rows`: ReportRows; `raw_dates`: row number → the date cell as written; `kind`: csv | xlsx.
    """
    daily = [r for r in rows if r.period == "day" and r.metric_date is not None]
    doubtful = {r.row_number: r.date_alternative for r in daily if r.date_alternative is not None}
    if not doubtful:
        return []
    raws = list(raw_dates.values())
    reasons: dict[int, tuple[str, str]] = {}
    us_text = _month_first_example(raws)
    dd_text = _day_first_text_example(raws) if kind == "xlsx" else None
    anchors = [r.metric_date for r in daily if r.row_number not in doubtful]
    as_read = [r.metric_date for r in daily if r.row_number in doubtful]
    compact = not anchors and _spread([doubtful[n] for n in doubtful]) <= MONTH_DAYS < _spread(as_read)
    for row in daily:
        other = doubtful.get(row.row_number)
        if other is None:
            continue
        raw = raw_dates.get(row.row_number)
        is_cell = isinstance(raw, dt.datetime)
        read = row.metric_date
        if us_text and not is_cell:
            reasons[row.row_number] = (
                f"berkas ini juga memuat {us_text!r} yang berurutan bulan/hari (format AS)",
                f"this file also holds {us_text!r}, which is in month/day (US) order",
            )
        elif dd_text and is_cell:
            reasons[row.row_number] = (
                f"Excel menyimpan sel ini sebagai tanggal sedangkan {dd_text!r} tetap teks: tanda tanggal dd/mm "
                "diketik di Excel berpengaturan bulan/hari (AS)",
                f"Excel stored this cell as a date while {dd_text!r} stayed text: the mark of dd/mm dates "
                "typed into Excel set to month/day (US) order",
            )
        elif kind == "xlsx" and saved_on and read > saved_on >= other:
            reasons[row.row_number] = (
                f"buku kerja ini disimpan pada {_fmt(saved_on)}, sebelum tanggal itu",
                f"the workbook was saved on {_fmt(saved_on)}, before that day",
            )
        elif is_cell and saved_on and _sent_soon_after(other, read, saved_on):
            reasons[row.row_number] = (
                f"buku kerja ini disimpan pada {_fmt(saved_on)}, lebih dekat ke {_fmt(other)}",
                f"the workbook was saved on {_fmt(saved_on)}, closer to {_fmt(other)}",
            )
        elif anchors and _distance(other, min(anchors), max(anchors)) <= NEAR_DAYS < _distance(
            read, min(anchors), max(anchors)
        ):
            reasons[row.row_number] = (
                f"tanggal lain di berkas ini ({_fmt(min(anchors))}–{_fmt(max(anchors))}) lebih cocok dengan "
                "hari dan bulan ditukar",
                f"the file's other dates ({_fmt(min(anchors))}–{_fmt(max(anchors))}) fit the swapped reading "
                "better",
            )
        elif compact:
            reasons[row.row_number] = (
                "tanggal-tanggal di berkas ini lebih berdekatan bila hari dan bulan ditukar",
                "the file's dates lie closer together with day and month swapped",
            )
    issues = []
    for row in daily:
        if row.row_number not in reasons:
            continue
        why_id, why_en = reasons[row.row_number]
        read, other = row.metric_date, doubtful[row.row_number]
        issues.append(
            Issue(
                f"tanggal ini bisa dibaca {_fmt(read)} atau {_fmt(other)} (hari dan bulan tertukar), dan "
                f"{why_id}. Tulis tanggal sebagai teks yyyy-mm-dd ({other:%Y-%m-%d} atau {read:%Y-%m-%d}), "
                "atau format kolom tanggal di Excel sebagai 'dd mmm yyyy' agar nama bulan terlihat, lalu "
                "periksa setiap tanggal",
                f"this date reads as {_fmt(read)} or {_fmt(other)} (day and month swapped), and {why_en}. "
                f"Write dates as text yyyy-mm-dd ({other:%Y-%m-%d} or {read:%Y-%m-%d}), or format the date "
                "column in Excel as 'dd mmm yyyy' so the month name shows, then check every date",
                row.row_number,
                "report_date",
                clip_value(_shown(raw_dates.get(row.row_number))),
            )
        )
        row.metric_date = None  # not validated further: the unit must say which day it meant
    return issues


def _shown(raw: object) -> object:
    return _fmt(raw) if isinstance(raw, dt.datetime) else raw
