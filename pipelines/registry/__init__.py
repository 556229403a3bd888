"""The unit and account registry: the same CSV files dbt loads as seeds."""

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import get_settings


@dataclass(frozen=True)
class Unit:
    unit_code: str
    unit_name: str
    unit_level: str
    parent_unit_code: str | None
    region_code: str | None
    timezone: str


@dataclass(frozen=True)
class Account:
    account_id: str
    unit_code: str
    platform: str
    handle: str
    platform_user_id: str
    collection_method: str  # "api" | "manual"
    active_from: dt.date
    active_to: dt.date | None

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


def _read(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_units(path: Path | None = None) -> list[Unit]:
    rows = _read(path or get_settings().units_csv)
    return [
        Unit(
            unit_code=r["unit_code"],
            unit_name=r["unit_name"],
            unit_level=r["unit_level"],
            parent_unit_code=r["parent_unit_code"] or None,
            region_code=r["region_code"] or None,
            timezone=r["timezone"],
        )
        for r in rows
    ]


def load_accounts(path: Path | None = None) -> list[Account]:
    rows = _read(path or get_settings().accounts_csv)
    return [
        Account(
            account_id=r["account_id"],
            unit_code=r["unit_code"],
            platform=r["platform"],
            handle=r["handle"],
            platform_user_id=r["platform_user_id"],
            collection_method=r["collection_method"],
            active_from=dt.date.fromisoformat(r["active_from"]),
            active_to=dt.date.fromisoformat(r["active_to"]) if r["active_to"] else None,
        )
        for r in rows
    ]


def write_registry_subset(target: Path, unit_codes: set[str], source_dir: Path | None = None) -> Path:
    """Copy the registry rows of `unit_codes` into `target` (same files, same columns).

    A small registry for trials and tests: point MEDSOS_REGISTRY_DIR at `target` and the sandbox, ingestion,
    manual intake and dbt all work on those units only.
    """
    source = Path(source_dir or get_settings().registry_dir)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("registry_units.csv", "registry_accounts.csv"):
        rows = [r for r in _read(source / name) if r["unit_code"] in unit_codes]
        with (target / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return target
