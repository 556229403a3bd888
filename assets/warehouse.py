"""The dbt project as Dagster assets (the publish step that serves a checked build is in assets/publish.py).

Lineage runs from API to mart: dbt sources carry `meta.dagster.asset_key` = the ingestion assets' keys. Models
follow new lake partitions by declarative automation; dbt tests appear as asset checks (severity error = blocking).
"""

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipelines.asset_keys import MANUAL_REPORT_JOB, WAREHOUSE_POOL, warehouse_key
from pipelines.dbt_in_process import dbt_events
from pipelines.lake_activity import LakeSettled, PublishRefusedSinceBuilt, later_runs_of_job
from pipelines.settings import get_settings
from pipelines.warehouse import DBT_PROJECT_DIR, BuildStamp, dbt_env, write_build_stamp

# The manifest is prepared explicitly (`make manifest`, part of `make run` and `make test`), never by
# prepare_if_dev(): under `dagster dev` that re-parses the project in every code-server start, and two of them
# (or a test suite beside a running UI) contend for the manifest's lock and read a manifest being rewritten.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# Follow upstream updates. Unlike plain eager(), do not wait for every upstream *partition* to exist: the lake is
# daily-partitioned and old days may never be fetched.
_FOLLOW = dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
_IDLE = ~dg.AutomationCondition.in_progress() & ~dg.AutomationCondition.execution_failed()
# A model never built yet (a fresh instance) is built too, once, not again after a failed attempt: eager() alone
# skips a model whose deps were never materialized (the manual reports, before the first one), and a partial
# first build fails (dbt's unit tests need every input relation).
_NEVER_BUILT = (dg.AutomationCondition.missing() & _IDLE).with_label("never built")
# A build whose publish was refused (ingestion overlapped it) is rebuilt once the lake settles.
_REBUILD = (PublishRefusedSinceBuilt() & _IDLE).with_label("publish refused since built")
# Every build starts only while nothing writes the lake: a build during a backfill would read some platforms'
# new days and not others' (see pipelines.lake_activity).
BUILD_CONDITION = (_FOLLOW | _NEVER_BUILT | _REBUILD) & LakeSettled()
PUBLISH_CONDITION = (
    (_FOLLOW | _NEVER_BUILT) & LakeSettled() & dg.AutomationCondition.all_deps_blocking_checks_passed()
)
LAYER_GROUPS = {"staging", "intermediate", "marts", "reports", "dq"}
# dbt unit tests test the SQL, not the data: `make test` runs them (tests/dbt), the pipeline's builds skip them
# (seconds off every manual report's latency; they also need every input relation, which a partial build lacks).
DBT_BUILD_ARGS = ["build", "--exclude", "test_type:unit"]


class WarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(
                dbt_resource_props
            )  # meta.dagster.asset_key -> raw/<source>/<entity>
        return warehouse_key(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "registry"
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return f"warehouse_{layer}" if layer in LAYER_GROUPS else "warehouse"

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        return BUILD_CONDITION

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
    """`dbt build` (models, seeds and tests) into the build database, stamped with when it read the lake."""
    if context.run.job_name == MANUAL_REPORT_JOB and (
        later := later_runs_of_job(context.instance, context.run)
    ):
        # A burst of reports: each run takes its file in; only the last one builds (or automation does).
        context.log.info(f"build left to the later manual report run(s) {', '.join(r[:8] for r in later)}")
        return
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)  # DuckDB does not create parent folders
    started = time.time()
    write_build_stamp(settings, BuildStamp(context.run.run_id, started, None))  # unfinished: not publishable
    yield from dbt_events(
        context,
        DBT_BUILD_ARGS,
        project_dir=Path(dbt.project_dir),
        profiles_dir=Path(dbt.profiles_dir),
        env=dbt_env(settings),
    )
    write_build_stamp(settings, BuildStamp(context.run.run_id, started, time.time()))
