"""Reading an .xlsx workbook as a stream of rows, its cost bounded while it is read.

An .xlsx is a zip of XML parts. We read the parts we need ourselves (zipfile + the expat pull parser) rather
than through openpyxl, for three reasons:
- the limits hold while reading: every part is decompressed through one byte budget that stops at the limit
  whatever the zip's directory claims, and cells are counted as they stream past, so a 'zip bomb' or a sheet of
  millions of formatted empty cells costs bounded time and memory (rows are dropped from the tree once read);
- a formula cell is seen as one: its saved value is used, and a formula without a saved value is reported
  (`NoSavedValue`) instead of being read as an empty cell; an error value (#DIV/0!) stays an `ExcelError`;
- a date cell keeps what the unit saw on screen (`ExcelDate.shows_month_plainly`), which `dates.py` needs.
Nothing is ever evaluated. Namespaces are ignored (local names), so Strict Open XML files read the same.
"""

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import XMLPullParser

from pipelines.manual_reports.issues import FileRejected, file_issue

CHUNK = 1 << 16
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_INT = re.compile(r"^-?\d+$")
# Built-in number formats Excel shows as dates: 14-22 and 45-47, and the East-Asian locale ones 27-36, 50-58.
_BUILTIN_DATES = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


class ExcelDate(dt.datetime):
    """A date cell. `shows_month_plainly`: its format names the month ('17 Nov 2026') or is year-first."""

    shows_month_plainly: bool = False


class ExcelError(str):
    """A cell showing an Excel error value ('#DIV/0!', '#REF!')."""


class NoSavedValue(str):
    """A formula cell with no saved result (written by a program that does not calculate); holds the formula."""


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: str) -> str:
    """'{namespace}c' → 'c' (cached: a sheet has millions of elements but a dozen tag names)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


class Budget:
    """Bytes decompressed and cells seen so far; raises FileRejected past the limits."""

    def __init__(self, max_bytes: int, max_cells: int):
        self.max_bytes, self.max_cells, self.bytes, self.cells = max_bytes, max_cells, 0, 0

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.max_bytes:
            mb = f"{self.max_bytes / 2**20:.1f}"
            raise file_issue(
                f"Berkas terlalu besar: isi .xlsx mengembang menjadi lebih dari {mb} MB saat dibuka; hapus "
                "format dan baris/kolom kosong yang tidak dipakai, atau bagi menjadi beberapa berkas",
                f"File too large: the .xlsx unpacks to more than {mb} MB; clear unused formatted rows and "
                "columns, or split it into several files",
            )

    def add_cell(self) -> None:
        self.cells += 1
        if self.cells > self.max_cells:
            raise file_issue(
                f"Berkas terlalu besar: lebih dari {self.max_cells} sel; hapus baris/kolom kosong yang "
                "berformat, atau bagi menjadi beberapa berkas",
                f"File too large: more than {self.max_cells} cells; clear formatted empty rows and columns, "
                "or split it into several files",
            )


def _parse(
    archive: zipfile.ZipFile, name: str, budget: Budget, events=("start", "end")
) -> Iterator[tuple[str, object]]:
    """(event, element) pairs of one part, decompressed through the budget. DTDs are refused (never in xlsx)."""
    parser = XMLPullParser(events=events)
    with archive.open(name) as stream:
        first = True
        while chunk := stream.read(CHUNK):
            budget.add_bytes(len(chunk))
            if first and (b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk):
                raise ValueError(f"{name}: document type declarations are not allowed")
            first = False
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _relationships(archive: zipfile.ZipFile, part: str, budget: Budget) -> dict[str, tuple[str, str]]:
    """rId → (type, resolved part name) from the .rels beside `part`."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found = {}
    for event, el in _parse(archive, rels, budget):
        if event == "end" and _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[el.get("Id", "")] = (el.get("Type", ""), posixpath.normpath(path))
    return found


def _shared_strings(archive: zipfile.ZipFile, part: str | None, budget: Budget) -> list[str]:
    strings: list[str] = []
    if part is None or part not in archive.NameToInfo:
        return strings
    parent = None
    for event, el in _parse(archive, part, budget):
        tag = _local(el.tag)
        if event == "start" and tag == "sst":
            parent = el
        elif event == "end" and tag == "si":
            # Text runs only: <rPh> phonetic hints are not part of the text.
            runs = [c for c in el if _local(c.tag) in ("t", "r")]
            strings.append("".join(t.text or "" for r in runs for t in r.iter() if _local(t.tag) == "t"))
            budget.add_cell()
            if parent is not None:
                del parent[:]
    return strings


