"""What Instagram and Facebook share: Graph batch calls, Meta error codes, usage headers, refused metrics.

Items of a batch answer independently, so the retry loop runs per item: a throttled or timed-out item is
re-sent in the next batch call together with the other unfinished items, while settled items are kept.
Sources: Graph API "Batch Requests" (at most 50 items; the call itself carries an `access_token`, the fallback
for items without their own: "Using Multiple Access Tokens"), "Handling Errors" (codes), "Rate Limits" (BUC
header, `estimated_time_to_regain_access` in minutes), "Paginated Results" (`paging.next`).
"""

import json
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

import requests

from pipelines.clients.base import FetchContext, PlatformClient
from pipelines.clients.drift import looks_like_refusal, named_refusals
from pipelines.clients.http import malformed, parse_json, server_error
from pipelines.clients.ratelimit import parse_retry_after
from pipelines.clients.types import (
    AUTH_FAILED,
    FAILED,
    NOT_FOUND,
    PERMISSION_DENIED,
    QUOTA_EXCEEDED,
    RATE_LIMITED,
    SUSPENDED,
    Fail,
    Ok,
    Resolved,
    Retry,
    Verdict,
)
from pipelines.registry import Account

MAX_BATCH_ITEMS = 50
THROTTLE_CODES = {4, 17, 32, 341, 613, 80001, 80002}
APP_WIDE_THROTTLE = {
    4,
    341,
}  # the app's own limit: every request waits; the others limit one user/Page/account
PERMISSION_CODES = frozenset({10, *range(200, 300)})  # a person must grant the permission again
TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable"
HIGH_USAGE_PCT = 95  # usage headers are percentages of the app's / page's allowance
MAX_REFUSAL_ROUNDS = 3
# When several requests of one account fail differently, report the most telling reason.
_FAIL_RANK = {
    AUTH_FAILED: 0,
    PERMISSION_DENIED: 1,
    SUSPENDED: 2,
    NOT_FOUND: 3,
    RATE_LIMITED: 4,
    QUOTA_EXCEEDED: 5,
    FAILED: 6,
}


class GraphItem(NamedTuple):
    """One GET of a batch: `path` below the version (its first segment is the object id), and its token."""

    path: str
    params: Mapping[str, Any]
    token: str

    @property
    def object_id(self) -> str:
        return self.path.split("/", 1)[0]

    def relative_url(self) -> str:
        return f"{self.path}?{urlencode({**self.params, 'access_token': self.token})}"


def classify_error(
    error: Mapping[str, Any], http_status: int | None, wait_s: float | None, key_wait_s: float | None = None
) -> Retry | Fail:
    """A Meta error body's verdict. `wait_s` is what the response says for everyone (Retry-After),
    `key_wait_s` what the usage header says for this item's object (estimated_time_to_regain_access)."""
    code, sub = error.get("code"), error.get("error_subcode")
    label = f"{code}/{sub}" if sub else str(code)
    message = str(error.get("message") or "")
    if code in THROTTLE_CODES:
        app_wide = code in APP_WIDE_THROTTLE
        wait = wait_s if app_wide or key_wait_s is None else key_wait_s
        return Retry("throttled", label, message, http_status, wait, throttled=True, platform_wide=app_wide)
    if code == 190 or http_status == 401:
        return Fail(AUTH_FAILED, label, message, http_status)  # expired/invalid token: a person must renew it
    if code in PERMISSION_CODES:
        return Fail(PERMISSION_DENIED, label, message, http_status)
    if code == 100 and sub == 33:
        return Fail(SUSPENDED, label, message, http_status)  # object gone or no longer visible to the token
    if code in TRANSIENT_CODES or error.get("is_transient") or (http_status or 0) >= 500:
        return Retry("server_error", label, message, http_status, wait_s)
    return Fail(FAILED, label, message, http_status)


def is_refusal(verdict: Verdict) -> bool:
    """A `(#100)` error saying a requested metric or field is not valid (a deprecation, typically)."""
    return (
        isinstance(verdict, Fail)
        and verdict.status == FAILED
        and (verdict.code or "").split("/")[0] == "100"
        and verdict.code != "100/33"
        and looks_like_refusal(verdict.message or "")
    )


def combine(results: list[Resolved], value: dict) -> Resolved:
    """One account's verdict from the verdicts of its requests (any failure fails the account)."""
    attempts = max((r.attempts for r in results), default=0)
    fails = [r.verdict for r in results if isinstance(r.verdict, Fail)]
    if fails:
        return Resolved(min(fails, key=lambda f: _FAIL_RANK.get(f.status, 9)), attempts)
    return Resolved(Ok(value), attempts)


Builder = Callable[[Account, list[str]], GraphItem]


