"""What Instagram and Facebook Pages share: Graph batch calls, Meta error codes and usage headers.

Items of a batch answer independently, so the retry loop runs per item: a throttled or timed-out item is
re-sent in the next batch call together with the other unfinished items, while settled items are kept.
"""

import json
from collections.abc import Hashable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from pipelines.clients.base import FetchContext, PlatformClient
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    NOT_FOUND,
    QUOTA_EXCEEDED,
    SUSPENDED,
    Fail,
    Ok,
    Resolved,
    Retry,
    Verdict,
)

MAX_BATCH_ITEMS = 50
THROTTLE_CODES = {4, 17, 32, 613, 80001, 80002}
TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable"
HIGH_USAGE_PCT = 95  # usage headers are percentages of the app's / page's allowance
# When several requests of one account fail differently, report the most telling reason.
_FAIL_RANK = {AUTH_FAILED: 0, SUSPENDED: 1, NOT_FOUND: 2, QUOTA_EXCEEDED: 3, FAILED: 4}


def classify_error(error: Mapping[str, Any], http_status: int | None, wait_s: float | None) -> Retry | Fail:
    code, sub = error.get("code"), error.get("error_subcode")
    label = f"{code}/{sub}" if sub else str(code)
    message = str(error.get("message") or "")
    if code in THROTTLE_CODES:
        return Retry("throttled", label, message, http_status, wait_s, throttled=True)
    if code == 190 or http_status == 401:
        return Fail(AUTH_FAILED, label, message, http_status)  # expired/invalid token: a person must renew it
    if code == 100 and sub == 33:
        return Fail(SUSPENDED, label, message, http_status)  # object gone or no longer visible to the token
    if code in TRANSIENT_CODES or error.get("is_transient") or (http_status or 0) >= 500:
        return Retry("server_error", label, message, http_status, wait_s)
    return Fail(FAILED, label, message, http_status)


def combine(results: list[Resolved], value: dict) -> Resolved:
    """One account's verdict from the verdicts of its requests (any failure fails the account)."""
    attempts = max(r.attempts for r in results)
    fails = [r.verdict for r in results if isinstance(r.verdict, Fail)]
    if fails:
        return Resolved(min(fails, key=lambda f: _FAIL_RANK.get(f.status, 9)), attempts)
    return Resolved(Ok(value), attempts)


def relative_url(path: str, params: Mapping[str, Any], token: str) -> str:
    return f"{path}?{urlencode({**params, 'access_token': token})}"


class MetaClient(PlatformClient):
    per_account_token = True
    rate_per_s = 10.0  # batch calls/s; Meta counts every item against the app and per-token (BUC) budgets
    sandbox_rate_per_s = 20.0  # sandbox: 20,000 items per 10 s per app
    burst = 20

    def pause_from_headers(self, resp: requests.Response) -> float | None:
        wait = super().pause_from_headers(resp)
        if wait is not None:  # Retry-After is precise; the usage headers are in minutes
            return wait
        usage, regain_min = _usage(resp.headers)
        if regain_min > 0:
            return regain_min * 60.0
        if usage >= HIGH_USAGE_PCT:
            return self.config.backoff_base_s  # close to the limit: spread the next calls out
        return None

    def batch_get(self, ctx: FetchContext, items: Mapping[Hashable, str]) -> dict[Hashable, Resolved]:
        """GET every relative URL through one Graph batch call (plus retries of unfinished items)."""
        if len(items) > MAX_BATCH_ITEMS:
            raise ValueError(f"a Graph batch holds at most {MAX_BATCH_ITEMS} items, got {len(items)}")

        def attempt(pending: list[Hashable]) -> Verdict | dict[Hashable, Verdict]:
            batch = [{"method": "GET", "relative_url": items[k]} for k in pending]
            data = {"batch": json.dumps(batch), "include_headers": "false"}
            resp = self.request(ctx, "POST", f"{self.base_url}/", data=data)
            return self._classify_batch(resp, pending)

        return ctx.retrier.run(list(items), attempt)

    def get_url(self, ctx: FetchContext, url: str) -> Resolved:
        """Plain GET of an absolute URL the API handed out (paging.next), only on the API's own host."""
        if urlsplit(url).netloc != urlsplit(self.base_url).netloc:
            return Resolved(Fail(FAILED, "foreign_next_url", "paging.next points to another host"), 1)
        return ctx.retrier.run_one(lambda: self._classify_single(self.request(ctx, "GET", url)))

    def _classify_single(self, resp: requests.Response | Retry) -> Verdict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        if ok and resp.status_code == 200 and isinstance(body, dict) and "error" not in body:
            return Ok(body)
        if ok and isinstance(body, dict) and isinstance(body.get("error"), dict):
            return classify_error(body["error"], resp.status_code, wait)
        if resp.status_code >= 500:
            return server_error(resp, wait)
        if resp.status_code == 429:
            return Retry("throttled", "http_429", "HTTP 429", 429, wait, throttled=True)
        if resp.status_code == 200 or not ok:
            return malformed(resp)
        return Fail(FAILED, f"http_{resp.status_code}", "unexpected error body", resp.status_code)

    def _classify_batch(self, resp: requests.Response | Retry, pending: list) -> Verdict | dict:
        if isinstance(resp, Retry) or resp.status_code != 200:
            return self._classify_single(resp)  # the batch call itself failed: same verdict for every item
        ok, body = parse_json(resp)
        if ok and isinstance(body, dict) and isinstance(body.get("error"), dict):
            return self._classify_single(resp)  # an error for the whole call, however it was sent
        if not ok or not isinstance(body, list) or len(body) != len(pending):
            return malformed(resp)
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        return {k: _classify_item(item, wait) for k, item in zip(pending, body, strict=True)}


def _classify_item(item: Any, wait: float | None) -> Verdict:
    if item is None:  # Meta answers null for an item it gave up on within the batch
        return Retry("item_timeout", "item_timeout", "batch item came back empty")
    status = item.get("code") if isinstance(item, dict) else None
    try:
        body = json.loads(item.get("body") or "null") if isinstance(item, dict) else None
    except (TypeError, ValueError):
        body = None
    if status == 200 and isinstance(body, dict) and "error" not in body:
        return Ok(body)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return classify_error(body["error"], status, wait)
    if isinstance(status, int) and status >= 500:
        return Retry("server_error", f"http_{status}", f"batch item HTTP {status}", status, wait)
    return Retry("malformed_body", "malformed_body", f"batch item HTTP {status} without a JSON body", status)


def _usage(headers: Mapping[str, str]) -> tuple[float, float]:
    """(highest usage %, longest estimated_time_to_regain_access in minutes) from Meta's usage headers."""
    usage, regain = 0.0, 0.0
    for name in ("X-App-Usage", "X-Ad-Account-Usage"):
        doc = _json_header(headers.get(name))
        if isinstance(doc, dict):
            usage = max([usage, *(_num(v) for v in doc.values())])
    buc = _json_header(headers.get("X-Business-Use-Case-Usage"))
    if isinstance(buc, dict):
        for entries in buc.values():
            for e in entries if isinstance(entries, list) else []:
                if isinstance(e, dict):
                    usage = max(
                        usage, *(_num(e.get(f)) for f in ("call_count", "total_time", "total_cputime"))
                    )
                    regain = max(regain, _num(e.get("estimated_time_to_regain_access")))
    return usage, regain


def _json_header(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
