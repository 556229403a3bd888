"""The Instagram and Facebook clients against documented Graph API answers (tests/clients/contracts/)."""

import datetime as dt
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from client_harness import DAY, Reply, account, client
from contract_fixtures import assert_http_request, assert_item_request, case

from pipelines.clients import RefusedFields
from pipelines.platform_spec import spec

IG = [account("instagram", uid) for uid in ("17841405822304914", "17841405822304915", "17841405822304916")]
PAGE = account("facebook", "104658438001050")
TOKENS = {a.account_id: f"tok{a.platform_user_id[-4:]}" for a in [*IG, PAGE]}


def graph(answer, seen: list | None = None):
    """A Graph endpoint: batch POSTs are checked against the documented batch request and each item is
    answered by `answer(path, query, round)` -> (code, body) or None (Meta's null item); plain GETs (paging.next)
    by `answer(path, query, round)` too."""

    def handler(req, n):
        if req.method == "GET":
            code, body = answer(req.path.lstrip("/"), req.query, n)
            return Reply(code, body)
        assert_http_request(req, case("graph", "batch_request").request)
        items = json.loads(req.form()["batch"])
        assert 1 <= len(items) <= 50
        out = []
        for item in items:
            parts = urlsplit(item["relative_url"])
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if seen is not None:
                seen.append((n, item["relative_url"]))
            got = answer(parts.path, query, n)
            out.append(None if got is None else {"code": got[0], "body": json.dumps(got[1])})
        return Reply(200, out)

    return handler


def ig_answer(path, query, n):
    if path.endswith("/insights"):
        documented = case("instagram", "account_insights_total_value")
        shape = json.loads(json.dumps(documented.request))
        shape["query"]["metric"] = "<metrics>"  # a subset, once a metric was dropped
        assert_item_request(f"{path}?{urlencode(query)}", shape)
        wanted = query["metric"].split(",")
        assert set(wanted) <= set(documented.request["query"]["metric"].split(","))
        return 200, {"data": [d for d in documented.body["data"] if d["name"] in wanted]}
    return 200, case("instagram", "user_fields").body | {"id": path}


def test_instagram_fetch_follows_the_documented_batch_and_bodies(serve, clock):
    seen = []
    srv = serve(graph(ig_answer, seen))
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3 and result.requests_made == 1
    row = result.rows[0]
    assert (row["followers_count"], row["follows_count"], row["media_count"]) == (21530, 112, 1486)
    assert (row["views"], row["reach"], row["likes"], row["saves"]) == (4521, 2210, 250, 18)
    form = parse_qs(srv.requests[0].body.decode())
    assert form["access_token"] == [TOKENS[IG[0].account_id]]  # the batch call's own token
    user_items = [u for _, u in seen if "/insights" not in u]
    for url in user_items:
        assert_item_request(url, case("instagram", "user_fields").request)


def test_an_empty_insights_data_set_leaves_the_metrics_null(serve, clock):
    def answer(path, query, n):
        if path.endswith("/insights"):
            return 200, case("instagram", "account_insights_empty_day").body
        return ig_answer(path, query, n)

    result = client("instagram", serve(graph(answer)).url, clock, account_tokens=TOKENS).fetch_day(
        IG[:1], DAY
    )
    (row,) = result.rows
    assert row["followers_count"] == 21530 and row["views"] is None and row["reach"] is None


