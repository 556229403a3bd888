"""A single-run backfill of two days records each day's own figures on that day's materialization.

Dagster's own comparison of backfill strategies gives single-run backfills "Observability: Aggregate only"
(https://docs.dagster.io/examples/mini-examples/partition-backfill-strategies): the materializations it
derives from an op's output at the end of the step all carry that output's metadata (the range's totals, the
last day's path). The ingestion assets therefore log one `AssetMaterialization(partition=day)` per day as
soon as it lands (API docs, `AssetMaterialization`: "partition (Optional[str]): The name of a partition of
the asset"), which also gives a backfill per-day progress: the asset-backfill daemon counts the
materializations of the runs tagged with the backfill as they arrive (dagster 1.13,
`asset_backfill.get_asset_backfill_iteration_materialized_subset`).

The figures are compared with a reviewed snapshot (days relative to the run) and with the lake itself.
Regenerate with `UPDATE_SNAPSHOTS=1 pytest tests/pipeline/test_per_day_metadata.py`.
"""

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from assets.platforms import platform_assets
from pipelines.asset_keys import account_daily_key, fetch_log_key
from pipelines.platform_spec import PLATFORMS
from pipelines.resources import PlatformApiResource, build_resources
from pipelines.settings import get_settings

SNAPSHOT = Path(__file__).parents[1] / "dagster" / "snapshots" / "per_day_metadata.txt"
SHOWN = (
    "rows",
    "dagster/row_count",
    "accounts_expected",
    "accounts_fetched",
    "accounts_failed",
    "requests_made",
)


def materializations(instance, key) -> dict[str, dict]:
    records = instance.fetch_materializations(key, limit=100).records
    return {r.partition_key: r.asset_materialization.metadata for r in records}


def test_each_day_of_a_single_run_backfill_carries_its_own_figures(quiet_sandbox, report_day):
    first, last = report_day - dt.timedelta(days=1), report_day
    resources = {
        **build_resources(),
        "platform_api": PlatformApiResource(sandbox_url=quiet_sandbox.url, backoff_base_s=0.01),
    }
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            platform_assets,
            resources=resources,
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": first.isoformat(),
                "dagster/asset_partition_range_end": last.isoformat(),
            },
        )
        assert result.success
        assert len({r.run_id for r in instance.get_runs()}) == 1  # one run over the whole range
        lines = []
        data_dir = get_settings().data_dir
        for platform in PLATFORMS:
            metrics = materializations(instance, account_daily_key(platform))
            logs = materializations(instance, fetch_log_key(platform))
            assert sorted(metrics) == sorted(logs) == [first.isoformat(), last.isoformat()]  # once per day
            for day, label in ((first, "day-1"), (last, "day-0")):
                meta = {k: v.value for k, v in metrics[day.isoformat()].items()}
                path = Path(meta["path"])
                # the day's own file and row count, not the range's total or the last day's file
                assert path.parent.name == f"date={day.isoformat()}"
                assert meta["rows"] == meta["dagster/row_count"] == pq.read_metadata(path).num_rows
                assert meta["day"] == day.isoformat()
                assert meta["accounts_fetched"] + meta["accounts_failed"] == meta["accounts_expected"]
                log_meta = {k: v.value for k, v in logs[day.isoformat()].items()}
                assert log_meta["dagster/row_count"] == pq.read_metadata(log_meta["path"]).num_rows
                shown = " ".join(f"{k}={meta[k]}" for k in SHOWN)
                lines.append(
                    f"{platform} {label} {shown} path={path.relative_to(data_dir).parent.parent}/date=<{label}>"
                )
    current = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text()
