"""Public value types of the platform clients, and the verdicts a classifier gives a response."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Outcome statuses, exactly as stored in the fetch log (pipelines.lake.FETCH_LOG_SCHEMA).
OK = "ok"
FAILED = "failed"  # retries exhausted (or an unexpected permanent error), with the last error
AUTH_FAILED = "auth_failed"  # Meta 190, HTTP 401, YouTube keyInvalid, TikTok access_token_invalid
MISSING_TOKEN = "missing_token"  # no credential for the account; no request was made
NOT_FOUND = "not_found"
SUSPENDED = "suspended"
QUOTA_EXCEEDED = (
    "quota_exceeded"  # the platform stopped for the day (YouTube quotaExceeded); retry_at = reset
)
# The token works but lacks a permission or scope (Meta #10 / #200-#299, TikTok scope_*, X 403): a person must
# grant it again; retrying cannot help.
PERMISSION_DENIED = "permission_denied"
# The platform asked for a wait longer than the client waits (max_server_wait_s): nothing more was sent into
# the closed window; retry_at says when the account may be fetched again.
RATE_LIMITED = "rate_limited"
STATUSES = (
    OK,
    FAILED,
    AUTH_FAILED,
    MISSING_TOKEN,
    NOT_FOUND,
    SUSPENDED,
    QUOTA_EXCEEDED,
    PERMISSION_DENIED,
    RATE_LIMITED,
)


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    account_tokens: Mapping[str, str] = field(default_factory=dict)  # account_id -> token (IG, FB, TikTok)
    api_key: str | None = None  # YouTube
    bearer_token: str | None = None  # X
    # Meta app access token ("<app id>|<app secret>"), the Graph batch call's own token; without it the
    # first item's account token is used (and the next one if that token turns out to be invalid).
    meta_app_token: str | None = None
    send_sandbox_as_of: bool = False  # send X-Sandbox-As-Of: <day> (sandbox mode only)
    timeout_s: float = 10.0
    max_retries: int = 5  # retries after the first attempt: at most max_retries + 1 attempts per request
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0  # caps the client's own backoff between retries
    # Waits the server directs (Retry-After, x-rate-limit-reset, estimated_time_to_regain_access) are waited out
    # in full up to this; a longer one ends the fetch of the accounts concerned as rate_limited with retry_at.
    max_server_wait_s: float = 120.0
    max_concurrency: int = 4

    def __repr__(self) -> str:  # the default repr would print every token
        return (
            f"ClientConfig(base_url={self.base_url!r}, account_tokens=<{len(self.account_tokens)} tokens>, "
            f"api_key={'***' if self.api_key else None}, bearer_token={'***' if self.bearer_token else None}, "
            f"meta_app_token={'***' if self.meta_app_token else None}, "
            f"send_sandbox_as_of={self.send_sandbox_as_of}, timeout_s={self.timeout_s}, "
            f"max_retries={self.max_retries}, backoff_base_s={self.backoff_base_s}, "
            f"backoff_max_s={self.backoff_max_s}, max_server_wait_s={self.max_server_wait_s}, "
            f"max_concurrency={self.max_concurrency})"
        )

    __str__ = __repr__


@dataclass
class AccountOutcome:
    account_id: str
    status: str
    error_code: str | None
    error_message: str | None
    http_status: int | None
    attempts: int
    retry_at: dt.datetime | None = None  # UTC; rate_limited / quota_exceeded only


@dataclass
class FetchResult:
    platform: str
    day: dt.date
    rows: list[dict]
    outcomes: list[AccountOutcome]
    requests_made: int
    retries: int
    throttled: int
    # Fields the platform refused during this client's life (metric drift): name -> the platform's message.
    refused_fields: dict[str, str] = field(default_factory=dict)
    # History fetch of a past day: fields whose request keeps no history for it (left null), else empty.
    not_backfilled: tuple[str, ...] = ()

    def only(self, account_ids: set[str]) -> "FetchResult":
        """This result restricted to some accounts (a window fetch serves days with different accounts)."""
        kept = FetchResult(
            self.platform,
            self.day,
            [r for r in self.rows if r["account_id"] in account_ids],
            [o for o in self.outcomes if o.account_id in account_ids],
            self.requests_made,
            self.retries,
            self.throttled,
            self.refused_fields,
            self.not_backfilled,
        )
        return kept

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        return counts


# --- verdicts: what a classifier makes of one response (or one item of a batch response) ---


@dataclass(frozen=True)
class Ok:
    value: Any


@dataclass(frozen=True)
class Retry:
    reason: str  # throttled | server_error | timeout | connection_error | malformed_body | ...
    code: str | None = None
    message: str | None = None
    http_status: int | None = None
    wait_s: float | None = None  # wait asked for by the server (Retry-After, reset headers)
    throttled: bool = False
    # Whether the server's wait holds every request of the platform (an app-wide limit) or only this key's
    # (one Page's or one token's limit): other accounts go on.
    platform_wide: bool = True


@dataclass(frozen=True)
class Fail:
    status: str
    code: str | None = None
    message: str | None = None
    http_status: int | None = None
    stop_platform: bool = False  # true when no further request of this platform can succeed today
    retry_at: dt.datetime | None = None  # when the platform said the account may be fetched again (UTC)


Verdict = Ok | Retry | Fail


@dataclass(frozen=True)
class Resolved:
    """Final verdict (Ok or Fail) for one key after retries, with the attempts it took."""

    verdict: Ok | Fail
    attempts: int
