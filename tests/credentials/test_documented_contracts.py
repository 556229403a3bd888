"""The credential check and renewal against the bodies the platforms document, over real HTTP.

Every answer comes from fixtures/documented_bodies.json (each names its documentation page); the requests are
asserted against what those pages ask for. This is the reference the sandbox is held to, not the sandbox.
"""

import datetime as dt
import json
import logging

import pytest
from credential_fixtures import account, read_json
from doc_server import body
from live_setup import META_APP, TIKTOK_APP, go_live

from pipelines.credentials.store import NEVER, load_secrets
from pipelines.live_credentials import status as verdicts
from pipelines.live_credentials.check import run_check
from pipelines.live_credentials.http import AuthHttp
from pipelines.live_credentials.renewal import renew_tokens

PAGE_ID = "106089882913862"
IG_ID = "17841400000000001"
OPEN_ID = "afd97af1-b87b-48b9-ac98-410aghda5344"
FB = account("facebook", PAGE_ID)
IG = account("instagram", IG_ID)
TT = account("tiktok", OPEN_ID)
FB_TOKEN, IG_TOKEN, TT_TOKEN, TT_REFRESH = (
    "EAAfbUSERtok111",
    "EAAigUSERtok222",
    "act.oldtiktok333",
    "rft.oldrefresh444",
)
ALL_SECRETS = [FB_TOKEN, IG_TOKEN, TT_TOKEN, TT_REFRESH, META_APP["MEDSOS_META_APP_SECRET"],
               TIKTOK_APP["MEDSOS_TIKTOK_CLIENT_SECRET"], "EAAlonglivedUSERtoken0000000000",
               "EAApageTOKENforHUMAS0000000", "act.example12345Example12345Example",
               "rft.example12345Example12345Example"]  # fmt: skip


def no_sleep_http() -> AuthHttp:
    return AuthHttp(ALL_SECRETS, sleep=lambda s: None)


def check(platform, accounts, http=None):
    report = run_check(platforms=(platform,), accounts=accounts, http=http or no_sleep_http())
    return {r.subject: r for r in report.results}


@pytest.fixture(autouse=True)
def urllib3_debug(caplog):
    """urllib3 logs every request line at DEBUG: tokens in query strings must come out masked."""
    caplog.set_level(logging.DEBUG, logger="urllib3")
    yield caplog
    for secret in ALL_SECRETS:
        assert secret not in caplog.text


def facebook_live(doc_server, data_dir, monkeypatch, apps=META_APP, **store):
    """Live mode with one Facebook Page token in the store; every platform routed to the doc server."""
    go_live(
        monkeypatch,
        data_dir,
        doc_server.url,
        {"account_tokens": {FB.account_id: FB_TOKEN}, **store},
        [FB],
        apps,
    )


def test_meta_page_token_valid_with_expiry_never(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch)
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_page_valid")
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_node_id")
    result = check("facebook", [FB])[FB.account_id]
    assert (result.status, result.expires_at, result.token_type) == (verdicts.VALID, NEVER, "page")
    debug = doc_server.requests_to("/v23.0/debug_token")[0]["query"]
    assert debug == {"input_token": FB_TOKEN, "access_token": "138483919580948|metaappsecret0000"}
    assert doc_server.requests_to(f"/v23.0/{PAGE_ID}")[0]["query"] == {
        "fields": "id",
        "access_token": FB_TOKEN,
    }


def test_meta_missing_scope_named_with_expiry(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch)
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_user_missing_scope")
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_node_id")
    result = check("facebook", [FB])[FB.account_id]
    assert result.status == verdicts.MISSING_PERMISSION and result.missing_scopes == ("read_insights",)
    assert result.expires_at == dt.datetime.fromtimestamp(1801353600, dt.UTC)
    assert result.renewable is True  # a user token with pages_show_list: a Page token can replace it


def test_meta_expired_token_from_debug_token(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch)
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_expired")
    result = check("facebook", [FB])[FB.account_id]
    assert result.status == verdicts.EXPIRED and result.renewable is False
    assert result.expires_at == dt.datetime.fromtimestamp(1764612000, dt.UTC)
    assert "463" in result.detail
    assert not doc_server.requests_to(f"/v23.0/{PAGE_ID}")  # no probe for a token Meta calls invalid


