"""Fetch one platform for one reporting day and land it in the lake (Dagster assets and benchmarks use it).

Two partitions are written per platform-day, each atomically: the account-day metrics and the fetch log
(one row per account attempted, with its outcome). A partition that fails the ingestion gate is written to
`<lake>/_quarantine/...` instead, so it never flows into the marts, and the earlier good partition stays.
"""

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import lake
from pipelines.clients import ClientConfig, FetchResult, build_client
from pipelines.credentials import api_mode, base_url, read_secrets, sandbox_tokens_file
from pipelines.registry import Account, load_accounts
from pipelines.settings import Settings, get_settings, yesterday_wib

# gate(table, platform, day) -> (passed, details); see data_quality.raw_partition_suite
Gate = Callable[[pa.Table, str, dt.date], tuple[bool, dict]]

# Fetch outcomes worth another try later: transient trouble that outlived the client's own retries, and a
# YouTube quota that resets daily. Auth failures, missing tokens, not-found and suspended accounts wait for people.
RETRYABLE_STATUSES = frozenset({"failed", "quota_exceeded"})


@dataclass
class IngestSummary:
    platform: str
    day: dt.date
    accounts_expected: int
    rows_written: int
    outcomes_by_status: dict[str, int]
    requests_made: int
    retries: int
    throttled: int
    seconds: float
    gate_passed: bool = True
    gate_details: dict = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    failed_accounts: list[dict] = field(default_factory=list)
    retry_failed_only: bool = False

    @property
    def accounts_failed(self) -> int:
        return sum(n for status, n in self.outcomes_by_status.items() if status != "ok")


def refuse_stale_snapshot(platform: str, day: dt.date) -> None:
    """Live APIs answer lifetime counters (followers, posts, views totals) as of *now*: fetching them for a day
    older than yesterday would file today's figures under a past date. The sandbox can replay any day."""
    if day < yesterday_wib():
        raise ValueError(
            f"{platform} {day}: the live APIs only give current lifetime counters, so a day before yesterday "
            "(WIB) cannot be fetched again without filing today's figures under that date. Backfills of past days "
            "work against the sandbox only; a missed live day stays missing (dq_missing_reports says why)."
        )


def api_accounts(platform: str, day: dt.date, accounts: list[Account] | None = None) -> list[Account]:
    """Accounts the platform client must fetch for `day`: API-collected and active that day."""
    return [
        a
        for a in (accounts if accounts is not None else load_accounts())
        if a.platform == platform and a.collection_method == "api" and a.is_active_on(day)
    ]


def client_config_for(
    platform: str, settings: Settings | None = None, sandbox_url: str | None = None, **overrides
) -> ClientConfig:
    """Resolve base URL and credentials at run time: sandbox by default, live APIs when credentials exist."""
    settings = settings or get_settings()
    mode = api_mode(settings)
    if mode == "sandbox":
        secrets = read_secrets(sandbox_tokens_file(settings))
        api_key, bearer = secrets.get("youtube_api_key"), secrets.get("x_bearer_token")
    else:
        secrets = read_secrets(settings.secrets_file)
        api_key = os.environ.get("MEDSOS_YOUTUBE_API_KEY")
        bearer = os.environ.get("MEDSOS_X_BEARER_TOKEN")
    return ClientConfig(
        base_url=base_url(platform, settings, mode, sandbox_url),
        account_tokens=dict(secrets.get("account_tokens", {})),
        api_key=api_key,
        bearer_token=bearer,
        send_sandbox_as_of=mode == "sandbox",
        **overrides,
    )


def _account_daily_table(result: FetchResult, fetched_at: dt.datetime, run_id: str, source: str) -> pa.Table:
    rows = [{**row, "fetched_at": fetched_at, "run_id": run_id, "source": source} for row in result.rows]
    return lake.rows_to_table(rows, lake.account_daily_schema(result.platform))


def _fetch_log_table(result: FetchResult, accounts: list[Account], fetched_at: dt.datetime, run_id: str):
    unit_of = {a.account_id: a.unit_code for a in accounts}
    rows = [
        {
            "account_id": o.account_id,
            "platform": result.platform,
            "unit_code": unit_of[o.account_id],
            "metric_date": result.day,
            "status": o.status,
            "error_code": o.error_code,
            "error_message": o.error_message,
            "http_status": o.http_status,
            "attempts": o.attempts,
            "fetched_at": fetched_at,
            "run_id": run_id,
        }
        for o in result.outcomes
    ]
    return lake.rows_to_table(rows, lake.FETCH_LOG_SCHEMA)


