"""Instagram Graph API (Instagram API with Facebook Login): the account's user fields and its account insights."""

import datetime as dt

from pipelines.platform_spec.bounds import (
    AUDIENCE_MAX,
    DAILY_FLOW_MAX,
    FOLLOWING_MAX,
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
    Retired,
    fields_from,
)

IG_USER = Doc(
    "IG User (Instagram Platform reference)",
    "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user",
)
ACCOUNT_INSIGHTS = Doc(
    "Instagram Account Insights",
    "https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights",
)


user = fields_from("user", IG_USER)
insight = fields_from("insights", ACCOUNT_INSIGHTS, upper=DAILY_FLOW_MAX)


SPEC = PlatformSpec(
    name="instagram",
    title="Instagram Graph API",
    client="pipelines.clients.instagram:InstagramClient",
    production_base_url="https://graph.facebook.com/v23.0",
    sandbox_path="/graph/v23.0",
    credential=Credential.ACCOUNT_TOKEN,
    requests=(
        Request("user", "GET /{ig-user-id}?fields=<user fields>", IG_USER, note="current values only"),
        Request(
            "insights",
            "GET /{ig-user-id}/insights?metric=<metrics>&metric_type=total_value&period=day&since&until",
            ACCOUNT_INSIGHTS,
            # No retention is stated for account insights; Instagram Media Insights says "Metrics data is
            # stored for up to 2 years", and a day without data answers an empty data set (documented).
            history_days=730,
            window_days=1,  # total_value sums the range: one call per day keeps days apart
            note="data may be delayed up to 48 hours (documented)",
        ),
    ),
    fields=(
        user(
            "followers_count",
            Kind.AUDIENCE,
            "Followers (user field, snapshot at fetch).",
            upper=AUDIENCE_MAX,
            feeds="followers_count",
            catalogue_note="User field, snapshot at fetch time.",
            simulated_by="followers",
        ),
        user(
            "follows_count",
            Kind.LIFETIME,
            "Accounts followed (user field).",
            upper=FOLLOWING_MAX,
            feeds="following_count",
            catalogue_note="User field.",
            simulated_by="following",
        ),
        user(
            "media_count",
            Kind.LIFETIME,
            "Media published, lifetime (user field).",
            upper=LIFETIME_POSTS_MAX,
            feeds="posts_total_count",
            catalogue_note="User field, lifetime media count.",
            simulated_by="posts_total",
        ),
        insight(
            "views",
            Kind.DAILY,
            "Insights `views` for the day (total_value); replaced `impressions` in 2025.",
            title="Views",
            simulated_by="views",
            feeds="views_count",
            vs_audience=True,
            introduced=dt.date(2025, 1, 21),  # Graph API v22.0, which deprecated impressions
            catalogue_note="Insights views for the day (metric_type=total_value). Replaced impressions, removed "
            "in 2025; counts repeat views.",
        ),
        insight(
            "reach",
            Kind.DAILY,
            "Insights `reach`: unique accounts that saw content that day.",
            title="Accounts reached",
            simulated_by="reach",
            feeds="reach_count",
            vs_audience=True,
            catalogue_note="Insights reach: unique accounts that saw content that day.",
        ),
        insight(
            "accounts_engaged",
            Kind.DAILY,
            "Insights `accounts_engaged`: unique accounts that interacted that day.",
            title="Accounts engaged",
            simulated_by="accounts_engaged",
            vs_audience=True,
        ),
        insight(
            "total_interactions",
            Kind.DAILY,
            "Insights `total_interactions`: likes, comments, shares, saves and replies.",
            title="Total interactions",
            simulated_by="likes + comments + shares + saves",
            vs_audience=True,
        ),
        insight(
            "likes",
            Kind.DAILY,
            "Insights `likes` for the day.",
            title="Likes",
            simulated_by="likes",
            feeds="likes_count",
            catalogue_note="Insights likes for the day.",
        ),
        insight(
            "comments",
            Kind.DAILY,
            "Insights `comments` for the day.",
            title="Comments",
            simulated_by="comments",
            feeds="comments_count",
            catalogue_note="Insights comments for the day.",
        ),
        insight(
            "shares",
            Kind.DAILY,
            "Insights `shares` for the day.",
            title="Shares",
            simulated_by="shares",
            feeds="shares_count",
            catalogue_note="Insights shares for the day.",
        ),
        insight(
            "saves",
            Kind.DAILY,
            "Insights `saves` for the day.",
            title="Saves",
            simulated_by="saves",
            feeds="saves_count",
            catalogue_note="Insights saves for the day.",
        ),
    ),
    derived=(
        Derived(
            "new_posts_count",
            ("media_count",),
            "Delta of media_count against the previous observation; null when it went down (deletions).",
        ),
        Derived(
            "engagements_count",
            ("likes", "comments", "shares", "saves"),
            "likes + comments + shares + saves. total_interactions is fetched but not used: it also counts "
            "replies.",
        ),
    ),
    absent=(
        Absent("views_lifetime_count", "Insights give daily views directly."),
        Absent("likes_lifetime_count"),
    ),
    retired=(
        Retired(
            "impressions",
            "insights",
            deprecated=dt.date(2025, 4, 21),
            replaced_by="views",
            doc=ACCOUNT_INSIGHTS,
            meaning_change="impressions counted times content was on screen; views counts plays and "
            "displays (repeat views included) across feed, stories and reels: not the same figure.",
        ),
    ),
    note="followers/following/posts_total are the user fields (followers_count, follows_count, media_count); "
    "views, reach, likes, comments, shares and saves are the day's insights (metric_type=total_value). "
    "`views` replaced `impressions`, which the API removed in 2025.",
)
