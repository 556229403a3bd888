"""Reading files the way offices send them: separators, encodings, title rows, aliases, broken headers."""

import datetime as dt

import pytest
from manual_report_files import write_xlsx

from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.issues import FileRejected
from pipelines.manual_reports.reader import read_table

HEADER_ID = "kode_unit;platform;akun;tanggal;pengikut"
ROW = "ID-35.78;ig;@humas.kotasurabaya;17/11/2026;17.583"


def _read(path):
    table = read_table(path, max_rows=1000, max_bytes=10**7)
    return table, map_header(table)


@pytest.mark.parametrize(
    ("text", "encoding", "expected_sep"),
    [
        (f"{HEADER_ID}\n{ROW}\n", "utf-8-sig", ";"),  # with BOM (Excel 'CSV UTF-8')
        (f"{HEADER_ID}\n{ROW}\n", "utf-8", ";"),  # without BOM
        (f"{HEADER_ID}\n{ROW}\n".replace(";", ","), "utf-8", ","),
        (f"{HEADER_ID}\n{ROW}\n".replace(";", "\t"), "utf-16", "\t"),  # Excel 'Unicode Text'
        ('kode_unit,platform,akun,tanggal,pengikut\nID-35.78,ig,x,17/11/2026,"17.583"\n', "utf-8", ","),
    ],
)
def test_separators_and_encodings(tmp_path, text, encoding, expected_sep):
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    table, columns = _read(path)
    assert repr(expected_sep) in table.source_detail
    assert table.header_row == 1
    number, cells = table.rows[0]
    assert number == 2
    assert cells[columns["followers_count"]] == "17.583"
    assert set(columns) == {"unit_code", "platform", "handle", "report_date", "followers_count"}


def test_cp1252_fallback_keeps_letters(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(f"{HEADER_ID};keterangan\n{ROW};Kenaikan karena lomba foto – Juli\n".encode("cp1252"))
    table, columns = _read(path)
    assert "cp1252" in table.source_detail
    assert table.rows[0][1][columns["notes"]] == "Kenaikan karena lomba foto – Juli"


def test_english_aliases_and_title_rows_in_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "Laporan Humas Kota Surabaya;;;;\n;;;;\nUnit Code;Platform;Account;Date;Followers;Likes\n"
        "ID-35.78;instagram;humas.kotasurabaya;2026-11-17;17583;12\n",
        encoding="utf-8",
    )
    table, columns = _read(path)
    assert table.header_row == 3
    assert table.rows == [(4, ["ID-35.78", "instagram", "humas.kotasurabaya", "2026-11-17", "17583", "12"])]
    assert columns["likes_count"] == 5 and columns["handle"] == 2


def test_xlsx_with_title_row_and_date_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["ID-35.78", "ig", "humas.kotasurabaya", dt.datetime(2026, 11, 17), 17583]],
        header=HEADER_ID.split(";"),
    )
    table, _columns = _read(path)
    assert table.header_row == 3  # title, blank row, header
    assert table.rows == [(4, ["ID-35.78", "ig", "humas.kotasurabaya", dt.datetime(2026, 11, 17), 17583])]


def test_xlsx_keeps_text_starting_with_equals_as_text(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx", [["ID-35.78", "ig", "x", "17/11/2026", "=1+1"]], header=HEADER_ID.split(";")
    )
    table, columns = _read(path)
    assert table.rows[0][1][columns["followers_count"]] == "=1+1"


def test_two_sheets_with_report_rows_are_refused(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    for title in ("Instagram", "TikTok"):
        sheet = workbook.create_sheet(title)
        sheet.append(HEADER_ID.split(";"))
        sheet.append(ROW.split(";"))
    workbook.save(tmp_path / "r.xlsx")
    with pytest.raises(FileRejected, match="More than one sheet holds report rows"):
        _read(tmp_path / "r.xlsx")


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("nama;alamat;telepon", "Header row not found"),
        (f"{HEADER_ID};pengikutt", "unknown column 'pengikutt'"),
        (
            "kode_unit;platform;akun;pengikut",
            "column 'report_date' (or 'week' for a weekly report) is missing",
        ),
        ("kode_unit;platform;akun;tanggal;suka", "required column 'followers' is missing"),
        (f"{HEADER_ID};followers", "column 'followers' appears more than once"),
    ],
)
def test_wrong_columns_are_named(tmp_path, header, fragment):
    path = tmp_path / "r.csv"
    path.write_text(f"{header}\n{ROW};1\n", encoding="utf-8")
    with pytest.raises(FileRejected) as err:
        _read(path)
    assert fragment in str(err.value)


def test_value_under_a_blank_header_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER_ID};\n{ROW};99\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="Row 2: value '99' in column 6, which has no header"):
        _read(path)


def test_row_limit(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER_ID + "\n" + (ROW + "\n") * 6, encoding="utf-8")
    with pytest.raises(FileRejected, match="more than 5 data rows"):
        read_table(path, max_rows=5, max_bytes=10**7)
