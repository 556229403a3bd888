"""X API v2: `GET /2/users` public metrics for up to 100 ids per call, with the project's bearer token.

Partial failures arrive as HTTP 200 with an `errors` array (not found, suspended), one entry per id. A 429
carries no Retry-After: the wait is `x-rate-limit-reset` (Unix seconds) minus now; and a response that says
`x-rate-limit-remaining: 0` pauses the platform until the reset before the next request is sent. A reset
further away than the client waits ends the fetch as `rate_limited` (retry_at = the reset), nothing re-sent.
401 is a rejected bearer token (`auth_failed`), 403 a valid one without access to the endpoint
(`permission_denied`, X "Response codes and errors"): both stop the platform.
"""

import requests

from pipelines.clients.base import FetchContext, PlatformClient, parse_item
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    MISSING_TOKEN,
    NOT_FOUND,
    PERMISSION_DENIED,
    SUSPENDED,
    Fail,
    Resolved,
    Retry,
    Verdict,
)
from pipelines.registry import Account


class XClient(PlatformClient):
    platform = "x"
    batch_size = 100
    rate_per_s = 300 / 900  # users lookup: 300 requests per 15-minute window per app
    sandbox_rate_per_s = 15.0  # sandbox: 300 per 15 s
    burst = 300

    def missing_credential(self) -> Fail | None:
        if not self.config.bearer_token:
            return Fail(MISSING_TOKEN, "missing_bearer_token", "no X bearer token configured")
        return None

    def pause_from_headers(self, resp: requests.Response) -> float | None:
        wait = super().pause_from_headers(resp)
        if resp.headers.get("x-rate-limit-remaining", "").strip() == "0":
            wait = max(wait or 0.0, self._until_reset(resp) or 0.0)
        return wait

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        by_id = {a.platform_user_id: a.account_id for a in batch}
        auth = {"Authorization": f"Bearer {self.config.bearer_token}"}

        def attempt(pending: list) -> Verdict | dict:
            params = {"ids": ",".join(pending), "user.fields": "public_metrics"}
            resp = self.request(ctx, "GET", f"{self.base_url}/users", params=params, headers=auth)
            return self._classify(resp, pending)

        got = ctx.retrier.run(list(by_id), attempt)
        return {by_id[uid]: r for uid, r in got.items()}

    def _until_reset(self, resp: requests.Response) -> float | None:
        try:
            reset = float(resp.headers["x-rate-limit-reset"])
        except (KeyError, ValueError):
            return None
        return max(0.0, reset - self.clock.time())

    def _classify(self, resp: requests.Response | Retry, pending: list[str]) -> Verdict | dict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        status = resp.status_code
        detail = str(body.get("detail") or body.get("title") or "") if ok and isinstance(body, dict) else ""
        if status == 429:
            return Retry(
                "throttled", "http_429", detail or "Too Many Requests", 429, self._until_reset(resp), True
            )
        if status == 401:  # the project's bearer token: no other request can succeed either
            return Fail(AUTH_FAILED, f"http_{status}", detail, status, stop_platform=True)
        if status == 403:
            return Fail(PERMISSION_DENIED, f"http_{status}", detail, status, stop_platform=True)
        if status >= 500:
            return server_error(resp, None, detail)
        if status != 200 or not ok or not isinstance(body, dict):
            return malformed(resp) if not ok else Fail(FAILED, f"http_{status}", detail, status)
        data, errs = body.get("data") or [], body.get("errors") or []
        if not isinstance(data, list) or not isinstance(errs, list):
            return malformed(resp)
        users = {u.get("id"): u for u in data if isinstance(u, dict)}
        errors = {}
        for e in errs:
            if isinstance(e, dict):
                errors[str(e.get("resource_id") or e.get("value"))] = e
        return {uid: self._user(users, errors, uid) for uid in pending}

    def _user(self, users: dict, errors: dict, uid: str) -> Verdict:
        if uid in users:
            return parse_item(self._metrics, users[uid])
        return _user_error(errors, uid)

    def _metrics(self, user: dict) -> dict:
        metrics = user.get("public_metrics") or {}
        return {f.name: metrics.get(f.wire_name) for f in self.spec.fields}


def _user_error(errors: dict, uid: str) -> Verdict:
    e = errors.get(uid)
    if e is None:
        return Fail(NOT_FOUND, "absent", "id neither in data nor in errors", 200)
    title, detail = str(e.get("title") or ""), str(e.get("detail") or "")
    if "suspended" in detail.lower() or "suspended" in title.lower():
        return Fail(SUSPENDED, title or "suspended", detail, 200)
    if title == "Not Found Error" or "resource-not-found" in str(e.get("type")):
        return Fail(NOT_FOUND, title, detail, 200)
    return Fail(FAILED, title or "error", detail, 200)
