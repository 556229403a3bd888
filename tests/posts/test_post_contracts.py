"""The post clients against the platforms' documented response shapes (not the sandbox's): each reply below is
built from the documentation page cited beside it, served over real HTTP by a scripted server. A client that
only agrees with our own sandbox would prove nothing about production."""

import datetime as dt
import json

import pytest
from posts_fixtures import Scripted, account, config_for

from pipelines.clients.posts import build_post_client

DAY = dt.date(2026, 1, 15)  # observed day (WIB)


@pytest.fixture
def scripted():
    servers = []

    def start(handler):
        s = Scripted(handler)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


def _batch_items(query: dict) -> list[dict]:
    return json.loads(query["batch"])


def _reply(body: dict, code: int = 200) -> dict:
    return {"code": code, "headers": [], "body": json.dumps(body)}


# https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
# (list: data[] of IG Media ids with the requested fields, paging.cursors + paging.next);
# https://developers.facebook.com/docs/instagram-platform/reference/instagram-media (media_type IMAGE | VIDEO |
# CAROUSEL_ALBUM, media_product_type AD | FEED | STORY | REELS, timestamp ISO 8601 +0000);
# https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights (period lifetime,
# values[0].value); https://developers.facebook.com/docs/graph-api/changelog/ooc-changes/oct-20-2021 (IG comment
# `from` {id, username}); https://developers.facebook.com/docs/graph-api/batch-requests (code/headers/body).
IG_MEDIA_PAGE_1 = {
    "data": [
        {
            "id": "17895695668004550",
            "timestamp": "2026-01-15T03:10:00+0000",
            "media_type": "VIDEO",
            "media_product_type": "REELS",
        }
    ],
    "paging": {"cursors": {"before": "QVFIU", "after": "QVFIUm"}, "next": "NEXT"},
}
IG_MEDIA_PAGE_2 = {
    "data": [
        {
            "id": "17918195224117851",
            "timestamp": "2026-01-10T23:55:00+0000",  # 11 Jan 06:55 WIB: inside a 7-day window ending 15 Jan
            "media_type": "CAROUSEL_ALBUM",
            "media_product_type": "FEED",
        }
    ],
    "paging": {"cursors": {"before": "QVFIUx", "after": "QVFIUy"}},
}


def _ig_insights(media_id: str, base: int) -> dict:
    names = ["views", "reach", "likes", "comments", "shares", "saved"]
    return {
        "data": [
            {
                "name": n,
                "period": "lifetime",
                "values": [{"value": base + k}],
                "title": n.title(),
                "description": "...",
                "id": f"{media_id}/insights/{n}/lifetime",
            }
            for k, n in enumerate(names)
        ]
    }


IG_COMMENTS = {
    "data": [
        {
            "id": "17858893269000001",
            "timestamp": "2026-01-15T04:00:00+0000",
            "replies": {
                "data": [
                    {
                        "id": "178001",
                        "timestamp": "2026-01-15T04:30:00+0000",
                        "from": {"id": "999", "username": "warga"},
                    },
                    {
                        "id": "178002",
                        "timestamp": "2026-01-15T05:00:00+0000",
                        "from": {"id": "17841400008460056", "username": "humas.jatim"},
                    },
                ]
            },
        },
        {"id": "17858893269000002", "timestamp": "2026-01-15T04:10:00+0000"},
    ]
}


