"""Every refusal the intake can give, made from example files, for the regional admins' page.

`catalogue()` returns (case, reason in Bahasa Indonesia) pairs exactly as a unit reads them; the test
test_refusal_docs.py checks that each one is written verbatim in docs/regional-admins/laporan-manual.md.
Print them with:  .venv/bin/python tests/manual_reports/refusal_catalogue.py
"""

import datetime as dt
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

TODAY = dt.date(2026, 11, 20)
UNIT, HANDLE = "ID-35.78", "humas.kotasurabaya"
HEADER = "kode_unit;platform;akun;tanggal;pengikut"
COMMAS = HEADER.replace(";", ",")
ROW = [UNIT, "instagram", HANDLE, "17/11/2026", 5]


def _row(date="17/11/2026", followers="17.583", platform="instagram", handle=HANDLE, unit=UNIT) -> str:
    return f"{unit};{platform};{handle};{date};{followers}"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def _xlsx(cells: list[list[object]], formats: dict | None = None, kinds: dict | None = None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    for row in cells:
        sheet.append(row)
    for ref, kind in (kinds or {}).items():
        sheet[ref].data_type = kind
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "mm-dd-yy"
            elif isinstance(cell.value, str) and cell.coordinate not in (kinds or {}):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _cases() -> list[tuple[str, str, bytes, dict]]:
    from test_file_kinds import KINDS, _compound_file  # noqa: F401 - the same wrong kinds as the tests

    good = _row()
    cases = [
        ("empty", "kosong.csv", b"", {}),
        ("type", "laporan.pdf", b"%PDF-1.7", {}),
        ("size", "besar.csv", _csv(good) * 30_000, {"MEDSOS_MANUAL_MAX_BYTES": str(2**20)}),
        ("rows", "baris.csv", _csv(good, _row("18/11/2026"), _row("19/11/2026")), {"MEDSOS_MANUAL_MAX_ROWS": "2"}),
        ("header", "judul.csv", b"nama;alamat\r\nBudi;Jl. Merdeka\r\n", {}),
        ("columns", "kolom.csv", _csv(good + ";1;2", header=HEADER + ";pengikut_baru;followers"), {}),
        ("missing", "wajib.csv", _csv("ID-35.78;ig;x;1", header="kode_unit;platform;akun;suka"), {}),
        ("headless", "tanpajudul.csv", _csv(good + ";99", header=HEADER + ";"), {}),
        ("no rows", "kosong2.csv", _csv(), {}),
        ("binary", "gambar.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {}),
        ("long line", "panjang.csv", _csv() + b"x" * 70_000, {}),
        ("quote", "kutip.csv", _csv(good + ';"naik', _row("18/11/2026"), header=HEADER + ";keterangan"), {}),
        ("count", "koma.csv", _csv(good.replace(";", ",").replace("17.583", "17,583"), header=COMMAS), {}),
        ("count2", "kurang.csv", _csv("ID-35.78;instagram;humas.kotasurabaya"), {}),
        ("swallow", "telan.csv", _csv(good + ';"naik\r\nID-35.78;x;y;z;1"', header=HEADER + ";keterangan"), {}),
        ("not xlsx", "laporan.xlsx", b"%PDF-1.7\n", {}),
        ("damaged", "rusak.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships"}), {}),
        ("sheets", "dua.xlsx", _two_sheets(), {}),
        ("bomb", "bom.xlsx", _xlsx([ROW] * 30_000), {"MEDSOS_MANUAL_MAX_EXPANDED_BYTES": str(2**20)}),
        ("cell limit", "sel.xlsx", _xlsx([ROW] * 3), {"MEDSOS_MANUAL_MAX_CELLS": "10"}),
        ("formula", "rumus.xlsx", _xlsx([[*ROW[:4], "=SUM(E3:E9)"]], kinds={"E2": "f"}), {}),
        ("error", "galat.xlsx", _xlsx([[*ROW[:4], "#DIV/0!"]], kinds={"E2": "e"}), {}),
        ("us excel", "us.xlsx", _xlsx([[UNIT, "instagram", HANDLE, dt.datetime(2026, 5, 11), 1],
                                        [UNIT, "facebook", HANDLE, "13/11/2026", 2]]), {}),
    ]  # fmt: skip
    for key, (name, data, _, _) in KINDS.items():
        cases.append((key, name, data, {}))
    cells = [
        _row(followers="12a"),
        _row("16/11/2026", "15,000"),
        _row("15/11/2026", "1,234,567"),
        _row("14/11/2026", "17583 241"),
        _row("13/11/2026", "17.5"),
        _row("12/11/2026", "2,5", platform="facebook"),
        _row("11/11/2026", "12345678901234567890"),
        _row("10/11/2026", "=1+1", platform="youtube"),
        _row("09/11/2026", "-3", platform="youtube"),
        _row("kemarin", platform="facebook"),
        _row("11/18/2026", platform="facebook"),
        _row("", platform="facebook"),
        _row(platform="friendster"),
        _row("14/11/2026", handle="@"),
        _row("13/11/2026", unit="ID-99.99"),
        _row("13/11/2026", handle="bukan.akun.kami"),
        _row("13/11/2026", platform="tiktok"),
        _row("21/11/2026", platform="facebook"),
        _row("01/01/2025", platform="facebook"),
        _row("17/11/2026", "17.600"),
    ]
    cases.append(("cells", "isi.csv", _csv(*cells), {"MEDSOS_MANUAL_HORIZON_DAYS": "366"}))
    weeks = ["16/11/2026", "17/11/2026", "2026-W47", "2026-W54", "minggu lalu"]
    week_rows = [f"{UNIT};instagram;{HANDLE};{w};5" for w in weeks]
    both = f"{UNIT};facebook;{HANDLE};01/11/2026;2026-W44;5"
    cases.append(
        ("weeks", "minggu.csv", _csv(*week_rows, header="kode_unit;platform;akun;minggu;pengikut"), {})
    )
    cases.append(
        ("both", "keduanya.csv", _csv(both, header="kode_unit;platform;akun;tanggal;minggu;pengikut"), {})
    )
    order = [_row("11/29/2026"), _row("12/1/2026", platform="facebook")]
    cases.append(("month first", "as.csv", _csv(*order), {}))
    anchors = [
        _row("13/11/2026"),
        _row("14/11/2026", platform="facebook"),
        _row("11/12/2026", platform="youtube"),
    ]
    cases.append(("anchors", "lompat.csv", _csv(*anchors), {}))
    return cases


def _two_sheets() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for title in ("Instagram", "TikTok"):
        sheet = workbook.create_sheet(title)
        sheet.append(HEADER.split(";"))
        sheet.append(_row().split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalogue() -> list[tuple[str, str]]:
    """(case, Indonesian reason) for every example file, read as the intake reads it on TODAY."""
    from pipelines.manual_reports.config import get_intake_config
    from pipelines.manual_reports.intake import read_and_validate, unreadable_issue

    found: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox"
        inbox.mkdir()
        for key, name, data, env in _cases():
            saved = {k: os.environ.get(k) for k in (*env, "MEDSOS_INBOX_DIR")}
            os.environ.update({**env, "MEDSOS_INBOX_DIR": str(inbox)})
            try:
                (inbox / name).write_bytes(data)
                _, issues, _ = read_and_validate(inbox / name, get_intake_config(), TODAY)
            finally:
                for k, v in saved.items():
                    os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            found += [(key, issue.render().split(" / ")[0]) for issue in issues]
    found.append(("unreadable", unreadable_issue("1a2b3c4d/9f8e7d6c").render().split(" / ")[0]))
    return found


if __name__ == "__main__":
    for key, text in catalogue():
        print(f"{key}\t{text}")
