"""The one Dagster entry point: every asset, check, job, schedule, sensor and resource of medsos-warehouse."""

import dagster as dg

from assets.credentials import platform_tokens
from assets.manual_reports import manual_account_daily, manual_report_job
from assets.platforms import platform_assets
from assets.posts import posts_assets
from assets.scorecard import weekly_scorecard
from assets.warehouse import published_warehouse, warehouse_dbt_assets
from data_quality.alerting import dq_sensors
from data_quality.asset_checks import dq_asset_checks
from data_quality.checks.credentials import credentials_valid
from pipelines.jobs import credential_check_job, lake_compaction_job, token_renewal_job
from pipelines.resources import build_resources
from pipelines.schedules import (
    credential_check_schedule,
    daily_ingestion_job,
    daily_ingestion_schedule,
    lake_compaction_schedule,
    token_renewal_schedule,
    warehouse_automation_sensor,
    warehouse_job,
)
from pipelines.sensors.fetch_retries import failed_fetch_retry_sensor
from pipelines.sensors.manual_reports import manual_report_sensor
from pipelines.sensors.scorecard import scorecard_delivery_sensor

defs = dg.Definitions(
    assets=[
        *platform_assets,
        *posts_assets,
        manual_account_daily,
        warehouse_dbt_assets,
        published_warehouse,
        platform_tokens,
        weekly_scorecard,
    ],
    asset_checks=[*dq_asset_checks, credentials_valid],
    jobs=[
        daily_ingestion_job,
        warehouse_job,
        manual_report_job,
        token_renewal_job,
        credential_check_job,
        lake_compaction_job,
    ],
    schedules=[
        daily_ingestion_schedule,
        token_renewal_schedule,
        credential_check_schedule,
        lake_compaction_schedule,
    ],
    sensors=[
        warehouse_automation_sensor,
        manual_report_sensor,
        failed_fetch_retry_sensor,
        *dq_sensors,
        scorecard_delivery_sensor,
    ],
    resources=build_resources(),
    executor=dg.in_process_executor,  # ~3x faster than multiprocess on 2 cores; the work is I/O and dbt
)
