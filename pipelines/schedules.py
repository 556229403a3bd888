"""Schedules."""

import dagster as dg

from pipelines.jobs import daily_ingestion_job

# 06:00 WIB fetches yesterday (the newest complete partition of the Asia/Jakarta calendar).
daily_ingestion_schedule = dg.build_schedule_from_partitioned_job(
    daily_ingestion_job,
    hour_of_day=6,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
