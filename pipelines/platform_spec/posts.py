"""The post grain of the specification: which requests list a unit's posts and their metrics, how each platform's
own post types map onto the warehouse's content types, which conformed post metric comes from which native
field, and whether the API lets the account's comment replies be counted.

Lake rows of `raw/<platform>/posts` and `raw/<platform>/comments` use one conformed schema on every platform
(`pipelines.lake.POSTS_SCHEMA` / `COMMENTS_SCHEMA`): the platform's vocabulary survives in `native_type`,
and this record is where each conformed column's source is written down (the metric catalogue and the docs are
generated from it).
"""

from dataclasses import dataclass

from pipelines.platform_spec.model import Doc, Request

# The content-type vocabulary of the warehouse (docs/analysts/posts.md explains each).
# `other`: a type the mapping does not know yet (the platform's own name stays in native_type).
CONTENT_TYPES: tuple[str, ...] = ("image", "carousel", "video", "short_video", "text", "other")
# Conformed post metrics (lifetime values of one post as observed on a day).
POST_METRICS: tuple[str, ...] = (
    "views_count",
    "reach_count",
    "likes_count",
    "comments_count",
    "shares_count",
    "saves_count",
)
# Shorts are at most 3 minutes long since October 2024 ("YouTube Shorts can now be up to 3 minutes long").
# The Data API has no Shorts flag, so a video this short counts as short_video.
SHORT_VIDEO_MAX_S = 180


@dataclass(frozen=True)
class PostSpec:
    """`metrics`: conformed post metric -> the native field(s) (" + " joins sums); a metric missing here is not
    given by the platform (null, never zero), with the reason in `absent`. `content_types`: the platform's
    own type -> a CONTENT_TYPES value. `comments`: whether the account's replies to comments can be read
    (else `comments_absent` says why)."""

    platform: str
    requests: tuple[Request, ...]
    metrics: dict[str, str]
    absent: dict[str, str]
    content_types: dict[str, str]
    content_type_rule: str
    comments: bool
    comments_note: str
    page_size: int
    max_pages: int = 20

    def request(self, name: str) -> Request:
        return next(r for r in self.requests if r.name == name)

    def content_type(self, native: str) -> str:
        """The conformed type of a native one; `other` for a type the platform added since (never fails)."""
        return self.content_types.get(native, "other")


IG_MEDIA_EDGE = Doc(
    "IG User Media (Instagram Platform reference)",
    "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
)
IG_MEDIA = Doc(
    "IG Media (media_type, media_product_type)",
    "https://developers.facebook.com/docs/instagram-platform/reference/instagram-media",
)
IG_MEDIA_INSIGHTS = Doc(
    "Instagram Media Insights",
    "https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights",
)
IG_COMMENTS = Doc(
    "IG Media Comments / IG Comment (from, replies, timestamp)",
    "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment",
)
FB_PUBLISHED_POSTS = Doc(
    "Page published_posts edge",
    "https://developers.facebook.com/docs/graph-api/reference/page/published_posts/",
)
FB_POST = Doc("Page Post", "https://developers.facebook.com/docs/graph-api/reference/pagepost")
FB_POST_INSIGHTS = Doc(
    "Page Post Insights", "https://developers.facebook.com/docs/graph-api/reference/page-post/insights/"
)
FB_COMMENTS = Doc(
    "Object Comments edge", "https://developers.facebook.com/docs/graph-api/reference/object/comments/"
)
YT_PLAYLIST_ITEMS = Doc(
    "PlaylistItems: list", "https://developers.google.com/youtube/v3/docs/playlistItems/list"
)
YT_VIDEOS = Doc("Videos: list", "https://developers.google.com/youtube/v3/docs/videos/list")
YT_COMMENT_THREADS = Doc(
    "CommentThreads: list", "https://developers.google.com/youtube/v3/docs/commentThreads/list"
)
YT_QUOTA = Doc("Quota Calculator", "https://developers.google.com/youtube/v3/determine_quota_cost")
X_USER_POSTS = Doc("Get Posts (user timeline)", "https://docs.x.com/x-api/users/get-posts")
X_RATE_LIMITS = Doc("X API rate limits", "https://docs.x.com/x-api/fundamentals/rate-limits")
TIKTOK_VIDEO_LIST = Doc("List Videos", "https://developers.tiktok.com/doc/tiktok-api-v2-video-list")
TIKTOK_VIDEO_OBJECT = Doc("Video Object", "https://developers.tiktok.com/doc/tiktok-api-v2-video-object")

