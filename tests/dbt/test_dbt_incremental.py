"""fct_account_daily is incremental (delete+insert by metric_date): reruns keep it exact.

A rerun without new data changes nothing; a manual report arriving late for a day far outside the lookback
window is picked up by its fetched_at, and the next observation's deltas are recomputed, so the incremental
table equals what a full refresh would give (int_account_days_enriched over the full history).
"""

import datetime as dt

import duckdb
import pytest
from dbt_fixture_lake import day, manual_row, write_lake, write_manual, write_registry
from dbt_harness import build_db_path, query, run_dbt

pytestmark = pytest.mark.slow

FACT_COLUMNS = """account_id, metric_date, reporting_period_days, collection_method, fetched_at, followers_count,
    new_posts_count,
    views_count, likes_count, engagements_count, previous_metric_date, days_since_previous_observation,
    follower_growth_count, follower_growth_rate, engagement_rate"""


def differences(data_dir) -> list[tuple]:
    """Rows in either of fct_account_daily and the full-history enriched model but not in the other."""
    return query(
        data_dir,
        f"""(select {FACT_COLUMNS} from marts.fct_account_daily
             except select {FACT_COLUMNS} from intermediate.int_account_days_enriched)
            union all
            (select {FACT_COLUMNS} from intermediate.int_account_days_enriched
             except select {FACT_COLUMNS} from marts.fct_account_daily)""",
    )


def test_incremental_reruns_stay_exact(tmp_path):
    data_dir = tmp_path / "data"
    registry_dir = write_registry(tmp_path / "registry")
    write_lake(data_dir / "lake")
    # Seeds and models up to the fact only: the data and unit tests run in test_dbt_marts.py.
    upstream = ["--select", "+fct_account_daily", "--resource-type", "seed", "--resource-type", "model"]
    run_dbt(["build", *upstream], data_dir, registry_dir, tmp_path)
    count_sql = "select count(*), sum(follower_growth_count) from marts.fct_account_daily"
    first = query(data_dir, count_sql)
    assert (
        first[0][0] == 12 + 14 + 14 + 14 + 7 + 2
    )  # ig1 (2-day gap), fb1, yt1, x1, ig2, fb2 weekly; no tiktok

    run_dbt(["build", *upstream], data_dir, registry_dir, tmp_path)
    compiled = next((tmp_path / "target" / "run").rglob("fct_account_daily.sql")).read_text()
    assert "delete from" in compiled  # the incremental path ran, not a rebuild
    assert query(data_dir, count_sql) == first
    assert differences(data_dir) == []

    # Jan 7 for ig1 (11 days before the newest day, outside the 7-day lookback) arrives by manual report.
    late = manual_row(
        "instagram:ig1",
        "ID-35.78",
        "instagram",
        3,
        taken_in=dt.datetime(2026, 1, 25, tzinfo=dt.UTC),
        followers_count=1025,
        posts_total_count=101,
        likes_count=7,
        comments_count=1,
    )
    write_manual(data_dir / "lake", "ID-35.78", 3, [late])
    run_dbt(["build", *upstream], data_dir, registry_dir, tmp_path)

    assert query(data_dir, "select count(*) from marts.fct_account_daily") == [(first[0][0] + 1,)]
    rows = query(
        data_dir,
        """select metric_date, collection_method, previous_metric_date, follower_growth_count, new_posts_count,
                  engagements_count
           from marts.fct_account_daily where account_id = 'instagram:ig1'
             and metric_date between '2026-01-07' and '2026-01-09' order by metric_date""",
    )
    assert rows == [
        (day(3), "manual", day(2), 15, 1, 8),
        (day(5), "api", day(3), 15, 1, 30),  # was +30 over the gap from Jan 6
    ]
    assert differences(data_dir) == []


def test_table_built_before_reporting_period_days_is_filled_in_one_run(tmp_path):
    """A warehouse built before the column existed: the next incremental run adds it and rebuilds every day
    (rows outside the lookback would otherwise keep it null and a weekly report would pass as daily)."""
    data_dir = tmp_path / "data"
    registry_dir = write_registry(tmp_path / "registry")
    write_lake(data_dir / "lake")
    upstream = ["--select", "+fct_account_daily", "--resource-type", "seed", "--resource-type", "model"]
    run_dbt(["build", *upstream], data_dir, registry_dir, tmp_path)
    with duckdb.connect(str(build_db_path(data_dir))) as con:
        con.execute("alter table marts.fct_account_daily drop column reporting_period_days")
        con.execute(
            "update marts.fct_account_daily set engagement_rate = 0.5 where account_id = 'facebook:fb2'"
        )

    run_dbt(["build", *upstream], data_dir, registry_dir, tmp_path)
    compiled = next((tmp_path / "target" / "run").rglob("fct_account_daily.sql")).read_text()
    assert "delete from" in compiled  # the incremental path ran, not a rebuild
    rows = query(
        data_dir,
        """select reporting_period_days, count(*), min(metric_date) from marts.fct_account_daily
           group by all order by all""",
    )
    assert rows == [(1, 61, day(1)), (7, 2, day(7))]
    assert differences(data_dir) == []  # the old weekly rates were recomputed too
