"""The YouTube, X and TikTok clients against documented answers (tests/clients/contracts/)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from client_harness import DAY, account, client
from contract_fixtures import assert_http_request, case

YT = [
    account("youtube", cid)
    for cid in ("UC_x5XG1OV2P6uZZ5FSM9Ttw", "UCK8sQmJBp8GCxrOtXWBpyEA", "UCunknown000000000000000")
]
X = [account("x", uid) for uid in ("2244994945", "1122334455667788")]
TT = account("tiktok", "723f24d7-e717-40f8-a2b6-cb8464cd23b4")


def documented(platform: str, name: str, **values):
    """A handler answering every request with the documented case (after checking its documented shape)."""
    c = case(platform, name, **values)

    def handler(req, n):
        if c.request:
            assert_http_request(req, c.request)
        return c.reply()

    return handler


def test_youtube_statistics_as_documented(serve, clock):
    srv = serve(documented("youtube", "channels_list_statistics"))
    result = client("youtube", srv.url, clock, api_key="yk").fetch_day(YT, DAY)
    assert [o.status for o in result.outcomes] == ["ok", "ok", "not_found"]  # unknown ids are silently absent
    shown, hidden = result.rows
    assert (shown["subscriber_count"], shown["view_count"], shown["video_count"]) == (
        2570000,
        296351425,
        6108,
    )
    assert (hidden["subscriber_count"], hidden["hidden_subscriber_count"]) == (None, True)


def test_youtube_api_key_invalid_is_an_auth_failure_that_stops_the_platform(serve, clock):
    srv = serve(documented("youtube", "api_key_invalid"))
    accounts = [account("youtube", f"UC{i:022d}") for i in range(120)]
    result = client("youtube", srv.url, clock, api_key="bad", max_concurrency=1).fetch_day(accounts, DAY)
    assert len(srv.requests) == 1 and result.retries == 0  # not a retryable "failed"
    assert {(o.status, o.error_code) for o in result.outcomes} == {("auth_failed", "API_KEY_INVALID")}


def test_youtube_quota_exceeded_waits_for_the_pacific_midnight(serve, clock):
    srv = serve(documented("youtube", "quota_exceeded"))
    result = client("youtube", srv.url, clock, api_key="yk").fetch_day(YT, DAY)
    assert {o.status for o in result.outcomes} == {"quota_exceeded"} and len(srv.requests) == 1
    pacific = dt.datetime.fromtimestamp(clock.time(), ZoneInfo("America/Los_Angeles"))
    reset = dt.datetime.combine(pacific.date() + dt.timedelta(days=1), dt.time(0), tzinfo=pacific.tzinfo)
    assert {o.retry_at for o in result.outcomes} == {reset.astimezone(dt.UTC)}


def test_x_partial_errors_per_id(serve, clock):
    reset = int(clock.time()) + 900
    srv = serve(documented("x", "users_lookup_partial_errors", reset=reset))
    result = client("x", srv.url, clock, bearer_token="bt").fetch_day(X, DAY)
    assert [o.status for o in result.outcomes] == ["ok", "not_found"]
    (row,) = result.rows
    assert (row["followers_count"], row["tweet_count"], row["listed_count"]) == (583423, 14052, 1672)
    assert row["like_count"] is None  # not in the documented answer: null, not an error


@pytest.mark.parametrize(
    ("name", "status"), [("unauthorized", "auth_failed"), ("forbidden", "permission_denied")]
)
def test_x_project_credential_refusals_stop_the_platform(serve, clock, name, status):
    srv = serve(documented("x", name))
    accounts = [account("x", str(1000 + i)) for i in range(250)]
    result = client("x", srv.url, clock, bearer_token="bt", max_concurrency=1).fetch_day(accounts, DAY)
    assert len(srv.requests) == 1 and {o.status for o in result.outcomes} == {status}


def test_x_reset_far_ahead_is_not_waited_and_nothing_is_re_sent(serve, clock):
    reset = int(clock.time()) + 14 * 60  # 14 minutes: longer than the client waits (120 s)
    srv = serve(documented("x", "rate_limited", reset=reset))
    accounts = [account("x", str(1000 + i)) for i in range(250)]
    result = client("x", srv.url, clock, bearer_token="bt", max_concurrency=1).fetch_day(accounts, DAY)
    assert len(srv.requests) == 1 and clock.sleeps == []
    assert {o.status for o in result.outcomes} == {"rate_limited"}
    assert {o.retry_at for o in result.outcomes} == {dt.datetime.fromtimestamp(reset, dt.UTC)}
    assert [o.attempts for o in result.outcomes[100:]] == [0] * 150  # the other batches never went out


def test_x_short_reset_is_waited_in_full(serve, clock):
    reset = int(clock.time()) + 45  # above backoff_max_s, below the wait threshold
    limited = case("x", "rate_limited", reset=reset)
    ok = case("x", "users_lookup", reset=reset + 900)
    srv = serve(lambda req, n: limited.reply() if n == 1 else ok.reply())
    result = client("x", srv.url, clock, bearer_token="bt", backoff_max_s=0.5).fetch_day(X[:1], DAY)
    assert result.outcomes[0].status == "ok" and sum(clock.sleeps) == pytest.approx(45, abs=0.1)


def tiktok_handler(info_case: str = "user_info", info_on_first: str | None = None):
    def handler(req, n):
        if req.path == "/user/info/":
            if info_on_first and n == 1:
                return case("tiktok", info_on_first).reply()
            c = case("tiktok", info_case)
            assert_http_request(
                req,
                {**c.request, "query": {"fields": "<any>"}}
                if c.request
                else case("tiktok", "user_info").request,
            )
            return c.reply()
        c = case("tiktok", "video_list")
        assert_http_request(req, c.request)
        return c.reply()

    return handler


def test_tiktok_user_info_and_video_list_as_documented(serve, clock):
    srv = serve(tiktok_handler())
    result = client("tiktok", srv.url, clock, account_tokens={TT.account_id: "T"}).fetch_day([TT], DAY)
    (row,) = result.rows
    assert (row["follower_count"], row["likes_count"], row["video_count"]) == (1802, 48211, 212)
    assert row["videos_published"] == 2  # both documented videos were created on 2026-01-15 WIB
    assert_http_request(srv.requests[0], case("tiktok", "user_info").request)


@pytest.mark.parametrize(
    ("name", "status"),
    [("access_token_invalid", "auth_failed"), ("scope_not_authorized", "permission_denied")],
)
def test_tiktok_documented_refusals(serve, clock, name, status):
    srv = serve(tiktok_handler(info_case=name))
    result = client("tiktok", srv.url, clock, account_tokens={TT.account_id: "T"}).fetch_day([TT], DAY)
    assert (result.outcomes[0].status, result.outcomes[0].error_code) == (status, name)
    assert len(srv.requests) == 1


def test_tiktok_rate_limit_is_retried(serve, clock):
    srv = serve(tiktok_handler(info_on_first="rate_limit_exceeded"))
    result = client("tiktok", srv.url, clock, account_tokens={TT.account_id: "T"}).fetch_day([TT], DAY)
    assert result.outcomes[0].status == "ok" and result.throttled == 1


def test_a_reply_to_a_documented_request_is_honoured_as_the_docs_say():
    """Guard: every contract case names its documentation page."""
    from contract_fixtures import cases

    for platform in ("graph", "instagram", "facebook", "youtube", "x", "tiktok"):
        for c in cases(platform):
            assert c.doc["url"].startswith("https://") and c.doc["title"], (platform, c.name)
            assert 100 <= c.status < 600