def test_instagram_refused_metric_named_by_the_message_is_dropped_for_the_run(serve, clock):
    documented = case("instagram", "deprecated_metric").body
    message = documented["error"]["message"].replace(", shares", "")  # a future deprecation of `shares`
    seen = []

    def answer(path, query, n):
        if path.endswith("/insights") and "shares" in query["metric"].split(","):
            return 400, {"error": documented["error"] | {"message": message}}
        return ig_answer(path, query, n)

    srv = serve(graph(answer, seen))
    refused = RefusedFields()
    c = client("instagram", srv.url, clock, account_tokens=TOKENS, refused=refused)
    result = c.fetch_day(IG, DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert result.rows[0]["shares"] is None and result.rows[0]["likes"] == 250
    assert set(result.refused_fields) == {"shares"} and result.requests_made == 2  # no probing needed
    again = c.fetch_day(IG, DAY + dt.timedelta(days=1))  # the next day of the run: not asked again
    assert again.requests_made == 1 and all(o.status == "ok" for o in again.outcomes)
    assert "shares" not in seen[-1][1]


def fb_answer(refuse: str | None = None, next_scheme: str | None = None, srv_url: list | None = None):
    pages = {
        "first": case("facebook", "published_posts_first_page").body,
        "empty": case("graph", "paging_empty_page_with_next", object_id=PAGE.platform_user_id).body,
        "last": case("graph", "paging_last_page").body,
    }

    def answer(path, query, n):
        if path.endswith("/insights"):
            names = query["metric"].split(",")
            if refuse in names:
                return 400, case("facebook", "deprecated_metric").body  # Meta's message names no metric
            body = case("facebook", "page_insights_day").body
            return 200, {"data": [d for d in body["data"] if d["name"] in names]}
        if "after" not in query:
            assert_item_request(
                f"{path}?{urlencode(query)}",
                case("facebook", "published_posts_first_page").request,
            )
            page = json.loads(json.dumps(pages["first"]))
            page["paging"]["next"] = f"{srv_url[0]}/{PAGE.platform_user_id}/published_posts?limit=25&after=P2"
            if next_scheme:
                page["paging"]["next"] = page["paging"]["next"].replace("http://", f"{next_scheme}://")
            return 200, page
        if query["after"] == "P2":
            page = json.loads(json.dumps(pages["empty"]))  # empty, yet with a next link: keep paging
            page["paging"]["next"] = f"{srv_url[0]}/{PAGE.platform_user_id}/published_posts?limit=25&after=P3"
            return 200, page
        return 200, pages["last"]

    return answer


def test_facebook_insights_unix_window_and_paging_to_the_absent_next(serve, clock):
    url: list = []
    srv = serve(graph(fb_answer(srv_url=url)))
    url.append(srv.url)
    result = client("facebook", srv.url, clock, account_tokens=TOKENS).fetch_day([PAGE], DAY)
    (row,) = result.rows
    # the second value of each metric has end_time 2026-01-16T08:00+0000: the Pacific day 2026-01-15
    assert (row["page_follows"], row["page_media_view"], row["page_total_media_view_unique"]) == (
        48231,
        10344,
        5877,
    )
    assert row["posts_published"] == 2 + 0 + 1  # first page, the empty page with next, the last page
    assert result.requests_made == 3  # one batch call, then two paging GETs
    batch_items = json.loads(srv.requests[0].form()["batch"])
    insights = next(i for i in batch_items if "/insights" in i["relative_url"])
    assert_item_request(insights["relative_url"], case("facebook", "page_insights_day").request)
    assert "page_posts_impressions_unique" not in insights["relative_url"]  # removed 2026-06-15


def test_facebook_metric_refused_without_a_name_is_found_by_asking_each_alone(serve, clock):
    url: list = []
    seen: list = []
    srv = serve(graph(fb_answer(refuse="page_media_view", srv_url=url), seen))
    url.append(srv.url)
    refused = RefusedFields()
    result = client("facebook", srv.url, clock, account_tokens=TOKENS, refused=refused).fetch_day([PAGE], DAY)
    assert result.outcomes[0].status == "ok"
    (row,) = result.rows
    assert row["page_media_view"] is None and row["page_follows"] == 48231
    assert set(result.refused_fields) == {"page_media_view"}
    assert "valid insights metric" in result.refused_fields["page_media_view"]
    probes = [u for r, u in seen if r == 2]
    assert len(probes) == len(spec("facebook").fields_of("insights"))  # one probe per metric, once


def test_facebook_next_link_whose_scheme_changed_is_refused(serve, clock):
    url: list = []
    srv = serve(graph(fb_answer(next_scheme="https", srv_url=url)))
    url.append(srv.url)
    result = client("facebook", srv.url, clock, account_tokens=TOKENS).fetch_day([PAGE], DAY)
    assert (result.outcomes[0].status, result.outcomes[0].error_code) == ("failed", "foreign_next_url")
    assert result.requests_made == 1  # the token never went to the other origin


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("error_token_expired", "auth_failed", "190/463"),
        ("error_permission_denied", "permission_denied", "10"),
        ("error_permission_2xx", "permission_denied", "200"),
        ("error_object_not_found", "suspended", "100/33"),
    ],
)
def test_documented_permanent_errors_are_not_retried(serve, clock, name, status, code):
    documented = case("graph", name)

    def answer(path, query, n):
        if path.startswith(IG[0].platform_user_id):
            return documented.status, documented.body
        return ig_answer(path, query, n)

    srv = serve(graph(answer))
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [(o.status, o.error_code, o.attempts) for o in result.outcomes] == [
        (status, code, 1),
        ("ok", None, 1),
        ("ok", None, 1),
    ]
    assert len(srv.requests) == 1 and clock.sleeps == []


