"""TikTok Display API v2: user info plus the number of videos created on the day, one account per call.

The user token selects the account (there is no id parameter), so batches are single accounts. The video
list is newest first; paging stops once a page reaches back before the start of the day (Asia/Jakarta).
"""

import requests

from pipelines.clients.base import FetchContext, PlatformClient
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.timeutil import wib_day_start_unix
from pipelines.clients.types import AUTH_FAILED, FAILED, SUSPENDED, Fail, Ok, Resolved, Retry, Verdict
from pipelines.registry import Account

USER_FIELDS = ("follower_count", "following_count", "likes_count", "video_count")
PAGE_SIZE = 20  # max_count above 20 is invalid_params
MAX_VIDEO_PAGES = 100
AUTH_CODES = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}


class TikTokClient(PlatformClient):
    platform = "tiktok"
    batch_size = 1
    per_account_token = True
    rate_per_s = 20.0  # 600 requests per minute on each of the two endpoints
    sandbox_rate_per_s = 400.0  # sandbox: 3,000 per 10 s per endpoint (two endpoints)
    burst = 20

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        (account,) = batch
        return {account.account_id: self._fetch_account(account, ctx)}

    def _fetch_account(self, account: Account, ctx: FetchContext) -> Resolved:
        auth = {"Authorization": f"Bearer {self.token_for(account)}"}
        info_url = f"{self.base_url}/user/info/"
        params = {"fields": "open_id," + ",".join(USER_FIELDS)}
        info = ctx.retrier.run_one(
            lambda: self._classify(self.request(ctx, "GET", info_url, params=params, headers=auth))
        )
        if not isinstance(info.verdict, Ok):
            return info
        user = (info.verdict.value or {}).get("user") or {}
        open_id = user.get("open_id")
        if open_id and open_id != account.platform_user_id:  # a token granted for another account
            fail = Fail(
                AUTH_FAILED, "token_account_mismatch", "the token belongs to a different account", 200
            )
            return Resolved(fail, info.attempts)
        start = wib_day_start_unix(ctx.day)
        videos = self._count_videos(ctx, auth, start, start + 86400)
        attempts = max(info.attempts, videos.attempts)
        if not isinstance(videos.verdict, Ok):
            return Resolved(videos.verdict, attempts)
        value = {f: user.get(f) for f in USER_FIELDS} | {"videos_published": videos.verdict.value}
        return Resolved(Ok(value), attempts)

    def _count_videos(self, ctx: FetchContext, auth: dict, start: int, end: int) -> Resolved:
        url = f"{self.base_url}/video/list/"
        params = {"fields": "id,create_time"}
        cursor, count, attempts = None, 0, 1
        for _ in range(MAX_VIDEO_PAGES):
            body = {"max_count": PAGE_SIZE} | ({"cursor": cursor} if cursor is not None else {})
            got = ctx.retrier.run_one(
                lambda body=body: self._classify(
                    self.request(ctx, "POST", url, params=params, json=body, headers=auth)
                )
            )
            attempts = max(attempts, got.attempts)
            if not isinstance(got.verdict, Ok):
                return Resolved(got.verdict, attempts)
            data = got.verdict.value or {}
            times = [int(v["create_time"]) for v in data.get("videos") or []]
            count += sum(start <= t < end for t in times)
            if not data.get("has_more") or not times or min(times) < start:
                return Resolved(Ok(count), attempts)
            cursor = data.get("cursor")
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
        if code in AUTH_CODES or status == 401:
            return Fail(AUTH_FAILED, code, message, status)
        if code == "invalid_user":
            return Fail(SUSPENDED, code, message, status)
        if status >= 500 or code == "internal_error":
            return Retry("server_error", code, message, status, wait)
        return Fail(FAILED, code or f"http_{status}", message, status)
