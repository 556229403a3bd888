"""X API v2: users lookup by ids with `public_metrics`, lifetime snapshots only."""

from pipelines.platform_spec.bounds import AUDIENCE_MAX, FOLLOWING_MAX, LIFETIME_POSTS_MAX
from pipelines.platform_spec.model import Absent, Credential, Derived, Doc, Field, Kind, PlatformSpec, Request

USERS_LOOKUP = Doc(
    "User lookup quickstart (X API v2)", "https://docs.x.com/x-api/users/lookup/quickstart/user-lookup"
)


def _metric(name: str, kind: Kind, description: str, upper: int, simulated_by: str, **kw) -> Field:
    return Field(
        name,
        kind,
        "users",
        description,
        upper=upper,
        api_name=f"public_metrics.{name}",
        doc=USERS_LOOKUP,
        simulated_by=simulated_by,
        **kw,
    )


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
        _metric(
            "followers_count",
            Kind.AUDIENCE,
            "Followers (public_metrics).",
            AUDIENCE_MAX,
            "followers",
            feeds="followers_count",
            catalogue_note="Snapshot.",
        ),
        _metric(
            "following_count",
            Kind.LIFETIME,
            "Accounts followed (public_metrics).",
            FOLLOWING_MAX,
            "following",
            feeds="following_count",
            catalogue_note="Snapshot.",
        ),
        _metric(
            "tweet_count",
            Kind.LIFETIME,
            "Posts, lifetime, replies and reposts included (public_metrics).",
            LIFETIME_POSTS_MAX,
            "posts_total",
            feeds="posts_total_count",
            catalogue_note="Lifetime posts, replies and reposts included.",
        ),
        _metric(
            "listed_count",
            Kind.LIFETIME,
            "Lists that include the account (public_metrics).",
            AUDIENCE_MAX,
            "listed",
        ),
        _metric(
            "like_count",
            Kind.LIFETIME,
            "Posts the account liked, lifetime (given, not received).",
            LIFETIME_POSTS_MAX,
            "liked",
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
