"""The platform-independent half of a client: credentials, batching, concurrency, outcomes and rows.

A platform module subclasses `PlatformClient` and declares only what differs: its batch size, its default
rate, how it reads rate-limit headers, and `fetch_batch` (the requests for one batch of accounts and how each
answer is classified). What it asks for comes from the platform specification (`pipelines.platform_spec`).
"""

import datetime as dt
import logging
import random
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests

from pipelines.clients.drift import RefusedFields
from pipelines.clients.http import Counters, Transport, build_session
from pipelines.clients.ratelimit import Clock, TokenBucket, parse_retry_after
from pipelines.clients.redact import Redactor, install_log_filter
from pipelines.clients.retry import Retrier, RetryPolicy, StopFlag, rate_limited
from pipelines.clients.types import (
    FAILED,
    MISSING_TOKEN,
    OK,
    AccountOutcome,
    ClientConfig,
    Fail,
    FetchResult,
    Ok,
    Resolved,
    Retry,
)
from pipelines.platform_spec import PlatformSpec, spec
from pipelines.registry import Account
from pipelines.settings import REPORTING_ZONE

log = logging.getLogger("pipelines.clients")


def chunks(items: Sequence, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


@dataclass
class FetchContext:
    """Everything one fetch shares across its worker threads. `days` is one day, or for a window fetch (a
    live history backfill of a platform with `window_fetch`) consecutive days, oldest first."""

    days: tuple[dt.date, ...]
    counters: Counters
    retrier: Retrier
    requests: frozenset[str] = field(default_factory=frozenset)  # the spec requests this fetch may make

    @property
    def day(self) -> dt.date:
        return self.days[-1]

    @property
    def window(self) -> bool:
        return len(self.days) > 1

    def wants(self, request: str) -> bool:
        return request in self.requests


def malformed_item(exc: Exception) -> Fail:
    return Fail(FAILED, "malformed_item", f"unexpected answer shape: {type(exc).__name__}: {exc}", 200)


def parse_item(parse: Callable[..., Any], *args: Any) -> Ok | Fail:
    """`Ok(parse(*args))`, or a Fail for this item alone when its body has an unexpected shape: one odd item
    must not sink its batch neighbours."""
    try:
        return Ok(parse(*args))
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
        return malformed_item(exc)


class PlatformClient:
    platform: ClassVar[str]
    batch_size: ClassVar[int]  # accounts per batch task
    # Client-side steady rate (requests/s) and burst, below the platform's published limits; response headers
    # tighten it further. The sandbox compresses limit windows from minutes to seconds, so in sandbox mode
    # (send_sandbox_as_of) the client may go as fast as the sandbox's own limits allow.
    rate_per_s: ClassVar[float]
    sandbox_rate_per_s: ClassVar[float]
    burst: ClassVar[int]
    # Whether fetch_batch can answer a window of days at once (values keyed by day), for history backfills,
    # and how many days of margin its requests add around a window (kept within the documented window).
    window_fetch: ClassVar[bool] = False
    window_margin_days: ClassVar[int] = 0

    def __init__(
        self,
        config: ClientConfig,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        refused: RefusedFields | None = None,
    ):
        self.config = config
        self.spec: PlatformSpec = spec(self.platform)
        self.base_url = config.base_url.rstrip("/")
        self.clock = clock or Clock()
        self.refused = refused if refused is not None else RefusedFields()
        secrets = [
            *config.account_tokens.values(),
            config.api_key,
            config.bearer_token,
            config.meta_app_token,
        ]
        self.redact = Redactor(secrets)
        install_log_filter()  # urllib3 logs request URLs (with access_token=/key=) at DEBUG
        rate = self.sandbox_rate_per_s if config.send_sandbox_as_of else self.rate_per_s
        self.limiter = TokenBucket(rate, self.burst, self.clock)
        self.policy = RetryPolicy(
            config.max_retries, config.backoff_base_s, config.backoff_max_s, rng, config.max_server_wait_s
        )
        self.session = build_session(config.max_concurrency)
        self.transport = Transport(
            self.session, self.limiter, self.redact, config.timeout_s, config.send_sandbox_as_of
        )

    # --- what platform modules provide ---

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        """Fetch one batch; map account_id -> Resolved(Ok(platform fields) | Fail)."""
        raise NotImplementedError

    def batch_size_for(self, ctx: FetchContext) -> int:
        """Accounts per batch task (Meta: fewer requests per account leave room for more accounts)."""
        return self.batch_size

    def missing_credential(self) -> Fail | None:
        """A Fail for every account when the platform's project credential is absent (YouTube, X)."""
        return None

    def pause_from_headers(self, resp: requests.Response) -> float | None:
        """Seconds every thread of the platform should wait, read from a response's headers."""
        if resp.status_code >= 400:
            return parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        return None

    # --- shared machinery ---

    @property
    def per_account_token(self) -> bool:
        return self.spec.per_account_token

    def token_for(self, account: Account) -> str | None:
        return self.config.account_tokens.get(account.account_id) or None

    def wanted(self, request: str) -> list[str]:
        """The names to ask a request for: the specification's, minus those refused during this run."""
        return self.refused.wanted(request, self.spec.wire_names(request))

    def request(self, ctx: FetchContext, method: str, url: str, **kwargs: Any):
        resp = self.transport.request(method, url, ctx.counters, ctx.day, **kwargs)
        if not isinstance(resp, Retry):
            pause = self.pause_from_headers(resp)
            if pause and pause > self.policy.max_server_wait_s:
                # The window is closed for longer than we wait: send nothing more for this platform today.
                why = Retry(
                    "throttled",
                    "rate_limit_window",
                    "the platform's rate-limit window is closed",
                    None,
                    pause,
                )
                ctx.retrier.stop.trip(rate_limited(why, self.clock.time()))
            elif pause and pause > 0:
                self.limiter.pause_for(pause)
        return resp

    def available_requests(self, day: dt.date, history: bool) -> frozenset[str]:
        """All requests for a current fetch; for a past day only those whose documented history reaches it."""
        if not history:
            return frozenset(r.name for r in self.spec.requests)
        return self.spec.history_requests((self.today() - day).days)

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.clock.time(), REPORTING_ZONE).date()

    def fetch_day(self, accounts: Sequence[Account], day: dt.date, *, history: bool = False) -> FetchResult:
        """Fetch one reporting day. `history`: the day is in the past and the live API answers lifetime counters
        only as of now, so only requests that keep daily history are made; the other fields stay null and are
        listed in `FetchResult.not_backfilled`."""
        return self._fetch(accounts, (day,), history)[day]

    def fetch_days(
        self, accounts_by_day: dict[dt.date, Sequence[Account]], *, history: bool = False
    ) -> dict[dt.date, FetchResult]:
        """Fetch several days. A history backfill of a platform whose history requests answer a range (Page
        insights: 90 days a call; the TikTok video list) asks once per window instead of once per day."""
        days = sorted(accounts_by_day)
        if not (history and self.window_fetch):
            return {d: self.fetch_day(accounts_by_day[d], d, history=history) for d in days}
        out: dict[dt.date, FetchResult] = {}
        for window in self.windows(days):
            union = {a.account_id: a for d in window for a in accounts_by_day[d]}
            results = self._fetch(list(union.values()), tuple(window), history)
            for d in window:  # each day keeps only the accounts active that day
                out[d] = results[d].only({a.account_id for a in accounts_by_day[d]})
        return out

    def windows(self, days: list[dt.date]) -> list[list[dt.date]]:
        """How a history backfill of `days` is fetched: runs of consecutive days, each at most the shortest
        window its history requests allow (a platform without window fetches: one day each)."""
        if not self.window_fetch:
            return [[d] for d in days]
        limits = [
            r.window_days - self.window_margin_days
            for r in self.spec.requests
            if r.has_history and r.window_days
        ]
        size = min(limits, default=366)
        windows: list[list[dt.date]] = []
        for d in days:
            if windows and d - windows[-1][-1] == dt.timedelta(days=1) and len(windows[-1]) < size:
                windows[-1].append(d)
            else:
                windows.append([d])
        return windows

    def _fetch(self, accounts: Sequence[Account], days: tuple[dt.date, ...], history: bool) -> dict:
        started = time.monotonic()
        self._check_input(accounts)
        counters = Counters()
        retrier = Retrier(self.platform, self.policy, self.clock, self.limiter, counters, StopFlag())
        available = self.available_requests(days[0], history)
        ctx = FetchContext(days, counters, retrier, available)
        resolved: dict[str, Resolved] = {}
        runnable: list[Account] = []
        no_credential = self.missing_credential()
        for account in accounts:
            if no_credential is not None:
                resolved[account.account_id] = Resolved(no_credential, 0)
            elif self.per_account_token and not self.token_for(account):
                resolved[account.account_id] = Resolved(
                    Fail(
                        MISSING_TOKEN,
                        "missing_token",
                        "no access token for this account in the secrets store",
                    ),
                    0,
                )
            else:
                runnable.append(account)
        batches = list(chunks(runnable, self.batch_size_for(ctx))) if available else []
        if batches:
            workers = max(1, min(self.config.max_concurrency, len(batches)))
            with ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix=f"{self.platform}-client"
            ) as pool:
                for answer in pool.map(lambda b: self._run_batch(b, ctx), batches):
                    resolved.update(answer)
        elif runnable:  # nothing of this platform keeps history for the day: no request, nothing fetched
            none = Fail(FAILED, "not_backfillable", f"{self.platform} keeps no history for {days[0]}")
            resolved.update({a.account_id: Resolved(none, 0) for a in runnable})
        results = {}
        for k, day in enumerate(days):
            by_day = resolved if not ctx.window else {aid: _on(r, day) for aid, r in resolved.items()}
            # a window's requests are counted on its first day (the run's totals stay exact)
            result = self._assemble(accounts, day, by_day, counters if k == 0 else Counters())
            result.refused_fields = self.refused.snapshot()
            result.not_backfilled = tuple(f.name for f in self.spec.fields if f.request not in available)
            results[day] = result
        log.info(
            "%s %s%s: %d accounts -> %s; %d requests, %d retries, %d throttled, %.2fs",
            self.platform,
            days[0] if len(days) == 1 else f"{days[0]}..{days[-1]}",
            " (history)" if history else "",
            len(accounts),
            results[days[0]].status_counts(),
            counters.requests_made,
            counters.retries,
            counters.throttled,
            time.monotonic() - started,
        )
        return results

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_input(self, accounts: Sequence[Account]) -> None:
        seen: set[str] = set()
        for a in accounts:
            if a.platform != self.platform:
                raise ValueError(f"{a.account_id} is a {a.platform} account, not {self.platform}")
            if a.account_id in seen:
                raise ValueError(f"duplicate account {a.account_id}: outcomes are one per account")
            seen.add(a.account_id)

    def _run_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        try:
            answer = self.fetch_batch(batch, ctx)
        except Exception as exc:  # a response shape we did not expect must not sink the other batches
            detail = self.redact("".join(traceback.format_exception(exc)))
            log.error(
                "%s: unexpected error in a batch of %d accounts:\n%s", self.platform, len(batch), detail
            )
            fail = Fail(FAILED, "client_error", f"{type(exc).__name__}: {exc}")
            return {a.account_id: Resolved(fail, 1) for a in batch}
        missing = Fail(FAILED, "no_result", "the client produced no result for this account")
        return {a.account_id: answer.get(a.account_id) or Resolved(missing, 1) for a in batch}

    def _assemble(
        self, accounts: Sequence[Account], day: dt.date, resolved: dict[str, Resolved], counters: Counters
    ) -> FetchResult:
        rows, outcomes = [], []
        for account in accounts:
            r = resolved[account.account_id]
            v = r.verdict
            if isinstance(v, Ok):
                try:
                    rows.append(self._row(account, day, v.value))
                except (TypeError, ValueError) as exc:
                    v = Fail(FAILED, "bad_value", f"{type(exc).__name__}: {exc}")
            outcomes.append(self.outcome(account.account_id, v, r.attempts))
        return FetchResult(
            self.platform, day, rows, outcomes, counters.requests_made, counters.retries, counters.throttled
        )

    def outcome(self, account_id: str, verdict: Ok | Fail, attempts: int) -> AccountOutcome:
        """The fetch-log outcome of one account's final verdict (messages redacted)."""
        if isinstance(verdict, Ok):
            return AccountOutcome(account_id, OK, None, None, 200, attempts)
        return AccountOutcome(
            account_id,
            verdict.status,
            self.redact.message(verdict.code),
            self.redact.message(verdict.message),
            verdict.http_status,
            attempts,
            verdict.retry_at,
        )

    def _row(self, account: Account, day: dt.date, values: dict[str, Any]) -> dict[str, Any]:
        known = {f.name for f in self.spec.fields}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"fields not in the {self.platform} specification: {sorted(unknown)}")
        row: dict[str, Any] = {
            "account_id": account.account_id,
            "platform_user_id": account.platform_user_id,
            "unit_code": account.unit_code,
            "metric_date": day,
        }
        for f in self.spec.fields:
            value = values.get(f.name)
            if value is None:
                row[f.name] = None
            elif f.is_flag:
                row[f.name] = value if isinstance(value, bool) else str(value).lower() == "true"
            else:
                row[f.name] = _to_int(value)
        return row


def _on(r: Resolved, day: dt.date) -> Resolved:
    """One day of a window answer (Ok({day: values})); a failure applies to every day of the window."""
    if isinstance(r.verdict, Ok):
        return Resolved(Ok(r.verdict.value.get(day, {})), r.attempts)
    return r


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"boolean {value!r} where a count was expected")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"non-integer count {value!r}")
        return int(value)
    return int(value)  # ints, and numeric strings (YouTube statistics)
