"""YouTube Data API v3: `channels.list` statistics, lifetime counters only."""

from pipelines.platform_spec.bounds import AUDIENCE_MAX, LIFETIME_BIG_MAX, LIFETIME_POSTS_MAX
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

CHANNELS_LIST = Doc(
    "Channels: list | YouTube Data API", "https://developers.google.com/youtube/v3/docs/channels/list"
)

stat = fields_from("channels", CHANNELS_LIST)

SPEC = PlatformSpec(
    name="youtube",
    title="YouTube Data API v3",
    client="pipelines.clients.youtube:YouTubeClient",
    production_base_url="https://www.googleapis.com/youtube/v3",
    sandbox_path="/youtube/v3",
    credential=Credential.API_KEY,
    requests=(
        Request(
            "channels",
            "GET /channels?part=statistics&id=<up to 50 ids>&key=<key>",
            CHANNELS_LIST,
            note="1 quota unit per call; unknown ids are silently absent",
        ),
    ),
    fields=(
        stat(
            "subscriber_count",
            Kind.AUDIENCE,
            "Subscribers (statistics.subscriberCount); null when the channel hides the count.",
            upper=AUDIENCE_MAX,
            api_name="statistics.subscriberCount",
            feeds="followers_count",
            null_when="hidden_subscriber_count",
            catalogue_note="Subscribers; null when the channel hides the count. YouTube rounds large counts to "
            "three significant figures, so small daily growth can read as zero.",
            simulated_by="subscribers",
        ),
        stat(
            "view_count",
            Kind.LIFETIME,
            "Lifetime channel views (statistics.viewCount).",
            upper=LIFETIME_BIG_MAX,
            api_name="statistics.viewCount",
            feeds="views_lifetime_count",
            catalogue_note="Lifetime channel views (viewCount).",
            simulated_by="lifetime_views",
        ),
        stat(
            "video_count",
            Kind.LIFETIME,
            "Public videos, lifetime (statistics.videoCount).",
            upper=LIFETIME_POSTS_MAX,
            api_name="statistics.videoCount",
            feeds="posts_total_count",
            catalogue_note="Public videos (lifetime).",
            simulated_by="posts_total",
        ),
        stat(
            "hidden_subscriber_count",
            Kind.FLAG,
            "True when the channel hides its subscriber count (statistics.hiddenSubscriberCount).",
            api_name="statistics.hiddenSubscriberCount",
            simulated_by="hidden",
        ),
    ),
    derived=(
        Derived(
            "new_posts_count",
            ("video_count",),
            "Delta of video_count against the previous observation; null when it went down.",
        ),
        Derived(
            "views_count",
            ("view_count",),
            "Delta of the lifetime viewCount against the previous observation; null when it went down (YouTube "
            "removes invalid views).",
        ),
    ),
    absent=(
        Absent("following_count"),
        Absent("reach_count", "Needs the YouTube Analytics API."),
        Absent("likes_count", "Channel statistics carry no likes; needs the YouTube Analytics API."),
        Absent("comments_count"),
        Absent("shares_count"),
        Absent("saves_count"),
        Absent("engagements_count", "No engagement figures at channel level."),
        Absent("likes_lifetime_count"),
    ),
    note="channels.list statistics are lifetime counters only: daily views and new videos are derived "
    "downstream from the deltas of view_count and video_count. Subscribers are null when the channel hides "
    "them. No likes/comments at channel level: no engagements.",
)
