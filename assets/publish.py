"""The publish step: the serving file analysts and BI tools read, an atomic copy of a checked build."""

import dagster as dg

from assets.warehouse import FOLLOW_UPSTREAM, warehouse_dbt_assets
from pipelines.asset_keys import PUBLISHED_KEY, WAREHOUSE_POOL
from pipelines.settings import get_settings
from pipelines.warehouse import publish

# Everything analysts read: marts, reports and data-quality tables.
PUBLISHED_GROUPS = {"warehouse_marts", "warehouse_reports", "warehouse_dq"}


@dg.asset(
    key=PUBLISHED_KEY,
    deps=[s.key for s in warehouse_dbt_assets.specs if s.group_name in PUBLISHED_GROUPS],
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    automation_condition=FOLLOW_UPSTREAM & dg.AutomationCondition.all_deps_blocking_checks_passed(),
    description="The serving DuckDB file analysts and BI tools open read-only: an atomic copy of a build whose "
    "blocking checks passed.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    result = publish(get_settings())
    context.log.info(f"published {result.tables} tables to {result.serving_path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.serving_path)),
            "tables": result.tables,
            "size_mb": round(result.bytes / 1e6, 2),
            "publish_seconds": result.seconds,
        }
    )
