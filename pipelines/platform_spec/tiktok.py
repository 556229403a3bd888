"""TikTok Display API v2: user info (lifetime counters) and the user's video list (counted per day)."""

from pipelines.platform_spec.bounds import (
    AUDIENCE_MAX,
    DAILY_POSTS_MAX,
    FOLLOWING_MAX,
    LIFETIME_BIG_MAX,
    LIFETIME_POSTS_MAX,
)
from pipelines.platform_spec.model import Absent, Credential, Derived, Doc, Field, Kind, PlatformSpec, Request

USER_INFO = Doc(
    "Get User Info (TikTok API v2)", "https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info"
)
VIDEO_LIST = Doc("List Videos (TikTok API v2)", "https://developers.tiktok.com/doc/tiktok-api-v2-video-list")


def _user(name: str, kind: Kind, description: str, upper: int, simulated_by: str, **kw) -> Field:
    return Field(
        name, kind, "user_info", description, upper=upper, doc=USER_INFO, simulated_by=simulated_by, **kw
    )


SPEC = PlatformSpec(
    name="tiktok",
    title="TikTok Display API v2",
    client="pipelines.clients.tiktok:TikTokClient",
    production_base_url="https://open.tiktokapis.com/v2",
    sandbox_path="/tiktok/v2",
    credential=Credential.ACCOUNT_TOKEN,
    requests=(
        Request("user_info", "GET /v2/user/info/?fields=<fields>", USER_INFO, note="scope user.info.stats"),
        Request(
            "video_list",
            "POST /v2/video/list/?fields=id,create_time {cursor, max_count <= 20}",
            VIDEO_LIST,
            # No limit is documented: the list pages back through every public video (newest first).
            history_days=3650,
            note="a deleted video is no longer counted on its day",
        ),
    ),
    fields=(
        _user(
            "follower_count",
            Kind.AUDIENCE,
            "Followers (user info).",
            AUDIENCE_MAX,
            "followers",
            feeds="followers_count",
            catalogue_note="User info, snapshot.",
        ),
        _user(
            "following_count",
            Kind.LIFETIME,
            "Accounts followed (user info).",
            FOLLOWING_MAX,
            "following",
            feeds="following_count",
            catalogue_note="User info.",
        ),
        _user(
            "likes_count",
            Kind.LIFETIME,
            "Likes received across all videos, lifetime (user info).",
            LIFETIME_BIG_MAX,
            "lifetime_likes",
            feeds="likes_lifetime_count",
            catalogue_note="Lifetime likes received across all videos.",
        ),
        _user(
            "video_count",
            Kind.LIFETIME,
            "Public videos, lifetime (user info).",
            LIFETIME_POSTS_MAX,
            "posts_total",
            feeds="posts_total_count",
            catalogue_note="User info, lifetime public videos.",
        ),
        Field(
            "videos_published",
            Kind.DAILY,
            "video_list",
            "Videos created that day (counted from /v2/video/list/).",
            upper=DAILY_POSTS_MAX,
            feeds="new_posts_count",
            catalogue_note="Videos created that day (counted from /v2/video/list/).",
            doc=VIDEO_LIST,
            simulated_by="new_posts",
        ),
    ),
    derived=(
        Derived(
            "likes_count",
            ("likes_count",),
            "Delta of the lifetime likes_count (likes received on all videos); null when it went down (a deleted "
            "video takes its likes).",
        ),
        Derived(
            "engagements_count", ("likes_count",), "Daily likes only (the one engagement part available)."
        ),
    ),
    absent=(
        Absent("views_count", "Per-video view counts are not aggregated into the lake."),
        Absent("reach_count"),
        Absent("comments_count", "Per-video counts are not aggregated into the lake."),
        Absent("shares_count"),
        Absent("saves_count"),
        Absent("views_lifetime_count"),
    ),
    note="user/info gives lifetime counters; likes_count is the lifetime total of likes received, so daily "
    "likes are derived downstream from its delta. videos_published (counted from the video list) is the day's "
    "new posts.",
)
