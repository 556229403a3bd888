"""HTTP transport shared by all platforms: one pooled `requests.Session`, rate limited, never raising.

Network-level failures come back as `Retry` verdicts (they are all transient from the client's point of
view); anything else is the platform classifier's business. Messages are redacted here, because requests'
exception texts quote the full URL (with `access_token=` / `key=`).
"""

import datetime as dt
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from pipelines.clients.ratelimit import TokenBucket
from pipelines.clients.redact import Redactor
from pipelines.clients.types import Retry

log = logging.getLogger("pipelines.clients")
USER_AGENT = "medsos-warehouse/0.1 (+platform clients)"


class Counters:
    """Request counters of one fetch, shared by the worker threads."""

    def __init__(self) -> None:
        self.requests_made = 0
        self.retries = 0
        self.throttled = 0
        self._lock = threading.Lock()

    def add(self, *, requests_made: int = 0, retries: int = 0, throttled: int = 0) -> None:
        with self._lock:
            self.requests_made += requests_made
            self.retries += retries
            self.throttled += throttled


def build_session(pool_size: int) -> requests.Session:
    session = requests.Session()
    # One connection per worker thread, kept alive across requests; retries are ours, not urllib3's.
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(1, pool_size), max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class Transport:
    def __init__(
        self,
        session: requests.Session,
        limiter: TokenBucket,
        redact: Redactor,
        timeout_s: float,
        send_as_of: bool,
    ):
        self.session = session
        self.limiter = limiter
        self.redact = redact
        self.timeout_s = timeout_s
        self.send_as_of = send_as_of

    def request(
        self,
        method: str,
        url: str,
        counters: Counters,
        day: dt.date,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response | Retry:
        hdrs = dict(headers or {})
        if self.send_as_of:
            hdrs["X-Sandbox-As-Of"] = day.isoformat()
        self.limiter.acquire()
        counters.add(requests_made=1)
        try:
            resp = self.session.request(method, url, headers=hdrs, timeout=self.timeout_s, **kwargs)
        except requests.Timeout as exc:
            return Retry("timeout", code="timeout", message=self.redact(f"{type(exc).__name__}: {exc}"))
        except requests.ConnectionError as exc:
            return Retry("connection_error", code="connection_error", message=self.redact(exc))
        except requests.RequestException as exc:  # e.g. a body cut off mid-stream
            return Retry("transport_error", code=type(exc).__name__, message=self.redact(exc))
        return resp


def parse_json(resp: requests.Response) -> tuple[bool, Any]:
    """(True, body) when the body is JSON, else (False, None): a truncated body is a transient fault."""
    try:
        return True, json.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        return False, None


def malformed(resp: requests.Response) -> Retry:
    return Retry(
        "malformed_body",
        code="malformed_body",
        message=f"HTTP {resp.status_code} with a body that is not valid JSON ({len(resp.content)} bytes)",
        http_status=resp.status_code,
    )


def server_error(resp: requests.Response, wait_s: float | None = None, detail: str = "") -> Retry:
    return Retry(
        "server_error",
        code=f"http_{resp.status_code}",
        message=f"HTTP {resp.status_code} {detail}".strip(),
        http_status=resp.status_code,
        wait_s=wait_s,
    )
