"""Issue 9, point 1, as properties: files generated from the template with the habits of real offices land
exactly what was written, and every ambiguous variant of such a file is refused, naming its row.

Habits: CSV with ';', ',' or tab, UTF-8 with or without BOM, cp1252, UTF-16 (Excel 'Unicode text'), CRLF or LF,
title rows above the header, Indonesian headers or English aliases in any order and case, numbers plain, with
thousands dots, with (no-break) spaces, quoted; empty cells; dates dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy,
yyyy-mm-dd; platform words (ig, Instagram, YT); handles with '@', upper case or as a profile URL; a notes
column (quotes, separators, line breaks); weekly rows (ISO week or its Monday). XLSX as Excel writes it: title
rows, number cells or text with dots, date cells (short-date format 14, or 'dd mmm yyyy') or dd/mm text.
A date that the file's own rules find in doubt may be refused (then the reason must say so); nothing else.
"""

import csv
import datetime as dt
import io
import uuid

import openpyxl
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.lake import manual_partition_path
from pipelines.manual_reports.columns import METRIC_COLUMNS, TEMPLATE_COLUMNS
from pipelines.manual_reports.dates import check_dates
from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.intake import process_file
from pipelines.manual_reports.reader import read_table
from pipelines.manual_reports.rows import parse_rows
from pipelines.registry import load_accounts
from pipelines.settings import today_wib

# Through the whole intake (Great Expectations, the lake): fewer cases, each costs about a second.
PROPERTY = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# The reading stages alone (reader, header, cells, dates): where every habit is decided; many cases.
READING = settings(PROPERTY, max_examples=250)
ACCOUNTS = sorted(
    (a for a in load_accounts() if a.active_from <= dt.date(2024, 1, 1) and a.active_to is None),
    key=lambda a: a.account_id,
)[:12]
METRICS = [c.field for c in METRIC_COLUMNS]
PLATFORM_WORDS = {"instagram": ["ig", "Instagram", "IG"], "youtube": ["yt", "YouTube"], "x": ["twitter", "X"]}


@st.composite
def reports(draw):
    weekly = draw(st.booleans())
    accounts = draw(
        st.lists(st.sampled_from(ACCOUNTS), min_size=1, max_size=4, unique_by=lambda a: a.account_id)
    )
    rows = []
    for account in accounts:
        for back in draw(st.lists(st.integers(1, 8 if weekly else 45), min_size=1, max_size=3, unique=True)):
            if weekly:
                monday = today_wib() - dt.timedelta(days=today_wib().weekday() + 7 * back)
                period = ("week", monday)
            else:
                period = ("day", today_wib() - dt.timedelta(days=back))
            values = {m: draw(st.none() | st.integers(0, 5 * 10**8)) for m in METRICS}
            values["followers_count"] = draw(st.integers(0, 5 * 10**8))
            rows.append((account, period, values))
    return rows


