"""Real Dagster runs: sandbox over HTTP → clients → Parquet lake → dbt on DuckDB → published warehouse."""

import dagster as dg
import duckdb
import pyarrow.parquet as pq

from assets.platforms import platform_assets
from assets.warehouse import published_warehouse, warehouse_dbt_assets
from data_quality.asset_checks import dq_asset_checks
from pipelines.ingest import api_accounts
from pipelines.lake import partition_path
from pipelines.platform_spec import PLATFORMS
from pipelines.registry import load_accounts
from pipelines.resources import PlatformApiResource, build_resources
from pipelines.settings import get_settings


def resources_for(sandbox) -> dict:
    return {
        **build_resources(),
        "platform_api": PlatformApiResource(sandbox_url=sandbox.url, backoff_base_s=0.01),
    }


def materialize_day(sandbox, day, instance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        platform_assets, partition_key=day.isoformat(), resources=resources_for(sandbox), instance=instance
    )


def build_warehouse(sandbox, instance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [warehouse_dbt_assets, published_warehouse], resources=resources_for(sandbox), instance=instance
    )


def requested(tick, key: str) -> bool:
    try:
        return bool(tick.get_requested_partitions(dg.AssetKey.from_user_string(key)))
    except KeyError:  # nothing requested for that asset
        return False


def serving_count(sql: str) -> int:
    with duckdb.connect(str(get_settings().serving_db_path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_one_partition_through_dbt_to_the_published_warehouse_and_a_rerun_replaces_it(
    quiet_sandbox, report_day
):
    from pipelines.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    tick = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    result = materialize_day(quiet_sandbox, report_day, instance)
    assert result.success
    expected = {p: len(api_accounts(p, report_day)) for p in PLATFORMS}
    for platform in PLATFORMS:
        mat = result.asset_materializations_for_node(f"ingest_{platform}")[0]
        assert mat.metadata["rows"].value == expected[platform]
        assert mat.metadata["accounts_failed"].value == 0
        assert mat.metadata["requests_made"].value >= 1
        checks = [c for c in result.get_asset_check_evaluations() if c.asset_key.path[1] == platform]
        assert checks and all(c.passed for c in checks)

    # Declarative automation: the new lake partitions request the dbt models, not the ingestion assets.
    tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
    assert requested(tick, "warehouse/stg_instagram__account_days")
    assert requested(tick, "warehouse/fct_account_daily")
    assert not requested(tick, "raw/youtube/account_daily")
    assert not requested(tick, "warehouse/published")  # waits until the build's blocking checks passed
    resources = resources_for(quiet_sandbox)
    # The dbt build, then the data-quality checks on its tables (two of them blocking), as automation runs them.
    assert dg.materialize([warehouse_dbt_assets], resources=resources, instance=instance).success
    assert not requested(
        dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor),
        "warehouse/published",
    )
    assert dg.materialize(
        [warehouse_dbt_assets, *dq_asset_checks],
        selection=dg.AssetSelection.checks(*dq_asset_checks),
        resources=resources,
        instance=instance,
    ).success
    tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
    assert requested(tick, "warehouse/published")
    assert not requested(tick, "warehouse/fct_account_daily")  # already up to date
    assert dg.materialize([published_warehouse], resources=resources, instance=instance).success

    day = report_day.isoformat()
    assert serving_count(f"select count(*) from marts.fct_account_daily where metric_date = '{day}'") == sum(
        expected.values()
    )
    # The serving file holds what the sandbox served: followers of the head office's Instagram account.
    account = next(a for a in load_accounts() if a.unit_code == "ID" and a.platform == "instagram")
    truth = quiet_sandbox.expected_values(account.account_id, report_day)
    got = serving_count(
        f"select followers_count from marts.fct_account_daily "
        f"where account_id = '{account.account_id}' and metric_date = '{day}'"
    )
    assert got == truth["followers_count"]
    units = {a.unit_code for a in load_accounts() if a.collection_method == "api"}
    assert serving_count(
        f"select count(distinct unit_code) from marts.fct_unit_daily where metric_date = '{day}'"
    ) == len(units)

    # Rerunning the same partition replaces it: the lake and the marts keep their row counts.
    settings = get_settings()
    lake_rows = {
        p: pq.read_table(partition_path(settings.lake_dir, p, "account_daily", report_day)).num_rows
        for p in PLATFORMS
    }
    fact_rows = serving_count("select count(*) from marts.fct_account_daily")
    assert materialize_day(quiet_sandbox, report_day, instance).success
    assert build_warehouse(quiet_sandbox, instance).success
    for platform in PLATFORMS:
        folder = partition_path(settings.lake_dir, platform, "account_daily", report_day).parent
        assert [f.name for f in folder.iterdir()] == [
            "data.parquet"
        ]  # replaced: no second file, no temp file
        assert pq.read_table(folder / "data.parquet").num_rows == lake_rows[platform]
    assert serving_count("select count(*) from marts.fct_account_daily") == fact_rows
