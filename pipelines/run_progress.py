"""Progress of `make run` in the terminal: the backfill day by day, then the warehouse build and publish.

Read from the Dagster instance (DAGSTER_HOME), where the runs record their events: each platform-day the
backfill lands is one materialization of `raw/<platform>/account_daily` (assets/platforms.py records them as
they land), each dbt model built is one materialization of `warehouse/<model>`, and a publish is one of
`warehouse/published`. A rich progress bar with ETA on a terminal; a line per 10 % otherwise (logs, CI).
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipelines.asset_keys import PUBLISHED_KEY, account_daily_key

FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


class RunFailed(RuntimeError):
    pass


@dataclass
class Watch:
    """What to count: materializations after `after_storage_id` of `keys`, one per (key, partition)."""

    instance: dg.DagsterInstance
    keys: list[dg.AssetKey]
    partitions: list[str] | None  # None: unpartitioned assets
    after_storage_id: int
    since: float  # epoch seconds: runs created since then are ours to watch for failures

    def done(self) -> tuple[int, str]:
        count, latest, latest_id = 0, "", -1
        for key in self.keys:
            records = self.instance.fetch_materializations(
                dg.AssetRecordsFilter(
                    asset_key=key, asset_partitions=self.partitions, after_storage_id=self.after_storage_id
                ),
                limit=10_000,
            ).records
            count += len({r.partition_key for r in records})
            for r in records:
                if r.storage_id > latest_id:
                    latest_id, latest = r.storage_id, f"{key.path[1]} {r.partition_key or ''}".strip()
        return count, latest

    def failed_run(self) -> dg.DagsterRun | None:
        runs = self.instance.get_runs(
            filters=dg.RunsFilter(
                statuses=list(FAILED), created_after=dt.datetime.fromtimestamp(self.since, dt.UTC)
            ),
            limit=1,
        )
        return runs[0] if runs else None


def track(console: Console, label: str, unit: str, watch: Watch, total: int, finished: Callable[[], bool]):
    """Show progress until `finished()`; raise RunFailed when one of the watched runs fails."""
    columns = [
        SpinnerColumn(),
        TextColumn(f"{label:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    ]
    last_decile = -1
    with Progress(*columns, console=console, transient=False, disable=not console.is_terminal) as bar:
        task = bar.add_task("waiting for the daemon to launch the run", total=total)
        while True:
            count, latest = watch.done()
            bar.update(task, completed=min(count, total), description=latest or "starting")
            decile = count * 10 // max(total, 1)
            if not console.is_terminal and decile > last_decile:
                last_decile = decile
                console.print(f"{label}: {count}/{total} {unit} ({count * 100 // max(total, 1)} %) {latest}")
            failed = watch.failed_run()
            if failed is not None:
                raise RunFailed(f"run {failed.run_id[:8]} ({failed.job_name}) {failed.status.value.lower()}")
            if finished():
                bar.update(task, completed=total, description="done")
                return
            time.sleep(1)


def latest_storage_id(instance: dg.DagsterInstance) -> int:
    return instance.event_log_storage.get_maximum_record_id() or 0


def platform_day_keys(platforms) -> list[dg.AssetKey]:
    return [account_daily_key(p) for p in platforms]


def published_after(instance: dg.DagsterInstance, storage_id: int) -> dg.AssetMaterialization | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=PUBLISHED_KEY, after_storage_id=storage_id), limit=1
    ).records
    return records[0].asset_materialization if records else None
