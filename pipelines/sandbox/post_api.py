"""Post and comment endpoints of the sandbox, in the documented shapes (see `platform_spec.posts` for the pages):

- Graph (Instagram): `/{ig-user-id}/media`, `/{ig-media-id}` fields, `/{ig-media-id}/insights` (lifetime),
  `/{ig-media-id}/comments` with `replies{id,timestamp,from}`.
- Graph (Facebook): `/{page-id}/published_posts` with `attachments{media_type}`, `shares`,
  `comments.summary(true).limit(0)`; `/{post-id}/insights`; `/{post-id}/comments` with `comments{...,from}`.
- YouTube: `playlistItems` (uploads playlist `UU...`), `videos` (contentDetails, statistics),
  `commentThreads?allThreadsRelatedToChannelId` (snippet, replies).
- X: `/2/users/:id/tweets` with public_metrics and attachments + includes.media.
TikTok's video list (`tiktok.py`) carries the metrics itself.
"""

import base64
import datetime as dt
from urllib.parse import urlencode

from pipelines.sandbox.meta_errors import error
from pipelines.sandbox.post_model import (
    SimPost,
    comments,
    metrics,
    post_id,
    posts_between,
    posts_on_day,
    resolve,
)
from pipelines.sandbox.posts import WIB, day_start_unix, meta_time

IG_MEDIA_FIELDS = {"id", "timestamp", "media_type", "media_product_type", "permalink", "like_count"}
IG_MEDIA_FIELDS |= {"comments_count"}
IG_INSIGHTS = {
    "views": "views_count",
    "reach": "reach_count",
    "likes": "likes_count",
    "comments": "comments_count",
    "shares": "shares_count",
    "saved": "saves_count",
}
FB_POST_FIELDS = {"id", "created_time", "message", "permalink_url", "attachments{media_type}", "shares"}
FB_POST_FIELDS |= {"comments.summary(true).limit(0)"}
FB_INSIGHTS = {
    "post_media_view": "views_count",
    "post_total_media_view_unique": "reach_count",
    "post_reactions_by_type_total": "likes_count",
}
MAX_LIMIT = 100
MAX_RANGE_DAYS = 400


def split_fields(value: str | None, default: str) -> list[str]:
    """Graph `fields`: commas at brace/parenthesis depth 0 separate fields (`replies{id,from}` is one)."""
    out, depth, cur = [], 0, ""
    for ch in value or default:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [f for f in out if f]


