"""The template: what the CLI writes, the committed copies, and a filled-in template going through."""

import datetime as dt
from pathlib import Path

import openpyxl
from manual_report_files import days_ago

from pipelines.manual_reports.columns import TEMPLATE_HEADER
from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.intake import process_file
from pipelines.manual_reports.reader import read_table
from pipelines.manual_reports.template import BASENAME, main

COMMITTED = Path(__file__).resolve().parents[2] / "pipelines" / "manual_reports" / "templates"


def _cells(path: Path) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [[cell.value for cell in row] for sheet in workbook for row in sheet.iter_rows()]


def test_cli_writes_csv_and_xlsx_matching_the_committed_copies(tmp_path, capsys):
    main([str(tmp_path)])
    csv_path, xlsx_path = tmp_path / f"{BASENAME}.csv", tmp_path / f"{BASENAME}.xlsx"
    assert capsys.readouterr().out.split() == [str(csv_path), str(xlsx_path)]
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [";".join(TEMPLATE_HEADER)]
    assert raw == (COMMITTED / f"{BASENAME}.csv").read_bytes()
    assert _cells(xlsx_path) == _cells(COMMITTED / f"{BASENAME}.xlsx")  # the committed copy is current
    for path in (xlsx_path, COMMITTED / f"{BASENAME}.xlsx"):
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames == ["Laporan", "Petunjuk"]
        sheet = workbook["Laporan"]
        assert sheet["A1"].value.startswith("LAPORAN MEDIA SOSIAL")  # a title row above the header
        assert [c.value for c in sheet[2]] == TEMPLATE_HEADER
        instructions = " ".join(
            str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row if c.value
        )
        assert "Satu baris = satu akun pada satu hari" in instructions and "minggu ISO" in instructions
        table = read_table(path, 100, 10**7)
        assert (table.header_row, table.rows, table.source_detail) == (2, [], "xlsx sheet 'Laporan'")
        assert len(map_header(table)) == len(TEMPLATE_HEADER)


def test_prefilled_template_filled_in_by_a_unit_is_taken_in(tmp_path, inbox):
    main([str(tmp_path), "--unit", "ID-35.78"])
    path = tmp_path / f"{BASENAME}_ID-35.78.xlsx"
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Laporan"]
    rows = list(sheet.iter_rows(min_row=3))
    assert [r[0].value for r in rows] == ["ID-35.78"] * len(rows) and len(rows) >= 2
    day = days_ago(1)
    for i, row in enumerate(rows):
        row[3].value = dt.datetime.combine(day, dt.time())
        row[4].value = 10_000 + i
        row[10].value = "1.250"  # suka, typed as Indonesian text
    workbook.save(inbox / "surabaya.xlsx")
    result = process_file("surabaya.xlsx", run_id="r1")
    assert result.outcome == "processed", result.issues
    assert (result.rows, result.unit_days) == (len(rows), 1)


def test_unfilled_prefilled_template_is_refused_with_reasons(tmp_path, inbox):
    main([str(tmp_path), "--unit", "ID-35.78"])
    (inbox / "kosong.csv").write_bytes((tmp_path / f"{BASENAME}_ID-35.78.csv").read_bytes())
    result = process_file("kosong.csv", run_id="r1")
    assert result.outcome == "quarantined"
    assert "Row 2, column 'report_date': must be filled in" in result.issues[0]
    assert any("Row 2, column 'followers': must be filled in" in line for line in result.issues)