def test_code_341_is_throttling_and_retried(serve, clock):
    documented = case("graph", "error_application_limit_341")

    def answer(path, query, n):
        return (documented.status, documented.body) if n == 1 else ig_answer(path, query, n)

    result = client("instagram", serve(graph(answer)).url, clock, account_tokens=TOKENS).fetch_day(
        IG[:1], DAY
    )
    assert result.outcomes[0].status == "ok" and result.throttled == 1 and result.retries == 1


def test_business_use_case_wait_longer_than_we_wait_marks_only_that_account_rate_limited(serve, clock):
    limited = IG[0].platform_user_id
    documented = case("graph", "rate_limit_business_use_case", object_id=limited)

    def handler(req, n):
        reply = graph(
            lambda p, q, r: (
                (documented.status, documented.body) if p.startswith(limited) else ig_answer(p, q, r)
            )
        )(req, n)
        reply.headers.update(documented.headers)
        return reply

    srv = serve(handler)
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    first = result.outcomes[0]
    assert (first.status, first.error_code, first.attempts) == ("rate_limited", "80002", 1)
    assert first.retry_at == dt.datetime.fromtimestamp(clock.time() + 19 * 60, dt.UTC)  # the header's minutes
    assert [o.status for o in result.outcomes[1:]] == ["ok", "ok"]  # other accounts go on
    assert len(srv.requests) == 1 and clock.sleeps == []


def test_app_limit_is_waited_out_when_short(serve, clock):
    documented = case("graph", "rate_limit_app")

    def handler(req, n):
        if n == 1:
            return Reply(documented.status, documented.body, {**documented.headers, "Retry-After": "40"})
        return graph(ig_answer)(req, n)

    result = client("instagram", serve(handler).url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert sum(clock.sleeps) == pytest.approx(40, abs=1)  # waited in full, not cut to backoff_max_s


def test_null_items_are_retried_alone(serve, clock):
    seen = []

    def answer(path, query, n):
        if n == 1 and path == f"{IG[1].platform_user_id}/insights":
            return None  # "Timeouts": the item did not complete within the batch
        return ig_answer(path, query, n)

    srv = serve(graph(answer, seen))
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert [u.split("?")[0] for r, u in seen if r == 2] == [f"{IG[1].platform_user_id}/insights"]
    assert case("graph", "batch_item_timed_out").body[1] is None


def test_a_malformed_item_fails_only_its_account(serve, clock):
    def answer(path, query, n):
        if path == f"{IG[1].platform_user_id}/insights":
            return 200, {"data": "not a list of metrics"}
        return ig_answer(path, query, n)

    result = client("instagram", serve(graph(answer)).url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [(o.status, o.error_code) for o in result.outcomes] == [
        ("ok", None),
        ("failed", "malformed_item"),
        ("ok", None),
    ]


def test_without_an_app_token_a_rejected_batch_token_moves_to_the_next_account(serve, clock):
    expired = TOKENS[IG[0].account_id]
    documented = case("graph", "error_token_expired")

    def handler(req, n):
        if req.form()["access_token"] == expired:  # the batch call's own token is checked first
            return Reply(documented.status, documented.body)
        return graph(ig_answer)(req, n)

    srv = serve(handler)
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY)
    assert [o.status for o in result.outcomes] == ["auth_failed", "ok", "ok"]
    with_app = client("instagram", srv.url, clock, account_tokens=TOKENS, meta_app_token="123|app")
    assert [o.status for o in with_app.fetch_day(IG[1:], DAY).outcomes] == ["ok", "ok"]
    assert srv.requests[-1].form()["access_token"] == "123|app"
