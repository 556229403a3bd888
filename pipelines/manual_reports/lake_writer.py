"""Writing a report's rows into the lake: one Parquet file per unit-day, replaced atomically.

Replacement rule: a new file's row for an account-day replaces the earlier row for that same account-day
(whichever file it came from); rows of the unit's other accounts already in that unit-day partition are kept.
So a corrected file for the same unit and period overwrites exactly the figures it restates, a unit may send
Instagram and TikTok in separate files, and nothing sent earlier is dropped silently: every replaced row is
returned as a Replacement (old vs new values, and which file it came from) for the receipt and the log.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lake import (
    MANUAL_ACCOUNT_DAILY_SCHEMA,
    MANUAL_METRIC_NAMES,
    manual_partition_path,
    read_partition,
    rows_to_table,
    write_partition,
)
from pipelines.manual_reports.rows import ReportRow
from pipelines.registry import Account


@dataclass(frozen=True)
class FileStamp:
    """What every lake row of one taken-in file carries."""

    report_file: str  # sanitised original name
    file_sha256: str
    run_id: str
    fetched_at: dt.datetime  # when the file was taken in (UTC)


@dataclass(frozen=True)
class Replacement:
    unit_code: str
    metric_date: dt.date
    account_id: str
    previous_file: str
    previous_sha256: str
    previous_fetched_at: str
    # metric (or reporting_period_days) → {"old", "new"}; only what changed
    changes: dict[str, dict[str, int | None]]

    def as_dict(self) -> dict:
        return {**self.__dict__, "metric_date": self.metric_date.isoformat()}


@dataclass
class LakeWrite:
    partitions: list[Path] = field(default_factory=list)
    unit_days: list[tuple[str, dt.date]] = field(default_factory=list)
    rows_written: int = 0  # rows of this file
    rows_kept: int = 0  # rows of other accounts already in the touched partitions
    replacements: list[Replacement] = field(default_factory=list)


def lake_row(row: ReportRow, account: Account, stamp: FileStamp) -> dict:
    assert row.metric_date is not None
    return {
        "account_id": account.account_id,
        "platform_user_id": account.platform_user_id,
        "unit_code": account.unit_code,
        "metric_date": row.metric_date,
        "fetched_at": stamp.fetched_at,
        "run_id": stamp.run_id,
        "source": "manual",
        "platform": account.platform,
        "reporting_period_days": row.period_days,
        **{name: row.metrics.get(name) for name in MANUAL_METRIC_NAMES},
        "report_file": stamp.report_file,
        "file_sha256": stamp.file_sha256,
    }


# What a replacement reports as changed: a weekly row replacing a daily one on a Sunday (or back) is a change
# even when the figures happen to match.
COMPARED_FIELDS = ("reporting_period_days", *MANUAL_METRIC_NAMES)


def _replacement(old: dict, new: dict) -> Replacement:
    if old.get("reporting_period_days") is None:  # written before the field existed: read as daily (null = 1)
        old = {**old, "reporting_period_days": 1}
    changes = {m: {"old": old.get(m), "new": new.get(m)} for m in COMPARED_FIELDS if old.get(m) != new.get(m)}
    fetched = old.get("fetched_at")
    return Replacement(
        unit_code=new["unit_code"],
        metric_date=new["metric_date"],
        account_id=new["account_id"],
        previous_file=str(old.get("report_file")),
        previous_sha256=str(old.get("file_sha256")),
        previous_fetched_at=fetched.isoformat() if isinstance(fetched, dt.datetime) else str(fetched),
        changes=changes,
    )


def write_report(resolved: list[tuple[ReportRow, Account]], lake_dir: Path, stamp: FileStamp) -> LakeWrite:
    """Merge the rows into their unit-day partitions. Callers hold the intake lock (read-merge-write)."""
    groups: dict[tuple[str, dt.date], dict[str, dict]] = defaultdict(dict)
    for row, account in resolved:
        new = lake_row(row, account, stamp)
        groups[(account.unit_code, new["metric_date"])][account.account_id] = new
    result = LakeWrite()
    for (unit_code, day), new_rows in sorted(groups.items()):
        path = manual_partition_path(lake_dir, day, unit_code)
        merged = dict(new_rows)
        existing = read_partition(path)  # the unit-day's rows, in its day file or its compacted month
        if existing is not None:
            for old in existing.to_pylist():
                new = new_rows.get(old["account_id"])
                if new is None:
                    merged[old["account_id"]] = old
                    result.rows_kept += 1
                elif old.get("file_sha256") != stamp.file_sha256:  # same file again (a re-run) is no change
                    result.replacements.append(_replacement(old, new))
        table = rows_to_table([merged[k] for k in sorted(merged)], MANUAL_ACCOUNT_DAILY_SCHEMA)
        result.partitions.append(write_partition(table, path))
        result.unit_days.append((unit_code, day))
        result.rows_written += len(new_rows)
    return result