@st.composite
def habits(draw):
    return {
        "kind": draw(st.sampled_from(["csv", "xlsx"])),
        "sep": draw(st.sampled_from([";", ",", "\t"])),
        "encoding": draw(st.sampled_from(["utf-8-sig", "utf-8", "cp1252", "utf-16"])),
        "newline": draw(st.sampled_from(["\r\n", "\n"])),
        "titles": draw(st.integers(0, 2)),
        "english": draw(st.booleans()),
        "order": draw(st.permutations(range(len(TEMPLATE_COLUMNS) + 1))),
        "numbers": draw(st.sampled_from(["plain", "dots", "spaces", "cells"])),
        "dates": draw(
            st.sampled_from(["dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "iso", "cells"])
        ),
        "month_name": draw(st.booleans()),
        "handles": draw(st.sampled_from(["plain", "@", "upper", "url"])),
        "notes": draw(st.sampled_from(["", 'naik karena "lomba"; foto', "baris satu\nbaris dua", "biasa"])),
    }


def _number(value: int | None, style: str, kind: str) -> object:
    if value is None:
        return ""
    if style == "cells" and kind == "xlsx":
        return value
    if style == "dots":
        return f"{value:,}".replace(",", ".")
    if style == "spaces":
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def _date(day: dt.date, style: str, kind: str) -> object:
    if style == "cells" and kind == "xlsx":
        return dt.datetime.combine(day, dt.time())
    return {
        "dd/mm/yyyy": f"{day:%d/%m/%Y}",
        "d/m/yyyy": f"{day.day}/{day.month}/{day.year}",
        "dd-mm-yyyy": f"{day:%d-%m-%Y}",
        "dd.mm.yyyy": f"{day:%d.%m.%Y}",
    }.get(style, day.isoformat())


def _handle(account, style: str) -> str:
    return {
        "@": "@" + account.handle,
        "upper": account.handle.upper(),
        "url": f"https://www.{account.platform}.com/{account.handle}/",
    }.get(style, account.handle)


def _table(rows, habit) -> tuple[list[str], list[list[object]]]:
    weekly = rows[0][1][0] == "week"
    columns = [c for c in TEMPLATE_COLUMNS]
    names = [c.header_en if habit["english"] else c.header_id for c in columns]
    date_at = 3
    if weekly:
        names[date_at] = "week" if habit["english"] else "minggu"
    names.append("notes" if habit["english"] else "keterangan")
    body = []
    for account, (_, day), values in rows:
        words = PLATFORM_WORDS.get(account.platform, [account.platform])
        cells = [
            account.unit_code,
            words[len(body) % len(words)],
            _handle(account, habit["handles"]),
            _date(day, habit["dates"], habit["kind"]),
            *[_number(values[m], habit["numbers"], habit["kind"]) for m in METRICS],
            habit["notes"],
        ]
        body.append(cells)
    order = list(habit["order"])
    return [names[i] for i in order], [[cells[i] for i in order] for cells in body]


def _write(path, rows, habit) -> None:
    _write_cells(path, *_table(rows, habit), habit)


def _fresh_inbox(tmp_path, monkeypatch):
    data = tmp_path / uuid.uuid4().hex
    (data / "inbox").mkdir(parents=True)
    monkeypatch.setenv("MEDSOS_DATA_DIR", str(data))
    return data


def _metric_day(period) -> dt.date:
    kind, day = period
    return day + dt.timedelta(days=6) if kind == "week" else day


@PROPERTY
@given(rows=reports(), habit=habits())
def test_what_lands_is_what_was_written(tmp_path, monkeypatch, inbox, rows, habit):
    data = _fresh_inbox(tmp_path, monkeypatch)
    name = f"laporan.{habit['kind']}"
    _write(data / "inbox" / name, rows, habit)
    result = process_file(name, run_id="prop")
    if result.outcome == "quarantined":
        # Only a date the file itself puts in doubt may be refused, and only where it could be swapped.
        assert all("reads as" in line for line in result.issues), result.issues
        assert habit["dates"] in ("dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "cells")
        return
    assert result.outcome == "processed", result
    for account, period, values in rows:
        day = _metric_day(period)
        lake = pq.read_table(manual_partition_path(data / "lake", day, account.unit_code)).to_pylist()
        [landed] = [r for r in lake if r["account_id"] == account.account_id]
        assert {m: landed[m] for m in METRICS} == values
        assert landed["reporting_period_days"] == (7 if period[0] == "week" else 1)


AMBIGUOUS = {
    # variant: (what replaces the followers cell, fragment of the reason)
    "comma thousands": ("17,583", "is ambiguous: the comma may group thousands"),
    "quoted comma thousands": ("15,000", "is ambiguous: the comma may group thousands"),
    "two numbers in one cell": ("17583 241", "are these two numbers in one cell"),
    "twenty digits": ("12345678901234567890", "too large for a count"),
    "decimal dot": ("17.5", "is ambiguous: '.' groups thousands"),
    "US thousands": ("1,234,567", "uses commas to group thousands (US notation)"),
}


@PROPERTY
@given(rows=reports(), habit=habits(), variant=st.sampled_from(sorted(AMBIGUOUS)), data=st.data())
def test_every_ambiguous_variant_is_refused_naming_its_row(
    tmp_path, monkeypatch, inbox, rows, habit, variant, data
):
    folder = _fresh_inbox(tmp_path, monkeypatch)
    target = data.draw(st.integers(0, len(rows) - 1))
    text, fragment = AMBIGUOUS[variant]
    header, body = _table(rows, habit)
    rows_as_written = [list(r) for r in body]
    position = header.index("followers" if habit["english"] else "pengikut")
    rows_as_written[target][position] = text
    name = f"laporan.{habit['kind']}"
    _write_cells(folder / "inbox" / name, header, rows_as_written, habit)
    result = process_file(name, run_id="prop")
    assert result.outcome == "quarantined"
    row_number = habit["titles"] + 2 + target
    reasons = "\n".join(result.issues)
    split = habit["kind"] == "csv" and habit["sep"] == "," and variant == "comma thousands"
    assert f"Row {row_number}" in reasons, reasons
    assert ("'17,583' looks like one number split by ','" if split else fragment) in reasons, reasons
    assert not (folder / "lake").exists()


def _write_cells(path, header, body, habit) -> None:
    """Like _write, but from ready cells; 'comma thousands' in a ',' CSV is written unquoted, as typed."""
    if habit["kind"] == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for n in range(habit["titles"]):
            sheet.append([f"LAPORAN MEDIA SOSIAL {n + 1}"])
        sheet.append(header)
        for cells in body:
            sheet.append(cells)
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "dd mmm yyyy" if habit["month_name"] else "mm-dd-yy"
        workbook.save(path)
        return
    sep, newline = habit["sep"], habit["newline"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    for n in range(habit["titles"]):  # as Excel exports a title row: padded to the sheet's width
        writer.writerow([f"LAPORAN MEDIA SOSIAL {n + 1}"] + [""] * (len(header) - 1))
    writer.writerow(header)
    for cells in body:
        if sep == "," and "17,583" in cells:  # typed by hand: no quotes, so it splits
            line = io.StringIO()
            csv.writer(line, delimiter=sep, lineterminator=newline).writerow(
                ["\u2063" if c == "17,583" else c for c in cells]
            )
            buffer.write(line.getvalue().replace("\u2063", "17,583"))
        else:
            writer.writerow(cells)
    path.write_bytes(buffer.getvalue().encode(habit["encoding"]))


def _read(path):
    """What the reading stages make of a file: (rows, issue lines)."""
    table = read_table(path, 1000, 10**7)
    columns = map_header(table)
    rows, issues = parse_rows(table, columns)
    date_column = columns.get("report_date")
    raw = {n: c[date_column] for n, c in table.rows if date_column is not None and date_column < len(c)}
    issues += table.issues + check_dates(rows, raw, table.kind, table.saved_on)
    return rows, [i.render() for i in issues]


@READING
@given(rows=reports(), habit=habits())
def test_every_habit_reads_back_what_was_written(tmp_path, rows, habit):
    path = tmp_path / f"{uuid.uuid4().hex}.{habit['kind']}"
    _write(path, rows, habit)
    parsed, issues = _read(path)
    assert all("reads as" in line for line in issues), issues  # only a date the file puts in doubt
    refused = {int(line.split(",")[0].split()[1]) for line in issues}
    assert len(parsed) == len(rows)
    for row, (account, period, values) in zip(parsed, rows, strict=True):
        assert (row.unit_code, row.platform, row.handle.lower()) == (
            account.unit_code,
            account.platform,
            account.handle.lstrip("@").lower(),
        )
        assert row.metrics == values and row.period == period[0]
        assert row.metric_date == (None if row.row_number in refused else _metric_day(period))


@READING
@given(rows=reports(), habit=habits(), variant=st.sampled_from(sorted(AMBIGUOUS)), data=st.data())
def test_every_ambiguous_variant_is_refused_by_the_reading_rules(tmp_path, rows, habit, variant, data):
    target = data.draw(st.integers(0, len(rows) - 1))
    text, fragment = AMBIGUOUS[variant]
    header, body = _table(rows, habit)
    body[target][header.index("followers" if habit["english"] else "pengikut")] = text
    path = tmp_path / f"{uuid.uuid4().hex}.{habit['kind']}"
    _write_cells(path, header, body, habit)
    _, issues = _read(path)
    split = habit["kind"] == "csv" and habit["sep"] == "," and variant == "comma thousands"
    mine = [line for line in issues if f"Row {habit['titles'] + 2 + target}" in line]
    assert any(("'17,583' looks like one number split by ','" if split else fragment) in x for x in mine), (
        issues
    )


@READING
@given(rows=reports().filter(lambda r: r[0][1][0] == "day"), habit=habits(), data=st.data())
def test_dd_mm_typed_into_us_order_excel_never_lands_a_swapped_day(tmp_path, rows, habit, data):
    """What US-order Excel stores for typed dd/mm: a swapped date cell for days up to 12, text above.
    Each row then either reads as the day that was meant or is refused; never another day."""
    header, body = _table(rows, habit | {"kind": "xlsx", "dates": "dd/mm/yyyy"})
    at = header.index("report_date" if habit["english"] else "tanggal")
    for cells, (_, (_, day), _) in zip(body, rows, strict=True):
        if day.day <= 12:
            cells[at] = dt.datetime(day.year, day.day, day.month)
    path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
    _write_cells(path, header, body, habit | {"kind": "xlsx", "month_name": False})
    parsed, _ = _read(path)
    for row, (_, (_, day), _) in zip(parsed, rows, strict=True):
        assert row.metric_date in (None, day), (row.metric_date, day)
