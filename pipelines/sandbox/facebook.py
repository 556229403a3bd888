"""Facebook Page nodes: Page insights (end_time at US Pacific midnight) and published_posts with paging.

The sandbox's day is the Asia/Jakarta day; a value for day d carries end_time = 00:00 America/Los_Angeles
on d + 1 (08:00 UTC in winter, 07:00 UTC in summer, via zoneinfo), so a client that takes the Pacific day
before end_time lands on d. Metrics, titles and what simulates them come from the specification
(`pipelines.platform_spec.facebook`); a retired metric (page_fans, page_impressions,
page_posts_impressions_unique from 2026-06-15) fails the whole call with `(#100)`, naming the metric.
`since`/`until` are Unix seconds (or dates, taken as Asia/Jakarta days); posts are filtered by their time.
"""

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from pipelines.platform_spec import spec
from pipelines.sandbox.meta_errors import error
from pipelines.sandbox.post_api import FB_POST_FIELDS, cursor, offset_of, split_fields
from pipelines.sandbox.post_api import fb_post_fields as post_fields
from pipelines.sandbox.post_model import posts_on_day
from pipelines.sandbox.posts import day_start_unix
from pipelines.sandbox.protocol import SandboxApp
from pipelines.sandbox.world import days_with_posts

PACIFIC = ZoneInfo("America/Los_Angeles")
WIB = ZoneInfo("Asia/Jakarta")
METRICS = {f.wire_name: f for f in spec("facebook").fields_of("insights")}
POST_FIELDS = FB_POST_FIELDS
MAX_WINDOW_DAYS = 90
MAX_POSTS_RANGE_DAYS = 400


def handle(app: SandboxApp, i: int, edge: str | None, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    if edge is None:
        return _page(app, i, query, as_of)
    if edge == "insights":
        return _insights(app, i, query, as_of)
    if edge in ("published_posts", "posts"):
        return _posts(app, i, edge, query, as_of, root)
    return error(100, f"(#100) Tried accessing nonexisting field ({edge}) on node type (Page)")


def _page(app: SandboxApp, i: int, query: dict, as_of: int) -> tuple[int, dict]:
    w = app.world
    a = w.accounts[i]
    body: dict = {}
    for f in [f for f in (query.get("fields") or "id,name").split(",") if f]:
        if f in ("followers_count", "fan_count"):
            body[f] = w.value("followers", as_of, i)
        elif f == "name":
            body[f] = w.units[a.unit_code].unit_name
        elif f == "username":
            body[f] = a.handle
        elif f != "id":
            return error(100, f"(#100) Tried accessing nonexisting field ({f}) on node type (Page)")
    body["id"] = a.platform_user_id
    return 200, body


def _moment(value: str | None, fallback: dt.date) -> int:
    """since/until as Unix seconds; a YYYY-MM-DD date is taken as 00:00 Asia/Jakarta of that day."""
    if not value:
        return day_start_unix(fallback)
    if value.isdigit():
        return int(value)
    return day_start_unix(dt.date.fromisoformat(value))


def _window(app: SandboxApp, query: dict, as_of: int) -> tuple[int, int] | tuple[int, dict]:
    """[since, until) as Unix seconds."""
    as_of_day = app.world.date_of(as_of)
    try:
        since = _moment(query.get("since"), as_of_day - dt.timedelta(days=1))
        until = _moment(query.get("until"), _wib_day(since) + dt.timedelta(days=2))
    except ValueError:
        return error(100, "(#100) since and until must be Unix timestamps or dates (YYYY-MM-DD)")
    if until <= since:
        return error(100, "(#100) The since date must be before the until date")
    return since, until


def _wib_day(moment: int) -> dt.date:
    return dt.datetime.fromtimestamp(moment, WIB).date()


def end_time(day: dt.date) -> str:
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PACIFIC)
    return midnight.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _insights(app: SandboxApp, i: int, query: dict, as_of: int) -> tuple[int, dict]:
    w = app.world
    names = [m for m in (query.get("metric") or "").split(",") if m]
    if not names:
        return error(100, "(#100) The parameter metric is required")
    for m in names:
        why = w.refuses("facebook", m)
        if why or m not in METRICS:
            # Meta's own message names no metric; the sandbox names it (and why) to help a reader of its logs.
            return error(
                100, f"(#100) The value must be a valid insights metric: {m}" + (f" ({why})" if why else "")
            )
    if query.get("period", "day") != "day":
        return error(100, "(#100) Invalid period: the sandbox serves period=day")
    window = _window(app, query, as_of)
    if isinstance(window[1], dict):
        return window
    since, until = window
    if until - since > MAX_WINDOW_DAYS * 86400:
        return error(100, "(#100) There cannot be more than 90 days (7776000 s) between since and until")
    first = max(0, w.day_index(_wib_day(since)))
    last = min(as_of, w.day_index(_wib_day(until - 1)))  # [since, until), and nothing after the as-of day
    uid = w.accounts[i].platform_user_id
    data = []
    for m in names:
        field = METRICS[m]
        values = [
            {"value": w.simulated(field.simulated_by, d, i), "end_time": end_time(w.date_of(d))}
            for d in range(first, last + 1)
        ]
        data.append(
            {
                "name": m,
                "period": "day",
                "values": values,
                "title": field.title,
                "description": field.description,
                "id": f"{uid}/insights/{m}/day",
            }
        )
    return 200, {"data": data}


def _posts(app: SandboxApp, i: int, edge: str, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    w = app.world
    fields = split_fields(query.get("fields"), "id,created_time")
    bad = [f for f in fields if f not in POST_FIELDS]
    if bad:
        return error(100, f"(#100) Tried accessing nonexisting field ({bad[0]}) on node type (PagePost)")
    window = _window(app, query, as_of)
    if isinstance(window[1], dict):
        return window
    since, until = window
    if until - since > MAX_POSTS_RANGE_DAYS * 86400:
        return error(100, f"(#100) The sandbox pages at most {MAX_POSTS_RANGE_DAYS} days of posts per query")
    try:
        limit = min(100, max(1, int(query.get("limit") or 25)))
        offset = offset_of(query["after"]) + 1 if query.get("after") else 0
    except (ValueError, IndexError):
        return error(100, "(#100) Invalid limit or cursor")
    first, last = max(0, w.day_index(_wib_day(since))), min(as_of, w.day_index(_wib_day(until - 1)))
    a = w.accounts[i]
    posts = []  # newest first: walk the posting days backwards
    for d in days_with_posts(w, i, last) if last >= 0 else []:
        if d < first:
            break
        posts.extend(p for p in posts_on_day(w, i, int(d)) if since <= p.ts < until)
        if len(posts) > offset + limit:
            break
    page = posts[offset : offset + limit]
    data = [post_fields(app, p, fields, as_of) for p in page]
    body: dict = {"data": data}
    if page:
        body["paging"] = {"cursors": {"before": cursor(offset), "after": cursor(offset + len(page) - 1)}}
        if len(posts) > offset + limit:
            nxt = {**query, "limit": str(limit), "after": cursor(offset + len(page) - 1)}
            body["paging"]["next"] = f"{root}/{a.platform_user_id}/{edge}?{urlencode(nxt)}"
    return 200, body
