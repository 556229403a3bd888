"""TikTok: one account per call, user info plus the day's videos counted through cursor paging."""

import datetime as dt

import pytest
from client_harness import DAY, Reply, account, client

START = int(dt.datetime(2026, 1, 14, 17, 0, tzinfo=dt.UTC).timestamp())  # 00:00 WIB on DAY
OK = {"code": "ok", "message": "", "log_id": "L"}


def user_info(open_id: str) -> dict:
    user = {
        "open_id": open_id,
        "follower_count": 321,
        "following_count": 12,
        "likes_count": 4000,
        "video_count": 77,
    }
    return {"data": {"user": user}, "error": OK}


def tiktok_server(serve, pages_by_token: dict[str, list[dict]], info=None):
    """`pages_by_token[token]` lists the video pages; the cursor is the index of the next page."""

    def handler(req, n):
        token = req.headers["Authorization"].removeprefix("Bearer ")
        if req.path == "/user/info/":
            assert req.method == "GET" and "follower_count" in req.query["fields"]
            return info(token, n) if info else Reply(200, user_info(f"_oid{token}"))
        assert (req.method, req.path) == ("POST", "/video/list/")
        body = req.json()
        assert body["max_count"] == 20
        index = body.get("cursor", 0)
        pages = pages_by_token[token]
        page = pages[index]
        return Reply(
            200,
            {"data": {"videos": page, "cursor": index + 1, "has_more": index + 1 < len(pages)}, "error": OK},
        )

    return serve(handler)


def videos(times: list[int]) -> list[dict]:
    return [{"id": f"v{t}", "create_time": t} for t in times]


def test_counts_videos_of_the_wib_day_and_stops_paging_before_it(serve, clock):
    after_day = [START + 86400 + 60 * i for i in range(20)]  # newest first: the next day (as-of is later)
    on_day = [START + 86399 - 600 * i for i in range(20)]
    crossing = [START + 100, START + 5, START, START - 1, START - 5000]
    never = [START - 90000] * 20
    srv = tiktok_server(serve, {"T1": [videos(after_day), videos(on_day), videos(crossing), videos(never)]})
    acct = account("tiktok", "_oidT1")
    result = client("tiktok", srv.url, clock, account_tokens={acct.account_id: "T1"}).fetch_day([acct], DAY)
    (row,) = result.rows
    assert row["videos_published"] == 20 + 3
    assert (row["follower_count"], row["following_count"], row["likes_count"], row["video_count"]) == (
        321,
        12,
        4000,
        77,
    )
    assert result.requests_made == 1 + 3  # the fourth page is never asked for
    assert [r.json().get("cursor") for r in srv.requests[1:]] == [None, 1, 2]


@pytest.mark.parametrize(
    ("reply", "status", "code"),
    [
        (
            Reply(
                401,
                {"data": {}, "error": {"code": "access_token_invalid", "message": "expired", "log_id": "x"}},
            ),
            "auth_failed",
            "access_token_invalid",
        ),
        (  # TikTok "Error Handling": HTTP 401, the user did not grant the scope; a person must act
            Reply(
                401, {"data": {}, "error": {"code": "scope_not_authorized", "message": "no", "log_id": "x"}}
            ),
            "permission_denied",
            "scope_not_authorized",
        ),
        (
            Reply(400, {"data": {}, "error": {"code": "invalid_user", "message": "gone", "log_id": "x"}}),
            "suspended",
            "invalid_user",
        ),
    ],
)
def test_permanent_errors_are_not_retried(serve, clock, reply, status, code):
    srv = tiktok_server(serve, {}, info=lambda token, n: reply)
    acct = account("tiktok", "_oidT1")
    result = client("tiktok", srv.url, clock, account_tokens={acct.account_id: "T1"}).fetch_day([acct], DAY)
    (o,) = result.outcomes
    assert (o.status, o.error_code, o.attempts) == (status, code, 1)
    assert len(srv.requests) == 1 and result.rows == []


def test_rate_limit_waits_retry_after_then_succeeds(serve, clock):
    throttled = Reply(
        429,
        {"data": {}, "error": {"code": "rate_limit_exceeded", "message": "slow", "log_id": "x"}},
        {"Retry-After": "3"},
    )
    srv = tiktok_server(
        serve,
        {"T1": [videos([])]},
        info=lambda token, n: throttled if n == 1 else Reply(200, user_info("_oidT1")),
    )
    acct = account("tiktok", "_oidT1")
    result = client(
        "tiktok", srv.url, clock, account_tokens={acct.account_id: "T1"}, backoff_max_s=10
    ).fetch_day([acct], DAY)
    assert result.outcomes[0].status == "ok" and result.outcomes[0].attempts == 2
    assert result.throttled == 1 and sum(clock.sleeps) >= 3.0


def test_each_account_uses_its_own_token_and_missing_tokens_make_no_call(serve, clock):
    accts = [account("tiktok", f"_oidT{i}") for i in range(5)]
    toks = {a.account_id: f"T{i}" for i, a in enumerate(accts) if i != 2}
    srv = tiktok_server(serve, {f"T{i}": [videos([START + i])] for i in range(5)})
    result = client("tiktok", srv.url, clock, account_tokens=toks).fetch_day(accts, DAY)
    assert [o.status for o in result.outcomes] == ["ok", "ok", "missing_token", "ok", "ok"]
    assert len(srv.requests) == 4 * 2
    assert all(r["videos_published"] == 1 for r in result.rows)


def test_token_of_another_account_is_an_auth_failure(serve, clock):
    srv = tiktok_server(serve, {"T9": [videos([])]})
    acct = account("tiktok", "_oidT1")
    result = client("tiktok", srv.url, clock, account_tokens={acct.account_id: "T9"}).fetch_day([acct], DAY)
    assert (result.outcomes[0].status, result.outcomes[0].error_code) == (
        "auth_failed",
        "token_account_mismatch",
    )
    assert result.rows == []


def test_video_list_failure_fails_the_account_after_retries(serve, clock):
    def handler(req, n):
        if req.path == "/user/info/":
            return Reply(200, user_info("_oidT1"))
        return Reply(500, {"data": {}, "error": {"code": "internal_error", "message": "boom", "log_id": "x"}})

    srv = serve(handler)
    acct = account("tiktok", "_oidT1")
    result = client(
        "tiktok", srv.url, clock, account_tokens={acct.account_id: "T1"}, max_retries=2
    ).fetch_day([acct], DAY)
    (o,) = result.outcomes
    assert (o.status, o.error_code, o.http_status, o.attempts) == ("failed", "internal_error", 500, 3)
    assert result.requests_made == 1 + 3 and result.rows == []
