"""Fetch one platform for one reporting day and land it in the lake (Dagster assets and benchmarks use it).

Two partitions are written per platform-day, each atomically: the account-day metrics and the fetch log
(one row per account attempted, with its outcome). A partition that fails the ingestion gate is written to
`<lake>/_quarantine/...` instead, so it never flows into the marts, and the earlier good partition stays.

A live fetch of a day before yesterday is a *history* fetch: the APIs answer lifetime counters only as of now,
so only what the platform keeps daily history for is fetched (Page insights, account insights, posts counted by
their creation time; see `Request.history_days` in the specification). The other fields stay null and the
fetch log says so (`error_code = not_backfillable`). A platform that keeps no history for the day (YouTube, X)
is not fetched at all and nothing is written for it. The sandbox replays any past day in full.
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
from pipelines.clients import ClientConfig, FetchResult, RefusedFields, build_client
from pipelines.clients.types import FAILED, OK, QUOTA_EXCEEDED, RATE_LIMITED
from pipelines.credentials import api_mode, base_url, read_secrets, sandbox_tokens_file
from pipelines.platform_spec import spec
from pipelines.registry import Account, load_accounts
from pipelines.settings import Settings, get_settings, today_wib, yesterday_wib

# gate(table, platform, day) -> (passed, details); see data_quality.raw_partition_suite
Gate = Callable[[pa.Table, str, dt.date], tuple[bool, dict]]

# Fetch outcomes worth another try later: transient trouble that outlived the client's own retries, a YouTube
# quota that resets daily, and a rate-limit window the platform closed (both from their retry_at on). Auth and
# permission failures, missing tokens, not-found and suspended accounts wait for people.
RETRYABLE_STATUSES = frozenset({FAILED, QUOTA_EXCEEDED, RATE_LIMITED})
NOT_BACKFILLABLE = "not_backfillable"  # fetch-log error_code of an ok history row with fields left null


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
    history: bool = False  # a live fetch of a past day: only fields with daily history
    not_backfilled: tuple[str, ...] = ()  # fields left null by a history fetch
    skipped: str | None = None  # why nothing was fetched or written (a platform with no history for the day)
    refused_fields: dict[str, str] = field(
        default_factory=dict
    )  # metric drift: name -> the platform's message

    @property
    def accounts_failed(self) -> int:
        return sum(n for status, n in self.outcomes_by_status.items() if status != "ok")


def is_history_fetch(config: ClientConfig, day: dt.date) -> bool:
    """Live APIs answer lifetime counters (followers, posts, views totals) as of *now*: a day before yesterday
    fetched live must leave them out, or today's figures would be filed under a past date. The sandbox replays
    any past day as it was (X-Sandbox-As-Of)."""
    return not config.send_sandbox_as_of and day < yesterday_wib()


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
        meta_app_token=secrets.get("meta_app_token"),
        send_sandbox_as_of=mode == "sandbox",
        **overrides,
    )


def _account_daily_table(result: FetchResult, fetched_at: dt.datetime, run_id: str, source: str) -> pa.Table:
    rows = [{**row, "fetched_at": fetched_at, "run_id": run_id, "source": source} for row in result.rows]
    return lake.rows_to_table(rows, lake.account_daily_schema(result.platform))


def _fetch_log_table(result: FetchResult, accounts: list[Account], fetched_at: dt.datetime, run_id: str):
    unit_of = {a.account_id: a.unit_code for a in accounts}
    marker = None
    if result.not_backfilled:
        marker = (
            "history fetch of a past day: "
            + ", ".join(result.not_backfilled)
            + " exist only as current values and are left null"
        )
    rows = [
        {
            "account_id": o.account_id,
            "platform": result.platform,
            "unit_code": unit_of[o.account_id],
            "metric_date": result.day,
            "status": o.status,
            "error_code": NOT_BACKFILLABLE if marker and o.status == OK else o.error_code,
            "error_message": marker if marker and o.status == OK else o.error_message,
            "http_status": o.http_status,
            "attempts": o.attempts,
            "fetched_at": fetched_at,
            "run_id": run_id,
            "retry_at": o.retry_at,
        }
        for o in result.outcomes
    ]
    return lake.rows_to_table(rows, lake.FETCH_LOG_SCHEMA)


def ingest_platform_day(platform: str, day: dt.date, **kwargs) -> IngestSummary:
    """Fetch and land one platform-day (see `ingest_platform_days`)."""
    return ingest_platform_days(platform, [day], **kwargs)[0]


def ingest_platform_days(
    platform: str,
    days: list[dt.date],
    *,
    settings: Settings | None = None,
    client_config: ClientConfig | None = None,
    run_id: str = "manual",
    gate: Gate | None = None,
    accounts: list[Account] | None = None,
    retry_failed_only: bool = False,
    refused: RefusedFields | None = None,
) -> list[IngestSummary]:
    """Fetch and land platform-days, one summary per day (in the order given). With `retry_failed_only`, fetch
    again only the accounts whose last outcome is retryable and merge them into the existing partitions (the
    other accounts' rows stay). `refused` carries the fields the platform refused earlier in the run. Days of a
    live history backfill are fetched together where the platform answers a range (Page insights, TikTok)."""
    settings = settings or get_settings()
    config = client_config or client_config_for(platform, settings)
    plan = {day: _plan(settings, platform, day, config, accounts, retry_failed_only) for day in days}
    summaries = {day: p.skipped for day, p in plan.items() if p.skipped}
    with build_client(platform, config, refused=refused) as client:
        current = [[d] for d, p in plan.items() if not p.skipped and not p.history]
        history = client.windows(sorted(d for d, p in plan.items() if not p.skipped and p.history))
        for group in [*current, *history]:  # landed group by group: a long backfill never piles up in memory
            started = time.monotonic()
            results = client.fetch_days({d: plan[d].targets for d in group}, history=plan[group[0]].history)
            seconds = (time.monotonic() - started) / len(results)
            for day, result in results.items():
                summaries[day] = _land(settings, config, plan[day], result, run_id, gate, seconds)
    return [summaries[day] for day in days]


@dataclass
class _DayPlan:
    day: dt.date
    history: bool
    targets: list[Account]
    kept: (
        tuple[pa.Table, pa.Table] | None
    )  # with retry_failed_only: the partitions minus the accounts retried
    retry_failed_only: bool
    skipped: IngestSummary | None = None


def _plan(settings, platform, day, config, accounts, retry_failed_only) -> _DayPlan:
    history = is_history_fetch(config, day)
    targets = api_accounts(platform, day, accounts)
    plan = _DayPlan(day, history, targets, None, retry_failed_only)
    if history and not spec(platform).history_requests((today_wib() - day).days):
        plan.skipped = IngestSummary(
            platform=platform,
            day=day,
            accounts_expected=len(targets),
            rows_written=0,
            outcomes_by_status={},
            requests_made=0,
            retries=0,
            throttled=0,
            seconds=0.0,
            history=True,
            not_backfilled=tuple(f.name for f in spec(platform).fields),
            skipped=f"{platform} keeps no daily history for {day}: its figures exist only as current values",
        )
    elif retry_failed_only:
        retry_ids = retryable_accounts(settings, platform, day)
        plan.targets = [a for a in targets if a.account_id in retry_ids]
        plan.kept = _partitions_without(settings, platform, day, retry_ids)
    return plan


def _land(
    settings, config, plan: _DayPlan, result: FetchResult, run_id, gate, seconds: float
) -> IngestSummary:
    platform, day = result.platform, plan.day
    fetched_at = dt.datetime.now(dt.UTC)
    source = "sandbox" if config.send_sandbox_as_of else "api"
    metrics = _account_daily_table(result, fetched_at, run_id, source)
    fetch_log = _fetch_log_table(result, plan.targets, fetched_at, run_id)
    if plan.kept is not None:
        metrics = pa.concat_tables([plan.kept[0], metrics])
        fetch_log = pa.concat_tables([plan.kept[1], fetch_log])
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
        accounts_expected=len(plan.targets),  # with retry_failed_only: the accounts retried
        rows_written=metrics.num_rows,
        outcomes_by_status=dict(statuses),
        requests_made=result.requests_made,
        retries=result.retries,
        throttled=result.throttled,
        seconds=round(seconds, 3),
        gate_passed=passed,
        gate_details=details,
        paths={"account_daily": str(metrics_path), "fetch_log": str(log_path)},
        failed_accounts=failed,
        retry_failed_only=plan.retry_failed_only,
        history=plan.history,
        not_backfilled=result.not_backfilled,
        refused_fields=result.refused_fields,
    )


def retryable_accounts(
    settings: Settings, platform: str, day: dt.date, now: dt.datetime | None = None
) -> set[str]:
    """Accounts whose last fetch for `day` ended in a retryable status and whose retry_at (when the platform
    said it may be asked again) has passed; empty when never fetched."""
    path = lake.partition_path(settings.lake_dir, platform, "fetch_log", day)
    # day file or compacted month; logs written before retry_at existed read it as null
    log = lake.read_partition(
        path, columns=["account_id", "status", "retry_at"], schema=lake.FETCH_LOG_SCHEMA
    )
    if log is None:
        return set()
    now = now or dt.datetime.now(dt.UTC)
    return {
        r["account_id"]
        for r in log.to_pylist()
        if r["status"] in RETRYABLE_STATUSES and (r["retry_at"] is None or r["retry_at"] <= now)
    }


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
