"""Instagram and Facebook Pages over Graph batch calls: items, per-item retries, errors, days, paging."""

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from client_harness import DAY, Reply, account, client

IG_METRICS = [
    "views",
    "reach",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "shares",
    "saves",
]
# page_posts_impressions_unique was removed on 2026-06-15 (Meta "Deprecated Facebook Page Insights Metrics"):
# asking for it fails the whole insights call, so page_total_media_view_unique (its replacement) is asked.
FB_METRICS = [
    "page_follows",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_media_view",
    "page_post_engagements",
    "page_total_media_view_unique",
]


def split(relative_url: str) -> tuple[str, dict]:
    parts = urlsplit(relative_url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def graph(item_fn, seen: list | None = None):
    """A Graph batch endpoint: `item_fn(path, query, round_no)` -> (code, body) for each item."""

    def handler(req, n):
        assert req.method == "POST" and req.path == "/"
        form = req.form()
        assert form["include_headers"] == "false"
        batch = json.loads(form["batch"])
        if len(batch) > 50:
            return Reply(400, {"error": {"message": "(#100) Too many requests in batch", "code": 100}})
        out = []
        for item in batch:
            path, query = split(item["relative_url"])
            if seen is not None:
                seen.append((n, path, query))
            code, body = item_fn(path, query, n)
            out.append(None if code is None else {"code": code, "body": json.dumps(body)})
        return Reply(200, out)

    return handler


def ig_item(path, query, n):
    uid = path.split("/")[0]
    base = int(uid[-3:])
    if path.endswith("/insights"):
        data = [
            {"name": m, "period": "day", "total_value": {"value": base + i}, "id": f"{uid}/insights/{m}/day"}
            for i, m in enumerate(query["metric"].split(","))
        ]
        return 200, {"data": data}
    return 200, {"followers_count": base * 100, "follows_count": 5, "media_count": base, "id": uid}


def ig_accounts(n):
    return [account("instagram", f"17841400000000{i:03d}") for i in range(n)]


def tokens(accounts):
    return {a.account_id: f"tok{a.platform_user_id[-6:]}XYZ" for a in accounts}


def test_instagram_batches_items_with_tokens_and_wib_window(serve, clock):
    accts, seen = ig_accounts(30), []
    srv = serve(graph(ig_item, seen))
    result = client("instagram", srv.url, clock, account_tokens=tokens(accts)).fetch_day(accts, DAY)
    assert len(srv.requests) == 2 == result.requests_made  # 60 items: 50 + 10
    assert [o.status for o in result.outcomes] == ["ok"] * 30
    since = int(dt.datetime(2026, 1, 14, 17, 0, tzinfo=dt.UTC).timestamp())  # 00:00 WIB on DAY
    for _, path, q in seen:
        uid = path.split("/")[0]
        assert q["access_token"] == f"tok{uid[-6:]}XYZ"  # each item carries its own account's token
        if path.endswith("/insights"):
            assert q["metric"].split(",") == IG_METRICS and "impressions" not in q["metric"]
            assert (q["metric_type"], q["period"]) == ("total_value", "day")
            assert (int(q["since"]), int(q["until"])) == (since, since + 86400)
        else:
            assert q["fields"] == "followers_count,follows_count,media_count"
    row = result.rows[7]
    assert row["account_id"] == accts[7].account_id and row["followers_count"] == 700
    assert [row[m] for m in IG_METRICS] == [7 + i for i in range(8)]
    assert set(row) == {
        "account_id",
        "platform_user_id",
        "unit_code",
        "metric_date",
        "followers_count",
        "follows_count",
        "media_count",
        *IG_METRICS,
    }


def test_meta_retries_only_the_unfinished_items(serve, clock):
    accts, seen = ig_accounts(3), []
    first_uid = accts[0].platform_user_id

    def item(path, query, n):
        if n == 1 and path == first_uid:
            return 403, {
                "error": {
                    "message": "(#4) Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                    "fbtrace_id": "A",
                }
            }
        if n == 1 and path == f"{accts[1].platform_user_id}/insights":
            return None, None  # Meta's null item
        return ig_item(path, query, n)

    srv = serve(graph(item, seen))
    result = client("instagram", srv.url, clock, account_tokens=tokens(accts)).fetch_day(accts, DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert [o.attempts for o in result.outcomes] == [2, 2, 1]
    assert sorted(p for r, p, _ in seen if r == 2) == sorted(
        [first_uid, f"{accts[1].platform_user_id}/insights"]
    )
    assert result.requests_made == 2 and result.retries == 1 and result.throttled == 1


def test_meta_auth_and_gone_objects_are_not_retried(serve, clock):
    accts = ig_accounts(4)
    token_error = {
        "error": {
            "message": "Error validating access token: Session has expired",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "B",
        }
    }
    gone = {
        "error": {
            "message": "Unsupported get request. Object with ID does not exist",
            "type": "GraphMethodException",
            "code": 100,
            "error_subcode": 33,
            "fbtrace_id": "C",
        }
    }
    bad_metric = {"error": {"message": "(#100) metric[0] must be one of the following values", "code": 100}}

    def item(path, query, n):
        uid = path.split("/")[0]
        if uid == accts[0].platform_user_id:
            return 400, token_error
        if uid == accts[1].platform_user_id:
            return 400, gone
        if uid == accts[2].platform_user_id and path.endswith("insights"):
            return 400, bad_metric
        return ig_item(path, query, n)

    srv = serve(graph(item))
    result = client("instagram", srv.url, clock, account_tokens=tokens(accts)).fetch_day(accts, DAY)
    got = [(o.status, o.error_code, o.http_status, o.attempts) for o in result.outcomes]
    assert got == [
        ("auth_failed", "190/463", 400, 1),
        ("suspended", "100/33", 400, 1),
        ("failed", "100", 400, 1),
        ("ok", None, 200, 1),
    ]
    assert len(srv.requests) == 1 and clock.sleeps == []
    assert [r["account_id"] for r in result.rows] == [accts[3].account_id]


def test_missing_token_makes_no_request_for_that_account(serve, clock):
    accts, seen = ig_accounts(3), []
    toks = tokens(accts)
    del toks[accts[1].account_id]
    srv = serve(graph(ig_item, seen))
    result = client("instagram", srv.url, clock, account_tokens=toks).fetch_day(accts, DAY)
    assert [(o.status, o.attempts) for o in result.outcomes] == [("ok", 1), ("missing_token", 0), ("ok", 1)]
    assert accts[1].platform_user_id not in {p.split("/")[0] for _, p, _ in seen}


def test_batch_call_throttled_with_usage_headers(serve, clock):
    accts = ig_accounts(2)
    buc = {
        "123": [
            {
                "type": "pages",
                "call_count": 100,
                "total_time": 30,
                "total_cputime": 20,
                "estimated_time_to_regain_access": 1,
            }
        ]
    }
    throttle = Reply(
        400,
        {"error": {"message": "(#80001) too many calls", "code": 80001, "fbtrace_id": "D"}},
        {"X-Business-Use-Case-Usage": json.dumps(buc), "X-App-Usage": json.dumps({"call_count": 100})},
    )
    srv = serve(lambda req, n: throttle if n == 1 else graph(ig_item)(req, n))
    result = client("instagram", srv.url, clock, account_tokens=tokens(accts), backoff_max_s=90).fetch_day(
        accts, DAY
    )
    assert [o.status for o in result.outcomes] == ["ok", "ok"] and result.throttled == 1
    assert sum(clock.sleeps) == pytest.approx(60.0, abs=0.5)  # regain access in 1 minute


def fb_item_factory(day, values_by_day, posts_pages):
    def item(path, query, n):
        if path.endswith("/insights"):
            assert query["metric"].split(",") == FB_METRICS and query["period"] == "day"
            # Unix seconds spanning the day's US Pacific values (date strings have no documented zone)
            pacific = ZoneInfo("America/Los_Angeles")
            start = dt.datetime.combine(day, dt.time(0), tzinfo=pacific)
            assert (int(query["since"]), int(query["until"])) == (
                int(start.timestamp()),
                int((start + dt.timedelta(days=2)).timestamp()),
            )
            data = [
                {
                    "name": m,
                    "period": "day",
                    "id": f"x/{m}",
                    "values": [{"value": v + i, "end_time": end} for end, v in values_by_day],
                }
                for i, m in enumerate(FB_METRICS)
            ]
            return 200, {"data": data}
        assert path.endswith("/published_posts") and query["limit"] == "25"
        wib_start = int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo("Asia/Jakarta")).timestamp())
        assert (int(query["since"]), int(query["until"])) == (wib_start, wib_start + 86400)  # the WIB day
        return 200, posts_pages[0]

    return item


