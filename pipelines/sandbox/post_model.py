"""Simulated posts with types, lifetime metrics by age, and comments with the account's replies.

Everything derives from (seed, account, day, rank) through `posts.mix`, so a post keeps its id, type, metrics
and comments across requests and restarts. A post's lifetime metrics grow with its age and settle: as of the
day it went out it has half of its final figures, then 3/4, 7/8 ... (`settled`). Content types lift
performance (short video most, text least) so the content-mix reports have something true to find; the
ground truth (`expected_posts`) is what a correct client stores.
"""

import datetime as dt
import math
from dataclasses import dataclass

from pipelines.platform_spec.posts import CONTENT_TYPES, POST_METRICS, SHORT_VIDEO_MAX_S, post_spec
from pipelines.sandbox.posts import WIB, day_start_unix, mix, post_times

# Platform-native post types with their drawing weights (per mille).
NATIVE_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "instagram": (("IMAGE/FEED", 350), ("CAROUSEL_ALBUM/FEED", 300), ("VIDEO/REELS", 350)),
    "facebook": (("photo", 480), ("album", 150), ("video", 170), ("link", 100), ("status", 100)),
    "youtube": (("short", 450), ("long", 550)),
    "x": (("text", 400), ("photo", 300), ("photos", 100), ("video", 160), ("animated_gif", 40)),
    "tiktok": (("video", 1000),),
}
LIFT = {"image": 1.0, "carousel": 1.25, "video": 1.2, "short_video": 1.6, "text": 0.55, "other": 1.0}
FINAL_OVER_DAY = 1.8  # a post's settled total against its share of the publication day's activity
MAX_POSTS_PER_DAY = 99  # ids encode the rank in two digits (YouTube: one, see MAX_VIDEOS_PER_DAY)
MAX_VIDEOS_PER_DAY = 9
MAX_COMMENTS = 40  # comments simulated per post (the counter may be higher: the list is a sample)
SERIES = {
    "views_count": "views",
    "reach_count": "reach",
    "likes_count": "likes",
    "comments_count": "comments",
    "shares_count": "shares",
    "saves_count": "saves",
}


@dataclass(frozen=True)
class SimPost:
    platform: str
    i: int  # account index
    d: int  # day index of publication (WIB)
    k: int  # rank within the day, newest first
    ts: int  # published, Unix seconds
    h: int  # the post's hash
    n_day: int  # posts that day
    native_type: str
    duration_s: int | None

    @property
    def content_type(self) -> str:
        return post_spec(self.platform).content_type(self.native_type)


@dataclass(frozen=True)
class SimComment:
    comment_id: str
    ts: int
    account_reply_ts: int | None  # first reply by the account (None: no answer)
    other_replies: int


def _draw(platform: str, h: int) -> str:
    r = (h >> 7) % 1000
    for native, weight in NATIVE_MIX[platform]:
        if r < weight:
            return native
        r -= weight
    return NATIVE_MIX[platform][-1][0]


def _duration(platform: str, native: str, h: int) -> int | None:
    if platform == "youtube":
        return 15 + h % (SHORT_VIDEO_MAX_S - 15) if native == "short" else SHORT_VIDEO_MAX_S + 60 + h % 1800
    if platform == "tiktok":
        return 15 + h % 90
    if native in ("VIDEO/REELS", "video", "animated_gif"):
        return 10 + h % 170
    return None


def posts_on_day(w, i: int, d: int) -> list[SimPost]:
    """The posts account `i` published on day index `d`, newest first."""
    if not 0 <= d < w.n_days:
        return []
    platform = w.accounts[i].platform
    cap = MAX_VIDEOS_PER_DAY if platform == "youtube" else MAX_POSTS_PER_DAY
    n = min(cap, int(w.series.arrays["new_posts"][d, i]))
    out = []
    for k, (ts, h) in enumerate(post_times(w.seed, w.salts[i], w.date_of(d), n)):
        native = _draw(platform, h)
        out.append(SimPost(platform, i, d, k, ts, h, n, native, _duration(platform, native, h)))
    return out


def posts_between(w, i: int, first_d: int, last_d: int) -> list[SimPost]:
    """Posts published on days first_d..last_d (indexes, inclusive), newest first."""
    out: list[SimPost] = []
    for d in range(min(last_d, w.n_days - 1), max(first_d, 0) - 1, -1):
        out.extend(posts_on_day(w, i, d))
    return out


def settled(age_days: int) -> float:
    return 1.0 - 0.5 ** (age_days + 1)


