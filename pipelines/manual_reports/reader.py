"""Reading a report file into raw cells: CSV (sniffed separator and encoding) or XLSX (openpyxl).

The header row is looked for in the first rows (titles above it are common); everything is kept as the raw
cell value (str for CSV; str/int/float/datetime for XLSX) for `rows.py` to interpret. Nothing here evaluates a
formula: XLSX is opened with data_only=True (a formula cell yields the value Excel saved, never a formula run
by us), and CSV cells are plain text.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.manual_reports.columns import field_for_header
from pipelines.manual_reports.issues import FileRejected, file_issue

HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 64
MIN_KNOWN_HEADERS = 3


@dataclass
class RawTable:
    header_row: int  # row number of the header as the unit sees it (1-based)
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number, cells)
    source_detail: str = ""  # e.g. "csv utf-8-sig ';'" or "xlsx sheet 'Laporan'"


def _known_count(cells: list[object]) -> int:
    return len({f for f in (field_for_header(c) for c in cells if c is not None) if f})


def _find_header(rows: list[list[object]]) -> int | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _known_count(cells) >= MIN_KNOWN_HEADERS:
            return i
    return None


def _trim(cells: list[object]) -> list[object]:
    cells = list(cells[:MAX_COLUMNS])
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def _table_from_rows(rows: list[list[object]], max_rows: int, detail: str) -> RawTable | None:
    header_at = _find_header(rows)
    if header_at is None:
        return None
    data = [(i + 1, cells) for i, cells in enumerate(rows) if i > header_at and cells]
    if len(data) > max_rows:
        raise _too_many_rows(max_rows)
    return RawTable(header_at + 1, rows[header_at], data, detail)


def _too_many_rows(max_rows: int) -> FileRejected:
    return file_issue(
        f"Berkas terlalu besar: lebih dari {max_rows} baris data; bagi menjadi beberapa berkas",
        f"File too large: more than {max_rows} data rows; split it into several files",
    )


def _no_header() -> FileRejected:
    return file_issue(
        "Baris judul kolom tidak ditemukan; gunakan templat (kode_unit;platform;akun;tanggal;pengikut;...)",
        "Header row not found; use the template (kode_unit;platform;akun;tanggal;pengikut;...)",
    )


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _csv_rows(text: str, delimiter: str, limit: int | None = None):
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if limit is not None and number > limit:
                return
            yield number, _trim(cells)
    except csv.Error as exc:
        raise file_issue(
            f"Berkas CSV rusak dan tidak dapat dibaca ({exc})", f"The CSV file is malformed ({exc})"
        ) from None


def read_csv(path: Path, max_rows: int) -> RawTable:
    text, encoding = _decode(Path(path).read_bytes())
    if "\x00" in text:
        raise file_issue(
            "Berkas .csv ini bukan teks (berisi data biner); simpan ulang sebagai CSV",
            "This .csv file is not text (it holds binary data); save it again as CSV",
        )
    # Sniff the separator: the one under which a header row is found with the most known columns.
    best: tuple[int, str, int, list[object]] | None = None
    for delimiter in (";", ",", "\t"):
        head = [cells for _, cells in _csv_rows(text, delimiter, HEADER_SCAN_ROWS)]
        at = _find_header(head)
        if at is not None and (best is None or _known_count(head[at]) > best[0]):
            best = (_known_count(head[at]), delimiter, at + 1, head[at])
    if best is None:
        raise _no_header()
    _, delimiter, header_row, header = best
    table = RawTable(header_row, header, source_detail=f"csv {encoding} {delimiter!r}")
    for number, cells in _csv_rows(text, delimiter):
        if number > header_row and cells:
            table.rows.append((number, cells))
            if len(table.rows) > max_rows:
                raise _too_many_rows(max_rows)
    return table


def _check_expanded_size(path: Path, max_bytes: int) -> None:
    """An XLSX is a zip: refuse one that would expand far beyond the size limit (a 'zip bomb')."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports it as unreadable below
    if expanded > 10 * max_bytes:
        raise file_issue(
            f"Berkas terlalu besar: isi .xlsx mengembang menjadi {expanded // 2**20} MB",
            f"File too large: the .xlsx expands to {expanded // 2**20} MB",
        )


def read_xlsx(path: Path, max_rows: int, max_bytes: int) -> RawTable:
    import openpyxl  # imported here: only XLSX files need it
    from openpyxl.utils.exceptions import InvalidFileException

    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04":
        raise file_issue(
            "Berkas ini bukan spreadsheet Excel (.xlsx) walaupun namanya berakhiran .xlsx",
            "This file is not an Excel spreadsheet (.xlsx) although its name ends in .xlsx",
        )
    _check_expanded_size(path, max_bytes)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise file_issue(
            f"Berkas .xlsx tidak dapat dibuka sebagai buku kerja Excel ({type(exc).__name__})",
            f"The .xlsx file cannot be opened as an Excel workbook ({type(exc).__name__})",
        ) from None
    try:
        found: list[RawTable] = []
        for sheet in workbook.worksheets:
            rows: list[list[object]] = []
            for cells in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                rows.append(_trim(list(cells)))
                if len(rows) > max_rows + HEADER_SCAN_ROWS:
                    raise _too_many_rows(max_rows)
            table = _table_from_rows(rows, max_rows, f"xlsx sheet {sheet.title!r}")
            if table is not None:
                found.append(table)
    finally:
        workbook.close()
    with_data = [t for t in found if t.rows]
    if len(with_data) > 1:
        names = ", ".join(t.source_detail.split(" ", 2)[2] for t in with_data)
        raise file_issue(
            f"Lebih dari satu lembar berisi laporan ({names}); satukan semua baris dalam satu lembar",
            f"More than one sheet holds report rows ({names}); put all rows in one sheet",
        )
    if not found:
        raise _no_header()
    return (with_data or found)[0]


def read_table(path: Path, max_rows: int, max_bytes: int) -> RawTable:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path, max_rows)
    if suffix == ".xlsx":
        return read_xlsx(path, max_rows, max_bytes)
    raise unsupported_type(Path(path).name)


def unsupported_type(name: str) -> FileRejected:
    suffix = Path(name).suffix or "(tanpa akhiran / none)"
    return file_issue(
        f"Jenis berkas tidak didukung ({suffix}); kirim .csv atau .xlsx",
        f"Unsupported file type ({suffix}); send .csv or .xlsx",
    )
