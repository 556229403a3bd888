"""Intake settings, read from the environment at run time (never at import time)."""

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import get_settings


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass(frozen=True)
class IntakeConfig:
    inbox_dir: Path
    lake_dir: Path
    state_dir: Path  # ledger of taken-in files and the replacements log
    registry_dir: Path
    max_bytes: int
    max_rows: int
    max_expanded_bytes: int  # an .xlsx unpacked (all parts read); enforced while decompressing
    max_cells: int  # an .xlsx: every cell element read, empty formatted ones too
    horizon_days: int  # rows older than this many days (before today, WIB) are refused
    settle_seconds: float  # a file modified more recently than this waits for the next sensor tick

    @property
    def limits(self):
        from pipelines.manual_reports.reader import Limits

        return Limits(self.max_rows, self.max_bytes, self.max_expanded_bytes, self.max_cells)

    @property
    def processed_dir(self) -> Path:
        return self.inbox_dir / "processed"

    @property
    def quarantine_dir(self) -> Path:
        return self.inbox_dir / "quarantine"

    @property
    def ledger_path(self) -> Path:
        return self.state_dir / "ledger.jsonl"

    @property
    def replacements_path(self) -> Path:
        return self.state_dir / "replacements.jsonl"

    @property
    def lock_path(self) -> Path:
        return self.state_dir / ".intake.lock"


def get_intake_config() -> IntakeConfig:
    s = get_settings()
    return IntakeConfig(
        inbox_dir=s.inbox_dir.resolve(),
        lake_dir=s.lake_dir,
        state_dir=Path(os.environ.get("MEDSOS_MANUAL_STATE_DIR") or s.data_dir / "manual_reports").resolve(),
        registry_dir=s.registry_dir,
        max_bytes=_int_env("MEDSOS_MANUAL_MAX_BYTES", 20 * 1024 * 1024),
        max_rows=_int_env("MEDSOS_MANUAL_MAX_ROWS", 100_000),
        max_expanded_bytes=_int_env("MEDSOS_MANUAL_MAX_EXPANDED_BYTES", 160 * 1024 * 1024),
        max_cells=_int_env("MEDSOS_MANUAL_MAX_CELLS", 3_000_000),
        horizon_days=_int_env("MEDSOS_MANUAL_HORIZON_DAYS", 366),
        settle_seconds=_float_env("MEDSOS_MANUAL_SETTLE_SECONDS", 2.0),
    )


def sensor_interval_seconds() -> int:
    """Read when the code location loads (a sensor's interval is fixed at definition time)."""
    return _int_env("MEDSOS_MANUAL_SENSOR_INTERVAL", 2)