def test_instagram_follows_paging_next_and_reads_documented_insights_and_replies(scripted):
    def handler(method, path, query, body):
        if method == "GET":  # paging.next of the media list
            return 200, IG_MEDIA_PAGE_2
        out = []
        for item in _batch_items(query):
            url = item["relative_url"]
            if "/media?" in url:
                page = dict(IG_MEDIA_PAGE_1)
                page["paging"] = {
                    **page["paging"],
                    "next": f"{server.url}/17841400008460056/media?after=QVFIUm",
                }
                out.append(_reply(page))
            elif "/insights?" in url:
                media = url.split("/")[0]
                out.append(_reply(_ig_insights(media, 100 if media.startswith("178956") else 200)))
            elif "/comments?" in url:
                media = url.split("/")[0]
                out.append(_reply(IG_COMMENTS if media.startswith("178956") else {"data": []}))
            else:
                out.append(_reply({"error": {"message": "unexpected", "code": 100}}, 400))
        return 200, out

    server = scripted(handler)
    a = account("instagram", "17841400008460056")
    with build_post_client("instagram", config_for(server.url)) as client:
        result = client.fetch_posts([a], DAY, observe_days=7)
    assert [o.status for o in result.outcomes] == ["ok"]
    rows = {r["post_id"]: r for r in result.posts}
    assert rows["17895695668004550"]["content_type"] == "short_video"
    assert rows["17918195224117851"]["content_type"] == "carousel"
    assert rows["17918195224117851"]["published_date"] == dt.date(2026, 1, 11)
    reel = rows["17895695668004550"]
    assert [reel[m] for m in ("views_count", "reach_count", "likes_count", "comments_count")] == [
        100,
        101,
        102,
        103,
    ]
    assert (reel["shares_count"], reel["saves_count"]) == (104, 105)
    comments = {c["comment_id"]: c for c in result.comments}
    answered = comments["17858893269000001"]
    assert answered["has_account_reply"] and answered["first_account_reply_at"] == dt.datetime(
        2026, 1, 15, 5, 0, tzinfo=dt.UTC
    )
    assert answered["reply_count"] == 2
    assert not comments["17858893269000002"]["has_account_reply"]
    # the list asked for the window and the documented fields
    first_batch = _batch_items(server.requests[0][2])
    assert "fields=id%2Ctimestamp%2Cmedia_type%2Cmedia_product_type" in first_batch[0]["relative_url"]


# https://developers.facebook.com/docs/graph-api/reference/page/published_posts/ and
# https://developers.facebook.com/docs/graph-api/reference/pagepost (attachments, shares, comments summary);
# https://developers.facebook.com/docs/graph-api/reference/page-post/insights/ (lifetime values; reactions by type
# are an object); https://developers.facebook.com/docs/graph-api/reference/object/comments/ (comments{from}).
FB_POSTS = {
    "data": [
        {
            "id": "104658438001050_122100000000000001",
            "created_time": "2026-01-14T02:00:00+0000",
            "attachments": {"data": [{"media_type": "photo"}]},
            "shares": {"count": 12},
            "comments": {"data": [], "summary": {"order": "ranked", "total_count": 7, "can_comment": True}},
        },
        {
            "id": "104658438001050_122100000000000002",
            "created_time": "2026-01-13T02:00:00+0000",
            "comments": {"data": [], "summary": {"order": "ranked", "total_count": 0, "can_comment": True}},
        },
    ]
}
FB_INSIGHTS = {
    "data": [
        {
            "name": "post_media_view",
            "period": "lifetime",
            "values": [{"value": 5400}],
            "id": "x/insights/a/lifetime",
        },
        {
            "name": "post_total_media_view_unique",
            "period": "lifetime",
            "values": [{"value": 3100}],
            "id": "b",
        },
        {
            "name": "post_reactions_by_type_total",
            "period": "lifetime",
            "values": [{"value": {"like": 40, "love": 3, "wow": 1}}],
            "id": "c",
        },
    ]
}
FB_COMMENTS = {
    "data": [
        {
            "id": "122100000000000001_1001",
            "created_time": "2026-01-14T03:00:00+0000",
            "comments": {
                "data": [
                    {
                        "id": "r1",
                        "created_time": "2026-01-14T09:00:00+0000",
                        "from": {"name": "Humas", "id": "104658438001050"},
                    }
                ]
            },
        }
    ]
}