class MetaClient(PlatformClient):
    rate_per_s = 10.0  # batch calls/s; Meta counts every item against the app and per-token (BUC) budgets
    sandbox_rate_per_s = 20.0  # sandbox: 20,000 items per 10 s per app
    burst = 20

    def batch_size_for(self, ctx: FetchContext) -> int:
        """Accounts per batch call: 50 items shared by the requests made per account."""
        return MAX_BATCH_ITEMS // max(1, len(ctx.requests))

    def pause_from_headers(self, resp: requests.Response) -> float | None:
        wait = super().pause_from_headers(resp)
        if wait is not None:
            return wait
        usage, _ = _usage(resp.headers)
        if usage >= HIGH_USAGE_PCT:
            return self.config.backoff_base_s  # close to the limit: spread the next calls out
        return None

    def batch_fields(
        self,
        ctx: FetchContext,
        accounts: list[Account],
        builders: dict[str, Builder],
        fixed: frozenset[str] = frozenset(),
    ) -> dict:
        """One item per account and request, through batch calls; a request whose metrics or fields the
        platform refuses (`#100`) is asked again without them, and they are dropped for the rest of the run.
        Requests in `fixed` do not send the specification's names (their fields are computed): never dropped."""
        by_id = {a.account_id: a for a in accounts}
        names = {req: self.wanted(req) for req in builders}
        got: dict[Hashable, Resolved] = {}
        items = {}
        for a in accounts:
            for req, build in builders.items():
                if names[req]:
                    items[(a.account_id, req)] = build(a, names[req])
                else:  # every name of the request was refused earlier in the run: nothing to ask
                    got[(a.account_id, req)] = Resolved(Ok({}), 0)
        got.update(self.batch_get(ctx, items))
        for _ in range(MAX_REFUSAL_ROUNDS):
            refused = [k for k, r in got.items() if k[1] not in fixed and is_refusal(r.verdict)]
            if not refused or not self._identify_refusals(ctx, refused, got, by_id, builders, names):
                break
            redo = {}
            for key in refused:
                aid, req = key
                if names[req]:
                    redo[key] = builders[req](by_id[aid], names[req])
                else:
                    got[key] = Resolved(Ok({}), got[key].attempts)
            got.update(self.batch_get(ctx, redo))
        return got

    def _identify_refusals(
        self, ctx, refused: list, got: dict, by_id: dict, builders: dict, names: dict
    ) -> bool:
        """Which names the platform refuses: the ones its message names, else those refused when asked
        alone. A deprecation refuses a name for every account, so a refusal while another account's same
        request succeeded, or one that refuses every name, is about the account, not the names."""
        found = False
        for req in dict.fromkeys(k[1] for k in refused):
            if any(k[1] == req and isinstance(r.verdict, Ok) for k, r in got.items()):
                continue
            first = next(k for k in refused if k[1] == req)
            message = got[first].verdict.message or ""
            gone = named_refusals(message, names[req])
            if not gone:  # Meta's Page insights message names no metric: ask each one alone, once
                gone = self._probe(ctx, by_id[first[0]], builders[req], names[req])
                if gone == set(names[req]):
                    gone = set()
            if gone:
                self.refused.refuse(req, gone, message)
                names[req] = self.wanted(req)
                found = True
        return found

    def _probe(self, ctx: FetchContext, account: Account, build: Builder, names: list[str]) -> set[str]:
        got = self.batch_get(ctx, {n: build(account, [n]) for n in names})
        return {n for n, r in got.items() if is_refusal(r.verdict)}

    def batch_get(self, ctx: FetchContext, items: Mapping[Hashable, GraphItem]) -> dict[Hashable, Resolved]:
        """GET every item through Graph batch calls of at most 50 (plus retries of unfinished items)."""
        keys = list(items)
        out: dict[Hashable, Resolved] = {}
        for start in range(0, len(keys), MAX_BATCH_ITEMS):
            part = keys[start : start + MAX_BATCH_ITEMS]

            out.update(ctx.retrier.run(part, lambda pending: self._batch_call(ctx, pending, items)))
        return out

    def _batch_call(self, ctx: FetchContext, pending: list, items: Mapping) -> Verdict | dict:
        """One batch call. It carries its own token even though every item has one (Graph API "Batch
        Requests", "Using Multiple Access Tokens"): Meta refuses the whole call without a valid one. Without
        an app token, an item's token serves; if Meta rejects that token, its account is auth_failed and the
        call goes again with the next account's token."""
        verdicts: dict = {}
        live = list(pending)
        while live:
            token = self.config.meta_app_token or items[live[0]].token
            batch = [{"method": "GET", "relative_url": items[k].relative_url()} for k in live]
            data = {"batch": json.dumps(batch), "include_headers": "false", "access_token": token}
            answer = self._classify_batch(
                self.request(ctx, "POST", f"{self.base_url}/", data=data), live, items
            )
            rejected = isinstance(answer, Fail) and answer.status == AUTH_FAILED
            if rejected and not self.config.meta_app_token and len(live) > 1:
                verdicts[live[0]] = answer
                live = live[1:]
                continue
            verdicts.update(answer if isinstance(answer, dict) else dict.fromkeys(live, answer))
            break
        return verdicts

    def get_url(self, ctx: FetchContext, url: str) -> Resolved:
        """Plain GET of an absolute URL the API handed out (paging.next), only on the API's own origin: a
        `next` on another host, or one whose scheme changed (https -> http), would carry the token elsewhere."""
        got, own = urlsplit(url), urlsplit(self.base_url)
        if (got.scheme, got.netloc) != (own.scheme, own.netloc):
            return Resolved(Fail(FAILED, "foreign_next_url", "paging.next points to another origin"), 1)
        return ctx.retrier.run_one(lambda: self._classify_single(self.request(ctx, "GET", url)))

    def _classify_single(self, resp: requests.Response | Retry) -> Verdict:
        if isinstance(resp, Retry):
            return resp
        ok, body = parse_json(resp)
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        if ok and resp.status_code == 200 and isinstance(body, dict) and "error" not in body:
            return Ok(body)
        if ok and isinstance(body, dict) and isinstance(body.get("error"), dict):
            _, regain = _usage(resp.headers)
            return classify_error(
                body["error"], resp.status_code, wait if wait is not None else regain or None
            )
        if resp.status_code >= 500:
            return server_error(resp, wait)
        if resp.status_code == 429:
            return Retry("throttled", "http_429", "HTTP 429", 429, wait, throttled=True)
        if resp.status_code == 200 or not ok:
            return malformed(resp)
        return Fail(FAILED, f"http_{resp.status_code}", "unexpected error body", resp.status_code)

    def _classify_batch(
        self, resp: requests.Response | Retry, pending: list, items: Mapping
    ) -> Verdict | dict:
        if isinstance(resp, Retry) or resp.status_code != 200:
            return self._classify_single(resp)  # the batch call itself failed: same verdict for every item
        ok, body = parse_json(resp)
        if ok and isinstance(body, dict) and isinstance(body.get("error"), dict):
            return self._classify_single(resp)  # an error for the whole call, however it was sent
        if not ok or not isinstance(body, list) or len(body) != len(pending):
            return malformed(resp)
        wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock.time())
        regain = _regain_by_object(resp.headers)
        return {
            k: _classify_item(item, wait, regain.get(items[k].object_id))
            for k, item in zip(pending, body, strict=True)
        }


