"""Jobs: named selections of assets that schedules, sensors and people launch."""

import dagster as dg

from assets.publish import published_warehouse
from assets.warehouse import warehouse_dbt_assets
from pipelines.asset_keys import (
    DAILY_INGESTION_JOB,
    INGESTION_API_GROUP,
    MANUAL_ACCOUNT_DAILY_KEY,
    MANUAL_REPORT_JOB,
    WAREHOUSE_JOB,
)

daily_ingestion_job = dg.define_asset_job(
    DAILY_INGESTION_JOB,
    selection=dg.AssetSelection.groups(INGESTION_API_GROUP),
    description="Fetch every platform for one WIB day (a backfill of a range runs as one run per asset).",
)

warehouse_job = dg.define_asset_job(
    WAREHOUSE_JOB,
    selection=dg.AssetSelection.assets(warehouse_dbt_assets, published_warehouse),
    description="dbt build of the whole warehouse, its checks, and the publish step.",
)

manual_report_job = dg.define_asset_job(
    MANUAL_REPORT_JOB,
    selection=dg.AssetSelection.assets(MANUAL_ACCOUNT_DAILY_KEY),
    description="Take in one manual report file from the inbox (launched by manual_report_sensor).",
    tags={"medsos/source": "manual"},
)
