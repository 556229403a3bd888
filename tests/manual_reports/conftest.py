"""Fixtures for the manual-report tests: a private data dir with an inbox (settings read at run time)."""

import subprocess
import warnings
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
REGISTRY_FILES = {"registry_units.csv": "unit_code,", "registry_accounts.csv": "account_id,"}


@pytest.fixture(scope="session")
def registry_dir(tmp_path_factory) -> Path:
    """A private copy of the registry seeds, taken once: other suites' dbt runs may rewrite the seed folder
    while these tests run. Falls back to the committed version if the working copy is not a registry."""
    target = tmp_path_factory.mktemp("registry")
    for name, header in REGISTRY_FILES.items():
        source = SEEDS / name
        text = source.read_text(encoding="utf-8-sig") if source.exists() else ""
        if not text.startswith(header):
            warnings.warn(f"{source} is not a registry right now; using the committed version", stacklevel=1)
            text = subprocess.run(
                ["git", "show", f"HEAD:dbt_project/seeds/{name}"], cwd=SEEDS, capture_output=True, text=True
            ).stdout
        (target / name).write_text(text, encoding="utf-8")
    return target


@pytest.fixture(autouse=True)
def _private_registry(registry_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(registry_dir))


@pytest.fixture
def inbox(data_dir: Path, monkeypatch) -> Path:
    path = data_dir / "inbox"
    path.mkdir()
    monkeypatch.delenv("MEDSOS_INBOX_DIR", raising=False)
    for name in ("MAX_BYTES", "MAX_ROWS", "HORIZON_DAYS", "STATE_DIR"):
        monkeypatch.delenv(f"MEDSOS_MANUAL_{name}", raising=False)
    monkeypatch.setenv("MEDSOS_MANUAL_SETTLE_SECONDS", "0")
    return path
