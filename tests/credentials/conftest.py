"""Fixtures for the credential tests: a documented-bodies server, a small registry, sandboxes on port 0."""

import datetime as dt
import json
from pathlib import Path

import pytest
from doc_server import DocServer

from pipelines.registry import Account, write_registry_subset
from pipelines.sandbox import SandboxConfig, start_sandbox
from pipelines.settings import PROJECT_ROOT

TODAY = "2026-10-15"  # the sandbox's pinned day: tokens still expire on the wall clock
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-51", "ID-51.71"}
NO_FAULTS = dict(throttle_rate=0.0, server_error_rate=0.0, timeout_rate=0.0, malformed_rate=0.0,
                 meta_item_fault_rate=0.0)  # fmt: skip


def account(platform: str, user_id: str, unit: str = "ID-35.78") -> Account:
    return Account(f"{platform}:{user_id}", unit, platform, f"humas_{platform}", user_id, "api",
                   dt.date(2020, 1, 1), None)  # fmt: skip


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def doc_server():
    server = DocServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def small_registry(tmp_path_factory) -> Path:
    return write_registry_subset(
        tmp_path_factory.mktemp("registry"), SMALL_UNITS, PROJECT_ROOT / "dbt_project" / "seeds"
    )


@pytest.fixture
def scenario_sandbox(data_dir, monkeypatch):
    """The full registry with the default scenarios (no request faults), files under the test's data dir."""
    config = SandboxConfig(today=TODAY).replace(**NO_FAULTS)
    with start_sandbox(port=0, seed=42, data_dir=data_dir, config=config) as sb:
        monkeypatch.setenv("MEDSOS_SANDBOX_PORT", str(sb.port))
        yield sb


@pytest.fixture
def small_sandbox(data_dir, small_registry, monkeypatch):
    """A small registry with default scenarios and no faults; MEDSOS_REGISTRY_DIR points at it."""
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(small_registry))
    config = SandboxConfig(today=TODAY).replace(**NO_FAULTS)
    with start_sandbox(port=0, seed=42, data_dir=data_dir, config=config, registry_dir=small_registry) as sb:
        monkeypatch.setenv("MEDSOS_SANDBOX_PORT", str(sb.port))
        yield sb
