"""The README's run command end to end (`python -m pipelines.bootstrap`, what `make run` starts), on a small
registry and a 2-day backfill: sandbox up, real `dagster asset materialize` and `dagster job execute` runs
recorded in DAGSTER_HOME, the warehouse published, and `dagster dev` serving the loaded code location."""

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import dagster as dg
import duckdb
import requests

from pipelines.settings import PROJECT_ROOT, get_settings

LOCATION_QUERY = """{ workspaceOrError { ... on Workspace { locationEntries {
  loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
ASSETS_QUERY = "{ assetNodes { assetKey { path } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(url: str, query: str) -> dict:
    return requests.post(f"{url}/graphql", json={"query": query}, timeout=30).json()["data"]


def wait_for_location(url: str, deadline: float) -> dict:
    while time.monotonic() < deadline:
        try:
            entries = graphql(url, LOCATION_QUERY)["workspaceOrError"]["locationEntries"]
            if entries and entries[0]["loadStatus"] == "LOADED":
                return entries[0]["locationOrLoadError"]
        except (requests.RequestException, KeyError, TypeError, ValueError):
            pass
        time.sleep(1)
    raise AssertionError("the Dagster UI did not load the code location in time")


def test_run_command_brings_up_the_pipeline(data_dir, small_registry):
    home = Path(os.environ["DAGSTER_HOME"])
    shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    ui_port = free_port()
    env = {
        **os.environ,
        "MEDSOS_BACKFILL_DAYS": "2",
        "MEDSOS_SANDBOX_PORT": str(free_port()),
        "MEDSOS_UI_PORT": str(ui_port),
        "PATH": "/usr/bin:/bin",  # like a fresh shell: the command must find its own dbt and dagster
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.bootstrap"],
        cwd=PROJECT_ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{ui_port}"
    log = []
    try:
        deadline = time.monotonic() + 420
        for line in proc.stdout:  # until the UI is announced
            log.append(line)
            if line.startswith("Dagster UI:") or time.monotonic() > deadline:
                break
        assert any(line.startswith("Dagster UI:") for line in log), "".join(log[-40:])
        location = wait_for_location(url, deadline)
        assert location["__typename"] == "RepositoryLocation", location  # not a load error
        keys = {"/".join(n["assetKey"]["path"]) for n in graphql(url, ASSETS_QUERY)["assetNodes"]}
        assert {"raw/tiktok/account_daily", "warehouse/fct_account_daily", "warehouse/published"} <= keys
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)

    yesterday = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date() - dt.timedelta(days=1)
    with duckdb.connect(str(get_settings().serving_db_path), read_only=True) as con:
        days = con.execute("select count(distinct metric_date) from marts.fct_account_daily").fetchone()[0]
        newest = con.execute("select max(metric_date) from marts.fct_account_daily").fetchone()[0]
    assert days == 2 and newest == yesterday
    with dg.DagsterInstance.get() as instance:  # real runs, recorded where the UI reads them
        runs = instance.get_runs()
        assert {r.job_name for r in runs} >= {"__ASSET_JOB", "warehouse_job"}
        assert all(r.is_success for r in runs)
