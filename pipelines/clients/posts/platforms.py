"""The five post clients: each is its platform's account-day client plus what its posts API needs.

Instagram and Facebook share `MetaPostFetcher` (Graph batches); YouTube, X and TikTok are declared here with
their paging. Which requests and fields, and the documentation pages, are in `platform_spec.posts`.
"""

import datetime as dt
import re
from typing import ClassVar

from pipelines.clients.base import FetchContext
from pipelines.clients.facebook import FacebookClient
from pipelines.clients.http import parse_json
from pipelines.clients.instagram import InstagramClient
from pipelines.clients.posts.base import (
    AccountPosts,
    CommentValues,
    ObservationWindow,
    PostFetcher,
    PostValues,
    first_reply_by,
    parse_time,
)
from pipelines.clients.posts.meta import MetaPostFetcher
from pipelines.clients.tiktok import PAGE_SIZE, TikTokClient
from pipelines.clients.types import FAILED, NOT_FOUND, Fail, Ok, Resolved, Verdict
from pipelines.clients.x import XClient
from pipelines.clients.youtube import YouTubeClient
from pipelines.platform_spec.posts import SHORT_VIDEO_MAX_S
from pipelines.registry import Account

# YouTube comment threads per channel and day (100 each, newest first): one page, 1 unit. Fetched daily, so up
# to 100 new comments a day per channel are seen; a busier channel is sampled (the budget: post_budget.py).
MAX_THREAD_PAGES = 1
YT_PAGE = 50  # playlistItems maxResults (documented maximum)
YT_THREADS_PAGE = 100  # commentThreads maxResults (documented maximum)
X_PAGE = 100  # max_results of the user timeline (5..100)
TIKTOK_PAGE = PAGE_SIZE


class InstagramPostClient(MetaPostFetcher, InstagramClient):
    list_edge = "media"
    list_fields = "id,timestamp,media_type,media_product_type"
    insight_metrics: ClassVar[dict[str, str]] = {
        "views": "views_count",
        "reach": "reach_count",
        "likes": "likes_count",
        "comments": "comments_count",
        "shares": "shares_count",
        "saved": "saves_count",
    }
    comment_fields = "id,timestamp,replies{id,timestamp,from}"
    time_field = "timestamp"
    replies_key = "replies"

    def listed_post(self, item: dict) -> PostValues:
        native = f"{item['media_type']}/{item.get('media_product_type') or 'FEED'}"
        return PostValues(str(item["id"]), parse_time(item["timestamp"]), native)


class FacebookPostClient(MetaPostFetcher, FacebookClient):
    list_edge = "published_posts"
    list_fields = "id,created_time,attachments{media_type},shares,comments.summary(true).limit(0)"
    insight_metrics: ClassVar[dict[str, str]] = {
        "post_media_view": "views_count",
        "post_total_media_view_unique": "reach_count",
        "post_reactions_by_type_total": "likes_count",
    }
    comment_fields = "id,created_time,comments{id,created_time,from}"
    time_field = "created_time"
    replies_key = "comments"

    def listed_post(self, item: dict) -> PostValues:
        attachments = (item.get("attachments") or {}).get("data") or []
        native = str(attachments[0].get("media_type") or "status") if attachments else "status"
        summary = (item.get("comments") or {}).get("summary") or {}
        metrics = {
            "comments_count": summary.get("total_count"),
            # Graph leaves `shares` out when nobody shared the post: zero, not unknown
            "shares_count": (item.get("shares") or {}).get("count", 0),
        }
        return PostValues(str(item["id"]), parse_time(item["created_time"]), native, metrics=metrics)


