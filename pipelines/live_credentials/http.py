"""HTTP for credential calls (debug_token, token exchange and refresh, the cheapest probe per platform).

One pooled session (the clients' `build_session`), a few retries with backoff on transient answers (connection
errors, timeouts, 429, 5xx, a body that is not JSON), never on 4xx. Every message is redacted: the exact
secrets of the store are scrubbed, and query parameters that carry tokens in these calls (`input_token`,
`fb_exchange_token`, `refresh_token`, `client_secret`, `access_token`) are masked whatever their value.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import requests

from pipelines.clients.http import build_session
from pipelines.clients.redact import RedactingFilter, Redactor

MAX_WAIT_S = 30.0
THROTTLE_WAIT_S = 2.0  # Meta throttling carries no Retry-After in a batch-free call: wait a little longer
_TOKEN_PARAMS = re.compile(
    r"(?i)((?:input_token|fb_exchange_token|refresh_token|client_secret|access_token|key)(?:=|%3D))[^&\s\"'<>]+"
)


class CredentialRedactor(Redactor):
    def __call__(self, text: object) -> str:
        return _TOKEN_PARAMS.sub(r"\1***", super().__call__(text))


class _RedactFilter(RedactingFilter):
    """The clients' log filter, with the token parameters of these calls masked too."""

    _redact = CredentialRedactor()


_FILTER = _RedactFilter()


def install_log_filter() -> None:
    for name in ("urllib3.connectionpool", "requests"):
        logging.getLogger(name).addFilter(_FILTER)  # addFilter ignores a filter already there


@dataclass
class Reply:
    status: int | None  # None: no HTTP answer (network error, timeout)
    body: Any = None  # parsed JSON, or None
    headers: dict = field(default_factory=dict)
    error: str | None = None  # transport error or "not JSON", redacted
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.body is not None


# Meta throttling answers 400/403 with one of these codes (and `is_transient` on temporary errors); YouTube
# answers 403 with these reasons. Both are worth another attempt after a pause, unlike other 4xx.
META_THROTTLE_CODES = {4, 17, 32, 341, 613, 80001, 80002}
YOUTUBE_RETRY_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "backendError"}


def _throttled_4xx(body) -> bool:
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return False
    if err.get("code") in META_THROTTLE_CODES or err.get("is_transient") is True:
        return True
    reasons = {e.get("reason") for e in err.get("errors") or [] if isinstance(e, dict)}
    return bool(reasons & YOUTUBE_RETRY_REASONS)


def _transient(reply: Reply) -> bool:
    if reply.status is None or reply.status == 429 or reply.status >= 500 or reply.body is None:
        return True
    return reply.status >= 400 and _throttled_4xx(reply.body)


def _wait(reply: Reply, attempt: int, base_s: float) -> float:
    header = (reply.headers or {}).get("Retry-After")
    if header and header.strip().isdigit():
        return min(float(header), MAX_WAIT_S)
    floor = THROTTLE_WAIT_S if reply.status is not None and 400 <= reply.status < 500 else 0.0
    return min(max(floor, base_s * 2 ** (attempt - 1)), MAX_WAIT_S)


class AuthHttp:
    def __init__(
        self,
        secrets: Iterable[str | None] = (),
        *,
        timeout_s: float = 15.0,
        attempts: int = 4,
        backoff_s: float = 0.5,
        pool_size: int = 8,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.redact = CredentialRedactor(secrets)
        self.timeout_s = timeout_s
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.session = build_session(pool_size)
        self.requests_made = 0
        install_log_filter()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "AuthHttp":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _once(self, method: str, url: str, **kwargs) -> Reply:
        self.requests_made += 1
        try:
            resp = self.session.request(method, url, timeout=self.timeout_s, **kwargs)
        except requests.RequestException as exc:
            return Reply(None, error=self.redact(f"{type(exc).__name__}: {exc}"))
        try:
            body = json.loads(resp.content) if resp.content else None
        except (ValueError, UnicodeDecodeError):
            body = None
        error = None if body is not None else f"HTTP {resp.status_code} with a body that is not JSON"
        return Reply(resp.status_code, body, dict(resp.headers), error)

    def request(self, method: str, url: str, **kwargs) -> Reply:
        reply = Reply(None)
        for attempt in range(1, self.attempts + 1):
            reply = self._once(method, url, **kwargs)
            reply.attempts = attempt
            if not _transient(reply) or attempt == self.attempts:
                break
            self.sleep(_wait(reply, attempt, self.backoff_s))
        return reply

    def get(self, url: str, params: dict | None = None, headers: dict | None = None) -> Reply:
        return self.request("GET", url, params=params, headers=headers)

    def post_form(self, url: str, data: dict, headers: dict | None = None) -> Reply:
        hdrs = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", url, data=data, headers=hdrs)