def ingest_platform_day(
    platform: str,
    day: dt.date,
    *,
    settings: Settings | None = None,
    client_config: ClientConfig | None = None,
    run_id: str = "manual",
    gate: Gate | None = None,
    accounts: list[Account] | None = None,
    retry_failed_only: bool = False,
) -> IngestSummary:
    """Fetch and land one platform-day. With `retry_failed_only`, fetch again only the accounts whose last
    outcome is retryable and merge them into the existing partitions (the other accounts' rows stay)."""
    settings = settings or get_settings()
    config = client_config or client_config_for(platform, settings)
    if not config.send_sandbox_as_of:
        refuse_stale_snapshot(platform, day)
    targets = api_accounts(platform, day, accounts)
    kept_metrics = kept_log = None
    if retry_failed_only:
        retry_ids = retryable_accounts(settings, platform, day)
        targets = [a for a in targets if a.account_id in retry_ids]
        kept_metrics, kept_log = _partitions_without(settings, platform, day, retry_ids)
    started = time.monotonic()
    result = build_client(platform, config).fetch_day(targets, day)
    fetched_at = dt.datetime.now(dt.UTC)
    source = "sandbox" if config.send_sandbox_as_of else "api"

    metrics = _account_daily_table(result, fetched_at, run_id, source)
    fetch_log = _fetch_log_table(result, targets, fetched_at, run_id)
    if retry_failed_only:
        metrics = pa.concat_tables([kept_metrics, metrics])
        fetch_log = pa.concat_tables([kept_log, fetch_log])
    passed, details = gate(metrics, platform, day) if gate else (True, {})
    lake_dir = settings.lake_dir if passed else settings.lake_dir / "_quarantine"
    metrics_path = lake.write_partition(
        metrics, lake.partition_path(lake_dir, platform, "account_daily", day)
    )
    log_path = lake.write_partition(
        fetch_log, lake.partition_path(settings.lake_dir, platform, "fetch_log", day)
    )

    statuses = Counter(o.status for o in result.outcomes)
    failed = [
        {"account_id": o.account_id, "status": o.status, "error": o.error_message}
        for o in result.outcomes
        if o.status != "ok"
    ]
    return IngestSummary(
        platform=platform,
        day=day,
        accounts_expected=len(targets),  # with retry_failed_only: the accounts retried
        rows_written=metrics.num_rows,
        outcomes_by_status=dict(statuses),
        requests_made=result.requests_made,
        retries=result.retries,
        throttled=result.throttled,
        seconds=round(time.monotonic() - started, 3),
        gate_passed=passed,
        gate_details=details,
        paths={"account_daily": str(metrics_path), "fetch_log": str(log_path)},
        failed_accounts=failed,
        retry_failed_only=retry_failed_only,
    )


def retryable_accounts(settings: Settings, platform: str, day: dt.date) -> set[str]:
    """Accounts whose last fetch for `day` ended in a retryable status (empty when never fetched)."""
    path = lake.partition_path(settings.lake_dir, platform, "fetch_log", day)
    log = lake.read_partition(path, columns=["account_id", "status"])  # day file or compacted month
    if log is None:
        return set()
    return {r["account_id"] for r in log.to_pylist() if r["status"] in RETRYABLE_STATUSES}


def _partitions_without(settings: Settings, platform: str, day: dt.date, account_ids: set[str]):
    """The current metrics and fetch-log partitions minus `account_ids` (empty tables if absent)."""
    tables = []
    for entity, schema in (
        ("account_daily", lake.account_daily_schema(platform)),
        ("fetch_log", lake.FETCH_LOG_SCHEMA),
    ):
        path = lake.partition_path(settings.lake_dir, platform, entity, day)
        table = lake.read_partition(path, schema=schema)  # day file or compacted month
        table = schema.empty_table() if table is None else table
        keep = pc.invert(pc.is_in(table["account_id"], value_set=pa.array(sorted(account_ids), pa.string())))
        tables.append(table.filter(keep))
    return tables
