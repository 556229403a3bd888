"""The warehouse is incremental by date (macros/incremental/), and an incremental build always equals a full refresh.

Lake staging reads only the lake files that changed; every model downstream rebuilds from the earliest day its
inputs changed. One warehouse is grown day by day as in production (a late manual report, a retried partition,
a compaction, a table built by older code, a registry change, a corrected weekly report) and built after each
step; the tests read what each build rewrote (recorded as it ran) and compare every table, data-quality tables
included, with a real full refresh of the same lake (a sibling data dir whose lake is a link to the same files).
"""

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from dbt_fixture_lake import ACCOUNTS, day, manual_row, write_day, write_lake, write_manual, write_registry
from dbt_harness import build_db_path, query, run_dbt, shared_build

from pipelines import lake
from pipelines.lake_compaction import collect_garbage, compact_month, lake_tables

pytestmark = pytest.mark.slow

# Seeds and models: the data and unit tests run in test_dbt_marts.py (and the dq data tests below).
MODELS = ["--resource-type", "seed", "--resource-type", "model"]
# A 2-day scan for previous observations: the lookup of accounts silent longer (ig1's gap, the weekly reports)
# runs too.
SCAN = ["--vars", "{previous_observation_scan_days: 2}"]
BOOKKEEPING = ("lake_file", "lake_file_modified_at", "lake_file_size_bytes")
SCHEMAS = ("staging", "intermediate", "marts", "reports", "dq")
# The date-incremental data-quality models (the other dq models are tables: see docs/analysts/data-quality.md).
DQ_INCREMENTAL = ("dq_expected_account_days", "dq_unit_completeness_weekly")
WATCHED = (
    "stg_instagram__account_days",
    "stg_x__account_days",
    "stg_manual__account_days",
    "int_account_days_unioned",
    "int_account_days_expected",
    "fct_account_daily",
    "fct_unit_daily",
    "rpt_unit_weekly",
    *DQ_INCREMENTAL,
)
IG1_AROUND_GAP = """select metric_date, collection_method, previous_metric_date, follower_growth_count,
    new_posts_count, engagements_count, followers_count
    from marts.fct_account_daily where account_id = 'instagram:ig1' and metric_date between ? and ?
    order by metric_date"""


def rebuilt_from(data_dir: Path) -> dict[str, str | None]:
    """The first day each watched model's latest build rewrote (None: everything; 9999-12-31: nothing)."""
    rows = query(
        data_dir,
        """select distinct on (model) model, rebuilt_from::varchar from incremental_state.model_builds
           order by model, built_at desc""",
    )
    return {model: first for model, first in rows if model in WATCHED}


def compiled(work_dir: Path, model: str) -> str:
    return next((work_dir / "target" / "run").rglob(f"{model}.sql")).read_text()