def metrics(w, p: SimPost, as_of: int) -> dict[str, int]:
    """Lifetime conformed metrics of the post as of the end of day `as_of` (empty before it exists)."""
    if as_of < p.d:
        return {}
    share = (0.6 + (p.h % 800) / 1000) / max(1, p.n_day) * LIFT[p.content_type] * FINAL_OVER_DAY
    frac = settled(as_of - p.d)
    arrays = w.series.arrays
    return {m: int(arrays[SERIES[m]][p.d, p.i] * share * frac) for m in POST_METRICS}


def reply_propensity(w, i: int) -> float:
    """The share of comments the account answers (0.05..0.95, fixed per account)."""
    return 0.05 + 0.9 * (mix(w.seed, w.salts[i], 77) % 1000) / 1000


def comments(w, p: SimPost, as_of: int) -> list[SimComment]:
    """Comments visible at the end of day `as_of`, newest first, with the account's first reply if given by
    then."""
    end = day_start_unix(w.date_of(as_of)) + 86400
    total = min(MAX_COMMENTS, metrics(w, p, p.d + 7).get("comments_count", 0))
    answer = reply_propensity(w, p.i)
    out = []
    for j in range(total):
        u = (mix(p.h, j, 1) % 10**6 + 1) / (10**6 + 1)
        at = p.ts + 60 + int(min(6 * 86400, -math.log(u) * 0.8 * 86400))
        if at >= end:
            continue
        reply = None
        if (mix(p.h, j, 2) % 1000) / 1000 < answer:
            delay = 300 + mix(p.h, j, 3) % (48 * 3600)
            reply = at + delay if at + delay < end else None
        cid = str(17_800_000_000_000_000 + mix(p.h, j) % 10**15)
        out.append(SimComment(cid, at, reply, int(mix(p.h, j, 4) % 3)))
    out.sort(key=lambda c: c.ts, reverse=True)
    return out


# --- ids: every platform's post id encodes (account, day, rank), so a request for one post finds it ---


def post_id(w, p: SimPost) -> str:
    uid = w.accounts[p.i].platform_user_id
    if p.platform == "instagram":
        return f"179{p.i:07d}{p.d:05d}{p.k:02d}"
    if p.platform == "facebook":
        return f"{uid}_9{p.d:05d}{p.k:02d}"
    if p.platform == "youtube":
        return f"v{p.i:05d}{p.d:04d}{p.k}"
    if p.platform == "x":
        return f"18{p.i:07d}{p.d:05d}{p.k:02d}"
    return str((p.ts << 32) | (p.h & 0xFFFFFFFF))  # TikTok ids carry their creation time


def resolve(w, platform: str, pid: str) -> SimPost | None:
    """The post an id names, if it exists (None for anything else)."""
    try:
        if platform == "instagram" and len(pid) == 17 and pid.startswith("179"):
            i, d, k = int(pid[3:10]), int(pid[10:15]), int(pid[15:17])
        elif platform == "facebook" and "_9" in pid:
            uid, rest = pid.split("_", 1)
            i = w.by_platform.get("facebook", {}).get(uid)
            d, k = int(rest[1:6]), int(rest[6:8])
        elif platform == "youtube" and len(pid) == 11 and pid.startswith("v"):
            i, d, k = int(pid[1:6]), int(pid[6:10]), int(pid[10])
        else:
            return None
    except (ValueError, IndexError):
        return None
    if i is None or not 0 <= i < len(w.accounts) or w.accounts[i].platform != platform:
        return None
    day = posts_on_day(w, i, d)
    return day[k] if k < len(day) else None


def expected_posts(w, account_id: str, day: dt.date, observe_days: int) -> list[dict]:
    """Ground truth: the post-day rows a correct client stores for `account_id` observed on `day`."""
    i = w.index_of[account_id]
    d = w.day_index(day)
    rows = []
    for p in posts_between(w, i, d - observe_days + 1, d):
        spec = post_spec(p.platform)
        values = metrics(w, p, d)
        rows.append(
            {
                "post_id": post_id(w, p),
                "published_at": dt.datetime.fromtimestamp(p.ts, dt.UTC).isoformat(),
                "published_date": dt.datetime.fromtimestamp(p.ts, WIB).date().isoformat(),
                "content_type": p.content_type,
                "native_type": p.native_type,
                **{m: (values[m] if m in spec.metrics else None) for m in POST_METRICS},
                "comments": [
                    {"comment_id": c.comment_id, "has_account_reply": c.account_reply_ts is not None}
                    for c in comments(w, p, d)
                ]
                if spec.comments
                else None,
            }
        )
    return rows


assert set(LIFT) == set(CONTENT_TYPES)
