"""Retry accounts whose fetch failed: the clients retry within a run; this sensor retries across runs.

Every tick it reads the fetch logs of the last few WIB days. A platform-day with accounts in a retryable
status (`failed`, `quota_exceeded`) gets a run that fetches only those accounts again and merges them into the
partition. At most `MAX_RETRY_RUNS` runs per platform-day (run key = platform/day/attempt), never while another
run for it is in flight; auth failures, missing tokens, not-found and suspended accounts are left to people
(they show in `dq_missing_reports` with the reason).
"""

import datetime as dt
import os

import dagster as dg

from pipelines.asset_keys import INGESTION_API_GROUP, account_daily_key, fetch_log_key
from pipelines.credentials import api_mode
from pipelines.ingest import retryable_accounts
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import get_settings, today_wib

MAX_RETRY_RUNS = 3
LOOKBACK_DAYS = 3
RETRY_TAG = "medsos/fetch_retry"


def _recent_days(today: dt.date) -> list[dt.date]:
    return [today - dt.timedelta(days=n) for n in range(1, LOOKBACK_DAYS + 1)]


def retry_requests(instance: dg.DagsterInstance, today: dt.date) -> list[dg.RunRequest]:
    settings = get_settings()
    # Live APIs only give current lifetime counters: there, only yesterday can still be fetched truthfully.
    days = _recent_days(today) if api_mode(settings) == "sandbox" else _recent_days(today)[:1]
    requests = []
    for platform in PLATFORMS:
        for day in days:
            failed = retryable_accounts(settings, platform, day)
            if not failed:
                continue
            target = f"{platform}/{day.isoformat()}"
            runs = instance.get_runs(filters=dg.RunsFilter(tags={RETRY_TAG: target}))
            if len(runs) >= MAX_RETRY_RUNS or any(not r.is_finished for r in runs):
                continue
            requests.append(
                dg.RunRequest(
                    run_key=f"{target}/retry-{len(runs) + 1}",
                    asset_selection=[account_daily_key(platform), fetch_log_key(platform)],
                    partition_key=day.isoformat(),
                    run_config={"ops": {f"ingest_{platform}": {"config": {"retry_failed_only": True}}}},
                    tags={RETRY_TAG: target, "medsos/accounts_to_retry": str(len(failed))},
                )
            )
    return requests


@dg.sensor(
    name="failed_fetch_retry_sensor",
    target=dg.AssetSelection.groups(INGESTION_API_GROUP),
    minimum_interval_seconds=int(os.environ.get("MEDSOS_FETCH_RETRY_INTERVAL", "900")),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Re-fetches accounts whose last fetch failed (transient errors, quota) for the last 3 WIB days.",
)
def failed_fetch_retry_sensor(context: dg.SensorEvaluationContext):
    requests = retry_requests(context.instance, today_wib())
    if not requests:
        return dg.SkipReason("no retryable fetch failures in the last 3 days")
    return requests
