"""The inbox sensor, evaluated with dg.build_sensor_context on a real (test) instance."""

import json
import os
import time

import dagster as dg
import pytest
from manual_report_files import days_ago, report_row, unit_accounts, write_csv

from assets.manual_reports import manual_account_daily
from pipelines.jobs import manual_report_job
from pipelines.manual_reports.intake import file_sha256, process_file
from pipelines.sensors.manual_reports import build_manual_report_sensor, manual_report_sensor


@pytest.fixture(scope="module")
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def _tick(instance, cursor=None):
    result = manual_report_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
    return result, result.cursor


def _age(path, seconds=60):
    past = time.time() - seconds
    os.utime(path, (past, past))


def _report(inbox, name="laporan.csv", followers="1.000"):
    path = write_csv(inbox / name, [report_row(unit_accounts()[0], days_ago(2), followers)])
    _age(path)
    return path


def test_definition_defaults(monkeypatch):
    assert manual_report_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert manual_report_sensor.minimum_interval_seconds == 2
    assert manual_report_sensor.job_name == "manual_report_job"
    monkeypatch.setenv("MEDSOS_MANUAL_SENSOR_INTERVAL", "7")
    assert build_manual_report_sensor().minimum_interval_seconds == 7


def test_new_file_gets_one_run_keyed_by_its_content(inbox, instance):
    path = _report(inbox)
    result, cursor = _tick(instance)
    [request] = result.run_requests
    assert request.run_key == file_sha256(path)
    assert request.run_config["ops"]["raw__manual__account_daily"]["config"] == {
        "path": str(path),
        "sha256": file_sha256(path),
    }
    assert request.tags["manual_report/file"] == "laporan.csv"
    assert json.loads(cursor)["files"]["laporan.csv"]["requested"] is True
    again, _ = _tick(instance, cursor)
    assert again.run_requests == [] and "no new files" in again.skip_reason.skip_message


def test_file_still_being_written_waits(inbox, instance, monkeypatch):
    monkeypatch.setenv("MEDSOS_MANUAL_SETTLE_SECONDS", "30")
    path = write_csv(inbox / "laporan.csv", [report_row(unit_accounts()[0], days_ago(2), "1")])
    result, cursor = _tick(instance)  # modified just now
    assert result.run_requests == [] and "still being written" in result.skip_reason.skip_message
    with open(path, "a", encoding="utf-8") as fh:  # more rows arrive; then the copy goes quiet
        fh.write(";".join(report_row(unit_accounts()[1], days_ago(2), "2")) + "\r\n")
    _age(path)
    result, cursor = _tick(instance, cursor)
    assert result.run_requests == []  # size changed since the last tick: one more tick
    result, _ = _tick(instance, cursor)
    assert [r.run_key for r in result.run_requests] == [file_sha256(path)]


def test_two_copies_in_one_tick_give_one_run_then_the_copy_is_filed_as_duplicate(inbox, instance):
    _report(inbox, "a.csv")
    _report(inbox, "b.csv")
    result, cursor = _tick(instance)
    [request] = result.run_requests
    name = os.path.basename(request.run_config["ops"]["raw__manual__account_daily"]["config"]["path"])
    assert process_file(name, run_id="r1").outcome == "processed"
    result, cursor = _tick(instance, cursor)
    assert result.run_requests == [] and "1 duplicate(s) filed" in result.skip_reason.skip_message
    assert sorted(p.name for p in inbox.iterdir()) == ["processed"]
    receipts = [json.loads(p.read_text()) for p in (inbox / "processed").glob("*.receipt.json")]
    assert sorted(r["outcome"] for r in receipts) == ["duplicate", "processed"]
    assert json.loads(cursor)["files"] == {}


def test_content_seen_before_is_filed_beside_its_first_outcome(inbox, instance):
    bad = inbox / "salah.csv"
    bad.write_text("nama;alamat\nBudi;Jl. Merdeka\n", encoding="utf-8")
    assert process_file(bad.name, run_id="r1").outcome == "quarantined"
    resent = inbox / "salah lagi.csv"
    resent.write_text("nama;alamat\nBudi;Jl. Merdeka\n", encoding="utf-8")
    _age(resent)
    result, _ = _tick(instance)
    assert result.run_requests == []
    assert [p.name for p in inbox.iterdir()] == ["quarantine"]
    [receipt] = (inbox / "quarantine").glob("*.receipt.json")
    assert json.loads(receipt.read_text())["duplicate_of"]["outcome"] == "quarantined"


def test_lock_files_partial_downloads_and_folders_are_ignored(inbox, instance):
    for name in ("~$laporan.xlsx", ".DS_Store", "laporan.csv.part", "unduh.crdownload"):
        (inbox / name).write_bytes(b"x")
        _age(inbox / name)
    (inbox / "arsip").mkdir()
    result, cursor = _tick(instance)
    assert result.run_requests == [] and json.loads(cursor)["files"] == {}


def test_sensor_request_runs_the_job_and_the_sensor_keeps_going(inbox, instance, data_dir):
    defs = dg.Definitions(
        assets=[manual_account_daily], jobs=[manual_report_job], sensors=[manual_report_sensor]
    )
    job = defs.resolve_job_def("manual_report_job")
    (inbox / "rusak.xlsx").write_bytes(b"bukan excel")
    _age(inbox / "rusak.xlsx")
    _report(inbox, "baik.csv", followers="4.321")
    result, cursor = _tick(instance)
    assert len(result.run_requests) == 2
    for request in result.run_requests:
        run = job.execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags)
        assert run.success
    assert {p.name.split("_", 2)[2] for p in (inbox / "processed").glob("*.csv")} == {"baik.csv"}
    assert {p.name.split("_", 2)[2] for p in (inbox / "quarantine").glob("*.xlsx")} == {"rusak.xlsx"}
    result, _ = _tick(instance, cursor)
    assert result.run_requests == [] and "no new files" in result.skip_reason.skip_message
    materializations = instance.fetch_materializations(manual_account_daily.key, limit=10).records
    assert len(materializations) == 1  # the quarantined file was observed, not materialized
