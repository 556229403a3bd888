"""Graph API (Instagram and Facebook Pages): batch calls, plain GETs, Meta errors and usage headers.

A batch counts each item against the app's limit (`X-App-Usage`); each item counts against its token's
limit (`X-Business-Use-Case-Usage`, keyed by the page / Instagram account). Over the app limit the whole
call is refused (code 4); over a token's limit only that item is (80001 pages / 80002 Instagram).
"""

import json
import re
from urllib.parse import parse_qs, urlsplit

from pipelines.sandbox import facebook, instagram, post_api
from pipelines.sandbox.meta_errors import (
    error,
    is_throttle,
    throttle_error,
    transient_error,
)
from pipelines.sandbox.protocol import Request, Response, SandboxApp, html_error

MAX_BATCH = 50
VERSION = re.compile(r"v\d+\.\d+")


def _app_usage(pct: int) -> str:
    return json.dumps({"call_count": pct, "total_time": pct * 3 // 5, "total_cputime": pct * 2 // 5})


def _buc_entry(uid: str, platform: str, usage) -> dict:
    pct = usage.percent
    return {
        uid: [
            {
                "type": "pages" if platform == "facebook" else "instagram",
                "call_count": pct,
                "total_time": pct // 2,
                "total_cputime": pct // 3,
                "estimated_time_to_regain_access": 0 if usage.allowed else 1,  # minutes, as Meta counts
            }
        ]
    }


def item(app: SandboxApp, method: str, path: str, query: dict, token: str | None, as_of: int, root: str):
    """One Graph request -> (HTTP status, body, BUC entry or None)."""
    w = app.world
    parts = [p for p in path.split("/") if p]
    if parts and VERSION.fullmatch(parts[0]):
        parts = parts[1:]
    if method.upper() != "GET":
        return (*error(100, "(#100) Unsupported request method in the sandbox: only GET"), None)
    if not parts or len(parts) > 2:
        return (*error(100, f"(#100) Unknown path components: /{'/'.join(parts)}"), None)
    if not token:
        return (*error(104, "An access token is required to request this resource."), None)
    owner = w.token_index.get(token)
    if owner is None:
        return (*error(190, "Invalid OAuth access token - Cannot parse access token"), None)
    node, edge = parts[0], parts[1] if len(parts) > 1 else None
    platform = "instagram" if node in w.by_platform.get("instagram", {}) else "facebook"
    i = w.by_platform.get(platform, {}).get(node)
    post = post_api.resolve_node(w, node) if i is None else None  # a post, media or its edges
    if post is not None:
        platform, i = post.platform, post.i
    gone = (
        f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation."
    )
    if i is None:
        return (*error(100, gone, subcode=33), None)
    if i != owner:
        return (
            *error(190, "Error validating access token: the token was not granted for this object."),
            None,
        )
    state = w.error_state(i, as_of)
    if state == "stop_reporting":
        sc = w.scenario_of[i]
        sub = 460 if "error_subcode=460" in sc.details else 463
        why = "the user changed their password" if sub == 460 else f"Session has expired on {sc.start_date}"
        return (*error(190, f"Error validating access token: {why}.", subcode=sub), None)
    if state == "suspended":
        return (*error(100, gone, subcode=33), None)
    usage = app.limiter.hit("meta_token", token, app.config.meta_token_limit)
    entry = _buc_entry(node, platform, usage)
    app.stats.items(platform)
    if not usage.allowed:
        app.stats.limited(platform)
        return (*throttle_error(80001 if platform == "facebook" else 80002), entry)
    if post is not None:
        status, body = post_api.graph_post(app, post, edge, query, as_of, root)
        return status, body, entry
    handler = instagram.handle if platform == "instagram" else facebook.handle
    status, body = handler(app, i, edge, query, as_of, root)
    return status, body, entry


def _single(qs: dict[str, list[str]]) -> dict[str, str]:
    return {k: v[-1] for k, v in qs.items()}


def _token(req: Request, form: dict) -> str | None:
    auth = req.headers.get("Authorization") or ""
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    return form.get("access_token") or req.query.get("access_token") or bearer


def handle(app: SandboxApp, req: Request, root: str) -> Response:
    if req.method == "POST" and req.path.strip("/") == "":
        return _batch(app, req, root)
    usage = app.limiter.hit("meta_app", "app", app.config.meta_app_limit)
    headers = {"X-App-Usage": _app_usage(usage.percent)}
    if not usage.allowed:
        app.stats.limited("graph")
        status, body = throttle_error(4)
        return Response(status, body, {**headers, "Retry-After": str(usage.retry_after())})
    status, body, entry = item(app, req.method, req.path, req.query, _token(req, {}), req.as_of, root)
    if entry:
        headers["X-Business-Use-Case-Usage"] = json.dumps(entry)
    if is_throttle(status, body):
        headers["Retry-After"] = str(app.config.throttle_retry_after_s)
    return Response(status, body, headers)


def _batch_token_error(app: SandboxApp, token: str | None, as_of: int) -> tuple[int, dict] | None:
    """The batch call's own token: required even when every item has one (Graph API "Batch Requests",
    "Using Multiple Access Tokens"); it must be valid itself (the app's token, or a live user/Page token)."""
    w = app.world
    if not token:
        return error(104, "An access token is required to request this resource.")
    if token == w.meta_app_token:
        return None
    owner = w.token_index.get(token)
    if owner is None:
        return error(190, "Invalid OAuth access token - Cannot parse access token")
    if w.error_state(owner, as_of) == "stop_reporting":
        return error(190, "Error validating access token: Session has expired.", subcode=463)
    return None


def _batch(app: SandboxApp, req: Request, root: str) -> Response:
    form = {**req.query, **_single(parse_qs(req.body.decode("utf-8", "replace")))}
    refused = _batch_token_error(app, form.get("access_token") or _token(req, {}), req.as_of)
    if refused:
        return Response(*refused)
    if "batch" not in form:
        return Response(*error(100, "(#100) The parameter batch is required"))
    try:
        batch = json.loads(form["batch"])
    except ValueError:
        batch = None
    if not isinstance(batch, list) or not all(isinstance(x, dict) for x in batch):
        return Response(*error(100, "(#100) param batch must be a JSON array of request objects"))
    if len(batch) > MAX_BATCH:
        return Response(
            *error(100, f"(#100) Too many requests in batch message. Maximum batch size is {MAX_BATCH}")
        )
    usage = app.limiter.hit("meta_app", "app", app.config.meta_app_limit, cost=max(1, len(batch)))
    headers = {"X-App-Usage": _app_usage(usage.percent)}
    if not usage.allowed:
        app.stats.limited("graph")
        status, body = throttle_error(4)
        return Response(status, body, {**headers, "Retry-After": str(usage.retry_after())})
    with_headers = str(form.get("include_headers", "true")).lower() != "false"
    out, buc, throttled = [], {}, False
    for spec in batch:
        fault = app.faults.roll_item()
        if fault == "null":  # Meta gives up on an item within the batch
            app.stats.fault("meta_item_null")
            out.append(None)
            continue
        rel = urlsplit(str(spec.get("relative_url", "")))
        query = _single(parse_qs(rel.query))
        token = query.get("access_token") or form.get("access_token") or _token(req, {})
        status, body, entry = item(app, spec.get("method", "GET"), rel.path, query, token, req.as_of, root)
        if status == 200 and fault == "throttle":
            app.stats.fault("meta_item_throttle")
            uid, (usage_entry,) = next(iter(entry.items()))
            buc_code = 80001 if usage_entry["type"] == "pages" else 80002
            code = app.faults.choice((17, 32, 613, buc_code))
            if code == buc_code:  # the business use case of this page / account is over its allowance
                entry = {uid: [usage_entry | {"call_count": 100, "estimated_time_to_regain_access": 1}]}
            status, body = throttle_error(code)
        elif status == 200 and fault == "server_error":
            app.stats.fault("meta_item_server_error")
            status, body = transient_error()
        throttled |= is_throttle(status, body)
        buc.update(entry or {})
        element = {"code": status, "body": json.dumps(body, separators=(",", ":"))}
        if with_headers:
            element["headers"] = [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}]
        out.append(element)
    if buc:
        headers["X-Business-Use-Case-Usage"] = json.dumps(buc, separators=(",", ":"))
    if throttled:
        headers["Retry-After"] = str(app.config.throttle_retry_after_s)
    return Response(200, out, headers)


def fault_response(app: SandboxApp, kind: str) -> Response:
    retry = str(app.config.throttle_retry_after_s)
    if kind == "throttle":
        status, body = throttle_error(app.faults.choice((4, 17, 32, 613)))
        return Response(status, body, {"X-App-Usage": _app_usage(100), "Retry-After": retry})
    code = app.faults.choice((500, 502, 503))
    if code == 500:
        return Response(*transient_error())
    return html_error(code, "Bad Gateway" if code == 502 else "Service Unavailable")
