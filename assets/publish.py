"""The publish step: the serving file analysts and BI tools read, an atomic compact copy of a checked build.

A build is published only when it is whole: its blocking checks passed (automation condition) and no ingestion
run or backfill wrote the lake while dbt read it (`pipelines.lake_activity.ingestion_during` over the build's
stamped window). Otherwise nothing is published (an observation says why) and analysts keep the previous
build; the ingestion that overlapped updates the raw assets, so automation rebuilds and publishes after it.
"""

import dagster as dg

from assets.warehouse import PUBLISH_CONDITION, warehouse_dbt_assets
from pipelines.asset_keys import MANUAL_REPORT_JOB, PUBLISHED_KEY, WAREHOUSE_POOL
from pipelines.lake_activity import ingestion_during
from pipelines.settings import get_settings
from pipelines.warehouse import publish, read_build_stamp

# A manual report's run compacts the build only when more than this fraction of its blocks is free; every other
# build is published compact (pipelines.warehouse.publish).
MANUAL_PUBLISH_FREE_FRACTION = 0.3
# Everything analysts read: marts, reports and data-quality tables.
PUBLISHED_GROUPS = {"warehouse_marts", "warehouse_reports", "warehouse_dq"}


def unpublishable_because(instance: dg.DagsterInstance, run_id: str) -> str | None:
    """Why the current build must not be published from run `run_id`, or None if it may."""
    stamp = read_build_stamp(get_settings())
    if stamp is None or stamp.finished_at is None:
        return "the build has not finished (or its dbt run failed): nothing consistent to publish"
    overlapping = ingestion_during(instance, stamp.started_at, stamp.finished_at, own_run_id=run_id)
    if overlapping:
        return f"the lake was being written while dbt read it ({', '.join(overlapping[:5])})"
    return None


@dg.asset(
    key=PUBLISHED_KEY,
    deps=[s.key for s in warehouse_dbt_assets.specs if s.group_name in PUBLISHED_GROUPS],
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    output_required=False,
    automation_condition=PUBLISH_CONDITION,
    description="The serving DuckDB file analysts and BI tools open read-only: a compact copy of a build whose "
    "blocking checks passed and that read a lake no ingestion was writing.",
)
def published_warehouse(context: dg.AssetExecutionContext):
    reason = unpublishable_because(context.instance, context.run.run_id)
    if reason:
        context.log.warning(f"not published: {reason}; the previous build stays served")
        context.log_event(dg.AssetObservation(asset_key=PUBLISHED_KEY, metadata={"not_published": reason}))
        return
    # A manual report's run publishes a small change: copy the build as it is unless it has become hollow.
    manual = context.run.job_name == MANUAL_REPORT_JOB
    result = publish(get_settings(), compact_when_free_above=MANUAL_PUBLISH_FREE_FRACTION if manual else None)
    context.log.info(f"published {result.tables} tables to {result.serving_path}")
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.serving_path)),
            "tables": result.tables,
            "size_mb": round(result.bytes / 1e6, 2),
            "build_size_before_mb": round(result.build_bytes_before / 1e6, 2),
            "publish_seconds": result.seconds,
            "compacted": result.compacted,
        }
    )
