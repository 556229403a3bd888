"""TikTok Display API v2: user info plus the number of videos created on the day, one account per call.

The user token selects the account (there is no id parameter), so batches are single accounts. The video
list is newest first; paging stops once a page reaches back before the start of the day (Asia/Jakarta).
Errors (TikTok "Error Handling"): `access_token_invalid` is an auth failure; `scope_not_authorized` and
`scope_permission_missed` mean the user did not grant a scope (`permission_denied`); `rate_limit_exceeded` is
HTTP 429. An `invalid_params` answer naming one of the requested user fields drops that field for the run.
"""

import datetime as dt
from collections import Counter

import requests

from pipelines.clients.base import FetchContext, PlatformClient
from pipelines.clients.drift import named_refusals
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.timeutil import wib_date, wib_day_start_unix
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    PERMISSION_DENIED,
    SUSPENDED,
    Fail,
    Ok,
    Resolved,
    Retry,
    Verdict,
)
from pipelines.registry import Account

PAGE_SIZE = 20  # max_count above 20 is invalid_params
MAX_VIDEO_PAGES = 100
AUTH_CODES = {"access_token_invalid"}
PERMISSION_CODES = {"scope_not_authorized", "scope_permission_missed"}


class TikTokClient(PlatformClient):
    platform = "tiktok"
    batch_size = 1
    window_fetch = True  # a history backfill pages back through the video list once, counting per day
    rate_per_s = 20.0  # 600 requests per minute on each of the two endpoints
    sandbox_rate_per_s = 400.0  # sandbox: 3,000 per 10 s per endpoint (two endpoints)
    burst = 20

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        (account,) = batch
        return {account.account_id: self._fetch_account(account, ctx)}

    def _fetch_account(self, account: Account, ctx: FetchContext) -> Resolved:
        auth = {"Authorization": f"Bearer {self.token_for(account)}"}
        value: dict = {}
        attempts = 0
        if ctx.wants("user_info"):
            info = self._user_info(ctx, auth)
            attempts = info.attempts
            if not isinstance(info.verdict, Ok):
                return info
            user = info.verdict.value
            if user.get("open_id") and user["open_id"] != account.platform_user_id:  # another account's token
                fail = Fail(
                    AUTH_FAILED, "token_account_mismatch", "the token belongs to a different account", 200
                )
                return Resolved(fail, attempts)
            value = {f.name: user.get(f.wire_name) for f in self.spec.fields_of("user_info")}
        by_day = {day: dict(value) for day in ctx.days}
        if ctx.wants("video_list"):
            videos = self._count_videos(ctx, auth)
            attempts = max(attempts, videos.attempts)
            if not isinstance(videos.verdict, Ok):
                return Resolved(videos.verdict, attempts)
            for day in ctx.days:
                by_day[day]["videos_published"] = videos.verdict.value.get(day, 0)
        return Resolved(Ok(by_day if ctx.window else by_day[ctx.day]), attempts)

    def _user_info(self, ctx: FetchContext, auth: dict) -> Resolved:
        """The user object; a field the API refuses as invalid is dropped and the rest asked again."""
        url = f"{self.base_url}/user/info/"
        while True:
            names = self.wanted("user_info")
            params = {"fields": ",".join(["open_id", *names])}
            got = ctx.retrier.run_one(
                lambda params=params: self._classify(
                    self.request(ctx, "GET", url, params=params, headers=auth)
                )
            )
            v = got.verdict
            refused = (
                named_refusals(v.message or "", names)
                if isinstance(v, Fail) and v.code == "invalid_params"
                else set()
            )
            if not refused:
                if isinstance(v, Ok):
                    user = (v.value or {}).get("user") if isinstance(v.value, dict) else None
                    if not isinstance(user, dict):
                        return Resolved(
                            Fail(FAILED, "malformed_item", "user info without a user object", 200),
                            got.attempts,
                        )
                    return Resolved(Ok(user), got.attempts)
                return got
            self.refused.refuse("user_info", refused, v.message or "")

    def _count_videos(self, ctx: FetchContext, auth: dict) -> Resolved:
        """Videos created on each day (Asia/Jakarta) of the fetch, paging back until before its first day."""
        url = f"{self.base_url}/video/list/"
        params = {"fields": "id,create_time"}
        start, end = wib_day_start_unix(ctx.days[0]), wib_day_start_unix(ctx.days[-1]) + 86400
        cursor, count, attempts = None, Counter(), 1
        for _ in range(MAX_VIDEO_PAGES * len(ctx.days)):
            body = {"max_count": PAGE_SIZE} | ({"cursor": cursor} if cursor is not None else {})
            got = ctx.retrier.run_one(
                lambda body=body: self._classify(
                    self.request(ctx, "POST", url, params=params, json=body, headers=auth)
                )
            )
            attempts = max(attempts, got.attempts)
            if not isinstance(got.verdict, Ok):
                return Resolved(got.verdict, attempts)
            # a batch of one: an odd page raises and fails this account only
            times, has_more, cursor = _page(got.verdict.value)
            count.update(wib_date(dt.datetime.fromtimestamp(t, dt.UTC)) for t in times if start <= t < end)
            if not has_more or not times or min(times) < start:
                return Resolved(Ok(dict(count)), attempts)
        return Resolved(Fail(FAILED, "paging_loop", f"more than {MAX_VIDEO_PAGES} pages of videos"), attempts)

    def _classify(self, resp: requests.Response | Retry) -> Verdict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        status = resp.status_code
        error = body.get("error") if ok and isinstance(body, dict) else None
        if not isinstance(error, dict):
            if status >= 500:
                return server_error(resp)
            return malformed(resp)  # every TikTok body carries `error`, even on success
        code, message = str(error.get("code") or ""), str(error.get("message") or "")
        if status == 200 and code == "ok":
            return Ok(body.get("data"))
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        if code == "rate_limit_exceeded" or status == 429:
            return Retry("throttled", code or "http_429", message, status, wait, throttled=True)
        if code in AUTH_CODES or (status == 401 and code not in PERMISSION_CODES):
            return Fail(AUTH_FAILED, code, message, status)
        if code in PERMISSION_CODES:
            return Fail(PERMISSION_DENIED, code, message, status)
        if code == "invalid_user":
            return Fail(SUSPENDED, code, message, status)
        if status >= 500 or code == "internal_error":
            return Retry("server_error", code, message, status, wait)
        return Fail(FAILED, code or f"http_{status}", message, status)


def _page(data: dict) -> tuple[list[int], bool, object]:
    """(create times, has_more, next cursor) of one video-list page."""
    times = [int(v["create_time"]) for v in data.get("videos") or []]
    return times, bool(data.get("has_more")), data.get("cursor")
