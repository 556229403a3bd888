"""Issue 9, point 1: a figure lands only when it is unambiguous; every case that could mean two things is
refused with a reason naming the row, the column and what was read, in Bahasa Indonesia first."""

import datetime as dt
import re
import zipfile

import openpyxl
import pyarrow.parquet as pq
import pytest
from manual_report_files import days_ago, dmy, report_row, unit_accounts, write_csv, write_xlsx

from pipelines.lake import manual_partition_path
from pipelines.manual_reports.columns import TEMPLATE_HEADER
from pipelines.manual_reports.intake import process_file

COMMA_HEADER = ",".join(TEMPLATE_HEADER)


def _take(inbox, name):
    result = process_file(name, run_id="r1")
    return result, "\n".join(result.issues)


def _refused(inbox, name, *fragments):
    result, reasons = _take(inbox, name)
    assert result.outcome == "quarantined", result
    for fragment in fragments:
        assert fragment in reasons, reasons
    for line in result.issues:  # Bahasa Indonesia first, then English
        assert line.index(" / ") < line.index("Row") if "Row" in line else True
    return reasons


def _comma_csv(inbox, name, lines: list[str]) -> None:
    (inbox / name).write_text(COMMA_HEADER + "\r\n" + "\r\n".join(lines) + "\r\n", encoding="utf-8")


def _row_text(account, day, followers: str, sep=",") -> str:
    cells = report_row(account, day, "0")
    cells[4] = followers
    return sep.join(cells)


def test_quoted_comma_thousands_is_refused_not_read_as_a_decimal(inbox):
    a, _ = unit_accounts()
    _comma_csv(inbox, "koma.csv", [_row_text(a, days_ago(2), '"15,000"')])
    reasons = _refused(inbox, "koma.csv", "Baris 2, kolom 'pengikut': '15,000' tidak jelas", "ambiguous")
    assert "write 15000 or 15.000" in reasons


def test_unquoted_comma_number_that_splits_a_row_is_refused_naming_the_split(inbox):
    a, _ = unit_accounts()
    _comma_csv(inbox, "belah.csv", [_row_text(a, days_ago(2), "1000"), _row_text(a, days_ago(1), "17,583")])
    reasons = _refused(
        inbox, "belah.csv", "Baris 3, kolom 'pengikut'", "'17,583' looks like one number split"
    )
    assert "Row 2" not in reasons  # the good row is not blamed
    assert "15 cells but the header has 14" in reasons


def test_split_that_lands_in_the_empty_last_column_is_still_refused(inbox):
    """The silent case: the shifted figures would fit, only the cell count tells."""
    a, _ = unit_accounts()
    row = report_row(a, days_ago(2), "17,583")
    (inbox / "geser.csv").write_text(COMMA_HEADER + "\r\n" + ",".join(row) + "\r\n", encoding="utf-8")
    _refused(inbox, "geser.csv", "Baris 2, kolom 'pengikut'", "split by ','")


def test_space_inside_a_number_that_does_not_group_thousands_is_refused(inbox):
    a, _ = unit_accounts()
    write_csv(inbox / "spasi.csv", [report_row(a, days_ago(2), "17583 241")])
    _refused(
        inbox, "spasi.csv", "Baris 2, kolom 'pengikut': '17583 241' tidak jelas", "two numbers in one cell"
    )


def test_twenty_digit_number_is_refused_not_overflowing(inbox):
    a, _ = unit_accounts()
    write_csv(inbox / "besar.csv", [report_row(a, days_ago(2), "12345678901234567890")])
    _refused(inbox, "besar.csv", "Baris 2, kolom 'pengikut'", "too large for a count (more than 15 digits)")


def test_handle_of_just_an_at_sign_is_refused_with_a_reason(inbox, data_dir):
    a, _ = unit_accounts()
    row = report_row(a, days_ago(2), "10")
    row[2] = "@"
    write_csv(inbox / "at.csv", [row])
    _refused(inbox, "at.csv", "Baris 2, kolom 'akun': '@' bukan nama akun", "is not an account name")
    assert not (data_dir / "lake").exists()


