"""The warehouse is incremental by date (macros/incremental/), and an incremental build always equals a full refresh.

Lake staging reads only the lake files that changed; every model downstream rebuilds from the earliest day its
inputs changed. The reference for "equal" is a real full refresh of the same lake (a sibling data dir whose lake
is a link to the same files), compared table by table.
"""

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_fixture_lake import (
    ACCOUNTS,
    day,
    manual_row,
    write_day,
    write_lake,
    write_manual,
    write_registry,
)
from dbt_harness import build_db_path, query, run_dbt

from pipelines import lake
from pipelines.lake_compaction import collect_garbage, compact_month, lake_tables

pytestmark = pytest.mark.slow

# Seeds and models: the data and unit tests run in test_dbt_marts.py.
MODELS = ["--resource-type", "seed", "--resource-type", "model"]
UPSTREAM = ["--select", "+fct_account_daily", *MODELS]
FACT_COLUMNS = """account_id, metric_date, reporting_period_days, collection_method, fetched_at, followers_count,
    new_posts_count,
    views_count, likes_count, engagements_count, previous_metric_date, days_since_previous_observation,
    follower_growth_count, follower_growth_rate, engagement_rate"""
BOOKKEEPING = ("lake_file", "lake_file_modified_at", "lake_file_size_bytes")


def reference_build(data_dir: Path, registry_dir: Path, work_dir: Path, select: list[str]) -> Path:
    """A full refresh of the same lake into a sibling data dir: what every incremental table must equal."""
    reference = work_dir / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    (reference / "data").mkdir(parents=True)
    (reference / "data" / "lake").symlink_to(data_dir / "lake", target_is_directory=True)
    run_dbt(["build", *select, "--full-refresh"], reference / "data", registry_dir, reference)
    return reference / "data"


def table_differences(data_dir: Path, reference_dir: Path, relation: str, columns: str = "*") -> list[tuple]:
    """Rows (with multiplicity) in one of the two builds' `relation` but not in the other's."""
    with duckdb.connect(str(build_db_path(data_dir)), read_only=True) as con:
        con.execute(f"attach '{build_db_path(reference_dir)}' as reference (read_only)")
        if columns == "*":
            names = [r[0] for r in con.execute(f"describe {relation}").fetchall()]
            columns = ", ".join(n for n in names if n not in BOOKKEEPING)  # lake paths differ by the link
        return con.execute(
            f"""(select {columns} from {relation} except all select {columns} from reference.{relation})
                union all
                (select {columns} from reference.{relation} except all select {columns} from {relation})"""
        ).fetchall()


def differences(data_dir: Path, registry_dir: Path, work_dir: Path) -> list[tuple]:
    """fct_account_daily against a full refresh of the same lake."""
    reference = reference_build(data_dir, registry_dir, work_dir, UPSTREAM)
    return table_differences(data_dir, reference, "marts.fct_account_daily", FACT_COLUMNS)


def compiled(work_dir: Path, model: str) -> str:
    return next((work_dir / "target" / "run").rglob(f"{model}.sql")).read_text()


def test_incremental_reruns_stay_exact(tmp_path):
    data_dir = tmp_path / "data"
    registry_dir = write_registry(tmp_path / "registry")
    write_lake(data_dir / "lake")
    run_dbt(["build", *UPSTREAM], data_dir, registry_dir, tmp_path)
    count_sql = "select count(*), sum(follower_growth_count) from marts.fct_account_daily"
    first = query(data_dir, count_sql)
    assert (
        first[0][0] == 12 + 14 + 14 + 14 + 7 + 2
    )  # ig1 (2-day gap), fb1, yt1, x1, ig2, fb2 weekly; no tiktok

    run_dbt(["build", *UPSTREAM], data_dir, registry_dir, tmp_path)
    assert "delete from" in compiled(tmp_path, "fct_account_daily")  # the incremental path ran, not a rebuild
    assert query(data_dir, count_sql) == first
    assert differences(data_dir, registry_dir, tmp_path) == []

    # Jan 7 for ig1 (11 days before the newest day) arrives by manual report.
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
    run_dbt(["build", *UPSTREAM], data_dir, registry_dir, tmp_path)

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
    assert differences(data_dir, registry_dir, tmp_path) == []
    # Only the days from the late report on were rebuilt.
    assert query(
        data_dir,
        "select rebuilt_from from incremental_state.model_builds where model = 'fct_account_daily' "
        "order by built_at desc limit 1",
    ) == [(day(3),)]


def test_table_built_before_reporting_period_days_is_filled_in_one_run(tmp_path):
    """A warehouse built before the column existed: the next incremental run adds it and rebuilds every day
    (rows outside the lookback would otherwise keep it null and a weekly report would pass as daily)."""
    data_dir = tmp_path / "data"
    registry_dir = write_registry(tmp_path / "registry")
    write_lake(data_dir / "lake")
    run_dbt(["build", *UPSTREAM], data_dir, registry_dir, tmp_path)
    with duckdb.connect(str(build_db_path(data_dir))) as con:
        con.execute("alter table marts.fct_account_daily drop column reporting_period_days")
        con.execute(
            "update marts.fct_account_daily set engagement_rate = 0.5 where account_id = 'facebook:fb2'"
        )

    run_dbt(["build", *UPSTREAM], data_dir, registry_dir, tmp_path)
    assert "delete from" in compiled(tmp_path, "fct_account_daily")  # the incremental path ran, not a rebuild
    rows = query(
        data_dir,
        """select reporting_period_days, count(*), min(metric_date) from marts.fct_account_daily
           group by all order by all""",
    )
    assert rows == [(1, 61, day(1)), (7, 2, day(7))]
    assert differences(data_dir, registry_dir, tmp_path) == []  # the old weekly rates were recomputed too


