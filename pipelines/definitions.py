"""The one Dagster entry point: every asset, check, job, schedule, sensor and resource of medsos-warehouse."""

import dagster as dg

from assets.manual_reports import manual_account_daily, manual_report_job
from assets.platforms import platform_assets
from assets.posts import posts_assets
from assets.warehouse import published_warehouse, warehouse_dbt_assets
from data_quality.alerting import dq_sensors
from data_quality.asset_checks import dq_asset_checks
from pipelines.resources import build_resources
from pipelines.schedules import (
    daily_ingestion_job,
    daily_ingestion_schedule,
    warehouse_automation_sensor,
    warehouse_job,
)
from pipelines.sensors.fetch_retries import failed_fetch_retry_sensor
from pipelines.sensors.manual_reports import manual_report_sensor

defs = dg.Definitions(
    assets=[*platform_assets, *posts_assets, manual_account_daily, warehouse_dbt_assets, published_warehouse],
    asset_checks=dq_asset_checks,
    jobs=[daily_ingestion_job, warehouse_job, manual_report_job],
    schedules=[daily_ingestion_schedule],
    sensors=[warehouse_automation_sensor, manual_report_sensor, failed_fetch_retry_sensor, *dq_sensors],
    resources=build_resources(),
    executor=dg.in_process_executor,  # ~3x faster than multiprocess on 2 cores; the work is I/O and dbt
)
