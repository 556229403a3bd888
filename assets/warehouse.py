"""The dbt project as Dagster assets, and the publish step that serves a checked build to analysts.

Lineage runs from API to mart: dbt sources carry `meta.dagster.asset_key` = the ingestion assets' keys. Models
follow new lake partitions by declarative automation; dbt tests appear as asset checks (severity error = blocking).
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipelines.settings import get_settings
from pipelines.warehouse import DBT_PROJECT_DIR, publish

WAREHOUSE_POOL = (
    "duckdb_warehouse"  # one writer of build.duckdb at a time (dagster.yaml limits the pool to 1)
)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()

# Follow upstream updates. Unlike plain eager(), do not wait for every upstream *partition* to exist: the lake is
# daily-partitioned back to 2025 and most old days are never fetched.
FOLLOW_UPSTREAM = dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
LAYER_GROUPS = {"staging", "intermediate", "marts", "reports", "dq"}


class WarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(
                dbt_resource_props
            )  # meta.dagster.asset_key -> raw/<source>/<entity>
        return dg.AssetKey(["warehouse", dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "registry"
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return f"warehouse_{layer}" if layer in LAYER_GROUPS else "warehouse"

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return FOLLOW_UPSTREAM

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> dg.AssetCheckSpec | None:
        # dagster-dbt takes a check's description from the test's meta.description only; a dbt (>= 1.9) data
        # test keeps its own `description` on the node: show that one in the UI.
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        description = manifest["nodes"][unique_id].get("description")
        return spec._replace(description=description) if spec and description else spec


translator = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
    name="warehouse_dbt",
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` (models, seeds and tests) into the build database."""
    get_settings().warehouse_dir.mkdir(parents=True, exist_ok=True)  # DuckDB does not create parent folders
    yield from dbt.cli(["build"], context=context).stream()


def _published_deps() -> list[dg.AssetKey]:
    # Everything analysts read: marts, reports and data-quality tables.
    specs = warehouse_dbt_assets.specs
    return [s.key for s in specs if s.group_name in {"warehouse_marts", "warehouse_reports", "warehouse_dq"}]


@dg.asset(
    key=["warehouse", "published"],
    deps=_published_deps(),
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
