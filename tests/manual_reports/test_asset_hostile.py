"""The Dagster asset on real runs (dg.materialize): a good file, a correction, and every hostile case.

Each hostile file must end in quarantine with a clear reason, the run must still succeed (outcome recorded
as an observation, no materialization), the file's bytes must be kept, and the lake must stay untouched.
"""

import json
import zipfile
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from manual_report_files import (
    csv_bytes,
    days_ago,
    full_width,
    report_row,
    unit_accounts,
    write_csv,
    write_xlsx,
)

from assets.manual_reports import (
    MANUAL_ACCOUNT_DAILY_KEY,
    MANUAL_REPORT_OP,
    manual_account_daily,
    run_config_for,
)
from pipelines.lake import manual_partition_path
from pipelines.manual_reports.columns import TEMPLATE_HEADER
from pipelines.manual_reports.intake import file_sha256


def _run(inbox: Path, name: str) -> tuple[dg.ExecuteInProcessResult, dict]:
    path = inbox / name
    sha = file_sha256(path) if path.is_file() and not path.is_symlink() else ""
    result = dg.materialize([manual_account_daily], run_config=run_config_for(str(path), sha))
    assert result.success  # a bad file never fails the run
    materialized = result.asset_materializations_for_node(MANUAL_REPORT_OP)
    observed = [
        e.event_specific_data.asset_observation
        for e in result.all_events
        if e.event_type_value == "ASSET_OBSERVATION"
    ]
    events = materialized or observed
    assert len(events) == 1 and events[0].asset_key == MANUAL_ACCOUNT_DAILY_KEY
    return result, {k: getattr(v, "value", v) for k, v in events[0].metadata.items()}


def test_good_file_then_correction_on_real_runs(inbox, data_dir):
    a, b = unit_accounts()
    day = days_ago(3)
    write_csv(inbox / "laporan.csv", [report_row(a, day, "17.583", suka="40"), report_row(b, day, "800")])
    result, meta = _run(inbox, "laporan.csv")
    assert result.asset_materializations_for_node(MANUAL_REPORT_OP)
    assert (meta["outcome"], meta["rows"], meta["unit_days"], meta["replaced"]) == ("processed", 2, 1, 0)
    partition = manual_partition_path(data_dir / "lake", day, a.unit_code)
    assert meta["lake_paths"] == [str(partition)]
    rows = {r["account_id"]: r for r in pq.read_table(partition).to_pylist()}
    assert (rows[a.account_id]["followers_count"], rows[a.account_id]["likes_count"]) == (17583, 40)
    assert rows[a.account_id]["run_id"] == result.run_id
    [stored] = (inbox / "processed").glob("*_laporan.csv")
    assert json.loads(Path(str(stored) + ".receipt.json").read_text())["rows"] == 2

    write_csv(inbox / "laporan koreksi.csv", [report_row(a, day, "17.590", suka="40")])
    _, meta = _run(inbox, "laporan koreksi.csv")
    assert (meta["outcome"], meta["replaced"]) == ("processed", 1)
    assert meta["superseded_files"] == [f"laporan.csv ({file_sha256(stored)[:8]})"]
    rows = {r["account_id"]: r for r in pq.read_table(partition).to_pylist()}
    assert (rows[a.account_id]["followers_count"], rows[b.account_id]["followers_count"]) == (17590, 800)


def _good_row():
    return report_row(unit_accounts()[0], days_ago(2), "1.000")


def _write_bytes(data: bytes):
    return lambda path: path.write_bytes(data)


