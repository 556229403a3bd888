"""What a file really is, from its bytes (not its name), and the exact step a unit takes for each kind we refuse.

Offices send spreadsheets in many shapes; a name ending in .xlsx or .csv proves little. Recognised here:
the .xlsx zip (OOXML), an OpenDocument spreadsheet (.ods, LibreOffice/WPS), an OLE2 compound file, which is
either a password-protected (encrypted) OOXML workbook or an old Excel 97-2003 .xls, an HTML page (what many
web applications produce for 'export to Excel'), an XML Spreadsheet 2003, and a PDF. Everything else is text
for the CSV reader, which refuses binary content itself.
"""

import zipfile
from pathlib import Path

from pipelines.manual_reports.issues import FileRejected, file_issue

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SAVE_AS_XLSX = "File > Save As > 'Excel Workbook (*.xlsx)'"


def sniff(path: Path, max_bytes: int) -> str:
    """xlsx | ods | encrypted | xls97 | html | xml2003 | pdf | text."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        with open(path, "rb") as fh:  # the directory may sit anywhere; the file is below the size limit
            body = fh.read(max_bytes)
        return "encrypted" if _ENCRYPTED in body else "xls97"
    if head.startswith(b"%PDF"):
        return "pdf"
    text = head.lstrip(b"\xef\xbb\xbf").decode("latin-1").lstrip().lower()
    if "\x00" not in text[:200]:
        if text.startswith(("<!doctype html", "<html")) or "<table" in text[:1024]:
            return "html"
        if text.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
            return "xml2003"
    return "text"


def _zip_kind(path: Path) -> str:
    """ods, or xlsx for any other zip (a damaged one, or one holding no workbook, is the xlsx reader's to explain)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.NameToInfo.get("mimetype")
            small = info is not None and info.file_size < 200
            if small and archive.read(info).startswith(b"application/vnd.oasis.opendocument"):
                return "ods"
    except Exception:  # the xlsx reader names the damage
        return "xlsx"
    return "xlsx"


def refusal(kind: str, suffix: str) -> FileRejected | None:
    """The reason for a kind we cannot read (None: read it). `suffix` is the name's, e.g. '.xlsx'."""
    if kind == "encrypted":
        return file_issue(
            "Buku kerja ini dilindungi kata sandi (terenkripsi) sehingga isinya tidak dapat dibaca. Buka di "
            "Excel, pilih File > Info > Protect Workbook > Encrypt with Password, kosongkan kata sandinya, "
            "simpan, lalu kirim ulang",
            "This workbook is password-protected (encrypted), so its content cannot be read. Open it in Excel, "
            "File > Info > Protect Workbook > Encrypt with Password, clear the password, save and send it again",
        )
    if kind == "xls97":
        return file_issue(
            f"Berkas ini berformat Excel lama (Excel 97-2003 .xls), walaupun namanya berakhiran {suffix}. Buka "
            f"di Excel, pilih {SAVE_AS_XLSX}, lalu kirim berkas .xlsx itu",
            f"This file is in the old Excel 97-2003 (.xls) format, although its name ends in {suffix}. Open it "
            f"in Excel, {SAVE_AS_XLSX}, and send that .xlsx file",
        )
    if kind == "ods":
        return file_issue(
            "Berkas ini berformat OpenDocument (.ods, dari LibreOffice/WPS). Pilih File > Save As, jenis "
            "berkas 'Excel 2007-365 (.xlsx)', lalu kirim berkas .xlsx itu",
            "This file is an OpenDocument spreadsheet (.ods, from LibreOffice/WPS). Choose File > Save As, "
            "file type 'Excel 2007-365 (.xlsx)', and send that .xlsx file",
        )
    if kind in ("html", "xml2003"):
        what_id, what_en = (
            ("halaman web (HTML)", "a web page (HTML)")
            if kind == "html"
            else ("XML Spreadsheet 2003", "an XML Spreadsheet 2003")
        )
        return file_issue(
            f"Berkas ini sebenarnya {what_id} yang diberi nama {suffix} (biasanya hasil 'ekspor ke Excel' dari "
            f"aplikasi web), bukan spreadsheet. Buka di Excel, pilih {SAVE_AS_XLSX}, lalu kirim berkas .xlsx "
            "itu (atau salin angkanya ke templat)",
            f"This file is really {what_en} named {suffix} (usually an application's 'export to Excel'), not "
            f"a spreadsheet. Open it in Excel, {SAVE_AS_XLSX}, and send that .xlsx file (or copy the figures "
            "into the template)",
        )
    if kind == "pdf" or (kind == "text" and suffix in (".xlsx", ".xls")):
        return file_issue(
            f"Berkas ini bukan spreadsheet Excel (.xlsx) walaupun namanya berakhiran {suffix}. Isi templat "
            "laporan di Excel lalu simpan sebagai .xlsx atau CSV",
            f"This file is not an Excel spreadsheet (.xlsx) although its name ends in {suffix}. Fill in the "
            "report template in Excel and save it as .xlsx or CSV",
        )
    return None
