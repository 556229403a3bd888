"""Batching, retries, backoff, rate-limit headers and stop rules, over real HTTP (X and YouTube shapes)."""

import datetime as dt

import pytest
from client_harness import DAY, Reply, account, client

X_OK_HEADERS = {"x-rate-limit-limit": "300", "x-rate-limit-remaining": "299", "x-rate-limit-reset": "0"}


def x_user(uid: str) -> dict:
    n = int(uid)
    return {
        "id": uid,
        "name": f"n{uid}",
        "username": f"u{uid}",
        "public_metrics": {
            "followers_count": n * 10,
            "following_count": n,
            "tweet_count": n * 3,
            "listed_count": 1,
            "like_count": n * 7,
        },
    }


def x_ok(req, n):
    return Reply(200, {"data": [x_user(i) for i in req.query["ids"].split(",")]}, X_OK_HEADERS)


def x_accounts(n: int):
    return [account("x", str(1000 + i)) for i in range(n)]


def yt_ok(req, n):
    items = [
        {
            "kind": "youtube#channel",
            "id": cid,
            "statistics": {
                "viewCount": "900",
                "subscriberCount": "45",
                "hiddenSubscriberCount": False,
                "videoCount": "6",
            },
        }
        for cid in req.query["id"].split(",")
    ]
    return Reply(200, {"kind": "youtube#channelListResponse", "items": items})


def yt_accounts(n: int):
    return [account("youtube", f"UC{i:022d}") for i in range(n)]


def test_x_batches_120_accounts_into_2_requests(serve, clock):
    srv = serve(x_ok)
    result = client("x", srv.url, clock, bearer_token="bt").fetch_day(x_accounts(120), DAY)
    assert result.requests_made == 2 and len(srv.requests) == 2
    assert sorted(len(r.query["ids"].split(",")) for r in srv.requests) == [20, 100]
    assert all(r.headers["Authorization"] == "Bearer bt" for r in srv.requests)
    assert all(r.query["user.fields"] == "public_metrics" for r in srv.requests)
    assert [o.status for o in result.outcomes] == ["ok"] * 120
    assert [o.account_id for o in result.outcomes] == [a.account_id for a in x_accounts(120)]
    row = next(r for r in result.rows if r["account_id"] == "x:1005")
    assert row == {
        "account_id": "x:1005",
        "platform_user_id": "1005",
        "unit_code": "ID-35",
        "metric_date": DAY,
        "followers_count": 10050,
        "following_count": 1005,
        "tweet_count": 3015,
        "listed_count": 1,
        "like_count": 7035,
    }
    assert result.retries == 0 and result.throttled == 0


def test_youtube_batches_120_ids_into_3_requests_and_converts_strings(serve, clock):
    srv = serve(yt_ok)
    result = client("youtube", srv.url, clock, api_key="yk").fetch_day(yt_accounts(120), DAY)
    assert len(srv.requests) == 3 == result.requests_made
    assert sorted(len(r.query["id"].split(",")) for r in srv.requests) == [20, 50, 50]
    assert all(r.query["key"] == "yk" and r.query["part"] == "statistics" for r in srv.requests)
    assert {(r["subscriber_count"], r["view_count"], r["video_count"]) for r in result.rows} == {(45, 900, 6)}
    assert all(r["hidden_subscriber_count"] is False for r in result.rows)


