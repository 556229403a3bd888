"""A failed account is recorded in the fetch log and fetched again later, without touching the others."""

import datetime as dt

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines import lake
from pipelines.ingest import client_config_for, ingest_platform_day, retryable_accounts
from pipelines.sensors.fetch_retries import MAX_RETRY_RUNS, RETRY_TAG, retry_requests
from pipelines.settings import get_settings


def mark_failed(settings, platform, day, account_ids):
    """Turn some accounts of a landed partition into 'failed' ones, as a run with exhausted retries leaves them."""
    log_path = lake.partition_path(settings.lake_dir, platform, "fetch_log", day)
    log = pq.read_table(log_path).to_pylist()
    for row in log:
        if row["account_id"] in account_ids:
            row.update(status="failed", error_code="http_503", error_message="retries exhausted", attempts=6)
    lake.write_partition(lake.rows_to_table(log, lake.FETCH_LOG_SCHEMA), log_path)
    metrics_path = lake.partition_path(settings.lake_dir, platform, "account_daily", day)
    metrics = pq.read_table(metrics_path)
    keep = pc.invert(pc.is_in(metrics["account_id"], value_set=pa.array(sorted(account_ids))))
    lake.write_partition(metrics.filter(keep), metrics_path)


def test_retry_fetches_only_the_failed_accounts_and_merges_them(quiet_sandbox, report_day):
    settings = get_settings()
    config = client_config_for("instagram", settings, sandbox_url=quiet_sandbox.url)
    first = ingest_platform_day("instagram", report_day, settings=settings, client_config=config)
    full = pq.read_table(lake.partition_path(settings.lake_dir, "instagram", "account_daily", report_day))
    victims = set(sorted(full["account_id"].to_pylist())[:2])
    mark_failed(settings, "instagram", report_day, victims)
    assert retryable_accounts(settings, "instagram", report_day) == victims

    retry = ingest_platform_day(
        "instagram", report_day, settings=settings, client_config=config, retry_failed_only=True
    )
    assert retry.accounts_expected == 2 and retry.outcomes_by_status == {"ok": 2}
    assert retry.requests_made == 1  # both accounts in one Graph batch
    merged = pq.read_table(lake.partition_path(settings.lake_dir, "instagram", "account_daily", report_day))
    assert merged.num_rows == first.rows_written
    assert sorted(merged["account_id"].to_pylist()) == sorted(full["account_id"].to_pylist())
    assert retryable_accounts(settings, "instagram", report_day) == set()
    log = pq.read_table(lake.partition_path(settings.lake_dir, "instagram", "fetch_log", report_day))
    assert log.num_rows == first.accounts_expected  # one outcome per account, the retried ones replaced


def test_sensor_requests_one_retry_run_per_failed_platform_day_and_gives_up(quiet_sandbox, report_day):
    settings = get_settings()
    config = client_config_for("x", settings, sandbox_url=quiet_sandbox.url)
    ingest_platform_day("x", report_day, settings=settings, client_config=config)
    today = report_day + dt.timedelta(days=1)
    instance = dg.DagsterInstance.ephemeral()
    assert retry_requests(instance, today) == []  # nothing failed

    failed_id = pq.read_table(lake.partition_path(settings.lake_dir, "x", "fetch_log", report_day))[
        "account_id"
    ][0]
    mark_failed(settings, "x", report_day, {failed_id.as_py()})
    [request] = retry_requests(instance, today)
    assert request.partition_key == report_day.isoformat()
    assert request.run_config == {"ops": {"ingest_x": {"config": {"retry_failed_only": True}}}}
    assert request.run_key == f"x/{report_day}/retry-1"

    for attempt in range(MAX_RETRY_RUNS):  # earlier retry runs (finished) count against the limit
        instance.add_run(
            dg.DagsterRun(
                job_name="__ASSET_JOB",
                run_id=f"retry-run-{attempt}",
                tags={RETRY_TAG: f"x/{report_day}"},
                status=dg.DagsterRunStatus.SUCCESS,
            )
        )
    assert retry_requests(instance, today) == []


def test_live_apis_skip_days_before_yesterday_for_platforms_without_history(data_dir):
    from pipelines.clients import ClientConfig
    from pipelines.settings import yesterday_wib

    # YouTube statistics exist only as current values: a live history fetch makes no request (the URL is never
    # reached) and writes nothing, instead of refusing the whole range (issue 8.5).
    live = ClientConfig(base_url="http://127.0.0.1:9", api_key="k")
    summary = ingest_platform_day("youtube", yesterday_wib() - dt.timedelta(days=3), client_config=live)
    assert summary.skipped and summary.requests_made == 0 and summary.paths == {}
