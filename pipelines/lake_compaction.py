"""Compact settled months of the lake: many day (and unit-day) files into one month file per table.

The manual reports alone are ~80,000 unit-day files a year and every platform table adds 365 day files; a
reader opens each file's footer before it reads a row, so file count, not bytes, dominates a scan.
A month is *settled* `settle_days` after it ends (late manual reports arrive within days); compaction then
writes `month=YYYY-MM/data.parquet` with every row of its day files, atomically and under the month's lock,
and the layout contract in `pipelines.lake_layout` keeps every reader exact: month file listed first, its
day files ignored from then on, and deleted only `grace_seconds` later. Compacting again is a no-op;
a rerun of a compacted day rewrites the month with exactly that day's rows replaced.

    python -m pipelines.lake_compaction [--settle-days 7] [--grace-seconds 3600]   # the lake of MEDSOS_DATA_DIR
"""

import argparse
import datetime as dt
import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.lake_layout import (
    PARTITION_FILE,
    DayPartition,
    atomic_write,
    month_file,
    month_lock,
    sort_rows,
)

SKIPPED_TOP_FOLDERS = {"_quarantine"}  # kept as written: each quarantined file is evidence of its own


@dataclass(frozen=True)
class MonthCompaction:
    table: str  # <source>/<entity>
    month: str
    day_files: int
    rows: int
    bytes: int


def lake_tables(lake_dir: Path) -> list[Path]:
    """Every `<source>/<entity>` folder that holds day partitions or month files."""
    found = []
    for source in sorted(Path(lake_dir).iterdir()) if Path(lake_dir).exists() else []:
        if not source.is_dir() or source.name in SKIPPED_TOP_FOLDERS or source.name.startswith("."):
            continue
        for entity in sorted(p for p in source.iterdir() if p.is_dir()):
            if any(entity.glob("date=*")) or any(entity.glob("month=*")):
                found.append(entity)
    return found


def day_files_by_month(entity_dir: Path, month: str = "*") -> dict[str, list[Path]]:
    """Day files of the table (or of one month: `month='YYYY-MM'`), by month."""
    months: dict[str, list[Path]] = {}
    pattern = f"date={month}-*/**/{PARTITION_FILE}" if month != "*" else f"date=*/**/{PARTITION_FILE}"
    for path in sorted(Path(entity_dir).glob(pattern)):
        part = DayPartition.parse(path)
        if part is not None:
            months.setdefault(part.month, []).append(path)
    return months


def is_settled(month: str, today: dt.date, settle_days: int) -> bool:
    first = dt.date.fromisoformat(f"{month}-01")
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return next_month + dt.timedelta(days=settle_days) <= today


def _read_all(paths: list[Path]) -> pa.Table:
    tables = [pq.read_table(p) for p in paths]
    # Files written before a field was added lack it: unify by name (missing columns become null).
    return pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})


def compact_month(entity_dir: Path, month: str, *, durable: bool = True) -> MonthCompaction | None:
    """Write the month file from the month's day files; None if already compacted or nothing to compact."""
    target = month_file(entity_dir, month)
    with month_lock(entity_dir, month):
        if target.exists():  # writes into a compacted month go to its month file: nothing new in day files
            return None
        paths = day_files_by_month(entity_dir, month).get(
            month, []
        )  # listed under the lock: none can be missed
        if not paths:
            return None
        table = sort_rows(_read_all(paths))
        atomic_write(table, target, durable=durable)
    table_name = f"{entity_dir.parent.name}/{entity_dir.name}"
    return MonthCompaction(table_name, month, len(paths), table.num_rows, target.stat().st_size)


def collect_garbage(entity_dir: Path, grace_seconds: float, now: float | None = None) -> int:
    """Delete the leftover day files of months whose month file is older than the grace period."""
    now = time.time() if now is None else now
    removed = 0
    for month, paths in day_files_by_month(entity_dir).items():
        target = month_file(entity_dir, month)
        if not target.exists() or now - target.stat().st_mtime < grace_seconds:
            continue
        with month_lock(entity_dir, month):
            for path in paths:
                path.unlink(missing_ok=True)
                removed += 1
                _remove_empty_parents(path.parent, entity_dir)
    return removed


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
        folder = folder.parent


def compact_lake(
    lake_dir: Path,
    today: dt.date | None = None,
    settle_days: int = 7,
    grace_seconds: float = 3600,
    durable: bool = True,
) -> list[MonthCompaction]:
    """Compact every settled month of every lake table, then remove day files past their grace period."""
    today = today or dt.date.today()
    done = []
    for entity_dir in lake_tables(lake_dir):
        for month in sorted(day_files_by_month(entity_dir)):
            if is_settled(month, today, settle_days):
                result = compact_month(entity_dir, month, durable=durable)
                if result is not None:
                    done.append(result)
        collect_garbage(entity_dir, grace_seconds)
    return done


def main(argv: list[str] | None = None) -> None:
    from pipelines.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle-days", type=int, default=7)
    parser.add_argument("--grace-seconds", type=float, default=3600)
    args = parser.parse_args(argv)
    done = compact_lake(
        get_settings().lake_dir, settle_days=args.settle_days, grace_seconds=args.grace_seconds
    )
    print(json.dumps([asdict(d) for d in done], indent=2))


if __name__ == "__main__":
    main()