def built_tables(data_dir: Path) -> list[str]:
    return [
        f"{schema}.{name}"
        for schema, name in query(
            data_dir,
            """select schema_name, table_name from duckdb_tables()
               where schema_name in ('staging', 'intermediate', 'marts', 'reports') order by all""",
        )
    ]


def test_day_by_day_builds_equal_a_full_refresh(tmp_path):
    """The lake grows day by day as in production, with a late manual report, a retried (rewritten) partition,
    a compaction of the month (leftover day files, then their collection), a write into the compacted month and
    a registry change; each build rebuilds only from the earliest changed day, and in the end every table
    equals a full refresh of the same lake."""
    data_dir = tmp_path / "data"
    lake_dir = data_dir / "lake"
    registry_dir = write_registry(tmp_path / "registry")
    every_model = [
        "--exclude",
        "path:models/dq+",
        *MODELS,
    ]  # the dq models and their readers (the scorecard's flags) are not incremental yet

    def build() -> None:
        # A 2-day scan for previous observations: the lookup of accounts silent longer (ig1's gap, the weekly
        # reports) runs too.
        scan = ["--vars", "{previous_observation_scan_days: 2}"]
        run_dbt(["build", *every_model, *scan], data_dir, registry_dir, tmp_path)

    def rebuilt_from(model: str) -> dt.date | None:
        return query(
            data_dir,
            "select rebuilt_from from incremental_state.model_builds where model = ? order by built_at desc limit 1",
            [model],
        )[0][0]

    write_lake(lake_dir, through_day=9)
    build()
    assert rebuilt_from("fct_unit_daily") is None  # the first build is a full one

    # The next morning: one new day. Everything downstream rebuilds that day only (the week for weekly models).
    write_day(lake_dir, 10)
    build()
    assert rebuilt_from("stg_instagram__account_days") == day(10)
    assert rebuilt_from("fct_account_daily") == day(10)
    assert rebuilt_from("int_account_days_expected") == day(10) - dt.timedelta(days=6)  # weekly coverage
    assert rebuilt_from("rpt_unit_weekly") == dt.date(2026, 1, 5)  # the Monday of its ISO week

    # Day 11, a late manual report for day 3, and a retry that rewrote day 9's Instagram partition (ig1 had
    # five more followers that day than the first fetch said).
    write_day(lake_dir, 11)
    write_manual(
        lake_dir,
        "ID-35.78",
        3,
        [
            manual_row(
                "instagram:ig1", "ID-35.78", "instagram", 3, followers_count=1025, posts_total_count=101
            )
        ],
    )
    path = lake.partition_path(lake_dir, "instagram", "account_daily", day(9))
    retried = lake.read_partition(path)
    followers = retried.schema.get_field_index("followers_count")
    retried = retried.set_column(followers, "followers_count", [[1085]])
    lake.write_partition(retried, path)
    build()
    assert rebuilt_from("stg_manual__account_days") == day(3)
    assert rebuilt_from("fct_account_daily") == day(3)
    assert query(
        data_dir,
        """select metric_date, followers_count, follower_growth_count from marts.fct_account_daily
           where account_id = 'instagram:ig1' and metric_date in (?, ?) order by metric_date""",
        [day(9), day(10)],
    ) == [(day(9), 1085, 15), (day(10), 1090, 5)]  # day 8 had 1,070, day 10 has 1,090

    # The month is compacted (leftover day files stay for the grace period): the same rows move into month
    # files and nothing downstream is rebuilt.
    for entity_dir in lake_tables(lake_dir):
        compact_month(entity_dir, "2026-01")
    build()
    assert rebuilt_from("stg_x__account_days") == dt.date(9999, 12, 31)
    assert rebuilt_from("fct_account_daily") == dt.date(9999, 12, 31)

    # Day 12 lands in the compacted month (its month files are rewritten), the leftovers are collected, and the
    # registry changes (the TikTok account retired on day 10, a new X account): the expected-vs-reported model
    # and the rollups rebuild everything; the account-day facts, which do not read the registry, day 12 only.
    write_day(lake_dir, 12)
    for entity_dir in lake_tables(lake_dir):
        collect_garbage(entity_dir, grace_seconds=0)
    accounts = (registry_dir / "registry_accounts.csv").read_text().splitlines()
    accounts = [
        a.replace(",2025-01-01,", f",2025-01-01,{day(10)}") if a.startswith("tiktok:") else a
        for a in accounts
    ]
    accounts.append("x:x2,ID-11,x,humas.aceh,x2,api,2026-01-08,")
    (registry_dir / "registry_accounts.csv").write_text("\n".join(accounts) + "\n")
    build()
    assert rebuilt_from("stg_x__account_days") == day(12)
    assert rebuilt_from("fct_account_daily") == day(12)
    assert rebuilt_from("int_account_days_expected") is None
    assert rebuilt_from("fct_unit_daily") is None

    reference = reference_build(data_dir, registry_dir, tmp_path, every_model)
    models = built_tables(data_dir)
    assert len(models) >= 19 and len(ACCOUNTS) == 7
    assert {model: table_differences(data_dir, reference, model) for model in models} == {
        m: [] for m in models
    }
    assert query(data_dir, "select count(*) from marts.fct_account_daily") == query(
        reference, "select count(*) from marts.fct_account_daily"
    )