def cursor(n: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{n}".encode()).decode().rstrip("=")


def offset_of(value: str) -> int:
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    return int(raw.split(":", 1)[1])


def wib_day_index(w, moment: int) -> int:
    return w.day_index(dt.datetime.fromtimestamp(moment, WIB).date())


def _page(items: list, query: dict, path: str, root: str) -> tuple[int, dict] | tuple[list, dict]:
    """(page items, paging) of a Graph list, cursor-paged; the error tuple for a bad limit or cursor."""
    try:
        limit = min(MAX_LIMIT, max(1, int(query.get("limit") or 25)))
        offset = offset_of(query["after"]) + 1 if query.get("after") else 0
    except (ValueError, IndexError):
        return error(100, "(#100) Invalid limit or cursor")
    page = items[offset : offset + limit]
    paging: dict = {}
    if page:
        paging = {"cursors": {"before": cursor(offset), "after": cursor(offset + len(page) - 1)}}
        if len(items) > offset + limit:
            nxt = {**query, "limit": str(limit), "after": cursor(offset + len(page) - 1)}
            paging["next"] = f"{root}/{path}?{urlencode(nxt)}"
    return page, paging


def _window(w, query: dict, as_of: int, default_days: int = 30):
    try:
        end = day_start_unix(w.date_of(as_of)) + 86400
        until = min(int(query.get("until") or end), end)
        since = int(query.get("since") or until - default_days * 86400)
    except ValueError:
        return error(100, "(#100) since and until must be Unix timestamps")
    if until <= since:
        return error(100, "(#100) The since timestamp must be before the until timestamp")
    if until - since > MAX_RANGE_DAYS * 86400:
        return error(100, f"(#100) The sandbox lists at most {MAX_RANGE_DAYS} days of posts per query")
    return since, until


def _listed(w, i: int, since: int, until: int) -> list[SimPost]:
    posts = posts_between(w, i, wib_day_index(w, since), wib_day_index(w, until - 1))
    return [p for p in posts if since <= p.ts < until]


# --- Graph ---------------------------------------------------------------------------------------------


def ig_media(app, i: int, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    w = app.world
    fields = split_fields(query.get("fields"), "id")
    bad = [f for f in fields if f not in IG_MEDIA_FIELDS]
    if bad:
        return error(100, f"(#100) Tried accessing nonexisting field ({bad[0]}) on node type (IGMedia)")
    window = _window(w, query, as_of)
    if isinstance(window[1], dict):
        return window
    uid = w.accounts[i].platform_user_id
    page = _page(_listed(w, i, *window), query, f"{uid}/media", root)
    if isinstance(page[1], dict) and isinstance(page[0], int):
        return page
    posts, paging = page
    body: dict = {"data": [_ig_fields(w, p, fields, as_of) for p in posts]}
    if paging:
        body["paging"] = paging
    return 200, body


def _ig_fields(w, p: SimPost, fields: list[str], as_of: int) -> dict:
    media_type, product = p.native_type.split("/")
    values = metrics(w, p, as_of)
    pid = post_id(w, p)
    full = {
        "id": pid,
        "timestamp": meta_time(p.ts),
        "media_type": media_type,
        "media_product_type": product,
        "permalink": f"https://www.instagram.com/p/{pid[-11:]}/",
        "like_count": values["likes_count"],
        "comments_count": values["comments_count"],
    }
    return {f: full[f] for f in fields} | {"id": pid}


def fb_post_fields(app, p: SimPost, fields: list[str], as_of: int) -> dict:
    w = app.world
    values = metrics(w, p, as_of)
    pid = post_id(w, p)
    full = {
        "id": pid,
        "created_time": meta_time(p.ts),
        "message": f"Kegiatan {w.units[w.accounts[p.i].unit_code].unit_name} #{p.h % 1000}",
        "permalink_url": f"https://www.facebook.com/{pid}",
        "comments.summary(true).limit(0)": {
            "data": [],
            "summary": {"order": "ranked", "total_count": values["comments_count"], "can_comment": True},
        },
    }
    if p.native_type != "status":
        full["attachments{media_type}"] = {"data": [{"media_type": p.native_type}]}
    if values["shares_count"]:  # Graph leaves `shares` out of a post nobody shared
        full["shares"] = {"count": values["shares_count"]}
    out = {"id": pid}
    for f in fields:
        key = f.split("{")[0].split(".")[0]
        if f in full:
            out[key] = full[f]
    return out


def resolve_node(w, node: str) -> SimPost | None:
    return resolve(w, "instagram", node) or resolve(w, "facebook", node)


def graph_post(app, p: SimPost, edge: str | None, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    w = app.world
    node = post_id(w, p)
    if p.d > as_of:
        return error(100, f"Unsupported get request. Object with ID '{node}' does not exist", subcode=33)
    if edge is None:
        fields = split_fields(query.get("fields"), "id")
        if p.platform == "instagram":
            bad = [f for f in fields if f not in IG_MEDIA_FIELDS]
            if bad:
                return error(
                    100, f"(#100) Tried accessing nonexisting field ({bad[0]}) on node type (IGMedia)"
                )
            return 200, _ig_fields(w, p, fields, as_of)
        return 200, fb_post_fields(app, p, fields, as_of)
    if edge == "insights":
        return _post_insights(w, p, node, query, as_of)
    if edge == "comments":
        return _comments(w, p, node, query, as_of, root)
    kind = "IGMedia" if p.platform == "instagram" else "PagePost"
    return error(100, f"(#100) Tried accessing nonexisting field ({edge}) on node type ({kind})")


def _post_insights(w, p: SimPost, node: str, query: dict, as_of: int) -> tuple[int, dict]:
    served = IG_INSIGHTS if p.platform == "instagram" else FB_INSIGHTS
    names = [m for m in (query.get("metric") or "").split(",") if m]
    if not names:
        return error(100, "(#100) The parameter metric is required")
    for k, m in enumerate(names):
        if m not in served or w.refuses(p.platform, m):
            return error(100, f"(#100) metric[{k}] must be one of the following values: {', '.join(served)}")
    values = metrics(w, p, as_of)
    data = []
    for m in names:
        value = values[served[m]]
        if m == "post_reactions_by_type_total":
            love = value // 7
            value = {"like": value - love, "love": love}
        data.append(
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": value}],
                "title": m.replace("_", " ").title(),
                "description": f"Lifetime {m}",
                "id": f"{node}/insights/{m}/lifetime",
            }
        )
    return 200, {"data": data}


def _comments(w, p: SimPost, node: str, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    owner = w.accounts[p.i].platform_user_id
    ig = p.platform == "instagram"
    stamp = "timestamp" if ig else "created_time"
    listed = comments(w, p, as_of)
    page = _page(listed, query, f"{node}/comments", root)
    if isinstance(page[1], dict) and isinstance(page[0], int):
        return page
    items, paging = page
    fields = split_fields(query.get("fields"), f"id,{stamp}")
    nested = next((f for f in fields if f.startswith(("replies{", "comments{"))), None)
    data = []
    for c in items:
        entry: dict = {"id": c.comment_id, stamp: meta_time(c.ts)}
        if nested:
            replies = [
                {
                    "id": f"{c.comment_id}{n}",
                    stamp: meta_time(c.ts + 600 * (n + 1)),
                    "from": {"id": f"9{n}{c.ts}"},
                }
                for n in range(c.other_replies)
            ]
            if c.account_reply_ts is not None:
                who = {"id": owner, "username" if ig else "name": w.accounts[p.i].handle}
                replies.append({"id": f"{c.comment_id}9", stamp: meta_time(c.account_reply_ts), "from": who})
            replies.sort(key=lambda r: r[stamp])
            if replies:
                entry["replies" if ig else "comments"] = {"data": replies}
        data.append(entry)
    body: dict = {"data": data}
    if paging:
        body["paging"] = paging
    return 200, body


def posts_for(w, i: int, as_of: int, days: int) -> list[SimPost]:
    return posts_between(w, i, as_of - days + 1, as_of)


__all__ = ["fb_post_fields", "graph_post", "ig_media", "posts_on_day", "resolve_node", "split_fields"]
