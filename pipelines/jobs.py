"""Jobs: named selections of work that schedules, sensors and people launch."""

import dagster as dg

from assets.credentials import PLATFORM_TOKENS_KEY
from pipelines.lake_compaction import compact_lake, lake_tables
from pipelines.settings import get_settings, today_wib

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