def _big_csv(path: Path) -> None:
    row = ";".join(_good_row()) + "\r\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(";".join(TEMPLATE_HEADER) + "\r\n")
        fh.write(row * (21 * 2**20 // len(row) + 1))  # just over the default 20 MB


def _zip_not_xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.txt", "bukan excel")


HOSTILE = {
    # name: (file name, writer, fragment of the English reason, fragment of the Indonesian reason)
    "wrong columns": (
        "kolom.csv",
        _write_bytes(b"nama;alamat;telepon\nBudi;Jl. Merdeka;0812\n"),
        "Header row not found",
        "Baris judul kolom tidak ditemukan",
    ),
    "unknown column": (
        "kolom2.csv",
        lambda p: write_csv(
            p,
            [[*_good_row(), "x"]],
            header=[
                *TEMPLATE_HEADER,
                "pengikut_baru",
            ],
        ),
        "unknown column 'pengikut_baru'",
        "tidak dikenal",
    ),
    "text in number cells": (
        "teks.csv",
        lambda p: write_csv(p, [report_row(unit_accounts()[0], days_ago(2), "12a", suka="dua ribu")]),
        "Row 2, column 'followers': '12a' is not a number",
        "Baris 2, kolom 'suka': 'dua ribu' bukan angka",
    ),
    "negative counts": (
        "negatif.csv",
        lambda p: write_csv(p, [report_row(unit_accounts()[0], days_ago(2), "1.000", komentar="-3")]),
        "Row 2, column 'comments': '-3' is negative",
        "Baris 2, kolom 'komentar': '-3' negatif",
    ),
    "unknown unit": (
        "unit.csv",
        lambda p: write_csv(p, [full_width(["ID-99.99", "instagram", "humas.entah", "01/11/2026", "5"])]),
        "Row 2, column 'unit_code': unit code 'ID-99.99' is not in the registry",
        "tidak terdaftar",
    ),
    "empty file": ("kosong.csv", _write_bytes(b""), "The file is empty", "Berkas kosong"),
    "header only": (
        "judul.csv",
        lambda p: write_csv(p, []),
        "No data rows below the header",
        "Tidak ada baris data",
    ),
    "very large file": (
        "besar.csv",
        _big_csv,
        "File too large (21.0 MB; limit 20.0 MB)",
        "Berkas terlalu besar",
    ),
    "file name with ..\\ path": (
        "..\\..\\laporan.csv",
        lambda p: write_csv(p, [_good_row()]),
        "Unsafe file name (it contains a path",
        "Nama berkas tidak aman",
    ),
    "file name with hidden characters": (
        "lap\u202evsc.xlsx",
        lambda p: write_csv(p, [_good_row()]),
        "hidden control or direction characters",
        "tidak aman",
    ),
    "cells beginning with = (csv)": (
        "rumus.csv",
        lambda p: write_csv(
            p, [[*_good_row()[:4], "=1+1", "@SUM(A1)", '=HYPERLINK("http://x","klik")', *_good_row()[7:]]]
        ),
        "Row 2, column 'followers': '=1+1' is text (starts with '='), not a number",
        "rumus tidak dijalankan",
    ),
    "cells beginning with = (xlsx)": (
        "rumus.xlsx",
        lambda p: write_xlsx(p, [[*_good_row()[:4], "=1+1"]]),
        "Row 4, column 'followers': '=1+1' is text",
        "Baris 4, kolom 'pengikut'",
    ),
    "non-spreadsheet renamed .xlsx": (
        "laporan.xlsx",
        _write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        "not an Excel spreadsheet (.xlsx) although its name ends in .xlsx",
        "bukan spreadsheet Excel",
    ),
    "zip renamed .xlsx": (
        "arsip.xlsx",
        _zip_not_xlsx,
        "cannot be opened as an Excel workbook",
        "tidak dapat dibuka",
    ),
    "binary renamed .csv": (
        "gambar.csv",
        _write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "is not text",
        "bukan teks",
    ),
    "unsupported type": (
        "laporan.pdf",
        _write_bytes(b"%PDF-1.7\n"),
        "Unsupported file type (.pdf)",
        "tidak didukung",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_file_ends_in_quarantine_with_a_clear_reason(inbox, data_dir, case):
    name, write, reason_en, reason_id = HOSTILE[case]
    write(inbox / name)
    original = (inbox / name).read_bytes()
    _, meta = _run(inbox, name)
    assert meta["outcome"] == "quarantined"
    assert reason_en in meta["reason"] and reason_id in meta["reason"]

    assert sorted(p.name for p in inbox.iterdir()) == ["quarantine"]  # moved, not left behind
    kept = [
        p for p in (inbox / "quarantine").iterdir() if not p.name.endswith((".reason.txt", ".errors.csv"))
    ]
    assert len(kept) == 1 and kept[0].read_bytes() == original  # nothing lost
    assert "/" not in kept[0].name and "\\" not in kept[0].name and kept[0].name.isprintable()
    reason = Path(str(kept[0]) + ".reason.txt").read_text(encoding="utf-8")
    assert "QUARANTINED" in reason and reason_en in reason and reason_id in reason
    errors_csv = Path(str(kept[0]) + ".errors.csv").read_text(encoding="utf-8-sig")
    assert all(not line.split(";")[2].startswith(("=", "+", "-", "@")) for line in errors_csv.splitlines())
    assert not (data_dir / "lake").exists()  # nothing reached the lake


def test_reason_csv_neutralises_formula_text(inbox):
    write_csv(
        inbox / "f.csv",
        [[*_good_row()[:4], "=cmd|' /C calc'!A0"]],
        header=["kode_unit", "platform", "akun", "tanggal", "pengikut"],
    )
    _run(inbox, "f.csv")
    [errors] = (inbox / "quarantine").glob("*.errors.csv")
    text = errors.read_text(encoding="utf-8-sig")
    assert "=cmd" in text and all(
        not cell.startswith("=") for line in text.splitlines() for cell in line.split(";")
    )


def test_odd_but_harmless_name_is_taken_in_under_a_safe_name(inbox):
    name = "Laporan Kab. (Nov) ;$ü #1.CSV"
    write_csv(inbox / name, [_good_row()])
    _, meta = _run(inbox, name)
    assert meta["outcome"] == "processed"
    [stored] = [p for p in (inbox / "processed").iterdir() if not p.name.endswith(".json")]
    assert stored.name.endswith("_Laporan_Kab._(Nov)_u_1.csv")


def test_run_config_pointing_outside_the_inbox_touches_nothing(inbox, data_dir):
    outside = data_dir / "elsewhere.csv"
    outside.write_bytes(csv_bytes([_good_row()]))
    for path in ("../elsewhere.csv", str(outside)):
        result = dg.materialize([manual_account_daily], run_config=run_config_for(path, ""))
        assert result.success and not result.asset_materializations_for_node(MANUAL_REPORT_OP)
    assert outside.exists() and sorted(inbox.iterdir()) == []


def test_row_limit_is_configurable(inbox, monkeypatch):
    monkeypatch.setenv("MEDSOS_MANUAL_MAX_ROWS", "2")
    write_csv(inbox / "rows.csv", [_good_row()] * 3)
    _, meta = _run(inbox, "rows.csv")
    assert meta["outcome"] == "quarantined" and "more than 2 data rows" in meta["reason"]


def test_symbolic_link_is_quarantined_without_reading_its_target(inbox, data_dir):
    target = data_dir / "rahasia.csv"
    target.write_bytes(csv_bytes([_good_row()]))
    (inbox / "tautan.csv").symlink_to(target)
    _, meta = _run(inbox, "tautan.csv")
    assert meta["outcome"] == "quarantined" and "Symbolic links are not accepted" in meta["reason"]
    [link] = (inbox / "quarantine").glob("*_tautan.csv")
    assert link.is_symlink() and target.read_bytes() == csv_bytes(
        [_good_row()]
    )  # the link moved, not the data
    assert not (data_dir / "lake").exists()