def test_meta_unknown_id(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch)
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_page_valid")
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_error_object_missing")
    assert check("facebook", [FB])[FB.account_id].status == verdicts.UNKNOWN_ID


def test_meta_without_app_credentials_probes_only(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch, apps=None)
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_error_password_changed")
    result = check("facebook", [FB])[FB.account_id]
    assert result.status == verdicts.INVALID and "changed their password" in result.detail
    assert "no Meta app credentials" in result.detail
    assert not doc_server.requests_to("/v23.0/debug_token")


def test_meta_throttling_is_retried(doc_server, data_dir, monkeypatch):
    facebook_live(doc_server, data_dir, monkeypatch)
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_page_valid")
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_error_throttled", "meta_node_id")
    assert check("facebook", [FB])[FB.account_id].status == verdicts.VALID
    assert len(doc_server.requests_to(f"/v23.0/{PAGE_ID}")) == 2


@pytest.mark.parametrize(
    ("fixture", "recorded_expiry_hours", "status"),
    [
        ("tiktok_user_info", 1, verdicts.VALID),
        ("tiktok_access_token_invalid", -1, verdicts.EXPIRED),
        ("tiktok_access_token_invalid", 1, verdicts.INVALID),
        ("tiktok_scope_not_authorized", 1, verdicts.MISSING_PERMISSION),
    ],
)
def test_tiktok_user_info_verdicts(doc_server, data_dir, monkeypatch, fixture, recorded_expiry_hours, status):
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=recorded_expiry_hours)
    store = {
        "account_tokens": {TT.account_id: TT_TOKEN},
        "token_details": {TT.account_id: {"expires_at": expires.isoformat(), "refresh_token": TT_REFRESH,
                                          "refresh_expires_at": "2027-06-01T00:00:00Z",
                                          "scopes": ["user.info.basic", "user.info.stats", "video.list"]}},
    }  # fmt: skip
    go_live(monkeypatch, data_dir, doc_server.url, store, [TT])
    doc_server.route("GET", "/v2/user/info/", fixture)
    result = check("tiktok", [TT])[TT.account_id]
    assert result.status == status
    assert result.renewable is (None if status == verdicts.VALID else status == verdicts.EXPIRED)
    request = doc_server.requests_to("/v2/user/info/")[0]
    assert request["headers"]["Authorization"] == f"Bearer {TT_TOKEN}"
    assert request["query"] == {"fields": "open_id,follower_count"}


def test_tiktok_token_of_another_account_is_an_unknown_id(doc_server, data_dir, monkeypatch):
    other = account("tiktok", "some-other-open-id")
    go_live(monkeypatch, data_dir, doc_server.url, {"account_tokens": {other.account_id: TT_TOKEN}}, [other])
    doc_server.route("GET", "/v2/user/info/", "tiktok_user_info")
    result = check("tiktok", [other])[other.account_id]
    assert result.status == verdicts.UNKNOWN_ID and OPEN_ID in result.detail


def test_youtube_key_checked_once_and_ids_in_one_call(doc_server, data_dir, monkeypatch):
    known, gone = (
        account("youtube", "UC_x5XG1OV2P6uZZ5FSM9Ttw"),
        account("youtube", "UCgoneGONEgone000000000"),
    )
    go_live(monkeypatch, data_dir, doc_server.url, {"account_tokens": {}}, [known, gone])
    monkeypatch.setenv("MEDSOS_YOUTUBE_API_KEY", "AIzaSyExampleKey000")
    doc_server.route("GET", "/youtube/v3/channels", "youtube_channels_part_id")
    results = check("youtube", [known, gone])
    assert results["project"].status == verdicts.VALID
    assert (results[known.account_id].status, results[gone.account_id].status) == (
        verdicts.VALID,
        verdicts.UNKNOWN_ID,
    )
    (request,) = doc_server.requests_to("/youtube/v3/channels")
    assert request["query"] == {"part": "id", "id": f"{known.platform_user_id},{gone.platform_user_id}",
                                "key": "AIzaSyExampleKey000"}  # fmt: skip


