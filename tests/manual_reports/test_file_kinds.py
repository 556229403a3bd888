"""Issue 9, points 3 and 4: known kinds of wrong file get the exact step to take; costly files are refused
while being read (limits on unpacked size and cells), with a clear reason."""

import io
import struct
import zipfile

import pytest
from manual_report_files import csv_bytes, days_ago, report_row, unit_accounts, write_xlsx

from pipelines.manual_reports.intake import process_file

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _compound_file(*stream_names: str) -> bytes:
    """An OLE2 compound file: header sector, then a directory sector naming the streams (128-byte entries, the
    name in UTF-16LE). An encrypted OOXML workbook holds 'EncryptionInfo' and 'EncryptedPackage' streams
    ([MS-OFFCRYPTO] 2.3.4); an Excel 97-2003 .xls holds 'Workbook' ([MS-XLS] 2.1.2)."""
    header = _OLE2_MAGIC + b"\x00" * 16 + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + b"\x00" * (512 - 30)
    entries = b""
    for name in ("Root Entry", *stream_names):
        encoded = (name + "\x00").encode("utf-16-le")
        entries += encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded)) + b"\x02" + b"\x00" * 61
    return header + entries.ljust(512 * 4, b"\x00")


def _html_export() -> bytes:
    return (
        b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta charset='utf-8'></head><body>"
        b"<table><tr><td>kode_unit</td><td>platform</td><td>akun</td><td>tanggal</td><td>pengikut</td></tr>"
        b"</table></body></html>"
    )


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


KINDS = {
    # case: (file name, bytes, English fragment, Indonesian fragment)
    "password-protected .xlsx": (
        "rahasia.xlsx",
        _compound_file("EncryptionInfo", "EncryptedPackage"),
        "password-protected (encrypted)",
        "Protect Workbook > Encrypt with Password, kosongkan kata sandinya",
    ),
    "old .xls": (
        "lama.xls",
        _compound_file("Workbook", "SummaryInformation"),
        "old Excel 97-2003 (.xls) format",
        "File > Save As > 'Excel Workbook (*.xlsx)'",
    ),
    "old .xls renamed .xlsx": (
        "lama.xlsx",
        _compound_file("Workbook"),
        "although its name ends in .xlsx",
        "format Excel lama",
    ),
    ".ods": ("calc.ods", _ods(), "OpenDocument spreadsheet", "'Excel 2007-365 (.xlsx)'"),
    ".ods renamed .xlsx": ("calc.xlsx", _ods(), "OpenDocument spreadsheet", "LibreOffice/WPS"),
    "HTML saved as .xls": (
        "ekspor.xls",
        _html_export(),
        "really a web page (HTML) named .xls",
        "halaman web",
    ),
    "HTML saved as .csv": (
        "ekspor.csv",
        _html_export(),
        "really a web page (HTML) named .csv",
        "halaman web",
    ),
    "XML Spreadsheet 2003": (
        "xml.xls",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        "really an XML Spreadsheet 2003 named .xls",
        "sebenarnya XML Spreadsheet 2003",
    ),
    "macro workbook": ("makro.xlsm", b"PK\x03\x04", "Unsupported file type (.xlsm)", "tidak didukung"),
}


@pytest.mark.parametrize("case", list(KINDS), ids=list(KINDS))
def test_known_wrong_kinds_get_the_exact_step(inbox, case):
    name, data, fragment_en, fragment_id = KINDS[case]
    (inbox / name).write_bytes(data)
    result = process_file(name, run_id="r1")
    assert result.outcome == "quarantined"
    [reason] = result.issues
    assert fragment_en in reason and fragment_id in reason
    assert reason.index(fragment_id) < reason.index(" / ") < reason.index(fragment_en)  # Indonesian first


def test_real_xlsx_named_xls_is_read(inbox):
    a, _ = unit_accounts()
    write_xlsx(inbox / "laporan.xls", [report_row(a, days_ago(2), "1.000")])
    result = process_file("laporan.xls", run_id="r1")
    assert result.outcome == "processed", result.issues


def _inflated_xlsx(path, extra_cells_per_row: int, rows: int = 3) -> None:
    """A valid template workbook whose sheet also carries many formatted empty cells (what a formatted
    column range or 'select all + format' leaves behind): tiny zipped, large unpacked."""
    a, _ = unit_accounts()
    write_xlsx(path, [report_row(a, days_ago(2 + n), str(n + 1)) for n in range(rows)])
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    filler = "".join(f'<c r="{_col(i)}{{r}}" s="0"/>' for i in range(20, 20 + extra_cells_per_row))
    rows_xml = "".join(f'<row r="{r}">{filler.format(r=r)}</row>' for r in range(100, 100 + rows * 50))
    sheet = sheet.replace("</sheetData>", rows_xml + "</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def test_too_many_cells_is_refused_while_reading(inbox, monkeypatch):
    monkeypatch.setenv("MEDSOS_MANUAL_MAX_CELLS", "5000")
    _inflated_xlsx(inbox / "sel.xlsx", extra_cells_per_row=100)
    result = process_file("sel.xlsx", run_id="r1")
    assert result.outcome == "quarantined"
    assert "File too large: more than 5000 cells" in result.issues[0]
    assert "Berkas terlalu besar: lebih dari 5000 sel" in result.issues[0]


def test_unpacked_size_over_the_limit_is_refused(inbox, monkeypatch):
    monkeypatch.setenv("MEDSOS_MANUAL_MAX_EXPANDED_BYTES", str(200_000))
    _inflated_xlsx(inbox / "bom.xlsx", extra_cells_per_row=200)
    assert (inbox / "bom.xlsx").stat().st_size < 100_000
    result = process_file("bom.xlsx", run_id="r1")
    assert result.outcome == "quarantined"
    assert "File too large: the .xlsx unpacks to more than 0.2 MB" in result.issues[0]
    assert "isi .xlsx mengembang menjadi lebih dari 0.2 MB" in result.issues[0]


def test_formatted_empty_cells_within_the_limits_do_not_hide_the_rows(inbox):
    _inflated_xlsx(inbox / "rapi.xlsx", extra_cells_per_row=30)
    result = process_file("rapi.xlsx", run_id="r1")
    assert result.outcome == "processed", result.issues
    assert result.rows == 3


def test_lying_zip_directory_cannot_expand_past_the_limit(inbox, monkeypatch):
    """A member that claims a small size: zipfile stops at the declared size and checks the CRC, and our own
    budget counts what is really decompressed; either way the file is refused, never read unbounded."""
    monkeypatch.setenv("MEDSOS_MANUAL_MAX_EXPANDED_BYTES", str(300_000))
    path = inbox / "bohong.xlsx"
    _inflated_xlsx(path, extra_cells_per_row=200)
    data = bytearray(path.read_bytes())
    # Shrink the uncompressed size the central directory declares for the sheet to 1 KB.
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[at + 24 : at + 28] = struct.pack("<I", 1024)
    path.write_bytes(bytes(data))
    result = process_file("bohong.xlsx", run_id="r1")
    assert result.outcome == "quarantined"
    assert "damaged" in result.issues[0] or "unpacks to more than" in result.issues[0]


def test_csv_line_longer_than_the_limit_is_refused(inbox):
    header = csv_bytes([])
    (inbox / "panjang.csv").write_bytes(header + b"x" * 70_000 + b"\r\n")
    result = process_file("panjang.csv", run_id="r1")
    assert result.outcome == "quarantined" and "longer than 65536 characters" in result.issues[0]