def test_unclosed_quote_that_would_swallow_the_rest_is_refused_at_its_row(inbox, data_dir):
    a, b = unit_accounts()
    header = [*TEMPLATE_HEADER, "keterangan"]
    lines = [";".join(header)]
    for n in range(6):
        note = '"naik karena lomba' if n == 1 else "biasa"
        lines.append(";".join([*report_row(a if n % 2 else b, days_ago(2 + n), str(100 + n)), note]))
    (inbox / "kutip.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    _refused(inbox, "kutip.csv", "Baris 3: tanda kutip", "is not closed properly")
    assert not (data_dir / "lake").exists()


def test_unclosed_quote_closed_by_a_later_quote_is_refused_too(inbox):
    a, b = unit_accounts()
    header = [*TEMPLATE_HEADER, "keterangan"]
    rows = [[*report_row(a, days_ago(2), "1"), '"naik'], [*report_row(b, days_ago(3), "2"), 'x"']]
    text = "\r\n".join(";".join(r) for r in [header, *rows]) + "\r\n"
    (inbox / "kutip2.csv").write_text(text, encoding="utf-8")
    _refused(inbox, "kutip2.csv", "Baris 2", "kolom 'keterangan'", "swallow the rows after it")


def test_multi_line_note_without_separators_is_still_fine(inbox, data_dir):
    a, _ = unit_accounts()
    day = days_ago(2)
    header = [*TEMPLATE_HEADER, "keterangan"]
    text = ";".join(header) + "\r\n" + ";".join([*report_row(a, day, "17.583"), '"baris satu\nbaris dua"'])
    (inbox / "catatan.csv").write_text(text + "\r\n", encoding="utf-8")
    result, reasons = _take(inbox, "catatan.csv")
    assert result.outcome == "processed", reasons


def _xlsx_with(path, cells_by_ref: dict[str, tuple[object, str]], day) -> None:
    """A template-shaped workbook; cells_by_ref: 'E2' → (value, data type 'f' formula / 'e' error)."""
    a, _ = unit_accounts()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATE_HEADER)
    sheet.append(report_row(a, day, "10"))
    for ref, (value, kind) in cells_by_ref.items():
        sheet[ref] = value
        sheet[ref].data_type = kind
    workbook.save(path)


def test_formula_without_a_saved_value_is_refused_not_read_as_empty(inbox):
    _xlsx_with(inbox / "rumus.xlsx", {"K2": ("=SUM(E2:E2)", "f")}, days_ago(2))
    _refused(inbox, "rumus.xlsx", "Baris 2, kolom 'suka': sel berisi rumus '=SUM(E2:E2)'", "no saved result")


def test_excel_error_value_is_refused(inbox):
    _xlsx_with(inbox / "galat.xlsx", {"E2": ("#DIV/0!", "e")}, days_ago(2))
    _refused(inbox, "galat.xlsx", "Baris 2, kolom 'pengikut'", "shows the Excel error '#DIV/0!'")


def _us_typed(day: dt.date) -> object:
    """What Excel set to US (month/day) order stores when a unit types dd/mm/yyyy."""
    if day.day <= 12:
        return dt.datetime(day.year, day.day, day.month)  # swapped into a real (wrong) date cell
    return dmy(day)  # not a US date: stays text


def test_dd_mm_typed_into_us_locale_excel_is_refused_where_swapped(inbox, data_dir):
    a, _ = unit_accounts()
    november = [dt.date(2026, 11, d) for d in range(3, 17)]
    today = dt.date(2026, 11, 20)
    rows = [report_row(a, day, str(1000 + day.day)) for day in november]
    for row, day in zip(rows, november, strict=True):
        row[3] = _us_typed(day)
    write_xlsx(inbox / "us.xlsx", rows)
    result = process_file("us.xlsx", run_id="r1", today=today)
    assert result.outcome == "quarantined"
    reasons = "\n".join(result.issues)
    swapped_rows = [4 + i for i, day in enumerate(november) if day.day <= 12 and day.day != day.month]
    for n in swapped_rows:
        assert f"Baris {n}, kolom 'tanggal': tanggal ini bisa dibaca" in reasons
    assert "typed into Excel set to month/day (US) order" in reasons
    assert not (data_dir / "lake").exists()


