"""End-to-end fixtures: a small registry, the real sandbox over HTTP, and a private Dagster instance."""

import csv
import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT

# Head office, two provinces and three of their regencies: every platform, api and manual accounts.
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-51", "ID-51.71"}


def write_small_registry(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    seeds = PROJECT_ROOT / "dbt_project" / "seeds"
    for name in ("registry_units.csv", "registry_accounts.csv"):
        with (seeds / name).open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["unit_code"] in SMALL_UNITS]
        with (target / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    for extra in seeds.glob("*.csv"):  # catalogue and calendar seeds come along unchanged
        if not (target / extra.name).exists():
            (target / extra.name).write_bytes(extra.read_bytes())
    return target


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