def test_facebook_reads_attachment_types_reaction_totals_and_page_replies(scripted):
    def handler(method, path, query, body):
        out = []
        for item in _batch_items(query):
            url = item["relative_url"]
            if "/published_posts?" in url:
                out.append(_reply(FB_POSTS))  # no paging.next: the list ends here
            elif "/insights?" in url:
                out.append(_reply(FB_INSIGHTS))
            elif url.startswith("104658438001050_122100000000000001/comments?"):
                out.append(_reply(FB_COMMENTS))
            else:
                out.append(_reply({"data": []}))
        return 200, out

    server = scripted(handler)
    a = account("facebook", "104658438001050")
    with build_post_client("facebook", config_for(server.url)) as client:
        result = client.fetch_posts([a], DAY, observe_days=7)
    rows = {r["post_id"].split("_")[1]: r for r in result.posts}
    photo, status = rows["122100000000000001"], rows["122100000000000002"]
    assert (photo["content_type"], photo["native_type"]) == ("image", "photo")
    assert (status["content_type"], status["native_type"]) == ("text", "status")
    assert photo["likes_count"] == 44  # reactions of every type
    assert (photo["views_count"], photo["reach_count"], photo["shares_count"]) == (5400, 3100, 12)
    assert status["shares_count"] == 0 and photo["saves_count"] is None  # Pages have no saves: null, not 0
    assert photo["comments_count"] == 7
    (comment,) = result.comments
    assert comment["has_account_reply"]
    assert comment["first_account_reply_at"] - comment["commented_at"] == dt.timedelta(hours=6)


# https://developers.google.com/youtube/v3/docs/playlistItems/list (contentDetails.videoId, videoPublishedAt,
# nextPageToken); https://developers.google.com/youtube/v3/docs/videos/list (contentDetails.duration ISO 8601,
# statistics as strings, likeCount absent when hidden); https://developers.google.com/youtube/v3/docs/
# commentThreads/list (snippet.topLevelComment, replies.comments[].snippet.authorChannelId.value);
# https://developers.google.com/youtube/v3/determine_quota_cost (each of these lists: 1 unit).
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"


