{# Generated from pipelines/platform_spec by `python -m pipelines.platform_spec.generate`: do not edit.
   The platform specification for dbt: platforms in order, each with its lake fields (name, type, kind)
   and the conformed account-day column a field feeds (null_when: a flag that hides the value). #}
{% macro platform_spec() -%}
    {{ return({
    "platforms": {
        "instagram": {
            "title": "Instagram Graph API",
            "fields": [
                {"name": "followers_count", "data_type": "bigint", "kind": "audience", "feeds": "followers_count"},
                {"name": "follows_count", "data_type": "bigint", "kind": "lifetime", "feeds": "following_count"},
                {"name": "media_count", "data_type": "bigint", "kind": "lifetime", "feeds": "posts_total_count"},
                {"name": "views", "data_type": "bigint", "kind": "daily", "feeds": "views_count"},
                {"name": "reach", "data_type": "bigint", "kind": "daily", "feeds": "reach_count"},
                {"name": "accounts_engaged", "data_type": "bigint", "kind": "daily"},
                {"name": "total_interactions", "data_type": "bigint", "kind": "daily"},
                {"name": "likes", "data_type": "bigint", "kind": "daily", "feeds": "likes_count"},
                {"name": "comments", "data_type": "bigint", "kind": "daily", "feeds": "comments_count"},
                {"name": "shares", "data_type": "bigint", "kind": "daily", "feeds": "shares_count"},
                {"name": "saves", "data_type": "bigint", "kind": "daily", "feeds": "saves_count"}
            ]
        },
        "facebook": {
            "title": "Facebook Pages API",
            "fields": [
                {"name": "page_follows", "data_type": "bigint", "kind": "audience", "feeds": "followers_count"},
                {"name": "page_daily_follows_unique", "data_type": "bigint", "kind": "daily"},
                {"name": "page_daily_unfollows_unique", "data_type": "bigint", "kind": "daily"},
                {"name": "page_media_view", "data_type": "bigint", "kind": "daily", "feeds": "views_count"},
                {"name": "page_post_engagements", "data_type": "bigint", "kind": "daily", "feeds": "engagements_count"},
                {"name": "page_total_media_view_unique", "data_type": "bigint", "kind": "daily", "feeds": "reach_count"},
                {"name": "posts_published", "data_type": "bigint", "kind": "daily", "feeds": "new_posts_count"}
            ]
        },
        "youtube": {
            "title": "YouTube Data API v3",
            "fields": [
                {"name": "subscriber_count", "data_type": "bigint", "kind": "audience", "feeds": "followers_count", "null_when": "hidden_subscriber_count"},
                {"name": "view_count", "data_type": "bigint", "kind": "lifetime", "feeds": "views_lifetime_count"},
                {"name": "video_count", "data_type": "bigint", "kind": "lifetime", "feeds": "posts_total_count"},
                {"name": "hidden_subscriber_count", "data_type": "boolean", "kind": "flag"}
            ]
        },
        "x": {
            "title": "X API v2",
            "fields": [
                {"name": "followers_count", "data_type": "bigint", "kind": "audience", "feeds": "followers_count"},
                {"name": "following_count", "data_type": "bigint", "kind": "lifetime", "feeds": "following_count"},
                {"name": "tweet_count", "data_type": "bigint", "kind": "lifetime", "feeds": "posts_total_count"},
                {"name": "listed_count", "data_type": "bigint", "kind": "lifetime"},
                {"name": "like_count", "data_type": "bigint", "kind": "lifetime"}
            ]
        },
        "tiktok": {
            "title": "TikTok Display API v2",
            "fields": [
                {"name": "follower_count", "data_type": "bigint", "kind": "audience", "feeds": "followers_count"},
                {"name": "following_count", "data_type": "bigint", "kind": "lifetime", "feeds": "following_count"},
                {"name": "likes_count", "data_type": "bigint", "kind": "lifetime", "feeds": "likes_lifetime_count"},
                {"name": "video_count", "data_type": "bigint", "kind": "lifetime", "feeds": "posts_total_count"},
                {"name": "videos_published", "data_type": "bigint", "kind": "daily", "feeds": "new_posts_count"}
            ]
        }
    },
    "conformed_metrics": ["followers_count", "following_count", "posts_total_count", "new_posts_count", "views_count", "reach_count", "likes_count", "comments_count", "shares_count", "saves_count", "engagements_count", "views_lifetime_count", "likes_lifetime_count"]
}) }}
{%- endmacro %}
