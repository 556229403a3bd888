"""TikTok Display API v2: user info (lifetime counters) and the user's video list (counted per day)."""

from pipelines.platform_spec.bounds import (
    AUDIENCE_MAX,
    DAILY_POSTS_MAX,
    FOLLOWING_MAX,
    LIFETIME_BIG_MAX,
    LIFETIME_POSTS_MAX,
)
from pipelines.platform_spec.model import (
    Absent,
    Credential,
    Derived,
    Doc,
    Kind,
    PlatformSpec,
    Request,
    fields_from,
)

USER_INFO = Doc(
    "Get User Info (TikTok API v2)", "https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info"
)
VIDEO_LIST = Doc("List Videos (TikTok API v2)", "https://developers.tiktok.com/doc/tiktok-api-v2-video-list")


user = fields_from("user_info", USER_INFO)
videos = fields_from("video_list", VIDEO_LIST)


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
        user(
            "follower_count",
            Kind.AUDIENCE,
            "Followers (user info).",
            upper=AUDIENCE_MAX,
            simulated_by="followers",
            feeds="followers_count",
            catalogue_note="User info, snapshot.",
        ),
        user(
            "following_count",
            Kind.LIFETIME,
            "Accounts followed (user info).",
            upper=FOLLOWING_MAX,
            simulated_by="following",
            feeds="following_count",
            catalogue_note="User info.",
        ),
        user(
            "likes_count",
            Kind.LIFETIME,
            "Likes received across all videos, lifetime (user info).",
            upper=LIFETIME_BIG_MAX,
            simulated_by="lifetime_likes",
            feeds="likes_lifetime_count",
            catalogue_note="Lifetime likes received across all videos.",
        ),
        user(
            "video_count",
            Kind.LIFETIME,
            "Public videos, lifetime (user info).",
            upper=LIFETIME_POSTS_MAX,
            simulated_by="posts_total",
            feeds="posts_total_count",
            catalogue_note="User info, lifetime public videos.",
        ),
        videos(
            "videos_published",
            Kind.DAILY,
            "Videos created that day (counted from /v2/video/list/).",
            upper=DAILY_POSTS_MAX,
            feeds="new_posts_count",
            catalogue_note="Videos created that day (counted from /v2/video/list/).",
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
