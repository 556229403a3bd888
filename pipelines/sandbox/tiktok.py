"""TikTok Display API v2: user info and the video list (newest first, cursor = Unix milliseconds).

The user token selects the account. Every body carries `error` (`code: "ok"` on success).
"""

import json

from pipelines.platform_spec import spec
from pipelines.sandbox.post_model import SimPost, metrics, post_id, posts_on_day
from pipelines.sandbox.posts import day_start_unix
from pipelines.sandbox.protocol import Request, Response, SandboxApp, html_error, trace_id
from pipelines.sandbox.world import days_with_posts

COUNTERS = spec("tiktok").fields_of("user_info")
USER_FIELDS = {
    "open_id",
    "union_id",
    "avatar_url",
    "avatar_url_100",
    "avatar_large_url",
    "display_name",
    "bio_description",
    "profile_deep_link",
    "is_verified",
    "username",
    "follower_count",
    "following_count",
    "likes_count",
    "video_count",
}
VIDEO_FIELDS = {
    "id",
    "create_time",
    "cover_image_url",
    "share_url",
    "video_description",
    "duration",
    "height",
    "width",
    "title",
    "embed_html",
    "embed_link",
    "like_count",
    "comment_count",
    "share_count",
    "view_count",
}
MAX_COUNT = 20


def reply(status: int, data: dict | None, code: str = "ok", message: str = "", headers=None) -> Response:
    body = {
        "data": data if data is not None else {},
        "error": {"code": code, "message": message, "log_id": trace_id()},
    }
    return Response(status, body, headers or {})


def handle(app: SandboxApp, req: Request) -> Response:
    w = app.world
    route = req.path.strip("/")
    if (req.method, route) not in (("GET", "user/info"), ("POST", "video/list")):
        return reply(404, None, "not_found", f"{req.method} /{route}/ is not an endpoint of the Display API")
    auth = req.headers.get("Authorization") or ""
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    i = w.token_index.get(token)
    if i is None or w.accounts[i].platform != "tiktok":
        return reply(
            401, None, "access_token_invalid", "The access token is invalid or not found in the request."
        )
    state = w.error_state(i, req.as_of)
    if state == "stop_reporting":
        return reply(401, None, "access_token_invalid", "The access token has been revoked by the user.")
    if state == "suspended":
        return reply(400, None, "invalid_user", "The user is banned or the account no longer exists.")
    usage = app.limiter.hit("tiktok", route, app.config.tiktok_limit)
    if not usage.allowed:
        app.stats.limited("tiktok")
        return rate_limited(str(usage.retry_after()))
    fields = [f for f in (req.query.get("fields") or "").split(",") if f]
    if route == "user/info":
        return _user_info(app, i, fields, req.as_of)
    return _video_list(app, i, fields, req)


def rate_limited(retry_after: str) -> Response:
    message = "The API rate limit was exceeded. Please try again later."
    return reply(429, None, "rate_limit_exceeded", message, {"Retry-After": retry_after})


def _user_info(app: SandboxApp, i: int, fields: list[str], as_of: int) -> Response:
    w = app.world
    bad = [f for f in fields if f not in USER_FIELDS]
    if not fields or bad:
        return reply(400, None, "invalid_params", f"Invalid fields: {bad or 'fields is required'}")
    refused = [f for f in fields if w.refuses("tiktok", f)]
    if refused:
        return reply(400, None, "invalid_params", f"Invalid fields: {refused}")
    a = w.accounts[i]
    values = {
        "open_id": a.platform_user_id,
        "display_name": w.units[a.unit_code].unit_name,
        "username": a.handle,
        "is_verified": True,
    }
    values |= {f.wire_name: w.simulated(f.simulated_by, as_of, i) for f in COUNTERS}
    return reply(200, {"user": {f: values.get(f, "") for f in fields}})


def _video_list(app: SandboxApp, i: int, fields: list[str], req: Request) -> Response:
    w = app.world
    fields = fields or ["id", "create_time"]
    bad = [f for f in fields if f not in VIDEO_FIELDS]
    if bad:
        return reply(400, None, "invalid_params", f"Invalid fields: {bad}")
    try:
        body = json.loads(req.body or b"{}")
        max_count = int(body.get("max_count", 10))
        cursor = body.get("cursor")
        cursor = None if cursor is None else int(cursor)
    except (ValueError, TypeError, AttributeError):
        return reply(
            400, None, "invalid_params", "The request body must be JSON with integer max_count and cursor."
        )
    if not 1 <= max_count <= MAX_COUNT:
        return reply(400, None, "invalid_params", f"max_count must be between 1 and {MAX_COUNT}.")
    end_ms = (day_start_unix(w.date_of(req.as_of)) + 86400) * 1000  # nothing after the as-of day exists yet
    cursor = end_ms if cursor is None else min(cursor, end_ms)
    last_day = min(req.as_of, (cursor // 1000 - day_start_unix(w.epoch)) // 86400)
    found: list[SimPost] = []  # newest first
    if last_day >= 0:
        for d in days_with_posts(w, i, int(last_day)):
            found.extend(p for p in posts_on_day(w, i, int(d)) if p.ts * 1000 < cursor)
            if len(found) > max_count:
                break
    page = found[:max_count]
    videos = [_video(app, p, fields, req.as_of) for p in page]
    next_cursor = page[-1].ts * 1000 if page else cursor
    return reply(200, {"videos": videos, "cursor": next_cursor, "has_more": len(found) > max_count})


def _video(app: SandboxApp, p: SimPost, fields: list[str], as_of: int) -> dict:
    w = app.world
    values = metrics(w, p, as_of)  # lifetime figures as of the as-of day (post_model)
    vid = post_id(w, p)
    full = {
        "id": vid,
        "create_time": p.ts,
        "title": f"Video #{p.h % 10000}",
        "video_description": "Kegiatan humas",
        "duration": p.duration_s,
        "height": 1920,
        "width": 1080,
        "share_url": f"https://www.tiktok.com/@{w.accounts[p.i].handle}/video/{vid}",
        "view_count": values["views_count"],
        "like_count": values["likes_count"],
        "comment_count": values["comments_count"],
        "share_count": values["shares_count"],
    }
    return {f: full.get(f, "") for f in fields}


def fault_response(app: SandboxApp, kind: str) -> Response:
    if kind == "throttle":
        return rate_limited(str(app.config.throttle_retry_after_s))
    code = app.faults.choice((500, 502, 503))
    if code == 502:
        return html_error(502, "Bad Gateway")
    return reply(code, None, "internal_error", "Something went wrong. Please try again later.")