_DURATION = re.compile(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def iso_duration_s(value: str) -> int:
    """ISO 8601 durations as videos.list writes them (PT1M5S, PT2H, P1DT3M)."""
    m = _DURATION.match(value or "")
    if not m or not any(m.groups()):
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    d, h, mi, s = (int(g or 0) for g in m.groups())
    return ((d * 24 + h) * 60 + mi) * 60 + s


class YouTubePostClient(PostFetcher, YouTubeClient):
    """uploads playlist (1 unit per channel) -> videos.list for 50 ids at once (1 unit) -> commentThreads
    of the channel (1 unit per 100 threads). Never search.list (100 units)."""

    def fetch_posts_batch(
        self, batch: list[Account], ctx: FetchContext, window: ObservationWindow, comments: bool
    ):
        out: dict[str, Resolved] = {}
        videos: dict[str, tuple[str, dt.datetime]] = {}  # video id -> (account id, published)
        for a in batch:
            listed = self._uploads(ctx, a, window)
            if isinstance(listed, Resolved):
                out[a.account_id] = listed
                if isinstance(listed.verdict, Fail) and listed.verdict.stop_platform:
                    break
                continue
            videos.update({vid: (a.account_id, at) for vid, at in listed})
        details: dict[str, dict] = {}
        ids = list(videos)
        for start in range(0, len(ids), 50):
            part = ids[start : start + 50]
            got = self._get(ctx, "videos", {"part": "contentDetails,statistics", "id": ",".join(part)})
            if isinstance(got.verdict, Fail):
                for vid in part:
                    out.setdefault(videos[vid][0], got)
                continue
            details.update({item["id"]: item for item in got.verdict.value.get("items") or []})
        per_account: dict[str, list[PostValues]] = {
            a.account_id: [] for a in batch if a.account_id not in out
        }
        for vid, (aid, at) in videos.items():
            if aid in out or vid not in details:
                continue  # a video deleted between the two calls is simply not observed
            item = details[vid]
            duration = iso_duration_s((item.get("contentDetails") or {}).get("duration", ""))
            stats = item.get("statistics") or {}
            metrics = {
                "views_count": stats.get("viewCount"),
                "likes_count": stats.get("likeCount"),  # absent when the owner hides likes
                "comments_count": stats.get("commentCount"),  # absent when comments are off
            }
            native = "short" if duration <= SHORT_VIDEO_MAX_S else "long"
            per_account[aid].append(PostValues(vid, at, native, duration, metrics))
        for a in batch:
            if a.account_id in out:
                continue
            threads = self._threads(ctx, a, window) if comments else None
            if isinstance(threads, Resolved):
                out[a.account_id] = threads
                continue
            out[a.account_id] = Resolved(Ok(AccountPosts(per_account[a.account_id], threads)), 1)
        return out

    def _get(self, ctx: FetchContext, route: str, params: dict) -> Resolved:
        url = f"{self.base_url}/{route}"
        query = {**params, "key": self.config.api_key}
        return ctx.retrier.run_one(lambda: self._single(self.request(ctx, "GET", url, params=query)))

    def _single(self, resp) -> Verdict:
        verdict = self._classify(resp, [])
        if isinstance(verdict, dict):  # 200: the channels classifier maps ids; here the body is wanted whole
            ok, body = _json(resp)
            return Ok(body) if ok and isinstance(body, dict) else Fail(FAILED, "malformed_body", "", 200)
        return verdict

    def _uploads(self, ctx, a: Account, window: ObservationWindow) -> list | Resolved:
        playlist = (
            "UU" + a.platform_user_id[2:]
        )  # a channel's uploads playlist (channels.list contentDetails)
        out, token = [], None
        for _ in range(self.posts_spec.max_pages):
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": YT_PAGE}
            got = self._get(ctx, "playlistItems", params | ({"pageToken": token} if token else {}))
            if isinstance(got.verdict, Fail):
                return _gone_as_not_found(got)
            body = got.verdict.value
            oldest = None
            for item in body.get("items") or []:
                details = item.get("contentDetails") or {}
                at = parse_time(details.get("videoPublishedAt") or "")
                oldest = at
                if window.holds(at):
                    out.append((details["videoId"], at))
            token = body.get("nextPageToken")
            if not token or (oldest is not None and oldest.timestamp() < window.since):
                return out
        return out

    def _threads(self, ctx, a: Account, window: ObservationWindow) -> list | Resolved:
        out, token = [], None
        channel = a.platform_user_id
        for _ in range(MAX_THREAD_PAGES):
            params = {
                "part": "snippet,replies",
                "allThreadsRelatedToChannelId": channel,
                "maxResults": YT_THREADS_PAGE,
            }
            got = self._get(ctx, "commentThreads", params | ({"pageToken": token} if token else {}))
            if isinstance(got.verdict, Fail) and got.verdict.code == "commentsDisabled":
                return out  # the channel turned comments off: nothing to answer, not a failure
            if isinstance(got.verdict, Fail):
                return _gone_as_not_found(got)
            body = got.verdict.value
            oldest = None
            for item in body.get("items") or []:
                snippet = item.get("snippet") or {}
                top = (snippet.get("topLevelComment") or {}).get("snippet") or {}
                at = parse_time(top["publishedAt"])
                oldest = at
                replies = [r.get("snippet") or {} for r in (item.get("replies") or {}).get("comments") or []]
                pairs = [
                    ((r.get("authorChannelId") or {}).get("value"), r.get("publishedAt")) for r in replies
                ]
                out.append(
                    CommentValues(
                        str(snippet.get("videoId")),
                        str(item["id"]),
                        at,
                        first_reply_by(pairs, channel),
                        snippet.get("totalReplyCount"),
                    )
                )
            token = body.get("nextPageToken")
            if not token or (oldest is not None and oldest.timestamp() < window.since):
                break
        return out


GONE_REASONS = {"playlistNotFound", "channelNotFound", "notFound"}


def _gone_as_not_found(got: Resolved) -> Resolved:
    """A channel whose uploads or threads are not found is gone (terminated, or no longer visible): not_found,
    as channels.list reports it, not a failure to retry."""
    v = got.verdict
    if isinstance(v, Fail) and v.code in GONE_REASONS:
        return Resolved(Fail(NOT_FOUND, v.code, v.message, v.http_status), got.attempts)
    return got


def _json(resp):
    return parse_json(resp)


X_NATIVE = {"photo": "photo", "video": "video", "animated_gif": "animated_gif"}


class XPostClient(PostFetcher, XClient):
    """One user-timeline call per account covers its window (`start_time`, 100 posts); `next_token` beyond."""

    post_batch_size = 1

    def fetch_posts_batch(
        self, batch: list[Account], ctx: FetchContext, window: ObservationWindow, comments: bool
    ):
        (a,) = batch
        auth = {"Authorization": f"Bearer {self.config.bearer_token}"}
        url = f"{self.base_url}/users/{a.platform_user_id}/tweets"
        start = dt.datetime.fromtimestamp(window.since, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {
            "start_time": start,
            "max_results": X_PAGE,
            "tweet.fields": "created_at,public_metrics,attachments",
            "expansions": "attachments.media_keys",
            "media.fields": "type",
        }
        posts, token = [], None
        for _ in range(self.posts_spec.max_pages):
            query = params | ({"pagination_token": token} if token else {})
            got = ctx.retrier.run_one(
                lambda q=query: self._timeline(self.request(ctx, "GET", url, params=q, headers=auth), a)
            )
            if isinstance(got.verdict, Fail):
                return {a.account_id: got}
            body = got.verdict.value
            media = {
                m.get("media_key"): m.get("type") for m in (body.get("includes") or {}).get("media") or []
            }
            posts += [self._post(t, media) for t in body.get("data") or []]
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return {a.account_id: Resolved(Ok(AccountPosts(posts, None)), got.attempts)}
        return {a.account_id: Resolved(Fail(FAILED, "paging_loop", "too many timeline pages"), 1)}

    def _timeline(self, resp, account: Account) -> Verdict:
        verdict = self._classify(resp, [])
        if not isinstance(verdict, dict):
            return verdict
        ok, body = _json(resp)
        if not ok or not isinstance(body, dict):
            return Fail(FAILED, "malformed_body", "", 200)
        if "data" not in body and body.get("errors"):  # the user is gone: same verdicts as users lookup
            errors = {
                str(e.get("resource_id") or e.get("value")): e for e in body["errors"] if isinstance(e, dict)
            }
            return self._user({}, errors, account.platform_user_id)
        return Ok(body)

    def _post(self, tweet: dict, media: dict) -> PostValues:
        kinds = [media.get(k) for k in (tweet.get("attachments") or {}).get("media_keys") or []]
        if not kinds:
            native = "text"
        elif len(kinds) > 1 and all(k == "photo" for k in kinds):
            native = "photos"
        else:
            native = X_NATIVE.get(kinds[0] or "", str(kinds[0]))
        pm = tweet.get("public_metrics") or {}
        shares = None
        if pm.get("retweet_count") is not None:
            shares = int(pm["retweet_count"]) + int(pm.get("quote_count") or 0)
        metrics = {
            "views_count": pm.get("impression_count"),
            "likes_count": pm.get("like_count"),
            "comments_count": pm.get("reply_count"),
            "shares_count": shares,
            "saves_count": pm.get("bookmark_count"),
        }
        return PostValues(str(tweet["id"]), parse_time(tweet["created_at"]), native, metrics=metrics)


class TikTokPostClient(PostFetcher, TikTokClient):
    """The video list carries each video's counts: page back (20 a page) until before the window."""

    post_batch_size = 1
    FIELDS = "id,create_time,duration,view_count,like_count,comment_count,share_count"

    def fetch_posts_batch(
        self, batch: list[Account], ctx: FetchContext, window: ObservationWindow, comments: bool
    ):
        (a,) = batch
        auth = {"Authorization": f"Bearer {self.token_for(a)}"}
        url = f"{self.base_url}/video/list/"
        posts, cursor, attempts = [], None, 1
        for _ in range(self.posts_spec.max_pages):
            body = {"max_count": TIKTOK_PAGE} | ({"cursor": cursor} if cursor is not None else {})
            got = ctx.retrier.run_one(
                lambda b=body: self._classify(
                    self.request(ctx, "POST", url, params={"fields": self.FIELDS}, json=b, headers=auth)
                )
            )
            attempts = max(attempts, got.attempts)
            if isinstance(got.verdict, Fail):
                return {a.account_id: got}
            data = got.verdict.value or {}
            videos = data.get("videos") or []
            for v in videos:
                at = dt.datetime.fromtimestamp(int(v["create_time"]), dt.UTC)
                metrics = {
                    "views_count": v.get("view_count"),
                    "likes_count": v.get("like_count"),
                    "comments_count": v.get("comment_count"),
                    "shares_count": v.get("share_count"),
                }
                posts.append(PostValues(str(v["id"]), at, "video", v.get("duration"), metrics))
            cursor = data.get("cursor")
            oldest = min((int(v["create_time"]) for v in videos), default=None)
            if not data.get("has_more") or not videos or (oldest is not None and oldest < window.since):
                return {a.account_id: Resolved(Ok(AccountPosts(posts, None)), attempts)}
        return {a.account_id: Resolved(Fail(FAILED, "paging_loop", "too many video-list pages"), attempts)}


POST_CLIENTS = {
    "instagram": InstagramPostClient,
    "facebook": FacebookPostClient,
    "youtube": YouTubePostClient,
    "x": XPostClient,
    "tiktok": TikTokPostClient,
}
