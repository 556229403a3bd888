"""Shared test set-up: telemetry off, a private data dir per test, the dbt manifest prepared once."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def pytest_configure(config):
    # Dagster loads the dbt assets from the manifest: prepare it when missing (`make test` already did).
    manifest = Path(__file__).resolve().parent.parent / "dbt_project" / "target" / "manifest.json"
    if not manifest.exists() and (manifest.parent.parent / "dbt_project.yml").exists():
        from pipelines.warehouse import prepare_manifest

        prepare_manifest()


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private MEDSOS_DATA_DIR for one test (settings are read at run time, so this is enough)."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("MEDSOS_DATA_DIR", str(path))
    monkeypatch.delenv("MEDSOS_API_MODE", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return path
