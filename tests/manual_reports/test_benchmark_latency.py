"""The latency benchmark against a stand-in pipeline: intake for real, publish as a DuckDB file swap."""

import datetime as dt
import os
import threading
import time

import duckdb

from pipelines.manual_reports.benchmark_latency import main
from pipelines.manual_reports.intake import process_file
from pipelines.settings import today_wib


def _stand_in_pipeline(inbox, data_dir, serving, stop):
    """Takes in each inbox file and publishes fct_account_daily from the manual lake (build, then swap)."""
    while not stop.is_set():
        for path in inbox.glob("benchmark_latency_*.csv"):
            if process_file(path.name, run_id="bench").outcome == "processed":
                build = serving.with_name("build.duckdb")
                lake = data_dir / "lake" / "manual" / "account_daily" / "**" / "*.parquet"
                with duckdb.connect(str(build)) as con:
                    con.execute("create schema if not exists marts")
                    con.execute(
                        "create or replace table marts.fct_account_daily as select account_id, metric_date, "
                        f"followers_count from read_parquet('{lake}', hive_partitioning = false)"
                    )
                os.replace(build, serving)
        time.sleep(0.05)


def _run(inbox, data_dir, argv):
    serving = data_dir / "medsos.duckdb"
    stop = threading.Event()
    worker = threading.Thread(target=_stand_in_pipeline, args=(inbox, data_dir, serving, stop), daemon=True)
    worker.start()
    try:
        return main(["--serving", str(serving), "--interval", "0.05", "--json", *argv])
    finally:
        stop.set()
        worker.join(timeout=30)


def test_prints_the_latency_once_the_row_is_queryable(inbox, data_dir, capsys):
    assert _run(inbox, data_dir, ["--deadline", "600"]) == 0  # a generous deadline: the machine may be busy
    out = capsys.readouterr().out
    assert '"ok": true' in out and '"latency_seconds": ' in out
    assert [p.name for p in inbox.iterdir()] == ["processed"]


def test_stops_early_when_the_file_is_quarantined(inbox, data_dir, capsys):
    future = (today_wib() + dt.timedelta(days=3)).isoformat()
    assert _run(inbox, data_dir, ["--deadline", "600", "--day", future]) == 1
    out = capsys.readouterr().out
    assert "quarantined" in out and "deadline" not in out  # it stopped at the quarantine, not the deadline
