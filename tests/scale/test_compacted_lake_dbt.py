"""dbt reads a compacted lake exactly as the day-partitioned one (the lake_rows macro follows the layout
contract): same staging rows with leftover day files still on disk, after they are collected, and after a rerun
of a compacted day. Real dbt, real DuckDB, a synthetic lake from the scale generator."""

import datetime as dt
import shutil

import duckdb
import pytest
from scale_fixtures import staging_fingerprint, use_synthetic_lake

from pipelines import lake
from pipelines.lake_compaction import collect_garbage, compact_lake, lake_tables
from pipelines.settings import get_settings
from pipelines.warehouse import run_dbt_build

pytestmark = pytest.mark.slow

STAGING = (
    "stg_instagram__account_days",
    "stg_facebook__account_days",
    "stg_youtube__account_days",
    "stg_x__account_days",
    "stg_tiktok__account_days",
    "stg_manual__account_days",
    "stg_lake__fetch_logs",
)
END = dt.date(2026, 11, 30)


def test_dbt_reads_the_compacted_lake_exactly(tmp_path, monkeypatch):
    lake_dir = use_synthetic_lake(tmp_path / "scale", monkeypatch, accounts=60, days=45, end=END, seed=3)
    before = staging_fingerprint(STAGING)
    assert all(count > 0 for count, _ in before.values()), before

    # October is settled on 2026-11-10: compacted; November stays in day files. Leftovers kept (grace).
    done = compact_lake(lake_dir, today=dt.date(2026, 11, 10), grace_seconds=3600, durable=False)
    assert {d.month for d in done} == {"2026-10"} and len(done) == 11  # 5 platforms × 2 tables + manual
    assert any((lake_dir / "manual" / "account_daily").glob("date=2026-10-*/unit_code=*/data.parquet"))
    assert staging_fingerprint(STAGING) == before

    for table in lake_tables(lake_dir):
        collect_garbage(table, grace_seconds=0)
    assert not any((lake_dir / "instagram" / "account_daily").glob("date=2026-10-*"))
    assert staging_fingerprint(STAGING) == before

    # A rerun of a compacted day replaces exactly that day's rows: the day's fetch log now says every account failed.
    day = dt.date(2026, 10, 20)
    path = lake.partition_path(lake_dir, "x", "fetch_log", day)
    log = lake.read_partition(path)
    failed = log.set_column(log.schema.get_field_index("status"), "status", [["failed"] * log.num_rows])
    lake.write_partition(failed, path, durable=False)
    settings = get_settings()
    shutil.rmtree(settings.warehouse_dir, ignore_errors=True)
    run_dbt_build(settings, select="stg_lake__fetch_logs")
    with duckdb.connect(str(settings.build_db_path), read_only=True) as con:
        statuses = con.execute(
            "select status, count(*) from staging.stg_lake__fetch_logs "
            "where platform = 'x' and metric_date = ? group by all",
            [day],
        ).fetchall()
        total = con.execute("select count(*) from staging.stg_lake__fetch_logs").fetchone()[0]
    assert statuses == [("failed", log.num_rows)]
    assert total == before["stg_lake__fetch_logs"][0]