def _yt(method, path, query, body):
    route = path.rsplit("/", 1)[-1]
    if route == "playlistItems":
        assert query["playlistId"] == "UU" + CHANNEL[2:]
        items = [
            {
                "kind": "youtube#playlistItem",
                "contentDetails": {"videoId": "Ks-_Mh1QhMc", "videoPublishedAt": "2026-01-14T08:00:00Z"},
            },
            {
                "kind": "youtube#playlistItem",
                "contentDetails": {"videoId": "c0KYU2j0TM4", "videoPublishedAt": "2026-01-12T08:00:00Z"},
            },
            {
                "kind": "youtube#playlistItem",
                "contentDetails": {"videoId": "eIho2S0ZahI", "videoPublishedAt": "2025-12-01T08:00:00Z"},
            },
        ]
        return 200, {"kind": "youtube#playlistItemListResponse", "nextPageToken": "CAMQAA", "items": items}
    if route == "videos":
        ids = query["id"].split(",")
        assert "eIho2S0ZahI" not in ids  # outside the window: never asked
        items = [
            {
                "kind": "youtube#video",
                "id": "Ks-_Mh1QhMc",
                "contentDetails": {"duration": "PT59S"},
                "statistics": {
                    "viewCount": "1520",
                    "likeCount": "88",
                    "favoriteCount": "0",
                    "commentCount": "4",
                },
            },
            {
                "kind": "youtube#video",
                "id": "c0KYU2j0TM4",
                "contentDetails": {"duration": "PT1H2M3S"},
                "statistics": {"viewCount": "300", "favoriteCount": "0", "commentCount": "1"},
            },
        ]
        return 200, {"kind": "youtube#videoListResponse", "items": items}
    if route == "commentThreads":
        assert query["allThreadsRelatedToChannelId"] == CHANNEL and "replies" in query["part"]
        items = [
            {
                "kind": "youtube#commentThread",
                "id": "UgzDE2tasfmrYLyNkGt4AaABAg",
                "snippet": {
                    "channelId": CHANNEL,
                    "videoId": "Ks-_Mh1QhMc",
                    "topLevelComment": {
                        "id": "UgzDE2tasfmrYLyNkGt4AaABAg",
                        "snippet": {"publishedAt": "2026-01-14T10:00:00Z"},
                    },
                    "totalReplyCount": 1,
                },
                "replies": {
                    "comments": [
                        {
                            "snippet": {
                                "authorChannelId": {"value": CHANNEL},
                                "publishedAt": "2026-01-14T12:30:00Z",
                            }
                        }
                    ]
                },
            },
            {
                "kind": "youtube#commentThread",
                "id": "UgwOld",
                "snippet": {
                    "channelId": CHANNEL,
                    "videoId": "eIho2S0ZahI",
                    "topLevelComment": {"id": "UgwOld", "snippet": {"publishedAt": "2025-12-02T10:00:00Z"}},
                    "totalReplyCount": 0,
                },
            },
        ]
        return 200, {"kind": "youtube#commentThreadListResponse", "nextPageToken": "QURTSl9p", "items": items}
    return 404, {"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}}


def test_youtube_tells_shorts_by_duration_and_pages_only_as_far_as_the_window(scripted):
    server = scripted(_yt)
    a = account("youtube", CHANNEL)
    with build_post_client("youtube", config_for(server.url)) as client:
        result = client.fetch_posts([a], DAY, observe_days=7)
    rows = {r["post_id"]: r for r in result.posts}
    assert set(rows) == {"Ks-_Mh1QhMc", "c0KYU2j0TM4"}
    assert (rows["Ks-_Mh1QhMc"]["content_type"], rows["Ks-_Mh1QhMc"]["duration_s"]) == ("short_video", 59)
    assert (rows["c0KYU2j0TM4"]["content_type"], rows["c0KYU2j0TM4"]["duration_s"]) == ("video", 3723)
    assert rows["c0KYU2j0TM4"]["likes_count"] is None  # hidden likes: unknown, not zero
    assert rows["Ks-_Mh1QhMc"]["views_count"] == 1520
    (comment,) = result.comments  # the old video's thread is outside the window
    assert comment["has_account_reply"] and comment["reply_count"] == 1
    routes = [path.rsplit("/", 1)[-1] for _, path, _ in server.requests]
    # one page of uploads (it reached before the window), one videos.list, one page of threads; never search
    assert routes == ["playlistItems", "videos", "commentThreads"]


# https://docs.x.com/x-api/users/get-posts (data[] with created_at, public_metrics, attachments.media_keys;
# includes.media[].type photo | video | animated_gif; meta.next_token).
X_PAGE_1 = {
    "data": [
        {
            "id": "1879000000000000001",
            "text": "Rapat koordinasi",
            "created_at": "2026-01-14T02:00:00.000Z",
            "edit_history_tweet_ids": ["1879000000000000001"],
            "attachments": {"media_keys": ["3_1", "3_2"]},
            "public_metrics": {
                "retweet_count": 5,
                "reply_count": 2,
                "like_count": 40,
                "quote_count": 1,
                "bookmark_count": 3,
                "impression_count": 2100,
            },
        }
    ],
    "includes": {"media": [{"media_key": "3_1", "type": "photo"}, {"media_key": "3_2", "type": "photo"}]},
    "meta": {
        "result_count": 1,
        "newest_id": "1879000000000000001",
        "oldest_id": "1879000000000000001",
        "next_token": "7140dibdnow9c7btw",
    },
}
X_PAGE_2 = {
    "data": [
        {
            "id": "1878000000000000002",
            "text": "Info",
            "created_at": "2026-01-13T02:00:00.000Z",
            "edit_history_tweet_ids": ["1878000000000000002"],
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 3,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 90,
            },
        }
    ],
    "meta": {"result_count": 1},
}


