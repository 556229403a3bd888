"""The one Dagster entry point: every asset, check, job, schedule, sensor and resource of medsos-warehouse.

One import line and one list line per definition, so that adding one is a two-line change. Where each kind
lives (and the layering rule) is in README.md, "Architecture".
"""

import dagster as dg

# One import per line keeps merges of new definitions conflict-free.
# isort: off
from assets.credentials import platform_tokens
from assets.manual_reports import manual_account_daily
from assets.platforms import platform_assets
from assets.publish import published_warehouse
from assets.posts import posts_assets
from assets.scorecard import weekly_scorecard
from assets.warehouse import warehouse_dbt_assets
from data_quality.checks.credentials import credentials_valid
from data_quality.checks.warehouse import missing_reports_check
from data_quality.checks.warehouse import completeness_check
from data_quality.checks.warehouse import anomalies_check
from data_quality.checks.warehouse import fact_grain_check
from data_quality.checks.warehouse import completeness_consistency_check
from pipelines.jobs import daily_ingestion_job
from pipelines.jobs import warehouse_job
from pipelines.jobs import manual_report_job
from pipelines.jobs import token_renewal_job
from pipelines.jobs import credential_check_job
from pipelines.jobs import lake_compaction_job
from pipelines.resources import build_resources
from pipelines.schedules import daily_ingestion_schedule
from pipelines.schedules import token_renewal_schedule
from pipelines.schedules import credential_check_schedule
from pipelines.schedules import lake_compaction_schedule
from pipelines.sensors.automation import warehouse_automation_sensor
from pipelines.sensors.manual_reports import manual_report_sensor
from pipelines.sensors.fetch_retries import failed_fetch_retry_sensor
from pipelines.sensors.alerts import run_failure_alert_sensor
from pipelines.sensors.alerts import critical_anomaly_alert_sensor
from pipelines.sensors.scorecard import scorecard_delivery_sensor
# isort: on

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
    asset_checks=[
        missing_reports_check,
        completeness_check,
        anomalies_check,
        fact_grain_check,
        completeness_consistency_check,
        credentials_valid,
    ],
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
        run_failure_alert_sensor,
        critical_anomaly_alert_sensor,
        scorecard_delivery_sensor,
    ],
    resources=build_resources(),
    executor=dg.in_process_executor,  # ~3x faster than multiprocess on 2 cores; the work is I/O and dbt
)
