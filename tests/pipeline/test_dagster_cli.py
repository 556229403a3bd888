"""The code location as operators use it: `dagster asset materialize`, the webserver, declarative automation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.lake import partition_path
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import PROJECT_ROOT, get_settings

BIN = Path(sys.executable).parent


def cli_env(sandbox) -> dict:
    home = Path(os.environ["DAGSTER_HOME"])
    shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "MEDSOS_SANDBOX_PORT": str(sandbox.port), "MEDSOS_SANDBOX_HOST": "127.0.0.1"}


def test_dagster_asset_materialize_cli_runs_one_partition(quiet_sandbox, report_day):
    env = cli_env(quiet_sandbox)
    proc = subprocess.run(
        [str(BIN / "dagster"), "asset", "materialize", "-m", "pipelines.definitions",
         "--select", "group:ingestion_api", "--partition", report_day.isoformat()],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    settings = get_settings()
    for platform in PLATFORMS:
        assert partition_path(settings.lake_dir, platform, "account_daily", report_day).exists()
        assert partition_path(settings.lake_dir, platform, "fetch_log", report_day).exists()
    with dg.DagsterInstance.get() as instance:  # the run is recorded where the UI looks (DAGSTER_HOME)
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].is_success
        assert runs[0].tags["dagster/partition"] == report_day.isoformat()
