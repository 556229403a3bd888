"""YouTube, X and TikTok over HTTP: shapes, batching limits, partial errors, paging, auth."""

import datetime as dt

import requests
from sandbox_calls import TODAY, accounts, as_of, fetch_values, tokens

from pipelines.sandbox import SandboxConfig

DAY = TODAY - dt.timedelta(days=2)


def yt_get(sb, ids, day=DAY, key=None):
    params = {"part": "statistics", "id": ",".join(ids), "key": key or tokens(sb)["youtube_api_key"]}
    return requests.get(f"{sb.url}/youtube/v3/channels", params=params, headers=as_of(day), timeout=10)


def x_get(sb, ids, day=DAY, token=None):
    headers = {**as_of(day), "Authorization": f"Bearer {token or tokens(sb)['x_bearer_token']}"}
    params = {"ids": ",".join(ids), "user.fields": "public_metrics"}
    return requests.get(f"{sb.url}/x/2/users", params=params, headers=headers, timeout=10)


def tt_headers(sb, account, day=DAY):
    return {**as_of(day), "Authorization": f"Bearer {tokens(sb)['account_tokens'][account.account_id]}"}


def test_youtube_statistics_are_strings_and_unknown_ids_are_absent(quiet_sb):
    chans = accounts(quiet_sb, "youtube")[:49]
    resp = yt_get(quiet_sb, [a.platform_user_id for a in chans] + ["UCdoesnotexist000000000"])
    body = resp.json()
    assert resp.status_code == 200 and body["kind"] == "youtube#channelListResponse"
    assert {it["id"] for it in body["items"]} == {a.platform_user_id for a in chans}
    assert body["pageInfo"]["totalResults"] == 49
    hidden_seen = False
    for item in body["items"]:
        stats = item["statistics"]
        expected = quiet_sb.expected_values(f"youtube:{item['id']}", DAY)
        assert stats["viewCount"] == str(expected["view_count"]) and stats["videoCount"] == str(
            expected["video_count"]
        )
        if stats["hiddenSubscriberCount"]:
            hidden_seen = True
            assert "subscriberCount" not in stats and expected["subscriber_count"] is None
        else:
            assert stats["subscriberCount"] == str(expected["subscriber_count"])
    assert hidden_seen or quiet_sb.world.config.youtube_hidden_subscriber_rate < 0.02


def test_youtube_over_50_ids_and_bad_key(quiet_sb):
    ids = [a.platform_user_id for a in accounts(quiet_sb, "youtube")[:51]]
    assert yt_get(quiet_sb, ids).status_code == 400
    bad = yt_get(quiet_sb, ids[:2], key="wrong")
    # Google today: HTTP 400 badRequest, the cause in details[].reason (google.rpc.ErrorInfo), not keyInvalid
    error = bad.json()["error"]
    assert bad.status_code == 400 and error["errors"][0]["reason"] == "badRequest"
    assert error["details"][0]["reason"] == "API_KEY_INVALID"


def test_youtube_quota_exceeded_after_the_daily_units(small_sandbox):
    sb = small_sandbox(SandboxConfig.quiet(youtube_quota_per_day=3))
    ids = [a.platform_user_id for a in accounts(sb, "youtube")]
    assert [yt_get(sb, ids).status_code for _ in range(3)] == [200, 200, 200]
    over = yt_get(sb, ids)
    err = over.json()["error"]
    assert over.status_code == 403 and err["errors"][0]["reason"] == "quotaExceeded"
    assert err["errors"][0]["domain"] == "youtube.quota"
    requests.post(f"{sb.url}/_sandbox/stats/reset", timeout=5)
    assert yt_get(sb, ids).status_code == 200


