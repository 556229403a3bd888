"""Facebook Pages (Graph API): Page insights per day and the posts the Page published."""

import datetime as dt

from pipelines.platform_spec.bounds import AUDIENCE_MAX, DAILY_FLOW_MAX, DAILY_POSTS_MAX
from pipelines.platform_spec.model import (
    Absent,
    Credential,
    Doc,
    Field,
    Kind,
    PlatformSpec,
    Request,
    Retired,
    fields_from,
)

PAGE_INSIGHTS = Doc(
    "Page Insights (Graph API reference)", "https://developers.facebook.com/docs/graph-api/reference/insights"
)
PUBLISHED_POSTS = Doc(
    "Page Published Posts (Graph API reference)",
    "https://developers.facebook.com/docs/graph-api/reference/page/published_posts",
)
DEPRECATED = Doc(
    "Deprecated Facebook Page Insights Metrics",
    "https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics",
)
IMPRESSIONS_BLOG = Doc(
    "Page Insights API Updates (Meta for Developers blog, 2025-08-15)",
    "https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/",
)


insight = fields_from("insights", PAGE_INSIGHTS)


SPEC = PlatformSpec(
    name="facebook",
    title="Facebook Pages API",
    client="pipelines.clients.facebook:FacebookClient",
    production_base_url="https://graph.facebook.com/v23.0",
    sandbox_path="/graph/v23.0",
    credential=Credential.ACCOUNT_TOKEN,
    requests=(
        Request(
            "insights",
            "GET /{page-id}/insights?metric=<metrics>&period=day&since=<unix>&until=<unix>",
            PAGE_INSIGHTS,
            history_days=730,  # "Only the last two years of insights data is available."
            window_days=90,  # "Only 90 days of insights can be viewed at one time when using since and until."
            note="values carry end_time at midnight US Pacific at the end of their day",
        ),
        Request(
            "published_posts",
            "GET /{page-id}/published_posts?since=<unix>&until=<unix>&fields=id,created_time&limit=25",
            PUBLISHED_POSTS,
            # No limit is documented: published posts stay listed. The client keeps to the insights horizon.
            history_days=730,
            window_days=90,
            note="cursor paging: stop only when paging.next is absent",
        ),
    ),
    fields=(
        insight(
            "page_follows",
            Kind.AUDIENCE,
            "Page followers on the day (insights; replaces page_fans).",
            title="Lifetime Page follows",
            simulated_by="followers",
            upper=AUDIENCE_MAX,
            feeds="followers_count",
            catalogue_note="Page followers on the day. Replaces page_fans (removed; it counted Page likes).",
        ),
        insight(
            "page_daily_follows_unique",
            Kind.DAILY,
            "People who followed the Page that day.",
            title="Daily new follows",
            simulated_by="follows",
            upper=AUDIENCE_MAX,
        ),
        insight(
            "page_daily_unfollows_unique",
            Kind.DAILY,
            "People who unfollowed the Page that day.",
            title="Daily unfollows",
            simulated_by="unfollows",
            upper=AUDIENCE_MAX,
        ),
        insight(
            "page_media_view",
            Kind.DAILY,
            "Views of the Page's content that day (replaces page_impressions).",
            title="Media views",
            simulated_by="views",
            upper=DAILY_FLOW_MAX,
            feeds="views_count",
            vs_audience=True,
            catalogue_note="Views of the Page's content that day. Replaces page_impressions (removed).",
        ),
        insight(
            "page_post_engagements",
            Kind.DAILY,
            "Reactions, comments, shares and clicks on the Page's posts that day.",
            title="Post engagements",
            simulated_by="likes + comments + shares",
            upper=DAILY_FLOW_MAX,
            feeds="engagements_count",
            vs_audience=True,
            catalogue_note="Reactions, comments, shares and clicks on the Page's posts that day (includes "
            "clicks, unlike the other platforms).",
        ),
        insight(
            "page_total_media_view_unique",
            Kind.DAILY,
            "Unique people who viewed the Page's content that day (replaces page_posts_impressions_unique).",
            title="Total media viewers",
            simulated_by="reach",
            upper=DAILY_FLOW_MAX,
            feeds="reach_count",
            vs_audience=True,
            catalogue_note="Unique people who viewed the Page's content that day. Replaces "
            "page_posts_impressions_unique and page_impressions_unique (removed 2026-06-15).",
        ),
        Field(
            "posts_published",
            Kind.DAILY,
            "published_posts",
            "Posts created that day (counted from /published_posts).",
            upper=DAILY_POSTS_MAX,
            feeds="new_posts_count",
            catalogue_note="Posts created that day (counted from /published_posts).",
            doc=PUBLISHED_POSTS,
            simulated_by="new_posts",
        ),
    ),
    absent=(
        Absent("following_count", "Pages do not follow accounts."),
        Absent("posts_total_count", "No lifetime post counter is fetched."),
        Absent("likes_count", "No per-type breakdown of engagement is fetched."),
        Absent("comments_count"),
        Absent("shares_count"),
        Absent("saves_count"),
        Absent("views_lifetime_count"),
        Absent("likes_lifetime_count"),
    ),
    retired=(
        Retired(
            "page_fans",
            "insights",
            dt.date(2025, 11, 15),
            "page_follows",
            DEPRECATED,
            "page_fans counted people who liked the Page; page_follows counts followers (who see its posts).",
        ),
        Retired("page_fan_adds", "insights", dt.date(2025, 11, 15), "page_daily_follows_unique", DEPRECATED),
        Retired(
            "page_fan_removes", "insights", dt.date(2025, 11, 15), "page_daily_unfollows_unique", DEPRECATED
        ),
        Retired(
            "page_impressions",
            "insights",
            dt.date(2025, 11, 15),
            "page_media_view",
            IMPRESSIONS_BLOG,
            "impressions counted times posts entered a screen; media views count views of the Page's content.",
        ),
        Retired(
            "page_impressions_unique",
            "insights",
            dt.date(2026, 6, 15),
            "page_total_media_view_unique",
            DEPRECATED,
        ),
        Retired(
            "page_posts_impressions_unique",
            "insights",
            dt.date(2026, 6, 15),
            "page_total_media_view_unique",
            DEPRECATED,
            "post reach (people who had a Page post on screen) becomes people who viewed any of the Page's "
            "content: reach_count on Facebook is not comparable across 2026-06-15.",
        ),
    ),
    note="page_follows replaces the removed page_fans, page_media_view replaces page_impressions, "
    "page_total_media_view_unique replaces page_posts_impressions_unique as reach, and the Page's own "
    "engagement figure (page_post_engagements: reactions, comments, shares and clicks) is the engagements "
    "count; no per-type breakdown is fetched.",
)