def test_us_order_csv_dates_refuse_the_ambiguous_ones(inbox):
    a, _ = unit_accounts()
    today = dt.date(2026, 12, 5)
    rows = [report_row(a, text, "5") for text in ("11/29/2026", "11/30/2026", "12/1/2026")]
    write_csv(inbox / "us.csv", rows)
    result = process_file("us.csv", run_id="r1", today=today)
    reasons = "\n".join(result.issues)
    assert result.outcome == "quarantined"
    assert (
        "Row 2, column 'report_date': '11/29/2026' is not a dd/mm/yyyy date: it looks like month/day"
        in reasons
    )
    assert "Row 4, column 'report_date': this date reads as 12/01/2026 or 01/12/2026" in reasons
    assert "'11/29/2026', which is in month/day (US) order" in reasons


def test_a_date_the_other_rows_contradict_is_refused(inbox):
    a, _ = unit_accounts()
    today = dt.date(2026, 12, 5)
    rows = [report_row(a, text, "5") for text in ("28/11/2026", "29/11/2026", "30/11/2026", "12/1/2026")]
    write_csv(inbox / "lompat.csv", rows)
    result = process_file("lompat.csv", run_id="r1", today=today)
    reasons = "\n".join(result.issues)
    assert "Row 5, column 'report_date': this date reads as 12/01/2026 or 01/12/2026" in reasons
    assert "other dates (28/11/2026–30/11/2026) fit the swapped reading better" in reasons


def test_a_date_only_valid_when_swapped_says_so(inbox):
    a, _ = unit_accounts()
    today = dt.date(2026, 11, 20)
    write_csv(inbox / "depan.csv", [report_row(a, "11/12/2026", "5")])  # 11 Dec: future; 12 Nov: fine
    result = process_file("depan.csv", run_id="r1", today=today)
    reasons = "\n".join(result.issues)
    assert (
        "is in the future" in reasons and "if day and month are swapped, 12/11/2026 may be meant" in reasons
    )


def _saved_on(path, when: str) -> None:
    """Rewrite docProps/core.xml's modified stamp (openpyxl stamps 'now' on save)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    core = parts["docProps/core.xml"].decode()
    parts["docProps/core.xml"] = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{when}", core).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_xlsx_saved_before_the_day_it_reports_is_refused(inbox):
    a, _ = unit_accounts()
    row = report_row(a, "", "5")
    row[3] = dt.datetime(2026, 11, 5)  # '11/05/2026' (11 May) typed into Excel set to dd/mm order
    write_xlsx(inbox / "simpan.xlsx", [row])
    _saved_on(inbox / "simpan.xlsx", "2026-05-20T03:00:00Z")
    result = process_file("simpan.xlsx", run_id="r1", today=dt.date(2026, 11, 20))
    reasons = "\n".join(result.issues)
    assert result.outcome == "quarantined"
    assert "Baris 4, kolom 'tanggal': tanggal ini bisa dibaca 05/11/2026 atau 11/05/2026" in reasons
    assert "the workbook was saved on 20/05/2026, before that day" in reasons


@pytest.mark.parametrize(
    "dates",
    [
        ["03/11/2026", "04/11/2026", "05/11/2026", "13/11/2026"],  # dd/mm text with anchors
        ["2026-11-03", "2026-11-04"],  # ISO is never in doubt
        ["05/11/2026"],  # one day alone cannot contradict itself
    ],
)
def test_unambiguous_dates_land_as_written(inbox, data_dir, dates):
    a, _ = unit_accounts()
    today = dt.date(2026, 11, 20)
    write_csv(inbox / "ok.csv", [report_row(a, text, str(i + 1)) for i, text in enumerate(dates)])
    result = process_file("ok.csv", run_id="r1", today=today)
    assert result.outcome == "processed", result.issues
    for i, text in enumerate(dates):
        day = dt.date.fromisoformat(text) if "-" in text else dt.datetime.strptime(text, "%d/%m/%Y").date()
        [row] = pq.read_table(manual_partition_path(data_dir / "lake", day, a.unit_code)).to_pylist()
        assert row["followers_count"] == i + 1