def grow_warehouse(root: Path) -> None:
    """Grow the lake step by step, build after each step, and record what each build did; then a full refresh
    of the same lake into root/reference and the dq data tests on the incremental warehouse."""
    data_dir, lake_dir = root / "data", root / "data" / "lake"
    registry_dir = write_registry(root / "registry")
    seen: dict[str, object] = {}

    def build(step: str) -> None:
        run_dbt(["build", *MODELS, *SCAN], data_dir, registry_dir, root)
        seen[step] = {"rebuilt_from": rebuilt_from(data_dir)}

    def note(step: str, name: str, sql: str, params: list | None = None) -> None:
        seen[step][name] = [[str(v) for v in row] for row in query(data_dir, sql, params)]

    # 1. The first build is a full one.
    write_lake(lake_dir, through_day=9)
    build("first")

    # 2. The next morning: one new day.
    write_day(lake_dir, 10)
    build("new_day")
    seen["new_day"]["fct_delete"] = "delete from" in compiled(root, "fct_account_daily")

    # 3. Day 11, a late manual report for ig1's day 3 (taken in on Jan 25) and a retry that rewrote day 9's
    #    Instagram partition (ig1 had five more followers that day than the first fetch said).
    write_day(lake_dir, 11)
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
    write_manual(lake_dir, "ID-35.78", 3, [late])
    path = lake.partition_path(lake_dir, "instagram", "account_daily", day(9))
    retried = lake.read_partition(path)
    followers = retried.schema.get_field_index("followers_count")
    lake.write_partition(retried.set_column(followers, "followers_count", [[1085]]), path)
    build("late_and_retry")
    note("late_and_retry", "ig1", IG1_AROUND_GAP, [day(2), day(10)])

    # 4. The month is compacted (leftover day files stay for the grace period): the same rows move into month
    #    files. Meanwhile fct_account_daily lost a column (a table built by older code) and has a stale rate: it
    #    is rebuilt whole, its readers with it; the models that do not read it rebuild nothing.
    for entity_dir in lake_tables(lake_dir):
        compact_month(entity_dir, "2026-01")
    with duckdb.connect(str(build_db_path(data_dir))) as con:
        con.execute("alter table marts.fct_account_daily drop column reporting_period_days")
        con.execute(
            "update marts.fct_account_daily set engagement_rate = 0.5 where account_id = 'facebook:fb2'"
        )
    build("compacted_old_table")
    note(
        "compacted_old_table",
        "periods",
        """select reporting_period_days, count(*), min(metric_date) from marts.fct_account_daily
           group by all order by all""",
    )

    # 5. Days 12-20 land (day 12 in the compacted month: its month files are rewritten), the leftovers are
    #    collected, and the registry changes (the TikTok account retired on day 10, a new X account): the
    #    models that read the registry rebuild everything.
    for i in range(12, 21):
        write_day(lake_dir, i)
    for entity_dir in lake_tables(lake_dir):
        collect_garbage(entity_dir, grace_seconds=0)
    accounts = (registry_dir / "registry_accounts.csv").read_text().splitlines()
    accounts = [
        a.replace(",2025-01-01,", f",2025-01-01,{day(10)}") if a.startswith("tiktok:") else a
        for a in accounts
    ]
    accounts.append("x:x2,ID-11,x,humas.aceh,x2,api,2026-01-08,")
    (registry_dir / "registry_accounts.csv").write_text("\n".join(accounts) + "\n")
    build("registry")

    # 6. Day 21, a Sunday: the manual accounts' week (days 15-21) has ended, so its days are now expected.
    write_day(lake_dir, 21)
    build("sunday")
    note(
        "sunday",
        "manual_days",
        "select min(metric_date), max(metric_date) from dq.dq_expected_account_days "
        "where collection_method = 'manual' and metric_date >= ?",
        [day(15)],
    )

    # 7. Days 22-24 and a corrected weekly report: Aceh resends fb2's report for the week ending on day 14
    #    (ten days back) with 2,180 followers instead of 2,170.
    for i in range(22, 25):
        write_day(lake_dir, i)
    corrected = manual_row(
        "facebook:fb2",
        "ID-11",
        "facebook",
        14,
        period_days=7,
        followers_count=2180,
        new_posts_count=0,
        likes_count=140,
        comments_count=7,
    )
    write_manual(lake_dir, "ID-11", 14, [corrected])
    build("correction")
    seen["correction"]["dq_delete"] = {m: "delete from" in compiled(root, m) for m in DQ_INCREMENTAL}

    # The dq data tests check the rows this build rewrote (errors fail the run; warnings are regional flags).
    run_dbt(
        ["test", "--select", "path:models/dq", "--exclude", "test_type:unit"], data_dir, registry_dir, root
    )

    reference = root / "reference"
    (reference / "data").mkdir(parents=True)
    (reference / "data" / "lake").symlink_to(lake_dir, target_is_directory=True)
    run_dbt(["build", *MODELS, *SCAN, "--full-refresh"], reference / "data", registry_dir, reference)
    (root / "observations.json").write_text(json.dumps(seen, indent=2))