def _date_styles(archive: zipfile.ZipFile, part: str | None, budget: Budget) -> list[tuple[bool, bool]]:
    """Per cell style index: (is a date format, shows the month plainly)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if part is None or part not in archive.NameToInfo:
        return []
    custom: dict[int, str] = {}
    styles: list[tuple[bool, bool]] = []
    in_cell_xfs = False
    for event, el in _parse(archive, part, budget):
        tag = _local(el.tag)
        if tag == "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and tag == "numFmt":
            custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        elif event == "end" and tag == "xf" and in_cell_xfs:
            fmt_id = int(el.get("numFmtId", "0"))
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
            is_date = fmt_id in _BUILTIN_DATES or (fmt_id in custom and is_date_format(code))
            plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
            styles.append((is_date, "mmm" in plain or bool(re.match(r"^\W*y+\W+m+\W+d+", plain))))
    return styles


class Workbook:
    """The parts of an .xlsx the reader needs; `rows(sheet_part)` streams one sheet."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget):
        self.archive, self.budget = archive, budget
        if len(archive.infolist()) > 10_000:
            raise ValueError("too many parts")
        office = [p for t, p in _relationships(archive, "", budget).values() if t.endswith("/officeDocument")]
        if not office or office[0] not in archive.NameToInfo:
            raise KeyError("no workbook part")
        self.workbook_part = office[0]
        rels = _relationships(archive, self.workbook_part, budget)
        by_type = {t.rsplit("/", 1)[-1]: p for t, p in rels.values()}
        self.sheets: list[tuple[str, str]] = []  # (name, part), in the workbook's order
        self.date1904 = False
        for event, el in _parse(archive, self.workbook_part, budget):
            if event != "end":
                continue
            if _local(el.tag) == "workbookPr":
                self.date1904 = el.get("date1904", "0").lower() in ("1", "true")
            elif _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
                kind, part = rels.get(rid, ("", ""))
                if kind.endswith("/worksheet") and part in archive.NameToInfo:
                    self.sheets.append((el.get("name", "?"), part))
        self.strings = _shared_strings(archive, by_type.get("sharedStrings"), budget)
        self.styles = _date_styles(archive, by_type.get("styles"), budget)
        self.saved_on = self._saved_on()

    def _saved_on(self) -> dt.date | None:
        """The day (WIB) the workbook was last saved, from docProps/core.xml, if it says."""
        if "docProps/core.xml" not in self.archive.NameToInfo:
            return None
        for event, el in _parse(self.archive, "docProps/core.xml", self.budget):
            if event == "end" and _local(el.tag) == "modified" and el.text:
                try:
                    stamp = dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
                except ValueError:
                    return None
                if stamp.tzinfo is None:
                    return stamp.date()
                return (stamp.astimezone(dt.UTC) + dt.timedelta(hours=7)).date()
        return None

    def rows(self, part: str, max_columns: int) -> Iterator[tuple[int, list[object]]]:
        """(row number as Excel shows it, cell values) for every row holding at least one value.

        Only 'end' events are read (half the work); a row is cleared once read, so what stays in the tree is
        one empty element per row."""
        expected_row = 0
        add_cell = self.budget.add_cell
        for _, el in _parse(self.archive, part, self.budget, events=("end",)):
            tag = _local(el.tag)
            if tag == "c":
                add_cell()
            elif tag == "row":
                expected_row = int(el.get("r") or expected_row + 1)
                cells = self._row_cells(el, max_columns)
                el.clear()
                if any(v is not None for v in cells):
                    yield expected_row, cells

    def _row_cells(self, row, max_columns: int) -> list[object]:
        cells: list[object] = []
        for c in row:
            ref = _REF.match(c.get("r", ""))
            index = _column_index(ref.group(1)) if ref else len(cells)
            if index >= max_columns:
                continue
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            cells[index] = self._value(c)
        return cells

    def _value(self, c) -> object:
        kind = c.get("t", "n")
        formula = raw = inline = None
        for x in c:
            name = _local(x.tag)
            if name == "v":
                raw = x
            elif name == "f":
                formula = x
            elif name == "is":
                inline = x
        text = raw.text if raw is not None else None
        if kind == "inlineStr":
            if inline is None:
                return None
            return "".join(t.text or "" for t in inline.iter() if _local(t.tag) == "t")
        if formula is not None and not text:
            return NoSavedValue("=" + (formula.text or "").strip())
        if text is None:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind in ("str", "d"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return ExcelError(text)
        number: int | float = int(text) if _INT.match(text.strip()) else float(text)
        style = int(c.get("s", "0"))
        is_date, plain = self.styles[style] if style < len(self.styles) else (False, False)
        return _excel_date(number, self.date1904, plain) if is_date else number


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _excel_date(number: int | float, date1904: bool, plain: bool) -> object:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    try:
        value = from_excel(number, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
    except (OverflowError, ValueError):
        return number  # not a representable date: the date rule refuses the number
    if not isinstance(value, dt.datetime):
        return number
    cell = ExcelDate(value.year, value.month, value.day, value.hour, value.minute, value.second)
    cell.shows_month_plainly = plain
    return cell


__all__ = ["Budget", "ExcelDate", "ExcelError", "FileRejected", "NoSavedValue", "Workbook"]
