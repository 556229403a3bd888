"""No credential reaches outcomes, rows or log output, even when servers and errors echo them."""

import json
import logging

from client_harness import DAY, Reply, account, client

IG_TOKEN = "sbx_ig0123456789abcdef0123"
FB_TOKEN = "sbx_fb0123456789abcdef0123"
TT_TOKEN = "sbx_tt0123456789abcdef0123"
YT_KEY = "sbx_yt0123456789abcdef0123"
X_BEARER = "sbx_xx0123456789abcdef0123"
SECRETS = [IG_TOKEN, FB_TOKEN, TT_TOKEN, YT_KEY, X_BEARER]


def assert_clean(result, caplog):
    texts = [caplog.text, repr(result.rows), repr(result.outcomes), repr(result)]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_meta_tokens_never_leak(serve, clock, caplog):
    caplog.set_level(logging.DEBUG)
    ig, fb = account("instagram", "1784100000000001"), account("facebook", "1046584380010")

    def handler(req, n):
        if req.method == "GET":  # paging.next, echoing its own URL (token included) in the error
            return Reply(
                400, {"error": {"message": f"(#100) bad cursor in {req.path}?{req.query}", "code": 100}}
            )
        out = []
        for item in json.loads(req.form()["batch"]):
            url = item["relative_url"]
            if url.startswith(ig.platform_user_id):
                body = {
                    "error": {
                        "message": f"Error validating access token for {url}",
                        "code": 190,
                        "error_subcode": 463,
                    }
                }
                out.append({"code": 400, "body": json.dumps(body)})
            elif "/insights" in url:
                out.append({"code": 200, "body": json.dumps({"data": []})})
            else:
                nxt = f"{srv.url}/{fb.platform_user_id}/published_posts?access_token={FB_TOKEN}&after=c"
                page = {
                    "data": [{"id": "p", "created_time": "2026-01-15T01:00:00+0000"}],
                    "paging": {"next": nxt},
                }
                out.append({"code": 200, "body": json.dumps(page)})
        return Reply(200, out)

    srv = serve(handler)
    r_ig = client("instagram", srv.url, clock, account_tokens={ig.account_id: IG_TOKEN}).fetch_day([ig], DAY)
    r_fb = client("facebook", srv.url, clock, account_tokens={fb.account_id: FB_TOKEN}).fetch_day([fb], DAY)
    assert r_ig.outcomes[0].status == "auth_failed" and "access_token=***" in r_ig.outcomes[0].error_message
    assert r_fb.outcomes[0].status == "failed" and "access_token" in r_fb.outcomes[0].error_message
    assert "published_posts" in caplog.text  # urllib3 logged the GET line, redacted
    assert_clean(r_ig, caplog)
    assert_clean(r_fb, caplog)


def test_project_credentials_never_leak(serve, clock, caplog):
    caplog.set_level(logging.DEBUG)
    # YouTube key travels in the URL; a refused connection makes requests quote that URL.
    r_yt = client("youtube", "http://127.0.0.1:9", clock, api_key=YT_KEY, max_retries=1).fetch_day(
        [account("youtube", "UC1")], DAY
    )
    assert r_yt.outcomes[0].error_code == "connection_error" and "key=***" in r_yt.outcomes[0].error_message
    srv = serve(
        lambda req, n: Reply(401, {"title": "Unauthorized", "detail": f"bad {req.headers['Authorization']}"})
    )
    r_x = client("x", srv.url, clock, bearer_token=X_BEARER).fetch_day([account("x", "1")], DAY)
    assert r_x.outcomes[0].status == "auth_failed"
    assert_clean(r_yt, caplog)
    assert_clean(r_x, caplog)


def test_unexpected_error_text_is_scrubbed_too(serve, clock, caplog):
    caplog.set_level(logging.DEBUG)
    ok = {"code": "ok", "message": "", "log_id": "L"}

    def handler(req, n):
        if req.path == "/user/info/":
            user = {
                "open_id": "_oid1",
                "follower_count": 1,
                "following_count": 1,
                "likes_count": 1,
                "video_count": 1,
            }
            return Reply(200, {"data": {"user": user}, "error": ok})
        # a broken body that makes the client raise with the token inside the exception text
        return Reply(
            200, {"data": {"videos": [{"id": "v", "create_time": TT_TOKEN}], "has_more": False}, "error": ok}
        )

    acct = account("tiktok", "_oid1")
    result = client(
        "tiktok", serve(handler).url, clock, account_tokens={acct.account_id: TT_TOKEN}
    ).fetch_day([acct], DAY)
    assert (result.outcomes[0].status, result.outcomes[0].error_code) == ("failed", "client_error")
    assert "Traceback" in caplog.text  # the traceback is logged, scrubbed
    assert_clean(result, caplog)
