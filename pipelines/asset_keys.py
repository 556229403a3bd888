"""The asset keys, job names and pools that more than one Dagster definition refers to, declared once.

Keys follow the design: `raw/<source>/<entity>` for the lake, `warehouse/<model>` for dbt models,
`warehouse/published` for the serving file, `reports/weekly_scorecard` for the scorecard pages and
`credentials/platform_tokens` for the tokens in the secrets store. Asset modules, checks, jobs and sensors
import them from here instead of spelling a key twice.
"""

import dagster as dg

from pipelines.platform_spec import PLATFORMS
from pipelines.platform_spec.posts import post_spec

# One writer of build.duckdb at a time: the dbt build, the data-quality checks and the publish step share it
# (dagster.yaml gives every pool a limit of 1).
WAREHOUSE_POOL = "duckdb_warehouse"

INGESTION_API_GROUP = "ingestion_api"
INGESTION_MANUAL_GROUP = "ingestion_manual"
SCORECARD_GROUP = "scorecard"

DAILY_INGESTION_JOB = "daily_ingestion_job"
MANUAL_REPORT_JOB = "manual_report_job"
WAREHOUSE_JOB = "warehouse_job"

MANUAL_ACCOUNT_DAILY_KEY = dg.AssetKey(["raw", "manual", "account_daily"])
PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])
SCORECARD_KEY = dg.AssetKey(["reports", "weekly_scorecard"])
PLATFORM_TOKENS_KEY = dg.AssetKey(["credentials", "platform_tokens"])


def account_daily_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "account_daily"])


def fetch_log_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "fetch_log"])


def posts_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "posts"])


def comments_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "comments"])


def warehouse_key(model: str) -> dg.AssetKey:
    return dg.AssetKey(["warehouse", model])


# Everything that writes the lake: a warehouse build reads all of it.
INGESTION_KEYS = frozenset(
    [MANUAL_ACCOUNT_DAILY_KEY]
    + [account_daily_key(p) for p in PLATFORMS]
    + [fetch_log_key(p) for p in PLATFORMS]
    + [posts_key(p) for p in PLATFORMS]
    + [comments_key(p) for p in PLATFORMS if post_spec(p).comments]
)
