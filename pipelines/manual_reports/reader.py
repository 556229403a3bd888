"""Reading a report file into raw cells: CSV (sniffed separator and encoding) or XLSX (`xlsx_stream`).

The header row is looked for in the first rows (titles above it are common); everything is kept as the raw
cell value (str for CSV; str/int/float/ExcelDate/... for XLSX) for `rows.py` to interpret. Nothing here
evaluates a formula. What the file really is comes from its bytes (`file_kinds`), not its name.

CSV rules (one each, so no cell can land in the wrong column):
- every data row has exactly as many cells as the header row: an unquoted `17,583` in a comma-separated file
  splits into two cells and shifts every later figure, so a row with a different count is refused, naming
  the likely split;
- quotes are read strictly: a quote opened and never closed (it would swallow the rows after it) is refused at
  the row where it opens, and so is a cell that spans several lines holding the separator;
- no line may be longer than MAX_LINE_CHARS (a binary or corrupted file is refused before it costs memory).
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from pipelines.manual_reports import file_kinds
from pipelines.manual_reports.columns import field_for_header
from pipelines.manual_reports.issues import FileRejected, Issue, clip_value, file_issue
from pipelines.manual_reports.xlsx_stream import Budget, Workbook

HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 64
MIN_KNOWN_HEADERS = 3
MAX_LINE_CHARS = 65_536
READABLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")  # .xls/.ods only to say exactly what to do


@dataclass
class RawTable:
    header_row: int  # row number of the header as the unit sees it (1-based)
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number, cells)
    source_detail: str = ""  # e.g. "csv utf-8-sig ';'" or "xlsx sheet 'Laporan'"
    kind: str = "csv"  # csv | xlsx
    issues: list[Issue] = field(default_factory=list)  # rows that could not be split into cells safely
    saved_on: dt.date | None = None  # xlsx: the day (WIB) the workbook was last saved, if it says


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_bytes: int  # the file itself
    max_expanded_bytes: int  # an .xlsx, all parts read, decompressed
    max_cells: int  # an .xlsx, every cell element seen (empty formatted ones too)

    @classmethod
    def default(cls, max_rows: int, max_bytes: int) -> "Limits":
        return cls(max_rows, max_bytes, 8 * max_bytes, max_rows * MAX_COLUMNS // 2)


def _known_count(cells: list[object]) -> int:
    return len({f for f in (field_for_header(c) for c in cells if c is not None) if f})


def _find_header(rows: list[list[object]]) -> int | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _known_count(cells) >= MIN_KNOWN_HEADERS:
            return i
    return None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(cells: list[object]) -> list[object]:
    cells = list(cells[:MAX_COLUMNS])
    while cells and _is_blank(cells[-1]):
        cells.pop()
    return cells


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
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass  # a damaged UTF-16 file: read it as bytes below; the cells then say what is wrong
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _lines(text: str):
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_LINE_CHARS:
            raise file_issue(
                f"Berkas CSV ini berisi baris yang lebih panjang dari {MAX_LINE_CHARS} karakter; ini bukan "
                "laporan (berkas rusak atau bukan teks). Simpan ulang templat sebagai CSV",
                f"This CSV file has a line longer than {MAX_LINE_CHARS} characters; it is not a report "
                "(damaged or not text). Save the template again as CSV",
            )
        yield line


def _records(text: str, delimiter: str, strict: bool, limit: int | None = None):
    """(record number = the row number Excel shows, cells). A broken quote raises, naming the row."""
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=strict)
    number = 0
    while limit is None or number < limit:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _broken_record(number, str(exc)) from None
        yield number, cells


class BrokenRecord(FileRejected):
    """A CSV record the csv module cannot split (a broken quote, an oversized cell)."""


def _broken_record(number: int, error: str) -> FileRejected:
    if "field larger" in error:
        return BrokenRecord(
            [
                Issue(
                    f"ada sel yang lebih panjang dari {csv.field_size_limit()} karakter; persingkat isinya",
                    f"a cell is longer than {csv.field_size_limit()} characters; shorten it",
                    row=number,
                )
            ]
        )
    return BrokenRecord(
        [
            Issue(
                'tanda kutip (") dibuka di baris ini tetapi tidak ditutup dengan benar, sehingga baris-baris '
                "sesudahnya ikut terbaca sebagai satu sel. Hapus tanda kutip itu (atau tutup dengan tanda "
                "kutip kedua) lalu kirim ulang",
                'a quote mark (") opens in this row but is not closed properly, so the rows after it would be '
                "read as one cell. Remove that quote mark (or close it with a second one) and send it again",
                row=number,
            )
        ]
    )


def _count_issue(number: int, cells: list[str], header: list[str], delimiter: str) -> Issue:
    n, m = len(cells), len(header)
    for i in range(min(n - 1, m)):
        if n > m and re.fullmatch(r"-?\d{1,3}", cells[i].strip()) and re.fullmatch(r"\d{3}", cells[i + 1]):
            read = f"{cells[i].strip()}{delimiter}{cells[i + 1]}"
            return Issue(
                f"baris ini berisi {n} sel, padahal judul kolom {m}: '{read}' tampaknya satu angka yang "
                f"terbelah oleh '{delimiter}' (pemisah kolom berkas ini), sehingga angka sesudahnya bergeser. "
                f"Tulis angka tanpa pemisah ribuan (17583) atau dengan titik (17.583), atau simpan berkas "
                "dengan pemisah titik koma (;)",
                f"this row has {n} cells but the header has {m}: '{read}' looks like one number split by "
                f"'{delimiter}' (this file's separator), shifting every figure after it. Write numbers without "
                "a thousands separator (17583) or with dots (17.583), or save the file with ';' separators",
                row=number,
                field=field_for_header(header[i]),
                value=clip_value(read),
            )
    return Issue(
        f"baris ini berisi {n} sel, padahal judul kolom {m}, sehingga tidak pasti nilai mana masuk kolom "
        f"mana. Pastikan setiap baris punya sel sebanyak judul kolom (tanda '{delimiter}' di dalam angka atau "
        "teks memecah sel; beri tanda kutip pada teks itu)",
        f"this row has {n} cells but the header has {m}, so which value belongs to which column is not "
        f"certain. Give every row as many cells as the header ('{delimiter}' inside a number or text splits "
        "a cell; quote such text)",
        row=number,
    )


def _swallowed_issue(number: int, index: int, value: str, header: list[str], delimiter: str) -> Issue:
    name = field_for_header(header[index]) if index < len(header) else None
    return Issue(
        f"sel ini memuat beberapa baris yang berisi pemisah kolom ('{delimiter}'): tampaknya tanda kutip (\") "
        "yang tidak ditutup menelan baris-baris berikutnya. Hapus tanda kutip di sel ini (atau tutup dengan "
        "benar) lalu kirim ulang",
        f"this cell spans several lines that hold the column separator ('{delimiter}'): an unclosed quote "
        'mark (") seems to swallow the rows after it. Remove the quote mark in this cell (or close it) and '
        "send it again",
        row=number,
        field=name,
        value=clip_value(value),
    )


def read_csv(path: Path, max_rows: int) -> RawTable:
    text, encoding = _decode(Path(path).read_bytes())
    if "\x00" in text:
        raise file_issue(
            "Berkas .csv ini bukan teks (berisi data biner); simpan ulang sebagai CSV",
            "This .csv file is not text (it holds binary data); save it again as CSV",
        )
    # Sniff the separator: the one under which a header row is found with the most known columns.
    best: tuple[int, str, int, list[str]] | None = None
    for delimiter in (";", ",", "\t"):
        try:
            head = [cells for _, cells in _records(text, delimiter, strict=False, limit=HEADER_SCAN_ROWS)]
        except BrokenRecord:
            continue
        at = _find_header([_trim(c) for c in head])
        if at is not None and (best is None or _known_count(head[at]) > best[0]):
            best = (_known_count(head[at]), delimiter, at + 1, head[at])
    if best is None:
        raise _no_header()
    _, delimiter, header_row, header = best
    table = RawTable(header_row, _trim(header), source_detail=f"csv {encoding} {delimiter!r}")
    for number, cells in _records(text, delimiter, strict=True):
        if number <= header_row or all(_is_blank(c) for c in cells):
            continue
        if len(table.rows) + len(table.issues) >= max_rows:
            raise _too_many_rows(max_rows)
        swallowed = [i for i, c in enumerate(cells) if ("\n" in c or "\r" in c) and delimiter in c]
        if len(cells) != len(header):
            table.issues.append(_count_issue(number, cells, header, delimiter))
        elif swallowed:
            table.issues.append(
                _swallowed_issue(number, swallowed[0], cells[swallowed[0]], header, delimiter)
            )
        else:
            table.rows.append((number, _trim(cells)))
    return table


# Damage an .xlsx can show while it is read: each means "the file is broken", never a fault of ours.
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    IndexError,
    ValueError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
)


def _damaged(exc: Exception) -> FileRejected:
    what = type(exc).__name__
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return file_kinds.refusal("encrypted", ".xlsx")  # type: ignore[return-value]
    return file_issue(
        f"Berkas .xlsx tidak dapat dibuka sebagai buku kerja Excel: berkas rusak ({what}). Buka di Excel, "
        "simpan ulang sebagai .xlsx, lalu kirim lagi",
        f"The .xlsx file cannot be opened as an Excel workbook: it is damaged ({what}). Open it in Excel, "
        "save it again as .xlsx and send it again",
    )


def _sheet_table(book: Workbook, name: str, part: str, max_rows: int) -> RawTable | None:
    head: list[tuple[int, list[object]]] = []
    table: RawTable | None = None
    for number, cells in book.rows(part, MAX_COLUMNS):
        if table is not None:
            table.rows.append((number, _trim(cells)))
            if len(table.rows) > max_rows:
                raise _too_many_rows(max_rows)
            continue
        head.append((number, _trim(cells)))
        if _known_count(head[-1][1]) >= MIN_KNOWN_HEADERS:
            table = RawTable(number, head[-1][1], source_detail=f"xlsx sheet {name!r}", kind="xlsx")
        elif len(head) >= HEADER_SCAN_ROWS:
            return None  # no header near the top: not a report sheet (its remaining rows are not read)
    return table


def read_xlsx(path: Path, limits: Limits) -> RawTable:
    budget = Budget(limits.max_expanded_bytes, limits.max_cells)
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > limits.max_expanded_bytes:
                budget.add_bytes(declared)  # refuse at once: the directory already says too much
            book = Workbook(archive, budget)
            found = [t for n, p in book.sheets if (t := _sheet_table(book, n, p, limits.max_rows))]
    except _DAMAGE as exc:
        raise _damaged(exc) from None
    with_data = [t for t in found if t.rows]
    if len(with_data) > 1:
        names = ", ".join(t.source_detail.split(" ", 2)[2] for t in with_data)
        raise file_issue(
            f"Lebih dari satu lembar berisi laporan ({names}); satukan semua baris dalam satu lembar",
            f"More than one sheet holds report rows ({names}); put all rows in one sheet",
        )
    if not found:
        raise _no_header()
    table = (with_data or found)[0]
    table.saved_on = book.saved_on
    return table


def read_table(path: Path, max_rows: int, max_bytes: int, limits: Limits | None = None) -> RawTable:
    limits = limits or Limits.default(max_rows, max_bytes)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise unsupported_type(path.name)
    kind = file_kinds.sniff(path, limits.max_bytes)
    if refused := file_kinds.refusal(kind, suffix):
        raise refused
    if kind == "xlsx" and suffix != ".csv":
        return read_xlsx(path, limits)
    if suffix == ".csv":
        return read_csv(path, limits.max_rows)
    raise unsupported_type(path.name)


def unsupported_type(name: str) -> FileRejected:
    suffix = Path(name).suffix or "(tanpa akhiran / none)"
    return file_issue(
        f"Jenis berkas tidak didukung ({suffix}); kirim .csv atau .xlsx (di Excel: {file_kinds.SAVE_AS_XLSX})",
        f"Unsupported file type ({suffix}); send .csv or .xlsx (in Excel: {file_kinds.SAVE_AS_XLSX})",
    )
