"""Lake staging lists only the folders of months that are not compacted, and stays exact while it does.

A compacted month's leftover day files (kept for a grace period, pipelines.lake_compaction) are never listed:
on a year's lake right after a compaction, globbing and stat-ing them was most of the listing of
`stg_manual__account_days` (~60,000 files for ~4,300 of the open month). Months before, between
and after the compacted ones are still read, and a corrected report for a day of a compacted month (the month
file rewritten) is still picked up. Real dbt, real DuckDB, a synthetic lake from the scale generator."""

import datetime as dt
import fnmatch
import json
import subprocess

import duckdb
import pyarrow.compute as pc
import pytest
from scale_fixtures import staging_fingerprint, use_synthetic_lake

from pipelines import lake
from pipelines.lake_compaction import compact_month, lake_tables
from pipelines.settings import get_settings
from pipelines.warehouse import DBT_PROJECT_DIR, dbt_env, dbt_executable

pytestmark = pytest.mark.slow

STAGING = ("stg_instagram__account_days", "stg_manual__account_days", "stg_lake__fetch_logs")
END = dt.date(2026, 11, 30)  # 100 days: 23 August to 30 November


def build_staging(fresh: bool = False) -> dict[str, tuple]:
    """Build the staging models (incrementally unless `fresh`) and fingerprint their rows' content."""
    return staging_fingerprint(STAGING, fresh=fresh)


def compact(lake_dir, month: str) -> None:
    for table in lake_tables(lake_dir):
        compact_month(table, month, durable=False)  # leftover day files stay (the grace period)


def test_staging_skips_compacted_months_leftovers_and_stays_exact(tmp_path, monkeypatch):
    lake_dir = use_synthetic_lake(tmp_path / "scale", monkeypatch, accounts=30, days=100, end=END, seed=5)
    manual = lake_dir / "manual" / "account_daily"
    reference = build_staging(fresh=True)
    assert all(count > 0 for count, _ in reference.values()), reference

    # September compacted: August (before it), October and November (after it) are still day files.
    compact(lake_dir, "2026-09")
    leftover = sorted(manual.glob("date=2026-09-1*/unit_code=*/data.parquet"))[0]
    assert build_staging() == reference

    # November compacted too: October is now a gap between two compacted months.
    compact(lake_dir, "2026-11")
    assert build_staging() == reference

    # A corrected report for a unit-day of compacted September: the month file is rewritten, the build sees it.
    day, unit = dt.date.fromisoformat(leftover.parts[-3].split("=")[1]), leftover.parts[-2].split("=")[1]
    path = lake.manual_partition_path(lake_dir, day, unit)
    rows = lake.read_partition(path)
    followers = rows.schema.get_field_index("followers_count")
    corrected = rows.set_column(followers, "followers_count", pc.add(rows["followers_count"], 1000))
    assert lake.write_partition(corrected, path, durable=False).parent.name == "month=2026-09"
    updated = build_staging()
    assert updated["stg_manual__account_days"] != reference["stg_manual__account_days"]
    with duckdb.connect(str(get_settings().build_db_path), read_only=True) as con:
        staged = con.execute(
            "select sum(followers_count) from staging.stg_manual__account_days where metric_date = ? "
            "and unit_code = ?",
            [day, unit],
        ).fetchone()[0]
    assert staged == pc.sum(corrected["followers_count"]).as_py()
    assert build_staging(fresh=True) == updated  # the incremental result equals a full build


CASES = [[], ["2026-09"], ["2025-12", "2026-01", "2026-05", "2026-07", "2026-08"], ["2019-12", "2030-01"]]


def uncompacted_month_patterns(tmp_path) -> list[list[str]]:
    """The dbt macro's glob prefixes for each case of compacted months (one `dbt compile --inline`)."""
    calls = ", ".join(f"lake_uncompacted_month_patterns({case!r})" for case in CASES)
    (tmp_path / "warehouse").mkdir()
    result = subprocess.run(
        [
            dbt_executable(),
            "compile",
            "--quiet",
            "--inline",
            f"{{{{ [{calls}] | tojson }}}}",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
        ],
        env={**dbt_env(get_settings()), "MEDSOS_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_listed_folders_are_exactly_the_months_not_compacted(tmp_path):
    days = [f"{y}-{m:02d}-{d:02d}" for y in range(2015, 2036) for m in range(1, 13) for d in (1, 15, 31)]
    for compacted, patterns in zip(CASES, uncompacted_month_patterns(tmp_path), strict=True):
        listed = {day[:7] for day in days if any(fnmatch.fnmatchcase(day, f"{p}*") for p in patterns)}
        assert listed == {day[:7] for day in days} - set(compacted), (compacted, patterns)
