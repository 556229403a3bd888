"""YouTube Data API v3: `channels.list` statistics for up to 50 channels per call (1 quota unit per call).

Statistics arrive as strings; a hidden subscriber count leaves `subscriberCount` out (stored as None with
`hidden_subscriber_count` true). Unknown or terminated channels are silently absent: `not_found`.
`quotaExceeded` cannot be retried until the daily reset (midnight Pacific), so it stops the platform for
the run: accounts not yet fetched get `quota_exceeded` (retry_at = the reset) without further requests.
A rejected API key stops the platform the same way (as `auth_failed`): every call would fail identically.
Google now answers an invalid key with HTTP 400 `badRequest` and names the cause only in
`details[].reason` (`API_KEY_INVALID`, google.rpc.ErrorInfo): both forms are read.
"""

import datetime as dt

import requests

from pipelines.clients.base import FetchContext, PlatformClient, parse_item
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.timeutil import PACIFIC
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    MISSING_TOKEN,
    NOT_FOUND,
    PERMISSION_DENIED,
    QUOTA_EXCEEDED,
    Fail,
    Resolved,
    Retry,
    Verdict,
)
from pipelines.registry import Account

QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "RESOURCE_QUOTA_EXCEEDED"}
AUTH_REASONS = {"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"}
# The key works but may not call this API (disabled for the project, restricted to other APIs/referrers/IPs).
PERMISSION_REASONS = {
    "accessNotConfigured",
    "ipRefererBlocked",
    "forbidden",
    "SERVICE_DISABLED",
    "API_KEY_SERVICE_BLOCKED",
    "API_KEY_HTTP_REFERRER_BLOCKED",
    "API_KEY_IP_ADDRESS_BLOCKED",
    "API_KEY_ANDROID_APP_BLOCKED",
    "API_KEY_IOS_APP_BLOCKED",
}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}


class YouTubeClient(PlatformClient):
    platform = "youtube"
    batch_size = 50
    rate_per_s = 10.0  # the daily quota (10,000 units), not the rate, is YouTube's binding limit
    sandbox_rate_per_s = 15.0  # sandbox: 200 per 10 s per key
    burst = 10

    def missing_credential(self) -> Fail | None:
        if not self.config.api_key:
            return Fail(MISSING_TOKEN, "missing_api_key", "no YouTube API key configured")
        return None

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        by_id = {a.platform_user_id: a.account_id for a in batch}

        def attempt(pending: list) -> Verdict | dict:
            params = {
                "part": "statistics",
                "id": ",".join(pending),
                "key": self.config.api_key,
                "maxResults": 50,
            }
            return self._classify(
                self.request(ctx, "GET", f"{self.base_url}/channels", params=params), pending
            )

        got = ctx.retrier.run(list(by_id), attempt)
        return {by_id[cid]: r for cid, r in got.items()}

    def quota_reset(self) -> dt.datetime:
        """The next midnight US Pacific, when the daily quota resets (UTC)."""
        now = dt.datetime.fromtimestamp(self.clock.time(), PACIFIC)
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=PACIFIC)
        return midnight.astimezone(dt.UTC)

    def _classify(self, resp: requests.Response | Retry, pending: list[str]) -> Verdict | dict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        if resp.status_code == 200:
            if not ok or not isinstance(body, dict) or not isinstance(body.get("items") or [], list):
                return malformed(resp)
            found = {item.get("id"): item for item in body.get("items") or [] if isinstance(item, dict)}
            return {
                cid: parse_item(self._channel, found[cid]) if cid in found else _absent() for cid in pending
            }
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        error = body.get("error") if ok and isinstance(body, dict) else None
        if not isinstance(error, dict):
            if resp.status_code >= 500:
                return server_error(resp, wait)
            return (
                malformed(resp) if not ok else Fail(FAILED, f"http_{resp.status_code}", "", resp.status_code)
            )
        named = _reasons(error)
        reasons = set(named)
        # The most specific reason names the outcome: API_KEY_INVALID rather than the generic badRequest.
        reason = next(
            (r for r in named if r != "badRequest"), named[0] if named else f"http_{resp.status_code}"
        )
        message = str(error.get("message") or "")
        status = resp.status_code
        if QUOTA_REASONS & reasons:
            return Fail(
                QUOTA_EXCEEDED, reason, message, status, stop_platform=True, retry_at=self.quota_reset()
            )
        if AUTH_REASONS & reasons or status == 401:
            return Fail(AUTH_FAILED, reason, message, status, stop_platform=True)
        if PERMISSION_REASONS & reasons:
            return Fail(PERMISSION_DENIED, reason, message, status, stop_platform=True)
        if THROTTLE_REASONS & reasons or status == 429:
            return Retry("throttled", reason, message, status, wait, throttled=True)
        if status >= 500:
            return Retry("server_error", reason, message, status, wait)
        return Fail(FAILED, reason, message, status)

    def _channel(self, item: dict) -> dict:
        stats = item.get("statistics") or {}
        value = {f.name: stats.get(f.wire_name) for f in self.spec.fields}
        hidden = bool(stats.get("hiddenSubscriberCount"))
        value["hidden_subscriber_count"] = hidden
        if hidden:
            value["subscriber_count"] = None
        return value


def _reasons(error: dict) -> list[str]:
    """Every reason the error names, ErrorInfo first: google.rpc.ErrorInfo `details[].reason`, then the
    legacy `errors[].reason`."""
    entries = [*(error.get("details") or []), *(error.get("errors") or [])]
    return list(dict.fromkeys(str(e["reason"]) for e in entries if isinstance(e, dict) and e.get("reason")))


def _absent() -> Fail:
    return Fail(NOT_FOUND, "not_found", "channel absent from channels.list (unknown or terminated)", 200)
