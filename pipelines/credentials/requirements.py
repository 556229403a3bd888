"""What each platform requires of a credential, and the documentation each requirement comes from.

The scopes are what the fetches and the renewal use, per the platforms' own pages (cited here and in the tests):
- Instagram API with Facebook Login, Insights guide
  (https://developers.facebook.com/docs/instagram-platform/insights): `instagram_basic`,
  `instagram_manage_insights`, `pages_read_engagement`; Getting Started adds `pages_show_list` to find the
  Page and its Instagram account (https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/get-started).
- Page Insights ("Get Started with the Page Insights API",
  https://developers.facebook.com/blog/post/2022/11/08/getting-started-with-page-insights-api/):
  `read_insights`, `pages_show_list`, `pages_read_engagement`.
- TikTok Display API (https://developers.tiktok.com/doc/display-api-overview/, scope migration
  https://developers.tiktok.com/bulletin/user-info-scope-migration): `user.info.basic` (open_id),
  `user.info.stats` (follower/following/likes/video counts), `video.list` (the day's videos).
YouTube and X public metrics need only the project's API key / bearer token (no per-account scopes).
"""

PER_ACCOUNT_PLATFORMS = ("instagram", "facebook", "tiktok")
PROJECT_CREDENTIAL_PLATFORMS = ("youtube", "x")

# scope -> why the project needs it (printed by the credential check and the going-live guide)
REQUIRED_SCOPES: dict[str, dict[str, str]] = {
    "instagram": {
        "instagram_basic": "profile counters (followers_count, follows_count, media_count)",
        "instagram_manage_insights": "account insights (views, reach, interactions)",
        "pages_read_engagement": "read the Facebook Page the Instagram account is linked to",
        "pages_show_list": "find the linked Page: needed to swap an expiring user token for a Page token",
    },
    "facebook": {
        "read_insights": "Page insights (follows, media views, engagements)",
        "pages_read_engagement": "Page fields and published posts",
        "pages_show_list": "list the Page: needed to swap an expiring user token for a Page token",
    },
    "tiktok": {
        "user.info.basic": "open_id: which account the token belongs to",
        "user.info.stats": "follower_count, following_count, likes_count, video_count",
        "video.list": "the videos published on the day",
    },
}

DOC_PAGES = {
    "meta_debug_token": "https://developers.facebook.com/docs/graph-api/reference/debug_token",
    "meta_long_lived": "https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived",
    "meta_page_token": "https://developers.facebook.com/documentation/business-sdk/common-scenarios/token-switch",
    "instagram_insights": "https://developers.facebook.com/docs/instagram-platform/insights",
    "page_insights": "https://developers.facebook.com/blog/post/2022/11/08/getting-started-with-page-insights-api/",
    "tiktok_refresh": "https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token",
    "tiktok_token_management": "https://developers.tiktok.com/doc/oauth-user-access-token-management",
    "tiktok_oauth_errors": "https://developers.tiktok.com/doc/oauth-error-handling",
    "tiktok_api_errors": "https://developers.tiktok.com/doc/tiktok-api-v2-error-handling",
    "tiktok_user_info": "https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info",
    "youtube_quota": "https://developers.google.com/youtube/v3/determine_quota_cost",
    "youtube_errors": "https://developers.google.com/youtube/v3/docs/errors",
    "x_users_lookup": "https://docs.x.com/x-api/users/lookup/integrate",
    "x_errors": "https://developer.x.com/en/support/x-api/error-troubleshooting",
}


def missing_scopes(platform: str, granted) -> tuple[str, ...]:
    """Required scopes of `platform` absent from `granted` (None = unknown: nothing can be said)."""
    if granted is None:
        return ()
    return tuple(s for s in REQUIRED_SCOPES.get(platform, {}) if s not in set(granted))
