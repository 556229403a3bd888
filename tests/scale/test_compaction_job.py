"""The compaction job is a real Dagster job on the one Definitions, scheduled daily, and compacts the lake."""

import datetime as dt

from pipelines import lake
from pipelines.definitions import defs
from pipelines.lake_layout import month_file, read_table_rows


def test_compaction_job_runs_in_dagster_and_compacts_settled_months(data_dir):
    lake_dir = data_dir / "lake"
    first = dt.date(2025, 3, 1)
    for i in range(31):
        day = first + dt.timedelta(days=i)
        row = {
            "account_id": "x:1",
            "platform": "x",
            "unit_code": "ID",
            "metric_date": day,
            "status": "ok",
            "attempts": 1,
            "fetched_at": dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
            "run_id": "r",
        }
        table = lake.rows_to_table([row], lake.FETCH_LOG_SCHEMA)
        lake.write_partition(table, lake.partition_path(lake_dir, "x", "fetch_log", day), durable=False)

    job = defs.resolve_job_def("lake_compaction_job")
    config = {"ops": {"compact_lake_months": {"config": {"grace_seconds": 0}}}}
    result = job.execute_in_process(run_config=config)
    assert result.success
    assert result.output_for_node("compact_lake_months") == 1
    entity = lake_dir / "x" / "fetch_log"
    assert month_file(entity, "2025-03").exists() and not list(entity.glob("date=*"))
    assert read_table_rows(entity).num_rows == 31
    # Idempotent: a second run finds nothing to do.
    assert job.execute_in_process(run_config=config).output_for_node("compact_lake_months") == 0

    (schedule,) = [s for s in defs.schedules if s.name == "lake_compaction_schedule"]
    assert schedule.job_name == "lake_compaction_job" and schedule.execution_timezone == "Asia/Jakarta"
