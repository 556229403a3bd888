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
QUOTA_EXCEEDED = "quota_exceeded"  # the platform stopped for the day (YouTube quotaExceeded)
STATUSES = (OK, FAILED, AUTH_FAILED, MISSING_TOKEN, NOT_FOUND, SUSPENDED, QUOTA_EXCEEDED)


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    account_tokens: Mapping[str, str] = field(default_factory=dict)  # account_id -> token (IG, FB, TikTok)
    api_key: str | None = None  # YouTube
    bearer_token: str | None = None  # X
    send_sandbox_as_of: bool = False  # send X-Sandbox-As-Of: <day> (sandbox mode only)
    timeout_s: float = 10.0
    max_retries: int = 5  # retries after the first attempt: at most max_retries + 1 attempts per request
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0  # caps every wait, including waits asked for by response headers
    max_concurrency: int = 4

    def __repr__(self) -> str:  # the default repr would print every token
        return (
            f"ClientConfig(base_url={self.base_url!r}, account_tokens=<{len(self.account_tokens)} tokens>, "
            f"api_key={'***' if self.api_key else None}, bearer_token={'***' if self.bearer_token else None}, "
            f"send_sandbox_as_of={self.send_sandbox_as_of}, timeout_s={self.timeout_s}, "
            f"max_retries={self.max_retries}, backoff_base_s={self.backoff_base_s}, "
            f"backoff_max_s={self.backoff_max_s}, max_concurrency={self.max_concurrency})"
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


@dataclass
class FetchResult:
    platform: str
    day: dt.date
    rows: list[dict]
    outcomes: list[AccountOutcome]
    requests_made: int
    retries: int
    throttled: int

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


@dataclass(frozen=True)
class Fail:
    status: str
    code: str | None = None
    message: str | None = None
    http_status: int | None = None
    stop_platform: bool = False  # true when no further request of this platform can succeed today


Verdict = Ok | Retry | Fail


@dataclass(frozen=True)
class Resolved:
    """Final verdict (Ok or Fail) for one key after retries, with the attempts it took."""

    verdict: Ok | Fail
    attempts: int
