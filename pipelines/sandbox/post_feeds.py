"""YouTube uploads/videos/commentThreads and the X user timeline, in the documented shapes.

YouTube (each call 1 quota unit, spent by the caller in `youtube.py`): the uploads playlist of channel
`UC<x>` is `UU<x>`; `playlistItems` lists it newest first (contentDetails.videoId, videoPublishedAt),
`videos` answers up to 50 ids with contentDetails.duration (ISO 8601) and statistics as strings,
`commentThreads?allThreadsRelatedToChannelId` pages the channel's threads newest first with `pageToken`.
X: `/2/users/:id/tweets` newest first with `start_time`, `max_results` 5..100, `meta.next_token`.
"""

import datetime as dt

from pipelines.sandbox.post_model import SimPost, comments, metrics, post_id, posts_between, resolve
from pipelines.sandbox.posts import day_start_unix
from pipelines.sandbox.protocol import Request, Response

HISTORY_DAYS = 400  # how far back the sandbox lists uploads and timelines


def iso(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s or not (h or m) else "")


def _yt_error(status: int, reason: str, message: str) -> Response:
    body = {"error": {"code": status, "message": message, "errors": [{"reason": reason, "message": message}]}}
    return Response(status, body)


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(token.removeprefix("CAE"))
    except ValueError:
        return -1


def _recent(w, i: int, as_of: int) -> list[SimPost]:
    return posts_between(w, i, as_of - HISTORY_DAYS + 1, as_of)


def youtube(app, req: Request, route: str) -> Response:
    w = app.world
    q = req.query
    try:
        size = int(q.get("maxResults") or 5)
    except ValueError:
        size = -1
    limit = 100 if route == "commentThreads" else 50
    if not 0 <= size <= limit:
        return _yt_error(400, "invalidParameter", f"maxResults must be between 0 and {limit}")
    start = _offset(q.get("pageToken"))
    if start < 0:
        return _yt_error(400, "invalidPageToken", "The request specifies an invalid page token.")
    index = w.by_platform.get("youtube", {})
    if route == "videos":
        ids = [v for v in (q.get("id") or "").split(",") if v]
        if len(ids) > 50:
            return _yt_error(400, "invalidValue", "The id parameter accepts at most 50 values.")
        found = [p for p in (resolve(w, "youtube", v) for v in ids) if p and p.d <= req.as_of]
        items = [_video(w, p, req.as_of, q.get("part") or "") for p in found]
        return Response(
            200, {"kind": "youtube#videoListResponse", "items": items, "pageInfo": _info(len(items), size)}
        )
    if route == "playlistItems":
        playlist = q.get("playlistId") or ""
        i = index.get("UC" + playlist[2:]) if playlist.startswith("UU") else None
        if i is None or w.error_state(i, req.as_of):
            return _yt_error(
                404, "playlistNotFound", "The playlist identified with the request cannot be found."
            )
        posts = _recent(w, i, req.as_of)
        items = [
            {
                "kind": "youtube#playlistItem",
                "id": f"pl{post_id(w, p)}",
                "contentDetails": {"videoId": post_id(w, p), "videoPublishedAt": iso(p.ts)},
            }
            for p in posts[start : start + size]
        ]
        return _paged(Response, "youtube#playlistItemListResponse", items, len(posts), start, size)
    channel = q.get("allThreadsRelatedToChannelId") or ""
    i = index.get(channel)
    if i is None or w.error_state(i, req.as_of):
        return _yt_error(404, "channelNotFound", "The channel could not be found.")
    threads = [
        (c, p) for p in _recent(w, i, req.as_of)[:60] for c in comments(w, p, req.as_of)
    ]  # the channel's recent videos: enough for any observation window
    threads.sort(key=lambda cp: cp[0].ts, reverse=True)
    items = [_thread(w, c, p, channel) for c, p in threads[start : start + size]]
    return _paged(Response, "youtube#commentThreadListResponse", items, len(threads), start, size)


def _info(total: int, size: int) -> dict:
    return {"totalResults": total, "resultsPerPage": size}


def _paged(cls, kind: str, items: list, total: int, start: int, size: int) -> Response:
    body: dict = {"kind": kind, "items": items, "pageInfo": _info(total, size)}
    if start + size < total:
        body["nextPageToken"] = f"CAE{start + size}"
    return cls(200, body)


