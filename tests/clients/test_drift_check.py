"""Metric drift in a real Dagster run: the platform refuses a metric, the run survives and warns.

The sandbox refuses `page_media_view` (SandboxConfig.refused_fields, as a deprecation would) for a backfill of
two days: the client finds the refused metric once, fetches the rest, does not ask for it on the second day,
and the ingestion asset's WARN check `metric_drift` fails with the platform's message.
"""

import datetime as dt

import dagster as dg
import pyarrow.parquet as pq
from sandbox_harness import write_small_registry

from assets.platforms import build_platform_asset
from data_quality.checks.ingestion import DRIFT_CHECK
from pipelines.lake import partition_path
from pipelines.resources import PlatformApiResource
from pipelines.sandbox import SandboxConfig, start_sandbox
from pipelines.settings import get_settings, yesterday_wib


def test_refused_metric_is_dropped_and_reported_by_a_warning_check(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(write_small_registry(tmp_path / "registry")))
    # Recent days: the daily partitions start at most MEDSOS_BACKFILL_DAYS before yesterday (pipelines.partitions).
    today = yesterday_wib()
    config = SandboxConfig.quiet(today=today.isoformat(), refused_fields=("facebook.page_media_view",))
    days = [today - dt.timedelta(days=3), today - dt.timedelta(days=2)]
    with start_sandbox(port=0, seed=7, data_dir=data_dir, config=config) as sb:
        result = dg.materialize(
            [build_platform_asset("facebook")],
            tags={  # a backfill of both days in one run, as BackfillPolicy.single_run() launches it
                "dagster/asset_partition_range_start": days[0].isoformat(),
                "dagster/asset_partition_range_end": days[1].isoformat(),
            },
            resources={"platform_api": PlatformApiResource(sandbox_url=sb.url, backoff_base_s=0.01)},
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=True,
        )
    assert result.success
    (drift,) = [c for c in result.get_asset_check_evaluations() if c.check_name == DRIFT_CHECK]
    assert not drift.passed and drift.severity == dg.AssetCheckSeverity.WARN
    refused = drift.metadata["refused_fields"].value
    assert set(refused) == {"page_media_view"} and "valid insights metric" in refused["page_media_view"]
    for day in days:
        path = partition_path(get_settings().lake_dir, "facebook", "account_daily", day)
        rows = pq.read_table(path).to_pylist()
        assert rows and all(r["page_media_view"] is None and r["page_follows"] is not None for r in rows)
    metadata = result.asset_materializations_for_node("ingest_facebook")[0].metadata
    assert metadata["outcomes_by_status"].value == {"ok": metadata["accounts_expected"].value}
