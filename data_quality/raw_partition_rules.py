"""What a trustworthy raw account-day partition looks like, per platform (plain data, no GX import).

The ingestion gate (`raw_partition_suite`) turns these rules into Great Expectations suites. Bounds are for
corruption, not for anomalies: a bound that a real (even viral) day could exceed would block good data, so
every limit sits orders of magnitude above what the largest government account can reach. Anomalous but
possible values are the job of `dq_anomalies`, which warns instead of blocking.
"""

import pyarrow as pa

from pipelines.lake import account_daily_schema

AUDIENCE_MAX = 500_000_000  # more followers than any account on any platform has
FOLLOWING_MAX = 10_000_000
LIFETIME_POSTS_MAX = 10_000_000  # lifetime media / videos / tweets
LIFETIME_BIG_MAX = 10**12  # lifetime views / likes received
DAILY_FLOW_MAX = 10**10  # one day's views, reach or interactions
DAILY_POSTS_MAX = 1_000  # posts published in one day
# A daily flow may be a large multiple of the audience (a post goes viral), but not more than this.
FLOW_PER_FOLLOWER_MAX = 1_000
FLOW_OFFSET = 1_000_000  # lets a small account have one viral day without tripping the ratio

# Upper bounds per platform column (every count column is also checked for >= 0).
UPPER_BOUNDS: dict[str, dict[str, int]] = {
    "instagram": {
        "followers_count": AUDIENCE_MAX,
        "follows_count": FOLLOWING_MAX,
        "media_count": LIFETIME_POSTS_MAX,
        **dict.fromkeys(
            (
                "views",
                "reach",
                "accounts_engaged",
                "total_interactions",
                "likes",
                "comments",
                "shares",
                "saves",
            ),
            DAILY_FLOW_MAX,
        ),
    },
    "facebook": {
        "page_follows": AUDIENCE_MAX,
        "page_daily_follows_unique": AUDIENCE_MAX,
        "page_daily_unfollows_unique": AUDIENCE_MAX,
        "page_media_view": DAILY_FLOW_MAX,
        "page_post_engagements": DAILY_FLOW_MAX,
        "page_posts_impressions_unique": DAILY_FLOW_MAX,
        "posts_published": DAILY_POSTS_MAX,
    },
    "youtube": {
        "subscriber_count": AUDIENCE_MAX,
        "view_count": LIFETIME_BIG_MAX,
        "video_count": LIFETIME_POSTS_MAX,
    },
    "x": {
        "followers_count": AUDIENCE_MAX,
        "following_count": FOLLOWING_MAX,
        "tweet_count": LIFETIME_POSTS_MAX,
        "listed_count": AUDIENCE_MAX,
        "like_count": LIFETIME_POSTS_MAX,
    },
    "tiktok": {
        "follower_count": AUDIENCE_MAX,
        "following_count": FOLLOWING_MAX,
        "likes_count": LIFETIME_BIG_MAX,
        "video_count": LIFETIME_POSTS_MAX,
        "videos_published": DAILY_POSTS_MAX,
    },
}

# (daily flow column, audience column): flow <= FLOW_PER_FOLLOWER_MAX * audience + FLOW_OFFSET.
FLOW_VS_AUDIENCE: dict[str, list[tuple[str, str]]] = {
    "instagram": [
        (c, "followers_count") for c in ("views", "reach", "accounts_engaged", "total_interactions")
    ],
    "facebook": [
        (c, "page_follows")
        for c in ("page_media_view", "page_posts_impressions_unique", "page_post_engagements")
    ],
    "youtube": [],
    "x": [],
    "tiktok": [],
}

ALLOWED_SOURCES = ["api", "sandbox"]  # manual reports have their own schema and gate


def gx_type_list(arrow_type: pa.DataType) -> list[str] | None:
    """GX type names a value of this Arrow type may have in an object-dtype pandas column.

    Counts allow floats because pandas turns an int column with nulls into float64. Dates have no GX type
    name: their type is enforced by the metric_date value-set check (a string or timestamp is not the day).
    """
    if pa.types.is_string(arrow_type):
        return ["str"]
    if pa.types.is_integer(arrow_type):
        return ["int", "int64", "int32", "float", "float64"]
    if pa.types.is_boolean(arrow_type):
        return ["bool"]
    if pa.types.is_timestamp(arrow_type):
        return ["Timestamp"]
    return None


def schema(platform: str) -> pa.Schema:
    if platform not in UPPER_BOUNDS:
        raise ValueError(f"unknown platform {platform!r}")
    return account_daily_schema(platform)
