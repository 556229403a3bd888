"""X API v2 users lookup: public metrics for up to 100 ids, partial errors in an `errors` array.

Every response carries x-rate-limit-* headers for the bearer token's window; a 429 has no Retry-After.
A revoked account (stop_reporting) is "not found"; a suspended one is "Forbidden".
"""

import time

from pipelines.platform_spec import spec
from pipelines.sandbox import post_feeds
from pipelines.sandbox.protocol import Request, Response, SandboxApp, html_error

MAX_IDS = 100
USER_FIELDS = {
    "created_at",
    "description",
    "entities",
    "id",
    "location",
    "most_recent_tweet_id",
    "name",
    "pinned_tweet_id",
    "profile_image_url",
    "protected",
    "public_metrics",
    "url",
    "username",
    "verified",
    "verified_type",
    "withheld",
}
PROBLEM = "https://api.twitter.com/2/problems/"
PUBLIC_METRICS = spec("x").fields_of("users")


def _problem(status: int, title: str, detail: str, headers=None) -> Response:
    return Response(
        status, {"title": title, "type": "about:blank", "status": status, "detail": detail}, headers or {}
    )


def _invalid(message: str, headers: dict) -> Response:
    body = {
        "errors": [{"parameters": {}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": PROBLEM + "invalid-request",
    }
    return Response(400, body, headers)


def _limit_headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(reset + 0.999)),
    }


def handle(app: SandboxApp, req: Request) -> Response:
    w = app.world
    auth = req.headers.get("Authorization") or ""
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if token != w.x_bearer_token:
        return _problem(401, "Unauthorized", "Unauthorized")
    usage = app.limiter.hit("x", token, app.config.x_limit)
    headers = _limit_headers(usage.limit, usage.remaining, usage.reset_at)
    if not usage.allowed:
        app.stats.limited("x")
        return _problem(429, "Too Many Requests", "Too Many Requests", headers)
    timeline = req.path.strip("/").split("/")
    if req.method == "GET" and len(timeline) == 3 and timeline[0] == "users" and timeline[2] == "tweets":
        return post_feeds.x_timeline(app, req, timeline[1], headers)
    if req.method != "GET" or req.path.rstrip("/") != "/users":
        return Response(
            404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}, headers
        )
    ids = [x for x in (req.query.get("ids") or "").split(",") if x]
    if not 1 <= len(ids) <= MAX_IDS:
        return _invalid(
            f"The number of values in the `ids` query parameter list [{len(ids)}] is not between 1 and 100",
            headers,
        )
    bad = [x for x in ids if not x.isdigit()]
    if bad:
        return _invalid(f"The `ids` query parameter value [{bad[0]}] is not valid", headers)
    fields = [f for f in (req.query.get("user.fields") or "").split(",") if f]
    unknown = [f for f in fields if f not in USER_FIELDS]
    if unknown:
        return _invalid(
            f"The `user.fields` query parameter value [{unknown[0]}] is not one of {sorted(USER_FIELDS)}",
            headers,
        )
    index = w.by_platform.get("x", {})
    data, errors = [], []
    for uid in dict.fromkeys(ids):
        i = index.get(uid)
        state = w.error_state(i, req.as_of) if i is not None else "unknown"
        if state == "suspended":
            errors.append(
                _entry(uid, "Forbidden", f"User has been suspended: [{uid}].", "resource-not-found")
            )
        elif state:
            errors.append(
                _entry(
                    uid, "Not Found Error", f"Could not find user with ids: [{uid}].", "resource-not-found"
                )
            )
        else:
            data.append(_user(app, i, uid, fields, req.as_of))
    body: dict = {}
    if data:
        body["data"] = data
    if errors:
        body["errors"] = errors
    return Response(200, body, headers)


def _entry(uid: str, title: str, detail: str, kind: str) -> dict:
    return {
        "value": uid,
        "detail": detail,
        "title": title,
        "resource_type": "user",
        "parameter": "ids",
        "resource_id": uid,
        "type": PROBLEM + kind,
    }


def _user(app: SandboxApp, i: int, uid: str, fields: list[str], as_of: int) -> dict:
    w = app.world
    a = w.accounts[i]
    user = {"id": uid, "name": w.units[a.unit_code].unit_name, "username": a.handle}
    if "public_metrics" in fields:
        user["public_metrics"] = {f.wire_name: w.simulated(f.simulated_by, as_of, i) for f in PUBLIC_METRICS}
    if "protected" in fields:
        user["protected"] = False
    if "verified" in fields:
        user["verified"] = True
    return user


def fault_response(app: SandboxApp, kind: str) -> Response:
    if kind == "throttle":
        reset = time.time() + app.config.throttle_retry_after_s
        headers = _limit_headers(app.config.x_limit.limit, 0, reset)
        return _problem(429, "Too Many Requests", "Too Many Requests", headers)
    code = app.faults.choice((500, 502, 503))
    if code == 500:
        return _problem(500, "Internal Server Error", "Internal Server Error")
    if code == 503:
        return _problem(503, "Service Unavailable", "Service Unavailable")
    return html_error(502, "Bad Gateway")
