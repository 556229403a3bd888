"""Sandbox fixtures: worlds with a pinned "today", servers on ephemeral ports, a small registry.

Full-registry sandboxes are built once per session (about 2 s each); fault and rate-limit tests use a small
registry so each can have a server of its own configuration.
"""

from pathlib import Path

import pytest
from sandbox_calls import TODAY, write_small_registry

from pipelines.sandbox import SandboxConfig, start_sandbox


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
