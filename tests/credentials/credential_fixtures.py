"""Shared values and helpers of the credential tests (a plain module: `from conftest import` is ambiguous
when several test folders have a conftest)."""

import datetime as dt
import json
from pathlib import Path

from pipelines.registry import Account

TODAY = "2026-10-15"  # the sandbox's pinned day: tokens still expire on the wall clock
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-51", "ID-51.71"}
NO_FAULTS = dict(throttle_rate=0.0, server_error_rate=0.0, timeout_rate=0.0, malformed_rate=0.0,
                 meta_item_fault_rate=0.0)  # fmt: skip


def account(platform: str, user_id: str, unit: str = "ID-35.78") -> Account:
    return Account(f"{platform}:{user_id}", unit, platform, f"humas_{platform}", user_id, "api",
                   dt.date(2020, 1, 1), None)  # fmt: skip


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
