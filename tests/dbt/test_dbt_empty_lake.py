"""With a registry but no lake at all (nothing fetched, no manual report), the whole project still builds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dbt_fixture_lake import write_registry
from dbt_harness import query, run_dbt

pytestmark = pytest.mark.slow


def yesterday_wib() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).date() - dt.timedelta(days=1)


def test_build_without_lake(tmp_path):
    data_dir = tmp_path / "data"
    registry_dir = write_registry(tmp_path / "registry")
    before = yesterday_wib()
    run_dbt(["build", "--exclude", "test_type:unit"], data_dir, registry_dir, tmp_path)  # data tests included
    after = yesterday_wib()

    for relation in (
        "staging.stg_lake__fetch_logs",
        "intermediate.int_account_days_unioned",
        "marts.fct_account_daily",
    ):
        assert query(data_dir, f"select count(*) from {relation}") == [(0,)], relation
    # Typed even when empty: the conformed schema survives for the union and for analysts.
    types = dict(
        query(
            data_dir,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_youtube__account_days'",
        )
    )
    assert types["metric_date"] == "DATE"
    assert types["views_lifetime_count"] == "BIGINT"
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"

    (spine_day,) = query(data_dir, "select date_day from marts.dim_dates")
    assert spine_day[0] in (before, after)
    # Every unit with an active account is expected to report and did not.
    rows = query(
        data_dir,
        "select unit_code, accounts_expected_count, accounts_reporting_count from marts.fct_unit_daily "
        "order by unit_code",
    )
    assert rows == [("ID", 1, 0), ("ID-11", 3, 0), ("ID-35", 1, 0), ("ID-35.78", 2, 0)]
    # The manual source's empty stand-in is typed from the source YAML, reporting_period_days included.
    assert query(
        data_dir,
        "select data_type from information_schema.columns where table_schema = 'staging' "
        "and table_name = 'stg_manual__account_days' and column_name = 'reporting_period_days'",
    ) == [("INTEGER",)]
