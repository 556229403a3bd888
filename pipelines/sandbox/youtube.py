"""YouTube Data API v3 `channels.list`: statistics as strings, 50 ids a call, 1 quota unit a call.

Unknown, terminated (suspended) and no-longer-visible (stop_reporting) channels are silently absent. An
invalid key is answered as Google does today: HTTP 400 `badRequest`, the cause only in `details[].reason`
(google.rpc.ErrorInfo `API_KEY_INVALID`). Statistics come from the specification's fields.
"""

import hashlib

from pipelines.platform_spec import spec
from pipelines.sandbox import post_feeds
from pipelines.sandbox.protocol import Request, Response, SandboxApp, html_error

MAX_IDS = 50
POST_ROUTES = ("playlistItems", "videos", "commentThreads")
STATISTICS = spec("youtube").fields_of("channels")
PARTS = {"id", "snippet", "statistics", "contentDetails", "brandingSettings", "status", "topicDetails"}
PARTS |= {"replies"}  # commentThreads


def _error(status: int, reason: str, message: str, domain: str = "global", headers=None) -> Response:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return Response(status, body, headers or {})


def key_invalid() -> Response:
    message = "API key not valid. Please pass a valid API key."
    body = {
        "error": {
            "code": 400,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "badRequest"}],
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "youtube.googleapis.com"},
                },
                {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "en-US",
                    "message": message,
                },
            ],
        }
    }
    return Response(400, body)


def _etag(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:27]


def handle(app: SandboxApp, req: Request) -> Response:
    w = app.world
    route = req.path.strip("/")
    if req.method != "GET" or route not in ("channels", *POST_ROUTES):
        return _error(404, "notFound", "Not Found")
    key = req.query.get("key")
    if key != w.youtube_api_key:
        return key_invalid()
    usage = app.limiter.hit("youtube", key, app.config.youtube_limit)
    if not usage.allowed:
        app.stats.limited("youtube")
        return rate_limited(str(usage.retry_after()))
    if not app.quota.spend(key, 1):
        app.stats.limited("youtube_quota")
        msg = (
            "The request cannot be completed because you have exceeded your "
            '<a href="/youtube/v3/getting-started#quota">quota</a>.'
        )
        return _error(403, "quotaExceeded", msg, "youtube.quota")
    parts = [p for p in (req.query.get("part") or "").split(",") if p]
    if not parts:
        return _error(400, "required", "Required parameter: part", "global")
    if route in POST_ROUTES:  # uploads, videos, comment threads: 1 unit each, like channels.list
        return post_feeds.youtube(app, req, route)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        return _error(400, "unknownPart", f"'{unknown[0]}'", "youtube.part")
    ids = list(dict.fromkeys(c for c in (req.query.get("id") or "").split(",") if c))
    if not ids:
        msg = "No filter selected. Expected one of: forHandle, forUsername, id, managedByMe, mine"
        return _error(400, "missingRequiredParameter", msg, "youtube.parameter")
    if len(ids) > MAX_IDS:
        return _error(
            400, "invalidValue", f"The id parameter accepts at most {MAX_IDS} values.", "youtube.parameter"
        )
    index = w.by_platform.get("youtube", {})
    items = []
    for cid in ids:
        i = index.get(cid)
        if i is None or w.error_state(i, req.as_of):  # terminated or hidden channels are just absent
            continue
        item: dict = {"kind": "youtube#channel", "etag": _etag(cid, str(req.as_of)), "id": cid}
        if "snippet" in parts:
            a = w.accounts[i]
            item["snippet"] = {"title": w.units[a.unit_code].unit_name, "customUrl": f"@{a.handle}"}
        if "statistics" in parts:
            item["statistics"] = _statistics(w, req.as_of, i)
        items.append(item)
    return Response(
        200,
        {
            "kind": "youtube#channelListResponse",
            "etag": _etag(*ids, str(req.as_of)),
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
            "items": items,
        },
    )


def _statistics(w, as_of: int, i: int) -> dict:
    """Counts as strings; subscriberCount absent when the channel hides it (hiddenSubscriberCount true)."""
    stats: dict = {}
    for f in STATISTICS:
        value = w.simulated(f.simulated_by, as_of, i)
        if f.is_flag:
            stats[f.wire_name] = bool(value)
        elif value is not None:
            stats[f.wire_name] = str(value)
    return stats


def rate_limited(retry_after: str) -> Response:
    return _error(
        403,
        "rateLimitExceeded",
        "The request cannot be completed due to too many requests.",
        "usageLimits",
        {"Retry-After": retry_after},
    )


def fault_response(app: SandboxApp, kind: str) -> Response:
    if kind == "throttle":
        return rate_limited(str(app.config.throttle_retry_after_s))
    code = app.faults.choice((500, 502, 503))
    if code == 500:
        return _error(500, "backendError", "Backend Error")
    if code == 503:
        return _error(503, "backendError", "The service is currently unavailable.")
    return html_error(502, "Bad Gateway")
