"""End-to-end fixtures: a small registry, the real sandbox over HTTP, and a private Dagster instance."""

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from pipelines.registry import write_registry_subset
from pipelines.settings import PROJECT_ROOT

# Head office, two provinces and three of their regencies: every platform, api and manual accounts.
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-51", "ID-51.71"}


def write_small_registry(target: Path) -> Path:
    return write_registry_subset(target, SMALL_UNITS, PROJECT_ROOT / "dbt_project" / "seeds")


@pytest.fixture
def small_registry(tmp_path, monkeypatch) -> Path:
    path = write_small_registry(tmp_path / "registry")
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(path))
    return path


@pytest.fixture
def quiet_sandbox(data_dir, small_registry):
    from pipelines.sandbox import SandboxConfig, start_sandbox

    with start_sandbox(port=0, seed=7, data_dir=data_dir, config=SandboxConfig.quiet()) as handle:
        yield handle


@pytest.fixture
def report_day() -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date() - dt.timedelta(days=2)