INSTAGRAM = PostSpec(
    platform="instagram",
    requests=(
        Request(
            "media",
            "GET /{ig-user-id}/media?fields=id,timestamp,media_type,media_product_type&since&until&limit",
            IG_MEDIA_EDGE,
            note="newest first, paged by paging.cursors.after / paging.next",
        ),
        Request(
            "media_insights",
            "GET /{ig-media-id}/insights?metric=views,reach,likes,comments,shares,saved",
            IG_MEDIA_INSIGHTS,
            note="lifetime values; one Graph batch item per post (50 per batch call)",
        ),
        Request(
            "comments",
            "GET /{ig-media-id}/comments?fields=id,timestamp,replies{id,timestamp,from}",
            IG_COMMENTS,
            note="replies carry `from` {id, username}: compared with the account id, never stored",
        ),
    ),
    metrics={
        "views_count": "views",
        "reach_count": "reach",
        "likes_count": "likes",
        "comments_count": "comments",
        "shares_count": "shares",
        "saves_count": "saved",
    },
    absent={},
    content_types={
        "IMAGE/FEED": "image",
        "CAROUSEL_ALBUM/FEED": "carousel",
        "VIDEO/FEED": "video",
        "VIDEO/REELS": "short_video",
        "IMAGE/STORY": "image",
        "VIDEO/STORY": "video",
    },
    content_type_rule="media_type/media_product_type (REELS are short_video)",
    comments=True,
    comments_note="IG comments with replies{from}: a reply whose from.id is the account's id is its answer.",
    page_size=50,
)

FACEBOOK = PostSpec(
    platform="facebook",
    requests=(
        Request(
            "published_posts",
            "GET /{page-id}/published_posts?fields=id,created_time,attachments{media_type},shares,"
            "comments.summary(true).limit(0)&since&until&limit",
            FB_PUBLISHED_POSTS,
            note="newest first; paging ends when paging.next is absent. Reels are not listed (Page Post doc).",
        ),
        Request(
            "post_insights",
            "GET /{post-id}/insights?metric=post_media_view,post_total_media_view_unique,"
            "post_reactions_by_type_total",
            FB_POST_INSIGHTS,
            note="lifetime values; post_media_view replaces post_impressions (2025-11 deprecations)",
        ),
        Request(
            "comments",
            "GET /{post-id}/comments?filter=toplevel&fields=id,created_time,comments{id,created_time,from}",
            FB_COMMENTS,
            note="a reply whose from.id is the Page id is the Page's answer (Page token sees `from`)",
        ),
    ),
    metrics={
        "views_count": "post_media_view",
        "reach_count": "post_total_media_view_unique",
        "likes_count": "post_reactions_by_type_total",
        "comments_count": "comments.summary.total_count",
        "shares_count": "shares.count",
    },
    absent={"saves_count": "Facebook Page posts expose no saves."},
    content_types={
        "photo": "image",
        "album": "carousel",
        "video_inline": "video",
        "video": "video",
        "link": "text",
        "status": "text",
    },
    content_type_rule="attachments{media_type} of the first attachment; no attachment = status (text); "
    "link shares count as text",
    comments=True,
    comments_note="Top-level comments with their replies; a reply from the Page's own id is its answer.",
    page_size=50,
)

