"""Fixtures for the credential tests: a documented-bodies server, a small registry, sandboxes on port 0."""

from pathlib import Path

import pytest
from credential_fixtures import NO_FAULTS, SMALL_UNITS, TODAY
from doc_server import DocServer

from pipelines.registry import write_registry_subset
from pipelines.sandbox import SandboxConfig, start_sandbox
from pipelines.settings import PROJECT_ROOT


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