def _classify_item(item: Any, wait: float | None, key_wait: float | None) -> Verdict:
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
        return classify_error(body["error"], status if isinstance(status, int) else None, wait, key_wait)
    if isinstance(status, int) and status >= 500:
        return Retry("server_error", f"http_{status}", f"batch item HTTP {status}", status, wait)
    return Retry("malformed_body", "malformed_body", f"batch item HTTP {status} without a JSON body", status)


def _usage(headers: Mapping[str, str]) -> tuple[float, float]:
    """(highest usage %, longest estimated_time_to_regain_access in seconds) from Meta's usage headers."""
    usage = 0.0
    for name in ("X-App-Usage", "X-Ad-Account-Usage"):
        doc = _json_header(headers.get(name))
        if isinstance(doc, dict):
            usage = max([usage, *(_num(v) for v in doc.values())])
    for entry in _buc_entries(headers):
        usage = max(usage, *(_num(entry.get(f)) for f in ("call_count", "total_time", "total_cputime")))
    return usage, max(_regain_by_object(headers).values(), default=0.0)


def _regain_by_object(headers: Mapping[str, str]) -> dict[str, float]:
    """Business object id -> seconds until it may be called again (the header counts minutes)."""
    out: dict[str, float] = {}
    buc = _json_header(headers.get("X-Business-Use-Case-Usage"))
    for object_id, entries in buc.items() if isinstance(buc, dict) else ():
        for e in entries if isinstance(entries, list) else []:
            minutes = _num(e.get("estimated_time_to_regain_access")) if isinstance(e, dict) else 0.0
            if minutes > 0:
                out[str(object_id)] = max(out.get(str(object_id), 0.0), minutes * 60.0)
    return out


def _buc_entries(headers: Mapping[str, str]) -> list[dict]:
    buc = _json_header(headers.get("X-Business-Use-Case-Usage"))
    if not isinstance(buc, dict):
        return []
    return [
        e for entries in buc.values() if isinstance(entries, list) for e in entries if isinstance(e, dict)
    ]


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
