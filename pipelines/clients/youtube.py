"""YouTube Data API v3: `channels.list` statistics for up to 50 channels per call (1 quota unit per call).

Statistics arrive as strings; a hidden subscriber count leaves `subscriberCount` out (stored as None with
`hidden_subscriber_count` true). Unknown or terminated channels are silently absent: `not_found`.
`quotaExceeded` cannot be retried until the daily reset (midnight Pacific), so it stops the platform for
the run: accounts not yet fetched get `quota_exceeded` without further requests. A rejected API key stops
the platform the same way (as `auth_failed`): every call would fail identically.
"""

import requests

from pipelines.clients.base import FetchContext, PlatformClient
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    MISSING_TOKEN,
    NOT_FOUND,
    QUOTA_EXCEEDED,
    Fail,
    Ok,
    Resolved,
    Retry,
    Verdict,
)
from pipelines.registry import Account

QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
AUTH_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


class YouTubeClient(PlatformClient):
    platform = "youtube"
    batch_size = 50
    per_account_token = False
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

    def _classify(self, resp: requests.Response | Retry, pending: list[str]) -> Verdict | dict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        if resp.status_code == 200:
            if not ok or not isinstance(body, dict):
                return malformed(resp)
            found = {item.get("id"): item for item in body.get("items") or []}
            return {cid: _channel(found[cid]) if cid in found else _absent() for cid in pending}
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        error = body.get("error") if ok and isinstance(body, dict) else None
        if not isinstance(error, dict):
            if resp.status_code >= 500:
                return server_error(resp, wait)
            return (
                malformed(resp) if not ok else Fail(FAILED, f"http_{resp.status_code}", "", resp.status_code)
            )
        reasons = [e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)]
        reason = next((r for r in reasons if r), f"http_{resp.status_code}")
        message = str(error.get("message") or "")
        status = resp.status_code
        if QUOTA_REASONS & set(reasons):
            return Fail(QUOTA_EXCEEDED, reason, message, status, stop_platform=True)
        if AUTH_REASONS & set(reasons) or status == 401:
            return Fail(AUTH_FAILED, reason, message, status, stop_platform=True)
        if THROTTLE_REASONS & set(reasons) or status == 429:
            return Retry("throttled", reason, message, status, wait, throttled=True)
        if status >= 500:
            return Retry("server_error", reason, message, status, wait)
        return Fail(FAILED, reason, message, status)


def _channel(item: dict) -> Ok:
    stats = item.get("statistics") or {}
    hidden = bool(stats.get("hiddenSubscriberCount"))
    return Ok(
        {
            "subscriber_count": None if hidden else stats.get("subscriberCount"),
            "view_count": stats.get("viewCount"),
            "video_count": stats.get("videoCount"),
            "hidden_subscriber_count": hidden,
        }
    )


def _absent() -> Fail:
    return Fail(NOT_FOUND, "not_found", "channel absent from channels.list (unknown or terminated)", 200)