def _video(w, p: SimPost, as_of: int, part: str) -> dict:
    item: dict = {"kind": "youtube#video", "id": post_id(w, p)}
    if "snippet" in part:
        item["snippet"] = {"publishedAt": iso(p.ts), "channelId": w.accounts[p.i].platform_user_id}
    if "contentDetails" in part:
        item["contentDetails"] = {"duration": iso_duration(p.duration_s or 0), "definition": "hd"}
    if "statistics" in part:
        v = metrics(w, p, as_of)
        item["statistics"] = {
            "viewCount": str(v["views_count"]),
            "likeCount": str(v["likes_count"]),
            "favoriteCount": "0",
            "commentCount": str(v["comments_count"]),
        }
    return item


def _thread(w, c, p: SimPost, channel: str) -> dict:
    replies = [
        {
            "snippet": {
                "authorChannelId": {"value": f"UCfan{n}{c.ts}"},
                "publishedAt": iso(c.ts + 600 * (n + 1)),
            }
        }
        for n in range(c.other_replies)
    ]
    if c.account_reply_ts is not None:
        replies.append(
            {"snippet": {"authorChannelId": {"value": channel}, "publishedAt": iso(c.account_reply_ts)}}
        )
    replies.sort(key=lambda r: r["snippet"]["publishedAt"])
    item: dict = {
        "kind": "youtube#commentThread",
        "id": c.comment_id,
        "snippet": {
            "channelId": channel,
            "videoId": post_id(w, p),
            "topLevelComment": {"id": c.comment_id, "snippet": {"publishedAt": iso(c.ts)}},
            "totalReplyCount": len(replies),
            "canReply": True,
            "isPublic": True,
        },
    }
    if replies:
        item["replies"] = {"comments": replies}
    return item


# --- X -------------------------------------------------------------------------------------------------

X_MEDIA = {"photo": ["photo"], "photos": ["photo", "photo", "photo"], "video": ["video"]}
X_MEDIA["animated_gif"] = ["animated_gif"]


def x_timeline(app, req: Request, uid: str, headers: dict) -> Response:
    w = app.world
    i = w.by_platform.get("x", {}).get(uid)
    if i is None or w.error_state(i, req.as_of):
        body = {
            "errors": [
                {
                    "value": uid,
                    "detail": f"Could not find user with id: [{uid}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "id",
                    "resource_id": uid,
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }
            ]
        }
        return Response(200, body, headers)
    q = req.query
    try:
        size = int(q.get("max_results") or 10)
        start = int(q.get("pagination_token") or 0)
        since = (
            dt.datetime.fromisoformat(q["start_time"].replace("Z", "+00:00")).timestamp()
            if q.get("start_time")
            else 0
        )
    except ValueError:
        return Response(
            400, {"title": "Invalid Request", "detail": "invalid max_results, start_time or token"}, headers
        )
    if not 5 <= size <= 100:
        return Response(
            400, {"title": "Invalid Request", "detail": "max_results must be between 5 and 100"}, headers
        )
    end = day_start_unix(w.date_of(req.as_of)) + 86400
    posts = [p for p in _recent(w, i, req.as_of) if since <= p.ts < end]
    page = posts[start : start + size]
    data, media = [], []
    for p in page:
        pid = post_id(w, p)
        v = metrics(w, p, req.as_of)
        shares = v["shares_count"]
        tweet = {
            "id": pid,
            "text": f"Informasi publik #{p.h % 1000}",
            "created_at": iso(p.ts).replace("Z", ".000Z"),
            "edit_history_tweet_ids": [pid],
            "public_metrics": {
                "retweet_count": shares - shares // 4,
                "reply_count": v["comments_count"],
                "like_count": v["likes_count"],
                "quote_count": shares // 4,
                "bookmark_count": v["saves_count"],
                "impression_count": v["views_count"],
            },
        }
        kinds = X_MEDIA.get(p.native_type, [])
        if kinds:
            keys = [f"3_{pid}{n}" for n in range(len(kinds))]
            tweet["attachments"] = {"media_keys": keys}
            media.extend({"media_key": key, "type": kind} for key, kind in zip(keys, kinds, strict=True))
        data.append(tweet)
    meta: dict = {"result_count": len(data)}
    if data:
        meta |= {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"]}
    if start + size < len(posts):
        meta["next_token"] = str(start + size)
    body: dict = {"meta": meta}
    if data:
        body["data"] = data
    if media:
        body["includes"] = {"media": media}
    return Response(200, body, headers)
