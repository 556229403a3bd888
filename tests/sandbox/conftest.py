"""Sandbox fixtures: worlds with a pinned "today", servers on ephemeral ports, a small registry.

Full-registry sandboxes are built once per session (about 2 s each); fault and rate-limit tests use a small
registry so each can have a server of its own configuration.
"""

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.sandbox import SandboxConfig, start_sandbox
from pipelines.settings import PROJECT_ROOT

TODAY = dt.date(2026, 10, 15)  # pinned: tests do not depend on the wall clock
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-35.01", "ID-51", "ID-51.71", "ID-91", "ID-91.01"}


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
    return target


@pytest.fixture(scope="session")
def small_registry(tmp_path_factory) -> Path:
    return write_small_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="session")
def quiet_sb(tmp_path_factory):
    """Full registry, no scenarios and no faults: exact values."""
    data = tmp_path_factory.mktemp("quiet_data")
    with start_sandbox(
        port=0, seed=42, data_dir=data, config=SandboxConfig.quiet(today=TODAY.isoformat())
    ) as sb:
        yield sb


@pytest.fixture(scope="session")
def default_sb(tmp_path_factory):
    """Full registry, default scenarios, no request faults (so scenario assertions are exact)."""
    data = tmp_path_factory.mktemp("default_data")
    config = SandboxConfig(today=TODAY.isoformat()).replace(
        throttle_rate=0.0,
        server_error_rate=0.0,
        timeout_rate=0.0,
        malformed_rate=0.0,
        meta_item_fault_rate=0.0,
    )
    with start_sandbox(port=0, seed=42, data_dir=data, config=config) as sb:
        yield sb


@pytest.fixture
def small_sandbox(small_registry, tmp_path):
    """Factory: a sandbox on the small registry with the given config (stopped after the test)."""
    handles = []

    def make(config: SandboxConfig | None = None, seed: int = 42):
        config = config or SandboxConfig.quiet()
        if config.today is None:
            config = config.replace(today=TODAY.isoformat())
        sb = start_sandbox(port=0, seed=seed, data_dir=tmp_path, config=config, registry_dir=small_registry)
        handles.append(sb)
        return sb

    yield make
    for sb in handles:
        sb.stop()


def tokens(sb) -> dict:
    return json.loads(sb.files["tokens"].read_text(encoding="utf-8"))
