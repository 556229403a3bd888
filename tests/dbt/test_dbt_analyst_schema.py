"""The analysts' schema (issue 7.5): counts arrive as BIGINT, descriptions reach DuckDB as comments, every dbt
test carries a description and Dagster shows it on the asset check, and DuckDB's resources come from the
environment at run time.

Reads the session's shared fixture build (see test_dbt_marts); the manifest checks read dbt's parse output.
"""

import json
import os

import pytest
from dbt_fixture_lake import write_registry
from dbt_harness import DBT_PROJECT_DIR, build_fixture_warehouse, query, run_dbt, shared_build

pytestmark = pytest.mark.slow

# Schemas dbt builds that analysts and BI tools read in the published file.
PUBLISHED = ("staging", "intermediate", "marts", "reports", "dq", "seeds")


@pytest.fixture(scope="module")
def built(tmp_path_factory, worker_id):
    return shared_build(tmp_path_factory, worker_id, "dbt_marts", build_fixture_warehouse) / "data"


@pytest.fixture(scope="module")
def manifest():
    return json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())


def in_schemas(schemas: tuple[str, ...]) -> str:
    return "schema_name in (" + ", ".join(f"'{s}'" for s in schemas) + ")"


def test_counts_are_bigint_never_hugeint(built):
    # DuckDB sums BIGINT into HUGEINT (INT128), which pandas reads as float64: every sum is cast back.
    hugeint = query(
        built,
        f"""select schema_name, table_name, column_name from duckdb_columns()
            where {in_schemas(PUBLISHED)} and data_type in ('HUGEINT', 'UHUGEINT', 'UBIGINT')""",
    )
    assert hugeint == []
    not_bigint = query(
        built,
        f"""select schema_name, table_name, column_name, data_type from duckdb_columns()
            where {in_schemas(PUBLISHED)} and column_name like '%\\_count' escape '\\'
              and data_type <> 'BIGINT'""",
    )
    assert not_bigint == []
    # The check is not vacuous: the rollups do have summed counts.
    assert query(
        built,
        """select data_type from duckdb_columns()
           where schema_name = 'reports' and table_name = 'rpt_platform_weekly'
             and column_name = 'account_days_expected_count'""",
    ) == [("BIGINT",)]


def test_descriptions_are_duckdb_comments(built):
    tables = query(
        built,
        f"""select schema_name, table_name, comment from duckdb_tables()
            where {in_schemas(PUBLISHED)} order by all""",
    )
    assert len(tables) >= 20
    assert [t[:2] for t in tables if not t[2]] == []  # every table and seed carries its description
    # Every column analysts query (marts, reports, the shared intermediate models) is described.
    undescribed = query(
        built,
        """select schema_name, table_name, column_name from duckdb_columns()
           where (schema_name in ('marts', 'reports')
                  or table_name in ('int_account_days_unioned', 'int_account_days_expected'))
             and coalesce(comment, '') = ''""",
    )
    assert undescribed == []
    (comment,) = query(
        built,
        """select comment from duckdb_columns() where schema_name = 'marts'
           and table_name = 'fct_account_daily' and column_name = 'engagement_rate'""",
    )[0]
    assert comment.startswith(
        "engagements_count / (followers_count x reporting_period_days)"
    )  # doc() rendered


# Folders other helpers convert (issue 7.5): dq/ (the dq helper) and the five platform staging models, which
# the spec helper derives from the platform specification (their conformed columns are tested on the union).
NOT_YET_CONVERTED = ("/dq/", *(f"/staging/{p}/" for p in ("instagram", "facebook", "youtube", "x", "tiktok")))


def test_documented_columns_exist(built, manifest):
    # A documented column the model does not produce misleads analysts, and makes an incremental model rebuild
    # itself whole on every run (it takes the table for one built by older code).
    existing = set(query(built, "select table_name, column_name from duckdb_columns()"))
    documented = {
        (node["name"], column)
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed") and "/dq/" not in node["original_file_path"]
        for column in node["columns"]
    }
    assert len(documented) > 200
    assert documented - existing == set()


def test_incremental_tests_check_the_rewritten_rows(built):
    # A build's data tests read an incremental model from the day its build rewrote (get_where_subquery).
    (compiled,) = [
        p.read_text()
        for p in (built.parent / "target" / "compiled").rglob("*.sql")
        if p.name == "unique_combination_fct_account_daily_account_id__metric_date.sql"
    ]
    assert (
        "metric_date >= coalesce((select latest.rebuilt_from from (select * from incremental_state"
        in compiled
    )


def test_every_data_test_has_a_description(manifest):
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    assert len(tests) > 100
    undescribed = [
        n["name"]
        for n in tests
        if not n.get("description") and not any(f in n["original_file_path"] for f in NOT_YET_CONVERTED)
    ]
    assert undescribed == []


def test_dagster_asset_checks_show_the_test_description(manifest):
    from assets.warehouse import warehouse_dbt_assets

    described = {
        (n["attached_node"].split(".")[-1], n["name"]): n["description"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and n.get("description") and n.get("attached_node")
    }
    checks = {
        (spec.asset_key.path[-1], spec.name): spec.description for spec in warehouse_dbt_assets.check_specs
    }
    shown = {key: checks.get(key) for key in described}
    assert shown == described
    assert checks[("fct_account_daily", "unique_combination_fct_account_daily_account_id__metric_date")] == (
        "The grain (one row per account-day)."
    )


def test_duckdb_resources_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDSOS_DUCKDB_MEMORY_LIMIT", "700MB")
    monkeypatch.setenv("MEDSOS_DUCKDB_THREADS", "1")
    monkeypatch.setenv("MEDSOS_DUCKDB_SPILL_DIR", str(tmp_path / "spill"))
    sql = (
        "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads, "
        "current_setting('temp_directory') as spill"
    )
    result = run_dbt(
        ["show", "--inline", sql, "--output", "json", "--log-format", "json"],
        tmp_path / "data",
        write_registry(tmp_path / "registry"),
        tmp_path,
    )
    shown = next(
        json.loads(line)["data"]["preview"]
        for line in result.stdout.splitlines()
        if line.startswith("{") and '"preview"' in line
    )
    (row,) = json.loads(shown)
    assert row["memory_limit"] in ("667.5 MiB", "700.0 MB")  # DuckDB reports it in MiB
    assert row["threads"] == 1
    assert row["spill"] == str(tmp_path / "spill")
    assert os.environ.get("MEDSOS_DUCKDB_MEMORY_LIMIT") == "700MB"
