"""Issue 9, point 2: fuzzing the reader. Truncated, bit-flipped and random bytes named .csv or .xlsx never
raise anything but a FileRejected (a reason for the unit) from any reading stage, and through the intake every
such file ends in processed/ or quarantine/ with a reason (zero unhandled exceptions)."""

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manual_report_files import csv_bytes, days_ago, report_row, unit_accounts, write_xlsx

from pipelines.manual_reports.dates import check_dates
from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.intake import process_file
from pipelines.manual_reports.issues import FileRejected
from pipelines.manual_reports.reader import Limits, read_table
from pipelines.manual_reports.rows import parse_rows

FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure is reproducible, CI is stable
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _seeds() -> dict[str, bytes]:
    a, b = unit_accounts()
    rows = [report_row(a, days_ago(2), "17.583", suka="300"), report_row(b, days_ago(3), "2.001")]
    with tempfile.TemporaryDirectory() as folder:
        xlsx = write_xlsx(Path(folder) / "seed.xlsx", rows)
        return {".csv": csv_bytes(rows), ".xlsx": xlsx.read_bytes()}


SEEDS = _seeds()


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from([".csv", ".xlsx"]))
    seed = SEEDS[suffix]
    how = draw(st.sampled_from(["truncated", "bit-flipped", "random", "spliced"]))
    if how == "truncated":
        data = seed[: draw(st.integers(0, len(seed)))]
    elif how == "bit-flipped":
        data = bytearray(seed)
        for position in draw(st.lists(st.integers(0, len(seed) - 1), min_size=1, max_size=8)):
            data[position] ^= 1 << draw(st.integers(0, 7))
        data = bytes(data)
    elif how == "random":
        data = draw(st.binary(max_size=2048))
    else:  # the other kind's bytes, or random bytes, inside a seed
        at = draw(st.integers(0, len(seed)))
        data = seed[:at] + draw(st.binary(min_size=1, max_size=64)) + seed[at:]
    return suffix, data


def _read_all_stages(path: Path) -> None:
    """Every reading stage below the intake's file boundary; only FileRejected may come out."""
    try:
        table = read_table(path, 1000, 10**7, Limits(1000, 10**7, 10**8, 10**6))
        columns = map_header(table)
    except FileRejected as rejected:
        assert rejected.issues and all(i.id_text and i.en_text for i in rejected.issues)
        return
    rows, _ = parse_rows(table, columns)
    date_column = columns.get("report_date")
    raw = {n: c[date_column] for n, c in table.rows if date_column is not None and date_column < len(c)}
    check_dates(rows, raw, table.kind, table.saved_on)


@FUZZ
@given(case=damaged())
def test_damaged_bytes_never_raise_from_the_reader(tmp_path, case):
    suffix, data = case
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read_all_stages(path)


@settings(FUZZ, max_examples=12)
@given(case=damaged())
def test_damaged_files_always_get_an_answer(inbox, case):
    suffix, data = case
    name = f"fuzz{suffix}"
    (inbox / name).write_bytes(data)
    result = process_file(name, run_id="fuzz")
    assert result.outcome in ("processed", "quarantined", "duplicate"), (
        result
    )  # duplicate: of an earlier case
    assert not (inbox / name).exists()
    if result.outcome == "quarantined":
        assert result.issues and not result.detail.startswith("unreadable"), result  # no bug of ours met


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_truncation_of_a_small_file_is_read_or_refused(tmp_path, suffix):
    """Exhaustive for the CSV; every 7th byte for the XLSX (each cut is a different damage)."""
    seed = SEEDS[suffix]
    step = 1 if suffix == ".csv" else 7
    for cut in range(0, len(seed), step):
        path = tmp_path / f"cut{cut}{suffix}"
        path.write_bytes(seed[:cut])
        _read_all_stages(path)


def test_utf16_file_with_an_odd_byte_count_is_refused_not_crashing(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(io.BytesIO(csv_bytes([], encoding="utf-16")).getvalue() + b"\x00")
    _read_all_stages(path)