@pytest.mark.parametrize(
    ("day", "end_time"),
    [(dt.date(2026, 1, 15), "2026-01-16T08:00:00+0000"), (dt.date(2026, 7, 10), "2026-07-11T07:00:00+0000")],
    ids=["winter-PST", "summer-PDT"],
)
def test_facebook_end_time_is_the_pacific_day_before(serve, clock, day, end_time):
    acct = account("facebook", "104658438001050")
    earlier = (dt.datetime.strptime(end_time, "%Y-%m-%dT%H:%M:%S%z") - dt.timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%S+0000"
    )
    item = fb_item_factory(day, [(earlier, 1000), (end_time, 2000)], [{"data": []}])
    srv = serve(graph(item))
    result = client("facebook", srv.url, clock, account_tokens={acct.account_id: "tokFB1"}).fetch_day(
        [acct], day
    )
    (row,) = result.rows
    assert [row[m] for m in FB_METRICS] == [2000 + i for i in range(6)]  # not the previous day's values
    assert row["posts_published"] == 0 and row["metric_date"] == day


def test_facebook_value_missing_for_the_day_is_none(serve, clock):
    acct = account("facebook", "104658438001050")
    item = fb_item_factory(DAY, [("2026-01-15T08:00:00+0000", 5)], [{"data": []}])  # the day before only
    result = client(
        "facebook", serve(graph(item)).url, clock, account_tokens={acct.account_id: "t0k1"}
    ).fetch_day([acct], DAY)
    assert result.outcomes[0].status == "ok"
    assert all(result.rows[0][m] is None for m in FB_METRICS)


