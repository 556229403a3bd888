"""Fetch one platform's recent posts (and comments) as observed on one day and land them in the lake.

Three partitions per platform-day, each written atomically and replaced by a rerun (never appended):
`posts` (post-day grain), `comments` (Instagram, Facebook, YouTube) and `posts_fetch_log` (one row per
account attempted, with its outcome). A posts or comments partition that fails its Great Expectations gate
goes to `<lake>/_quarantine/...` and the earlier good partition stays.

A post is observed on each of the `MEDSOS_POST_OBSERVE_DAYS` days (default 7) after it went out: its lifetime
metrics grow, then settle. A live fetch of a day before yesterday is skipped: the APIs answer lifetime
post metrics only as of now, which must not be filed under a past day (the sandbox replays any day).
"""

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from pipelines import lake
from pipelines.clients import ClientConfig
from pipelines.clients.posts import DEFAULT_OBSERVE_DAYS, build_post_client
from pipelines.ingest import _fetch_log_table, api_accounts, client_config_for, is_history_fetch
from pipelines.platform_spec.posts import post_spec
from pipelines.registry import Account
from pipelines.settings import Settings, get_settings

PostGate = Callable[[str, pa.Table, str, dt.date], tuple[bool, dict]]  # (entity, table, platform, day)
MAX_OBSERVE_DAYS = 90


def observe_days() -> int:
    """MEDSOS_POST_OBSERVE_DAYS, read at run time: days a post is re-observed after publication (1..90)."""
    raw = os.environ.get("MEDSOS_POST_OBSERVE_DAYS", "").strip()
    if not raw:
        return DEFAULT_OBSERVE_DAYS
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"MEDSOS_POST_OBSERVE_DAYS must be a whole number of days, not {raw!r}") from None
    if not 1 <= value <= MAX_OBSERVE_DAYS:
        raise ValueError(f"MEDSOS_POST_OBSERVE_DAYS must be between 1 and {MAX_OBSERVE_DAYS}, not {value}")
    return value


def comments_enabled() -> bool:
    return os.environ.get("MEDSOS_FETCH_COMMENTS", "true").strip().lower() not in ("0", "false", "no")


@dataclass
class PostIngestSummary:
    platform: str
    day: dt.date
    observe_days: int
    accounts_expected: int
    posts_written: int = 0
    comments_written: int = 0
    outcomes_by_status: dict[str, int] = field(default_factory=dict)
    requests_made: int = 0
    retries: int = 0
    throttled: int = 0
    seconds: float = 0.0
    gate_passed: dict[str, bool] = field(default_factory=dict)
    gate_details: dict[str, dict] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    failed_accounts: list[dict] = field(default_factory=list)
    skipped: str | None = None

    @property
    def accounts_failed(self) -> int:
        return sum(n for status, n in self.outcomes_by_status.items() if status != "ok")


def _table(rows: list[dict], schema: pa.Schema, fetched_at, run_id: str, source: str) -> pa.Table:
    return lake.rows_to_table(
        [{**r, "fetched_at": fetched_at, "run_id": run_id, "source": source} for r in rows], schema
    )


def ingest_posts_day(
    platform: str,
    day: dt.date,
    *,
    settings: Settings | None = None,
    client_config: ClientConfig | None = None,
    run_id: str = "manual",
    gate: PostGate | None = None,
    accounts: list[Account] | None = None,
    days_observed: int | None = None,
    fetch_comments: bool | None = None,
) -> PostIngestSummary:
    settings = settings or get_settings()
    config = client_config or client_config_for(platform, settings)
    days_observed = days_observed or observe_days()
    fetch_comments = comments_enabled() if fetch_comments is None else fetch_comments
    targets = api_accounts(platform, day, accounts)
    summary = PostIngestSummary(platform, day, days_observed, len(targets))
    if is_history_fetch(config, day):
        summary.skipped = (
            f"{platform} posts of {day}: the API answers post metrics only as of now; "
            "a past day is not re-fetched"
        )
        return summary
    started = time.monotonic()
    with build_post_client(platform, config) as client:
        result = client.fetch_posts(targets, day, observe_days=days_observed, comments=fetch_comments)
    summary.seconds = round(time.monotonic() - started, 3)
    fetched_at = dt.datetime.now(dt.UTC)
    source = "sandbox" if config.send_sandbox_as_of else "api"
    tables = {"posts": _table(result.posts, lake.POSTS_SCHEMA, fetched_at, run_id, source)}
    if result.comments_fetched:
        tables["comments"] = _table(result.comments, lake.COMMENTS_SCHEMA, fetched_at, run_id, source)
    for entity, table in tables.items():
        passed, details = gate(entity, table, platform, day) if gate else (True, {})
        lake_dir = settings.lake_dir if passed else settings.lake_dir / "_quarantine"
        path = lake.write_partition(table, lake.partition_path(lake_dir, platform, entity, day))
        summary.paths[entity] = str(path)
        summary.gate_passed[entity] = passed
        summary.gate_details[entity] = details
    log_path = lake.write_partition(
        _fetch_log_table(result, targets, fetched_at, run_id),
        lake.partition_path(settings.lake_dir, platform, "posts_fetch_log", day),
    )
    summary.paths["posts_fetch_log"] = str(log_path)
    summary.posts_written = tables["posts"].num_rows if summary.gate_passed["posts"] else 0
    if "comments" in tables and summary.gate_passed["comments"]:
        summary.comments_written = tables["comments"].num_rows
    summary.outcomes_by_status = dict(Counter(o.status for o in result.outcomes))
    summary.requests_made, summary.retries, summary.throttled = (
        result.requests_made,
        result.retries,
        result.throttled,
    )
    summary.failed_accounts = [
        {"account_id": o.account_id, "status": o.status, "error": o.error_message}
        for o in result.outcomes
        if o.status != "ok"
    ]
    return summary


def comments_measured(platform: str) -> bool:
    return post_spec(platform).comments
