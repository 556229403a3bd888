"""Fixtures for the manual-report tests: a private data dir with an inbox (settings read at run time)."""

from pathlib import Path

import pytest


@pytest.fixture
def inbox(data_dir: Path, monkeypatch) -> Path:
    path = data_dir / "inbox"
    path.mkdir()
    monkeypatch.delenv("MEDSOS_INBOX_DIR", raising=False)
    for name in ("MAX_BYTES", "MAX_ROWS", "HORIZON_DAYS", "STATE_DIR"):
        monkeypatch.delenv(f"MEDSOS_MANUAL_{name}", raising=False)
    monkeypatch.setenv("MEDSOS_MANUAL_SETTLE_SECONDS", "0")
    return path


@pytest.fixture
def lake(data_dir: Path) -> Path:
    return data_dir / "lake" / "manual" / "account_daily"