@pytest.fixture(scope="module")
def grown(tmp_path_factory, worker_id) -> tuple[Path, Path, dict]:
    """(incremental data dir, full-refresh data dir, what each step's build did)."""
    root = shared_build(tmp_path_factory, worker_id, "dbt_incremental", grow_warehouse)
    return root / "data", root / "reference" / "data", json.loads((root / "observations.json").read_text())


def table_differences(data_dir: Path, reference_dir: Path, relation: str) -> list[tuple]:
    """Rows (with multiplicity) in one of the two builds' `relation` but not in the other's. Doubles are compared
    to 9 decimals: a parallel window average sums in no fixed order (two full builds differ in the 16th digit)."""
    with duckdb.connect(str(build_db_path(data_dir)), read_only=True) as con:
        con.execute(f"attach '{build_db_path(reference_dir)}' as reference (read_only)")
        columns = ", ".join(
            f'round("{name}", 9)' if kind == "DOUBLE" else f'"{name}"'
            for name, kind, *_ in con.execute(f"describe {relation}").fetchall()
            if name not in BOOKKEEPING  # lake paths differ by the link
        )
        return con.execute(
            f"""(select {columns} from {relation} except all select {columns} from reference.{relation})
                union all
                (select {columns} from reference.{relation} except all select {columns} from {relation})"""
        ).fetchall()


def built_tables(data_dir: Path) -> list[str]:
    schemas = "', '".join(SCHEMAS)
    return [
        f"{schema}.{name}"
        for schema, name in query(
            data_dir,
            f"select schema_name, table_name from duckdb_tables() where schema_name in ('{schemas}') order by all",
        )
    ]


def test_first_build_is_full_and_a_new_day_rebuilds_that_day(grown):
    _, _, seen = grown
    assert set(seen["first"]["rebuilt_from"].values()) == {None}
    assert seen["new_day"]["fct_delete"]  # the incremental path ran, not a rebuild
    assert seen["new_day"]["rebuilt_from"] | {"stg_x__account_days": "-"} == {
        "stg_instagram__account_days": str(day(10)),
        "stg_x__account_days": "-",
        "stg_manual__account_days": "9999-12-31",  # no manual file that day
        "int_account_days_unioned": str(day(10)),
        "int_account_days_expected": str(day(4)),  # six days back: a weekly report covers them
        "fct_account_daily": str(day(10)),
        "fct_unit_daily": str(day(4)),  # it counts expected account-days
        "rpt_unit_weekly": "2026-01-05",  # the Monday of its ISO week
        # The Monday of the week six days back (day 4): a new last day may complete a manual account's week.
        "dq_expected_account_days": "2026-01-05",
        "dq_unit_completeness_weekly": "2026-01-05",
    }


def test_late_report_and_retry_rebuild_from_the_earliest_changed_day(grown):
    _, _, seen = grown
    step = seen["late_and_retry"]
    assert step["rebuilt_from"]["stg_manual__account_days"] == str(day(3))
    assert step["rebuilt_from"]["fct_account_daily"] == str(day(3))
    assert step["ig1"] == [
        [str(day(2)), "api", str(day(1)), "10", "0", "30", "1010"],
        [str(day(3)), "manual", str(day(2)), "15", "1", "8", "1025"],  # the late report fills the gap
        [str(day(5)), "api", str(day(3)), "15", "1", "30", "1040"],  # was +30 over the gap from day 2
        [str(day(6)), "api", str(day(5)), "10", "0", "30", "1050"],
        [str(day(7)), "api", str(day(6)), "10", "1", "30", "1060"],
        [str(day(8)), "api", str(day(7)), "10", "0", "30", "1070"],
        [str(day(9)), "api", str(day(8)), "15", "1", "30", "1085"],  # the retried partition
        [str(day(10)), "api", str(day(9)), "5", "0", "30", "1090"],
    ]