def test_x_users_batch_with_partial_errors_and_rate_headers(quiet_sb):
    users = accounts(quiet_sb, "x")[:99]
    resp = x_get(quiet_sb, [a.platform_user_id for a in users] + ["1"])
    body = resp.json()
    assert resp.status_code == 200
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(resp.headers)
    assert [e["resource_id"] for e in body["errors"]] == ["1"] and body["errors"][0][
        "title"
    ] == "Not Found Error"
    for user in body["data"]:
        expected = quiet_sb.expected_values(f"x:{user['id']}", DAY)
        assert user["public_metrics"] == expected


def test_x_limits_and_auth(quiet_sb):
    ids = [a.platform_user_id for a in accounts(quiet_sb, "x")] * 2
    too_many = x_get(quiet_sb, ids[:101])
    assert too_many.status_code == 400 and too_many.json()["title"] == "Invalid Request"
    unauthorized = x_get(quiet_sb, ids[:1], token="nope")
    assert unauthorized.status_code == 401 and unauthorized.json()["title"] == "Unauthorized"
    only_unknown = x_get(quiet_sb, ["42"])
    assert "data" not in only_unknown.json() and only_unknown.json()["errors"]


def test_tiktok_user_info_and_error_body(quiet_sb):
    a = accounts(quiet_sb, "tiktok")[0]
    fields = "open_id,follower_count,following_count,likes_count,video_count"
    url = f"{quiet_sb.url}/tiktok/v2/user/info/"
    resp = requests.get(url, params={"fields": fields}, headers=tt_headers(quiet_sb, a), timeout=10)
    body = resp.json()
    assert body["error"]["code"] == "ok" and body["error"]["log_id"]
    expected = quiet_sb.expected_values(a.account_id, DAY)
    assert body["data"]["user"] == {"open_id": a.platform_user_id} | {
        k: expected[k] for k in ("follower_count", "following_count", "likes_count", "video_count")
    }
    bad = requests.get(url, params={"fields": fields}, headers={"Authorization": "Bearer x"}, timeout=10)
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "access_token_invalid"


def test_tiktok_video_list_pages_newest_first_by_cursor(quiet_sb):
    w = quiet_sb.world
    a = max(
        accounts(quiet_sb, "tiktok"), key=lambda x: w.series["new_posts"][:, w.index_of[x.account_id]].sum()
    )
    url = f"{quiet_sb.url}/tiktok/v2/video/list/"
    params = {"fields": "id,create_time,view_count"}
    over = requests.post(
        url, params=params, json={"max_count": 21}, headers=tt_headers(quiet_sb, a), timeout=10
    )
    assert over.status_code == 400 and over.json()["error"]["code"] == "invalid_params"
    start = (
        int(dt.datetime.combine(DAY - dt.timedelta(days=9), dt.time(0), tzinfo=dt.UTC).timestamp()) - 7 * 3600
    )
    cursor, times, ids = None, [], set()
    while True:
        body = {"max_count": 3} | ({"cursor": cursor} if cursor else {})
        page = requests.post(
            url, params=params, json=body, headers=tt_headers(quiet_sb, a), timeout=10
        ).json()
        videos = page["data"]["videos"]
        times += [v["create_time"] for v in videos]
        ids |= {v["id"] for v in videos}
        if not page["data"]["has_more"] or min(times) < start:
            break
        cursor = page["data"]["cursor"]
    assert times == sorted(times, reverse=True) and len(ids) == len(times)
    end = start + 10 * 86400  # the last ten WIB days up to DAY, as the as-of header cuts the list there
    in_window = sum(start <= t < end for t in times)
    i = w.index_of[a.account_id]
    assert in_window == int(w.series["new_posts"][w.day_index(DAY) - 9 : w.day_index(DAY) + 1, i].sum())
    assert max(times) < end


def test_fetched_values_equal_expected_values_on_every_platform(quiet_sb):
    for platform in ("instagram", "facebook", "youtube", "x", "tiktok"):
        for account in accounts(quiet_sb, platform)[:3]:
            for day in (DAY, dt.date(2025, 3, 31), dt.date(2026, 7, 1)):
                assert fetch_values(quiet_sb, account, day) == quiet_sb.expected_values(
                    account.account_id, day
                )