@pytest.mark.parametrize(("fixture", "status"), [("youtube_api_key_invalid", verdicts.INVALID),
                                                 ("youtube_quota_exceeded", verdicts.CHECK_FAILED)])  # fmt: skip
def test_youtube_key_refused(doc_server, data_dir, monkeypatch, fixture, status):
    channel = account("youtube", "UC_x5XG1OV2P6uZZ5FSM9Ttw")
    go_live(monkeypatch, data_dir, doc_server.url, {"account_tokens": {}}, [channel])
    monkeypatch.setenv("MEDSOS_YOUTUBE_API_KEY", "AIzaSyExampleKey000")
    doc_server.route("GET", "/youtube/v3/channels", fixture)
    results = check("youtube", [channel])
    assert results["project"].status == status and results[channel.account_id].status == status


def test_x_bearer_and_partial_errors(doc_server, data_dir, monkeypatch):
    known, gone = account("x", "2244994945"), account("x", "1234567890")
    go_live(monkeypatch, data_dir, doc_server.url, {"account_tokens": {}}, [known, gone])
    monkeypatch.setenv("MEDSOS_X_BEARER_TOKEN", "AAAAbearer000")
    doc_server.route("GET", "/2/users", "x_users_partial")
    results = check("x", [known, gone])
    assert results["project"].status == verdicts.VALID and results[known.account_id].status == verdicts.VALID
    assert (
        results[gone.account_id].status == verdicts.UNKNOWN_ID
        and "Could not find" in results[gone.account_id].detail
    )
    assert doc_server.requests_to("/2/users")[0]["headers"]["Authorization"] == "Bearer AAAAbearer000"
    doc_server.route("GET", "/2/users", "x_unauthorized")
    results = check("x", [known])
    assert (
        results["project"].status == verdicts.INVALID and results[known.account_id].status == verdicts.INVALID
    )


def _tiktok_store(expires_in_minutes: float) -> dict:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=expires_in_minutes)
    return {
        "account_tokens": {TT.account_id: TT_TOKEN},
        "token_details": {TT.account_id: {"token_type": "bearer", "expires_at": expires.isoformat(),
                                          "refresh_token": TT_REFRESH, "refresh_expires_at": "2027-06-01T00:00:00Z"}},
    }  # fmt: skip


def test_tiktok_refresh_rotates_and_writes_back(doc_server, data_dir, monkeypatch):
    path = go_live(monkeypatch, data_dir, doc_server.url, _tiktok_store(30), [TT], TIKTOK_APP)
    doc_server.route("POST", "/v2/oauth/token/", "tiktok_refresh")
    report = renew_tokens(margin_s=3600)
    assert [o.action for o in report.outcomes] == ["refreshed"]
    (request,) = doc_server.requests_to("/v2/oauth/token/")
    assert request["form"] == {"client_key": "awclientkey00", "client_secret": "tiktokclientsecret00",
                               "grant_type": "refresh_token", "refresh_token": TT_REFRESH}  # fmt: skip
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    stored = load_secrets(path)
    details = stored.details[TT.account_id]
    assert stored.account_tokens[TT.account_id] == body("tiktok_refresh")["access_token"]
    assert details.refresh_token == body("tiktok_refresh")["refresh_token"]  # rotated
    assert 7100 <= (details.expires_at - report.started_at).total_seconds() <= 7200
    assert details.scopes == ("user.info.basic", "user.info.stats", "video.list")
    assert details.renewed_by == "tiktok_refresh"
    assert not any(secret in json.dumps([o.to_json() for o in report.outcomes]) for secret in ALL_SECRETS)


def test_tiktok_token_not_due_is_left_alone(doc_server, data_dir, monkeypatch):
    go_live(monkeypatch, data_dir, doc_server.url, _tiktok_store(120), [TT], TIKTOK_APP)
    doc_server.route("POST", "/v2/oauth/token/", "tiktok_refresh")
    assert renew_tokens(margin_s=3600).outcomes == []
    assert not doc_server.requests_to("/v2/oauth/token/")