YOUTUBE = PostSpec(
    platform="youtube",
    requests=(
        Request(
            "uploads",
            "GET playlistItems?part=contentDetails&playlistId=UU<channel>&maxResults=50 (1 unit)",
            YT_PLAYLIST_ITEMS,
            note="the uploads playlist, newest first; never search.list (100 units)",
        ),
        Request(
            "videos",
            "GET videos?part=contentDetails,statistics&id=<up to 50 ids> (1 unit per 50 videos)",
            YT_VIDEOS,
            note="contentDetails.duration (ISO 8601) tells Shorts apart; statistics are strings",
        ),
        Request(
            "comment_threads",
            "GET commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=<channel>&maxResults=100 "
            "(1 unit per page)",
            YT_COMMENT_THREADS,
            note="threads on every video of the channel, newest first; replies part holds the first replies",
        ),
    ),
    metrics={
        "views_count": "statistics.viewCount",
        "likes_count": "statistics.likeCount",
        "comments_count": "statistics.commentCount",
    },
    absent={
        "reach_count": "The Data API gives no reach (YouTube Analytics needs the owner's OAuth).",
        "shares_count": "Shares are only in YouTube Analytics (owner's OAuth).",
        "saves_count": "YouTube has no saves.",
    },
    content_types={"short": "short_video", "long": "video"},
    content_type_rule=f"contentDetails.duration <= {SHORT_VIDEO_MAX_S} s is a Short (the API has no flag)",
    comments=True,
    comments_note="commentThreads replies whose authorChannelId is the channel's id are its answers.",
    page_size=50,
)

X = PostSpec(
    platform="x",
    requests=(
        Request(
            "user_posts",
            "GET /2/users/:id/tweets?start_time&max_results=100&tweet.fields=created_at,public_metrics,"
            "attachments&expansions=attachments.media_keys&media.fields=type",
            X_USER_POSTS,
            note="one call covers an account's observation window (<= 100 posts); pagination_token beyond",
        ),
    ),
    metrics={
        "views_count": "public_metrics.impression_count",
        "likes_count": "public_metrics.like_count",
        "comments_count": "public_metrics.reply_count",
        "shares_count": "public_metrics.retweet_count + public_metrics.quote_count",
        "saves_count": "public_metrics.bookmark_count",
    },
    absent={"reach_count": "X gives impressions, not unique reach."},
    content_types={
        "text": "text",
        "photo": "image",
        "photos": "carousel",
        "video": "video",
        "animated_gif": "video",
    },
    content_type_rule="attachments.media_keys -> includes.media[].type; no media = text; 2-4 photos = carousel",
    comments=False,
    comments_note="Replies to a post are found only through search (conversation_id), which the "
    "project's access level does not include at national scale: reply rate is not measured on X.",
    page_size=100,
)

TIKTOK = PostSpec(
    platform="tiktok",
    requests=(
        Request(
            "video_list",
            "POST /v2/video/list/?fields=id,create_time,duration,view_count,like_count,comment_count,"
            'share_count {"cursor", "max_count": 20}',
            TIKTOK_VIDEO_LIST,
            note="newest first; has_more + cursor (ms); metrics come with the list: no second call",
        ),
    ),
    metrics={
        "views_count": "view_count",
        "likes_count": "like_count",
        "comments_count": "comment_count",
        "shares_count": "share_count",
    },
    absent={
        "reach_count": "The Display API gives no reach.",
        "saves_count": "The Display API gives no saves (favourites).",
    },
    content_types={"video": "short_video"},
    content_type_rule="every Display API video is short_video (duration is kept)",
    comments=False,
    comments_note="The Display API has no comment endpoint (the Research API is not open to government "
    "accounts): reply rate is not measured on TikTok.",
    page_size=20,
)

POST_SPECS: dict[str, PostSpec] = {s.platform: s for s in (INSTAGRAM, FACEBOOK, YOUTUBE, X, TIKTOK)}


def post_spec(platform: str) -> PostSpec:
    return POST_SPECS[platform]


def _validate() -> None:
    for s in POST_SPECS.values():
        for metric in POST_METRICS:
            if (metric in s.metrics) == (metric in s.absent):
                raise ValueError(f"{s.platform}: {metric} must be either provided or absent")
        bad = set(s.content_types.values()) - set(CONTENT_TYPES)
        if bad:
            raise ValueError(f"{s.platform}: content types outside the vocabulary: {bad}")
        if not s.comments and not s.comments_note:
            raise ValueError(f"{s.platform}: say why comments are not measured")


_validate()
