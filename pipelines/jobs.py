"""Jobs: named selections of work that schedules, sensors and people launch."""

import dagster as dg

from assets.publish import published_warehouse
from assets.warehouse import warehouse_dbt_assets
from pipelines.asset_keys import (
    DAILY_INGESTION_JOB,
    INGESTION_API_GROUP,
    MANUAL_ACCOUNT_DAILY_KEY,
    MANUAL_REPORT_JOB,
    PLATFORM_TOKENS_KEY,
    SCORECARD_GROUP,
    WAREHOUSE_JOB,
)
from pipelines.lake_compaction import compact_lake, lake_tables
from pipelines.settings import get_settings, today_wib

daily_ingestion_job = dg.define_asset_job(
    DAILY_INGESTION_JOB,
    selection=dg.AssetSelection.groups(INGESTION_API_GROUP),
    description="Fetch every platform for one WIB day (a backfill of a range runs as one run per asset).",
)

warehouse_job = dg.define_asset_job(
    WAREHOUSE_JOB,
    selection=dg.AssetSelection.assets(warehouse_dbt_assets, published_warehouse),
    description="dbt build of the whole warehouse, its checks, and the publish step.",
)

# One run per inbox file takes the file in, rebuilds the models that read manual reports (and their checks) and
# publishes: one run start-up instead of three (intake, automation build, automation publish). In a burst of
# files only the last run builds (assets/warehouse.py); a quarantined file skips the rest of its run. It stops
# at the publish: what reads the published file (the weekly scorecard) follows by automation.
manual_report_job = dg.define_asset_job(
    MANUAL_REPORT_JOB,
    selection=dg.AssetSelection.assets(MANUAL_ACCOUNT_DAILY_KEY).downstream()
    - dg.AssetSelection.groups(SCORECARD_GROUP),
    description="Take in one manual report file from the inbox (launched by manual_report_sensor), rebuild the "
    "models that read manual reports, check and publish.",
    tags={"medsos/source": "manual"},
)

token_renewal_job = dg.define_asset_job(
    "token_renewal_job",
    selection=dg.AssetSelection.assets(PLATFORM_TOKENS_KEY).without_checks(),
    description="Renew the platform tokens that are due and send expiry alerts (no credential check).",
)

credential_check_job = dg.define_asset_job(
    "credential_check_job",
    selection=dg.AssetSelection.checks_for_assets(PLATFORM_TOKENS_KEY),
    description="Ask every platform about every credential (the credentials_valid check only).",
)


class LakeCompactionConfig(dg.Config):
    settle_days: int = 7  # a month is compacted this many days after it ends (late manual reports)
    grace_seconds: float = 3600  # leftover day files stay this long for readers that listed them


@dg.op(description="Compact every settled month of every lake table (pipelines.lake_compaction).")
def compact_lake_months(context: dg.OpExecutionContext, config: LakeCompactionConfig) -> dg.Output:
    lake_dir = get_settings().lake_dir
    done = compact_lake(lake_dir, today_wib(), config.settle_days, config.grace_seconds)
    for month in done:
        context.log.info(f"{month.table} {month.month}: {month.day_files} files -> 1 ({month.rows} rows)")
    files = sum(1 for table in lake_tables(lake_dir) for _ in table.rglob("*.parquet"))
    return dg.Output(
        len(done),
        metadata={
            "months_compacted": len(done),
            "day_files_folded": sum(m.day_files for m in done),
            "rows": sum(m.rows for m in done),
            "lake_files_now": files,
        },
    )


lake_compaction_job = dg.JobDefinition(
    graph_def=dg.GraphDefinition(name="lake_compaction_job", node_defs=[compact_lake_months]),
    description="Fold the settled months' day files into one file per month (run daily; idempotent).",
    tags={"medsos/maintenance": "lake"},
)
