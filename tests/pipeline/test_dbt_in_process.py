"""dbt runs inside the Dagster run's process (pipelines.dbt_in_process): a failed build fails the run, with dbt's
own error in it, and leaves the build file closed."""

import dagster as dg
import duckdb

from assets.warehouse import warehouse_dbt_assets
from pipelines.asset_keys import warehouse_key
from pipelines.resources import build_resources
from pipelines.settings import get_settings


def test_a_failed_dbt_build_fails_the_run_with_dbts_error(data_dir):
    build = get_settings().build_db_path
    build.parent.mkdir(parents=True)
    build.write_text("not a DuckDB file", encoding="utf-8")  # dbt cannot open its database
    result = dg.materialize(
        [warehouse_dbt_assets],
        selection=[warehouse_key("dim_platforms")],
        resources=build_resources(),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    error = failure.step_failure_data.error
    text = (error.message or "") + str(error.cause or "")
    assert "dbt build failed" in text, text
    assert "not a valid DuckDB database file" in text, text  # dbt's own words, in the run's failure


def test_a_subset_builds_only_its_models_and_closes_the_database(data_dir):
    result = dg.materialize(
        [warehouse_dbt_assets],
        selection=[warehouse_key("platform_metric_catalogue")],
        resources=build_resources(),
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    built = {e.asset_key for e in result.get_asset_materialization_events()}
    assert built == {warehouse_key("platform_metric_catalogue")}
    # dbt-duckdb's process-wide database is closed: the same process opens the file with other settings.
    with duckdb.connect(str(get_settings().build_db_path), read_only=True) as con:
        assert (
            con.execute("select count(distinct platform) from seeds.platform_metric_catalogue").fetchone()[0]
            == 5
        )