def test_compaction_rebuilds_nothing_and_a_table_missing_a_column_rebuilds_whole(grown):
    _, _, seen = grown
    step = seen["compacted_old_table"]
    assert step["rebuilt_from"]["stg_x__account_days"] == "9999-12-31"
    assert step["rebuilt_from"]["int_account_days_unioned"] == "9999-12-31"
    assert step["rebuilt_from"]["dq_expected_account_days"] == "9999-12-31"
    # The table built before reporting_period_days existed is rebuilt whole in one run (rows outside a
    # look-back would otherwise keep it null and a weekly report would pass as daily), and so its readers.
    assert step["rebuilt_from"]["fct_account_daily"] is None
    assert step["rebuilt_from"]["fct_unit_daily"] is None
    assert step["periods"] == [["1", "50", str(day(1))], ["7", "1", str(day(7))]]


def test_registry_change_rebuilds_its_readers_whole(grown):
    _, _, seen = grown
    step = seen["registry"]["rebuilt_from"]
    assert step["stg_x__account_days"] == str(day(12))
    assert step["fct_account_daily"] == str(day(12))  # the account-day facts do not read the registry
    for model in ("int_account_days_expected", "fct_unit_daily", *DQ_INCREMENTAL):
        assert step[model] is None, model


def rebuilt(seen: dict, step: str, models: tuple[str, ...]) -> dict[str, str | None]:
    return {model: seen[step]["rebuilt_from"][model] for model in models}


def test_a_new_sunday_completes_the_manual_week(grown):
    _, _, seen = grown
    # From its Monday on: the manual accounts' days 15-20 become expected only now.
    assert rebuilt(seen, "sunday", ("fct_account_daily", *DQ_INCREMENTAL)) == {
        "fct_account_daily": str(day(21)),
        "dq_expected_account_days": str(day(15)),
        "dq_unit_completeness_weekly": str(day(15)),
    }
    assert seen["sunday"]["manual_days"] == [[str(day(15)), str(day(21))]]


def test_corrected_weekly_report_rebuilds_its_week_and_on(grown):
    _, _, seen = grown
    # The report covers days 8-14: the expected account-days and completeness from that week's Monday on.
    assert rebuilt(
        seen, "correction", ("stg_manual__account_days", "fct_account_daily", *DQ_INCREMENTAL)
    ) == {
        "stg_manual__account_days": str(day(14)),
        "fct_account_daily": str(day(14)),
        "dq_expected_account_days": str(day(8)),
        "dq_unit_completeness_weekly": str(day(8)),
    }
    assert seen["correction"]["dq_delete"] == {m: True for m in DQ_INCREMENTAL}  # the incremental path ran


def test_every_table_equals_a_full_refresh(grown):
    data_dir, reference, _ = grown
    tables = built_tables(data_dir)
    assert len(tables) >= 30 and len(ACCOUNTS) == 7
    assert {f"dq.{m}" for m in DQ_INCREMENTAL} <= set(tables)
    assert {t: table_differences(data_dir, reference, t) for t in tables} == {t: [] for t in tables}
    count = "select count(*) from dq.dq_expected_account_days"
    assert query(data_dir, count) == query(reference, count)


def test_dq_incremental_tables_hold_the_corrected_week(grown):
    """The corrected report reaches completeness and the expected days; the untouched week stays as built."""
    data_dir, _, _ = grown
    assert query(
        data_dir,
        """select metric_date, is_received, received_via from dq.dq_expected_account_days
           where account_id = 'facebook:fb2' and metric_date in (?, ?, ?) order by metric_date""",
        [day(8), day(14), day(21)],
    ) == [(day(8), True, "manual"), (day(14), True, "manual"), (day(21), False, None)]
    # Week 3's Sunday (day 21) has passed: fb2's missing report is expected; day 24's week is still open.
    assert query(
        data_dir,
        "select max(metric_date) from dq.dq_expected_account_days where collection_method = 'manual'",
    ) == [(day(21),)]