def test_facebook_follows_paging_next_and_counts_wib_day_posts(serve, clock):
    acct = account("facebook", "104658438001050")
    token = "tokPAGE123"

    def post(i, when):
        return {"id": f"p{i}", "created_time": when}

    page1 = {
        "data": [post(i, "2026-01-15T03:04:05+0000") for i in range(24)]
        + [post(99, "2026-01-14T16:59:59+0000")],  # 23:59:59 WIB on the 14th: not the day
        "paging": {"cursors": {"after": "c1"}, "next": None},
    }
    page2 = {"data": [post(100 + i, "2026-01-14T17:00:00+0000") for i in range(3)], "paging": {"cursors": {}}}

    def handler(req, n):
        if req.method == "GET":
            assert req.path == "/104658438001050/published_posts" and req.query["after"] == "c1"
            assert req.query["access_token"] == token
            return Reply(200, page2)
        return graph(fb_item_factory(DAY, [("2026-01-16T08:00:00+0000", 1)], [page1]))(req, n)

    srv = serve(handler)
    page1["paging"]["next"] = (
        f"{srv.url}/104658438001050/published_posts?access_token={token}&limit=25&after=c1"
    )
    result = client("facebook", srv.url, clock, account_tokens={acct.account_id: token}).fetch_day(
        [acct], DAY
    )
    assert result.rows[0]["posts_published"] == 24 + 3
    assert result.requests_made == 2


def test_facebook_refuses_a_next_url_on_another_host(serve, clock):
    acct = account("facebook", "104658438001050")
    page1 = {
        "data": [{"id": "p", "created_time": "2026-01-15T03:04:05+0000"}],
        "paging": {"next": "https://evil.example/next?access_token=tokPAGE123"},
    }
    srv = serve(graph(fb_item_factory(DAY, [], [page1])))
    result = client("facebook", srv.url, clock, account_tokens={acct.account_id: "tokPAGE123"}).fetch_day(
        [acct], DAY
    )
    assert (result.outcomes[0].status, result.outcomes[0].error_code) == ("failed", "foreign_next_url")
    assert result.requests_made == 1
