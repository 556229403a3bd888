"""X API v2: users lookup by ids with `public_metrics`, lifetime snapshots only."""

from pipelines.platform_spec.bounds import AUDIENCE_MAX, FOLLOWING_MAX, LIFETIME_POSTS_MAX
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

USERS_LOOKUP = Doc(
    "User lookup quickstart (X API v2)", "https://docs.x.com/x-api/users/lookup/quickstart/user-lookup"
)


metric = fields_from("users", USERS_LOOKUP)


SPEC = PlatformSpec(
    name="x",
    title="X API v2",
    client="pipelines.clients.x:XClient",
    production_base_url="https://api.x.com/2",
    sandbox_path="/x/2",
    credential=Credential.BEARER_TOKEN,
    requests=(
        Request(
            "users",
            "GET /2/users?ids=<up to 100 ids>&user.fields=public_metrics",
            USERS_LOOKUP,
            note="partial failures arrive as HTTP 200 with an errors array",
        ),
    ),
    fields=(
        metric(
            "followers_count",
            Kind.AUDIENCE,
            "Followers (public_metrics).",
            api_name="public_metrics.followers_count",
            upper=AUDIENCE_MAX,
            simulated_by="followers",
            feeds="followers_count",
            catalogue_note="Snapshot.",
        ),
        metric(
            "following_count",
            Kind.LIFETIME,
            "Accounts followed (public_metrics).",
            api_name="public_metrics.following_count",
            upper=FOLLOWING_MAX,
            simulated_by="following",
            feeds="following_count",
            catalogue_note="Snapshot.",
        ),
        metric(
            "tweet_count",
            Kind.LIFETIME,
            "Posts, lifetime, replies and reposts included (public_metrics).",
            api_name="public_metrics.tweet_count",
            upper=LIFETIME_POSTS_MAX,
            simulated_by="posts_total",
            feeds="posts_total_count",
            catalogue_note="Lifetime posts, replies and reposts included.",
        ),
        metric(
            "listed_count",
            Kind.LIFETIME,
            "Lists that include the account (public_metrics).",
            api_name="public_metrics.listed_count",
            upper=AUDIENCE_MAX,
            simulated_by="listed",
        ),
        metric(
            "like_count",
            Kind.LIFETIME,
            "Posts the account liked, lifetime (given, not received).",
            api_name="public_metrics.like_count",
            upper=LIFETIME_POSTS_MAX,
            simulated_by="liked",
        ),
    ),
    derived=(
        Derived(
            "new_posts_count",
            ("tweet_count",),
            "Delta of tweet_count against the previous observation; null when it went down.",
        ),
    ),
    absent=(
        Absent("views_count", "Post impressions need post-level metrics."),
        Absent("reach_count"),
        Absent(
            "likes_count",
            "public_metrics.like_count counts posts the account liked (given): it is not likes received.",
        ),
        Absent("comments_count"),
        Absent("shares_count"),
        Absent("saves_count"),
        Absent(
            "engagements_count", "public_metrics carry no daily engagement: X has no engagement rate here."
        ),
        Absent("views_lifetime_count"),
        Absent("likes_lifetime_count"),
    ),
    note="public_metrics are lifetime snapshots: new posts are derived downstream from the tweet_count delta. "
    "like_count counts posts the account liked (given, not received), so it is not a likes metric, and "
    "public_metrics carry no daily engagement: engagements stay null.",
)
