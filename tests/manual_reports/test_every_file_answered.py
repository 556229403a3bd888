"""Issue 9, point 2: every file gets an answer. Our own exception while reading is caught at the file boundary
(quarantined as unreadable, traceback in the log only); known crashes are answered; a file left in the inbox
by a crashed run is tried again and, after MAX_ATTEMPTS ended runs, quarantined as unreadable."""

import io
import json
import logging
import os
import time
import zipfile
from pathlib import Path

import dagster as dg
import pytest
from manual_report_files import days_ago, report_row, unit_accounts, write_csv, write_xlsx

import assets.manual_reports as manual_asset
from assets.manual_reports import manual_account_daily, manual_report_job
from pipelines.manual_reports import intake
from pipelines.manual_reports.intake import file_sha256, process_file
from pipelines.manual_reports.retries import MAX_ATTEMPTS
from pipelines.sensors.manual_reports import manual_report_sensor


def _good(inbox: Path, name="laporan.csv", followers="1.000") -> Path:
    return write_csv(inbox / name, [report_row(unit_accounts()[0], days_ago(2), followers)])


def test_our_exception_while_reading_is_quarantined_as_unreadable(inbox, monkeypatch, caplog):
    path = _good(inbox)
    sha = file_sha256(path)

    def broken(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'upper' (a bug of ours)")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, logger=intake.__name__):
        patched.setattr(intake, "parse_rows", broken)
        result = process_file(path.name, run_id="run-1234abcd")
    assert result.outcome == "quarantined" and result.detail.startswith("unreadable")
    reason = Path(result.receipt).read_text(encoding="utf-8")
    assert "kesalahan di sistem penerima" in reason and "error in the receiving system" in reason
    assert f"reference {sha[:8]}/run-1234" in reason
    assert "Traceback" not in reason and "NoneType" not in reason and "AttributeError" not in reason
    assert "Traceback" in caplog.text and "a bug of ours" in caplog.text  # the operators get the traceback

    # 'unreadable' is not a final answer: the same content sent again is read again, not filed as duplicate.
    _good(inbox, "lagi.csv")
    assert process_file("lagi.csv", run_id="r2").outcome == "processed"


def _corrupt_deflate(path: Path) -> None:
    """Flip bytes in the middle of the sheet's compressed data (what a broken download or USB stick does)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size, 40)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _malformed_xml(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b"<row><c>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(("damage", "tag"), [(_corrupt_deflate, ""), (_malformed_xml, "(ParseError)")])
def test_damaged_xlsx_is_answered(inbox, damage, tag):
    path = write_xlsx(inbox / "rusak.xlsx", [report_row(unit_accounts()[0], days_ago(2), "5")] * 30)
    damage(path)
    result = process_file("rusak.xlsx", run_id="r1")
    assert result.outcome == "quarantined" and not result.detail.startswith("unreadable")
    assert (
        "cannot be opened as an Excel workbook: it is damaged" in result.issues[0] and tag in result.issues[0]
    )
    assert "berkas rusak" in result.issues[0]


# The sensor: a file left behind by a crashed run.


def _age(path: Path) -> None:
    past = time.time() - 60
    os.utime(path, (past, past))


def _job():
    defs = dg.Definitions(assets=[manual_account_daily], jobs=[manual_report_job])
    return defs.resolve_job_def("manual_report_job")


def _tick(instance, cursor=None):
    result = manual_report_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
    return result, result.cursor


def test_file_left_by_crashed_runs_is_tried_again_then_answered(inbox, monkeypatch):
    path = _good(inbox, followers="7.777")
    _age(path)
    sha = file_sha256(path)

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manual_asset, "process_file", crash)
    with dg.instance_for_test() as instance:
        result, cursor = _tick(instance)
        keys = []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            [request] = result.run_requests
            keys.append(request.run_key)
            waiting, _ = _tick(instance, cursor)  # requested, no run yet: nothing new
            assert waiting.run_requests == []
            run = _job().execute_in_process(
                run_config=request.run_config, instance=instance, tags=request.tags, raise_on_error=False
            )
            assert not run.success and path.exists()  # the crash left the file in the inbox
            if attempt == 2:
                cursor = None  # the daemon lost its cursor: the file is still picked up again
            result, cursor = _tick(instance, cursor)
        assert keys == [sha, f"{sha}:attempt-2", f"{sha}:attempt-3"]
        assert result.run_requests == []  # three ended runs: no fourth, an answer instead
    assert not path.exists()
    [kept] = [p for p in (inbox / "quarantine").iterdir() if p.name.endswith("_laporan.csv")]
    reason = Path(str(kept) + ".reason.txt").read_text(encoding="utf-8")
    assert "kesalahan di sistem penerima" in reason and f"reference {sha[:8]}/3x" in reason
    ledger = (inbox.parent / "manual_reports" / "ledger.jsonl").read_text().splitlines()
    assert json.loads(ledger[-1])["outcome"] == "unreadable"


def test_run_that_ends_with_the_file_taken_in_is_not_repeated(inbox):
    path = _good(inbox, followers="8.888")
    _age(path)
    with dg.instance_for_test() as instance:
        result, cursor = _tick(instance)
        [request] = result.run_requests
        run = _job().execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags)
        assert run.success
        again, _ = _tick(instance, cursor)
        assert again.run_requests == [] and sorted(p.name for p in inbox.iterdir()) == ["processed"]
