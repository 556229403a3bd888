"""Matching a file's header row to the template's columns, with plain reasons when it does not fit."""

from pipelines.manual_reports.columns import (
    BY_FIELD,
    REQUIRED_FIELDS,
    TEMPLATE_HEADER,
    field_for_header,
)
from pipelines.manual_reports.issues import FileRejected, Issue, show_value
from pipelines.manual_reports.reader import RawTable


def map_header(table: RawTable) -> dict[str, int]:
    """field → column index. Raises FileRejected naming every unknown, doubled or missing column."""
    issues: list[Issue] = []
    fields: dict[str, int] = {}
    blank_columns: list[int] = []
    for index, cell in enumerate(table.header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            blank_columns.append(index)
            continue
        name = field_for_header(text)
        if name is None:
            known = ", ".join(TEMPLATE_HEADER)
            issues.append(
                Issue(
                    f"Baris {table.header_row}: kolom {show_value(text)} tidak dikenal (kolom yang dikenal: {known})",
                    f"Row {table.header_row}: unknown column {show_value(text)} (known columns: {known})",
                )
            )
        elif name in fields:
            col = BY_FIELD[name]
            issues.append(
                Issue(
                    f"Baris {table.header_row}: kolom '{col.header_id}' muncul lebih dari sekali",
                    f"Row {table.header_row}: column '{col.header_en}' appears more than once",
                )
            )
        else:
            fields[name] = index
    for name in REQUIRED_FIELDS:
        if name not in fields:
            col = BY_FIELD[name]
            issues.append(
                Issue(
                    f"kolom wajib '{col.header_id}' tidak ada",
                    f"required column '{col.header_en}' is missing",
                )
            )
    if "report_date" not in fields and "week" not in fields:
        issues.append(
            Issue(
                "kolom 'tanggal' (atau 'minggu' untuk laporan mingguan) tidak ada",
                "column 'report_date' (or 'week' for a weekly report) is missing",
            )
        )
    issues += _values_without_header(table, set(blank_columns))
    if issues:
        raise FileRejected(issues)
    return fields


def _values_without_header(table: RawTable, blank_columns: set[int]) -> list[Issue]:
    """A value in a column with no header (blank, or right of the last header) would be lost: refuse it."""
    issues, reported = [], set()
    width = len(table.header)
    for number, cells in table.rows:
        for index, value in enumerate(cells):
            headless = index in blank_columns or index >= width
            if headless and index not in reported and value is not None and str(value).strip():
                reported.add(index)
                issues.append(
                    Issue(
                        f"Baris {number}: ada nilai {show_value(value)} di kolom ke-{index + 1} yang tanpa judul",
                        f"Row {number}: value {show_value(value)} in column {index + 1}, which has no header",
                    )
                )
    return issues
