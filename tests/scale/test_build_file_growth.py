"""The build file does not grow beyond the data over repeated daily updates, and stays incremental.

dbt's incremental models delete and insert rows and its table models are replaced every build; DuckDB keeps the
freed blocks in the file (a CHECKPOINT only reuses them: https://duckdb.org/docs/stable/operations_manual/
footprint_of_duckdb/reclaiming_space.html — compacting needs `COPY FROM DATABASE` into a fresh file). Publishing
does that copy and makes it the build file too. Real dbt, real DuckDB, a synthetic lake stepped day by day."""

import datetime as dt
import shutil

import duckdb
import pytest
from scale_fixtures import use_synthetic_lake

from pipelines.scale.generate import land_day
from pipelines.settings import get_settings
from pipelines.warehouse import publish, run_dbt_build

pytestmark = pytest.mark.slow

END = dt.date(2026, 11, 30)
# The daily path of the warehouse: lake staging → accounts → rollups → the weekly reports analysts read.
MODELS = "+rpt_platform_weekly"
UPDATES = 2


def latest_builds(path) -> dict[str, object]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(
            con.execute(
                "select model, arg_max(rebuilt_from, built_at) from incremental_state.model_builds group by model"
            ).fetchall()
        )


def test_daily_updates_keep_the_build_file_at_the_size_of_its_data(tmp_path, monkeypatch):
    lake = tmp_path / "scale"
    use_synthetic_lake(lake, monkeypatch, accounts=30, days=21, end=END, seed=11)
    monkeypatch.setenv("DBT_INDIRECT_SELECTION", "cautious")  # only tests wholly inside the selection
    settings = get_settings()

    run_dbt_build(settings, select=MODELS)
    full = publish(settings)
    grown = []
    for _ in range(UPDATES):
        land_day(lake)
        run_dbt_build(settings, select=MODELS)
        result = publish(settings)
        grown.append(result.build_bytes_before / full.bytes)
        # The build file is the compact copy, no bigger than the published data.
        assert settings.build_db_path.stat().st_size == result.bytes
        assert not settings.build_db_path.with_name(settings.build_db_path.name + ".wal").exists()

    # The bound is not vacuous: dbt left the file bigger than its data after an update (freed blocks).
    assert max(grown) > 1.05, grown
    # It stays incremental: the compact copy carried the bookkeeping, so the last update rewrote only the days
    # it had to (a lost incremental_state would rebuild everything: rebuilt_from null).
    builds = latest_builds(settings.build_db_path)
    assert builds["stg_instagram__account_days"] is not None, builds
    assert builds["fct_account_daily"] is not None, builds
    updated_bytes = settings.build_db_path.stat().st_size

    # A fresh full build of the same lake, published: the size of the data. The updated build is no bigger.
    shutil.rmtree(settings.warehouse_dir)
    run_dbt_build(settings, select=MODELS)
    fresh = publish(settings)
    assert updated_bytes <= fresh.bytes * 1.1, (updated_bytes, fresh.bytes, grown)