def test_x_reads_media_types_from_includes_and_follows_next_token(scripted):
    def handler(method, path, query, body):
        assert path == "/users/2244994945/tweets" and query["start_time"] == "2026-01-08T17:00:00Z"
        assert "public_metrics" in query["tweet.fields"] and query["expansions"] == "attachments.media_keys"
        return 200, (X_PAGE_2 if query.get("pagination_token") == "7140dibdnow9c7btw" else X_PAGE_1)

    server = scripted(handler)
    with build_post_client("x", config_for(server.url)) as client:
        result = client.fetch_posts([account("x", "2244994945")], DAY, observe_days=7)
    rows = {r["post_id"]: r for r in result.posts}
    album, text = rows["1879000000000000001"], rows["1878000000000000002"]
    assert (album["content_type"], album["native_type"]) == ("carousel", "photos")
    assert (text["content_type"], text["native_type"]) == ("text", "text")
    assert (album["views_count"], album["likes_count"], album["comments_count"]) == (2100, 40, 2)
    assert (album["shares_count"], album["saves_count"], album["reach_count"]) == (6, 3, None)
    assert result.comments == [] and not result.comments_fetched  # X: reply rate not measured
    assert len(server.requests) == 2


# https://developers.tiktok.com/doc/tiktok-api-v2-video-list (POST /v2/video/list/, fields in the query, body
# {cursor, max_count <= 20}, data.videos/cursor/has_more, error.code "ok");
# https://developers.tiktok.com/doc/tiktok-api-v2-video-object (create_time Unix seconds, duration, counts).
def test_tiktok_pages_back_until_before_the_window(scripted):
    def handler(method, path, query, body):
        cursor = json.loads(body or b"{}").get("cursor")
        error = {"code": "ok", "message": "", "log_id": "20260115000000ABCDEF"}
        if cursor is None:
            videos = [
                {
                    "id": "7456000000000000001",
                    "create_time": 1768370400,
                    "duration": 34,
                    "view_count": 900,
                    "like_count": 80,
                    "comment_count": 5,
                    "share_count": 2,
                },
            ]
            return 200, {
                "data": {"videos": videos, "cursor": 1768370400000, "has_more": True},
                "error": error,
            }
        videos = [
            {
                "id": "7450000000000000002",
                "create_time": 1767000000,
                "duration": 61,
                "view_count": 10,
                "like_count": 1,
                "comment_count": 0,
                "share_count": 0,
            },
        ]
        return 200, {"data": {"videos": videos, "cursor": 1767000000000, "has_more": True}, "error": error}

    server = scripted(handler)
    a = account("tiktok", "open_1")
    with build_post_client("tiktok", config_for(server.url)) as client:
        result = client.fetch_posts([a], DAY, observe_days=7)
    (row,) = result.posts  # the second page reached before the window: the client stopped there
    assert row["post_id"] == "7456000000000000001" and row["content_type"] == "short_video"
    assert (row["views_count"], row["likes_count"], row["shares_count"], row["saves_count"]) == (
        900,
        80,
        2,
        None,
    )
    assert len(server.requests) == 2
    assert "view_count" in server.requests[0][2]["fields"]


# https://developers.google.com/youtube/v3/docs/playlistItems/list#errors (404 playlistNotFound) and
# https://developers.google.com/youtube/v3/docs/commentThreads/list#errors (403 commentsDisabled).
def _yt_error(status: int, reason: str, message: str) -> dict:
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": "youtube.x", "reason": reason, "message": message}],
        }
    }


def test_youtube_gone_channel_is_not_found_and_disabled_comments_are_no_failure(scripted):
    def handler(method, path, query, body):
        route = path.rsplit("/", 1)[-1]
        gone = query.get("playlistId") == "UU_gone" or query.get("allThreadsRelatedToChannelId") == "UC_gone"
        if route == "playlistItems" and gone:
            return 404, _yt_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        if route == "commentThreads":
            return 403, _yt_error(
                403,
                "commentsDisabled",
                "The video identified by the videoId parameter has disabled comments.",
            )
        return _yt(method, path, query, body)

    server = scripted(handler)
    with build_post_client("youtube", config_for(server.url)) as client:
        result = client.fetch_posts([account("youtube", CHANNEL), account("youtube", "UC_gone")], DAY)
    status = {o.account_id: o.status for o in result.outcomes}
    assert status == {f"youtube:{CHANNEL}": "ok", "youtube:UC_gone": "not_found"}
    assert len(result.posts) == 2 and result.comments == []
    # nothing retried: neither answer is transient
    assert result.retries == 0
