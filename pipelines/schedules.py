"""Jobs, the morning schedule and the automation sensor."""

import dagster as dg

from assets.platforms import platform_assets
from assets.posts import posts_assets
from assets.warehouse import published_warehouse, warehouse_dbt_assets
from pipelines.jobs import credential_check_job, lake_compaction_job, token_renewal_job

daily_ingestion_job = dg.define_asset_job(
    "daily_ingestion_job",
    selection=dg.AssetSelection.assets(*platform_assets, *posts_assets),
    description="Fetch every platform for one WIB day (a backfill of a range runs as one run per asset).",
)

warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.assets(warehouse_dbt_assets, published_warehouse),
    description="dbt build of the whole warehouse, its checks, and the publish step.",
)

# 06:00 WIB fetches yesterday (the newest complete partition of the Asia/Jakarta calendar).
daily_ingestion_schedule = dg.build_schedule_from_partitioned_job(
    daily_ingestion_job,
    hour_of_day=6,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# Declarative automation: dbt models and the publish step follow new lake partitions and manual reports.
warehouse_automation_sensor = dg.AutomationConditionSensorDefinition(
    "warehouse_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=5,
)

# Credentials: renew what is due every half hour (TikTok access tokens live 2 hours); check all of them daily.
token_renewal_schedule = dg.ScheduleDefinition(
    job=token_renewal_job,
    cron_schedule="*/30 * * * *",
    execution_timezone="Asia/Jakarta",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
credential_check_schedule = dg.ScheduleDefinition(
    job=credential_check_job,
    cron_schedule="0 5 * * *",  # 05:00 WIB, an hour before the daily fetch
    execution_timezone="Asia/Jakarta",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# 03:30 WIB, before the morning fetch: settled months are compacted while nothing else writes the lake.
lake_compaction_schedule = dg.ScheduleDefinition(
    name="lake_compaction_schedule",
    job=lake_compaction_job,
    cron_schedule="30 3 * * *",
    execution_timezone="Asia/Jakarta",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