@pytest.mark.parametrize(
    "fault",
    [
        Reply(429, {"title": "Too Many Requests", "status": 429}, {"x-rate-limit-remaining": "0"}),
        Reply(503, {"title": "Service Unavailable"}),
        Reply(500, "<html>oops</html>"),
        Reply(200, '{"data": [{"id": "1000", "public_me'),  # truncated body
        Reply(200, {"data": []}, delay_s=0.6),  # past the client's read timeout
    ],
    ids=["429", "503", "500-html", "malformed", "timeout"],
)
def test_transient_fault_is_retried_then_succeeds(serve, clock, fault):
    srv = serve(lambda req, n: fault if n == 1 else x_ok(req, n))
    result = client("x", srv.url, clock, bearer_token="bt", timeout_s=0.3).fetch_day(x_accounts(3), DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert [o.attempts for o in result.outcomes] == [2] * 3
    assert result.requests_made == 2 and result.retries == 1
    assert result.throttled == (1 if fault.status == 429 else 0)
    assert len(result.rows) == 3


def test_retries_exhausted_gives_failed_with_last_error(serve, clock):
    srv = serve(lambda req, n: Reply(502, {"title": "Bad Gateway"}))
    result = client("x", srv.url, clock, bearer_token="bt", max_retries=4).fetch_day(x_accounts(2), DAY)
    assert len(srv.requests) == 5 == result.requests_made
    assert result.retries == 4
    for o in result.outcomes:
        assert (o.status, o.error_code, o.http_status, o.attempts) == ("failed", "http_502", 502, 5)
        assert "Bad Gateway" in o.error_message
    assert result.rows == []
    # backoff: full jitter under the exponential ceiling, and capped (base 0.01, cap 0.5)
    assert len(clock.sleeps) == 4
    assert all(s <= min(0.5, 0.01 * 2**i) for i, s in enumerate(clock.sleeps))


def test_connection_refused_is_retried_then_failed(clock):
    result = client("x", "http://127.0.0.1:9", clock, bearer_token="bt", max_retries=2).fetch_day(
        x_accounts(1), DAY
    )
    (o,) = result.outcomes
    assert (o.status, o.error_code, o.attempts) == ("failed", "connection_error", 3)
    assert result.requests_made == 3


def test_x_429_waits_until_rate_limit_reset(serve, clock):
    reset = int(clock.time()) + 7

    def handler(req, n):
        if n == 1:
            return Reply(
                429,
                {"title": "Too Many Requests"},
                {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
            )
        return x_ok(req, n)

    srv = serve(handler)
    result = client("x", srv.url, clock, bearer_token="bt", backoff_max_s=30).fetch_day(x_accounts(2), DAY)
    assert [o.status for o in result.outcomes] == ["ok", "ok"] and len(srv.requests) == 2
    assert sum(clock.sleeps) == pytest.approx(7.0, abs=0.05)  # waited for the reset, not a blind backoff
    assert result.throttled == 1


def test_remaining_zero_pauses_before_the_next_request(serve, clock):
    reset = int(clock.time()) + 4
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    srv = serve(
        lambda req, n: Reply(200, {"data": [x_user(i) for i in req.query["ids"].split(",")]}, headers)
    )
    result = client("x", srv.url, clock, bearer_token="bt", max_concurrency=1, backoff_max_s=30).fetch_day(
        x_accounts(150), DAY
    )
    assert len(srv.requests) == 2 and result.throttled == 0
    assert clock.sleeps and clock.sleeps[0] == pytest.approx(4.0, abs=0.05)


def test_hostile_reset_header_is_capped(serve, clock):
    # X "Rate limits": wait until x-rate-limit-reset. A reset this far ahead is not waited (nor re-sent into
    # the closed window): the account is rate_limited, offered again a day later at the latest.
    far = str(int(clock.time()) + 10_000_000)
    srv = serve(
        lambda req, n: Reply(
            429, {"title": "Too Many Requests"}, {"x-rate-limit-remaining": "0", "x-rate-limit-reset": far}
        )
    )
    result = client("x", srv.url, clock, bearer_token="bt", max_retries=2, backoff_max_s=1.5).fetch_day(
        x_accounts(1), DAY
    )
    (o,) = result.outcomes
    assert (o.status, o.attempts, len(srv.requests)) == ("rate_limited", 1, 1)
    assert clock.sleeps == []  # a run never hangs on a hostile header
    assert o.retry_at == dt.datetime.fromtimestamp(clock.time() + 86_400, dt.UTC)


def test_retry_after_is_honoured(serve, clock):
    srv = serve(
        lambda req, n: (
            Reply(
                503,
                {
                    "error": {
                        "code": 503,
                        "message": "backend",
                        "errors": [{"reason": "backendError", "domain": "global"}],
                    }
                },
                {"Retry-After": "2"},
            )
            if n == 1
            else yt_ok(req, n)
        )
    )
    result = client("youtube", srv.url, clock, api_key="yk", backoff_max_s=10).fetch_day(yt_accounts(3), DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert sum(clock.sleeps) >= 2.0


def test_x_auth_failure_is_not_retried_and_stops_the_platform(serve, clock):
    srv = serve(lambda req, n: Reply(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}))
    result = client("x", srv.url, clock, bearer_token="bad", max_concurrency=1).fetch_day(
        x_accounts(250), DAY
    )
    assert len(srv.requests) == 1  # the other two batches never went out
    assert {o.status for o in result.outcomes} == {"auth_failed"}
    assert result.outcomes[0].attempts == 1 and result.outcomes[0].http_status == 401
    assert result.retries == 0 and clock.sleeps == []


def test_x_partial_failures_per_id(serve, clock):
    def handler(req, n):
        return Reply(
            200,
            {
                "data": [x_user("1000")],
                "errors": [
                    {
                        "value": "1001",
                        "detail": "Could not find user with ids: [1001].",
                        "title": "Not Found Error",
                        "resource_id": "1001",
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    },
                    {
                        "value": "1002",
                        "detail": "User has been suspended: [1002].",
                        "title": "Forbidden",
                        "resource_id": "1002",
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    },
                ],
            },
        )

    srv = serve(handler)
    result = client("x", srv.url, clock, bearer_token="bt").fetch_day(x_accounts(3), DAY)
    assert [o.status for o in result.outcomes] == ["ok", "not_found", "suspended"]
    assert [o.attempts for o in result.outcomes] == [1, 1, 1] and len(srv.requests) == 1
    assert [r["account_id"] for r in result.rows] == ["x:1000"]


def test_youtube_absent_and_hidden_subscribers(serve, clock):
    accts = yt_accounts(3)

    def handler(req, n):
        return Reply(
            200,
            {
                "items": [
                    {
                        "id": accts[0].platform_user_id,
                        "statistics": {"viewCount": "10", "hiddenSubscriberCount": True, "videoCount": "2"},
                    },
                    {
                        "id": accts[2].platform_user_id,
                        "statistics": {
                            "viewCount": "11",
                            "subscriberCount": "5",
                            "hiddenSubscriberCount": False,
                            "videoCount": "3",
                        },
                    },
                ]
            },
        )

    result = client("youtube", serve(handler).url, clock, api_key="yk").fetch_day(accts, DAY)
    assert [o.status for o in result.outcomes] == ["ok", "not_found", "ok"]
    hidden, shown = result.rows
    assert (hidden["subscriber_count"], hidden["hidden_subscriber_count"], hidden["view_count"]) == (
        None,
        True,
        10,
    )
    assert (shown["subscriber_count"], shown["hidden_subscriber_count"]) == (5, False)


def test_youtube_quota_exceeded_stops_the_platform(serve, clock):
    quota = {
        "error": {
            "code": 403,
            "message": "The request cannot be completed because you have exceeded your quota.",
            "errors": [{"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}],
        }
    }
    srv = serve(lambda req, n: yt_ok(req, n) if n == 1 else Reply(403, quota))
    result = client("youtube", srv.url, clock, api_key="yk", max_concurrency=1).fetch_day(
        yt_accounts(200), DAY
    )
    assert len(srv.requests) == 2  # one good batch, one quota error, then no more calls
    statuses = [o.status for o in result.outcomes]
    assert statuses[:50] == ["ok"] * 50 and set(statuses[50:]) == {"quota_exceeded"}
    assert result.outcomes[50].attempts == 1 and result.outcomes[50].error_code == "quotaExceeded"
    assert [o.attempts for o in result.outcomes[100:]] == [0] * 100  # never requested
    assert len(result.rows) == 50


def test_youtube_key_invalid_is_auth_failed_without_retry(serve, clock):
    body = {
        "error": {
            "code": 400,
            "message": "API key not valid.",
            "errors": [{"message": "API key not valid.", "domain": "usageLimits", "reason": "keyInvalid"}],
        }
    }
    srv = serve(lambda req, n: Reply(400, body))
    result = client("youtube", srv.url, clock, api_key="bad", max_concurrency=1).fetch_day(
        yt_accounts(60), DAY
    )
    assert len(srv.requests) == 1 and {o.status for o in result.outcomes} == {"auth_failed"}


def test_missing_project_credential_makes_no_request(serve, clock):
    srv = serve(x_ok)
    result = client("x", srv.url, clock).fetch_day(x_accounts(3), DAY)
    assert srv.requests == [] and {o.status for o in result.outcomes} == {"missing_token"}
    assert {o.attempts for o in result.outcomes} == {0}


def test_concurrency_is_bounded(serve, clock):
    srv = serve(lambda req, n: Reply(200, yt_ok(req, n).body, delay_s=0.15))
    client("youtube", srv.url, clock, api_key="yk", max_concurrency=3).fetch_day(yt_accounts(400), DAY)
    assert len(srv.requests) == 8
    assert 2 <= srv.max_in_flight <= 3