def test_refused_refresh_keeps_the_store_and_alerts_without_secrets(doc_server, data_dir, monkeypatch):
    path = go_live(monkeypatch, data_dir, doc_server.url, _tiktok_store(10), [TT], TIKTOK_APP)
    before = path.read_bytes()
    doc_server.route("POST", "/v2/oauth/token/", "tiktok_oauth_invalid_grant")
    report = renew_tokens(margin_s=3600)
    assert [o.action for o in report.failed] == ["failed"] and "invalid_grant" in report.failed[0].detail
    assert path.read_bytes() == before
    alerts = (data_dir / "logs" / "alerts.jsonl").read_text()
    assert "credentials_expiring" in alerts and TT.account_id in alerts and "renewal_failed" in alerts
    assert not any(secret in alerts for secret in ALL_SECRETS)


def test_meta_short_lived_user_token_becomes_a_page_token(doc_server, data_dir, monkeypatch):
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    store = {
        "account_tokens": {FB.account_id: FB_TOKEN, IG.account_id: IG_TOKEN},
        "token_details": {a: {"token_type": "user", "expires_at": soon, "scopes": ["pages_show_list"]}
                          for a in (FB.account_id, IG.account_id)},
    }  # fmt: skip
    path = go_live(monkeypatch, data_dir, doc_server.url, store, [FB, IG], META_APP)
    doc_server.route("GET", "/v23.0/oauth/access_token", "meta_exchange")
    doc_server.route("GET", "/v23.0/me/accounts", "meta_me_accounts")
    report = renew_tokens()
    assert sorted((o.account_id, o.action) for o in report.outcomes) == sorted(
        [(FB.account_id, "exchanged"), (FB.account_id, "page_token"),
         (IG.account_id, "exchanged"), (IG.account_id, "page_token")]
    )  # fmt: skip
    exchange = doc_server.requests_to("/v23.0/oauth/access_token")[0]["query"]
    assert exchange["grant_type"] == "fb_exchange_token" and exchange["client_id"] == "138483919580948"
    assert exchange["client_secret"] == "metaappsecret0000" and exchange["fb_exchange_token"] in (
        FB_TOKEN,
        IG_TOKEN,
    )
    assert {r["query"]["access_token"] for r in doc_server.requests_to("/v23.0/me/accounts")} == {
        "EAAlonglivedUSERtoken0000000000"
    }
    stored = load_secrets(path)
    # Facebook: the Page whose id is the registry's; Instagram: the Page its account is linked to
    assert stored.account_tokens == {FB.account_id: "EAApageTOKENforHUMAS0000000",
                                     IG.account_id: "EAApageTOKENforHUMAS0000000"}  # fmt: skip
    assert stored.details[FB.account_id].expires_at == NEVER
    assert read_json(path)["token_details"][IG.account_id]["renewed_by"] == "page_token"


def test_meta_unknown_details_are_learned_once(doc_server, data_dir, monkeypatch):
    path = go_live(monkeypatch, data_dir, doc_server.url, {"account_tokens": {FB.account_id: FB_TOKEN}}, [FB],
                   META_APP)  # fmt: skip
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_page_valid")
    report = renew_tokens()
    assert [o.action for o in report.outcomes] == ["learned"]
    details = load_secrets(path).details[FB.account_id]
    assert details.token_type == "page" and details.expires_at == NEVER
    assert "read_insights" in details.scopes
    assert renew_tokens().outcomes == []  # known now: nothing to ask
    assert len(doc_server.requests_to("/v23.0/debug_token")) == 1


def test_meta_app_token_in_the_store_serves_debug_token(doc_server, data_dir, monkeypatch):
    store = {
        "account_tokens": {FB.account_id: FB_TOKEN},
        "meta_app_token": "138483919580948|metaappsecret0000",
    }
    go_live(monkeypatch, data_dir, doc_server.url, store, [FB])
    doc_server.route("GET", "/v23.0/debug_token", "meta_debug_token_page_valid")
    doc_server.route("GET", f"/v23.0/{PAGE_ID}", "meta_node_id")
    assert check("facebook", [FB])[FB.account_id].status == verdicts.VALID
    debug = doc_server.requests_to("/v23.0/debug_token")[0]["query"]
    assert debug["access_token"] == "138483919580948|metaappsecret0000"
