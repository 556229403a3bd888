"""The sandbox speaks the token contract the documentation describes, and its data endpoints honour it:
tokens expire in real time, refresh tokens rotate, renewed tokens work, missing scopes are refused."""

import json
import time

import requests
from credential_fixtures import read_json

from pipelines.credentials.store import load_secrets
from pipelines.sandbox.oauth_state import HOUR, TIKTOK_SCOPES, Grant, registry_for


def graph(sb, path: str, **params) -> requests.Response:
    return requests.get(f"{sb.url}/graph/v23.0/{path}", params=params, timeout=10)


def first(sb, platform: str, kind: str):
    """(account, grant) of the first connected account of `platform` whose initial grant is of `kind`."""
    reg = registry_for(sb.world)
    for _account_id, (grant, _) in sorted(reg.initial.items()):
        a = sb.world.accounts[grant.account_index]
        if a.platform == platform and grant.kind == kind and grant.revoked_subcode is None:
            return a, grant
    raise AssertionError(f"no {kind} grant for {platform}")


def user_grant(sb, platform: str, ttl_s: float, scopes=None) -> tuple:
    """A fresh user grant for a healthy account of `platform` (tests choose its lifetime and scopes)."""
    a, page = first(sb, platform, "page")
    reg = registry_for(sb.world)
    token = f"sbxu_test_{platform}_{int(ttl_s)}"
    now = reg.clock()
    reg.add(Grant(token, page.account_index, "user", now, now + ttl_s, tuple(scopes or page.scopes)))
    return a, token


def app_token(sb) -> str:
    app = registry_for(sb.world).meta_app
    return f"{app['app_id']}|{app['app_secret']}"


def test_tokens_json_has_the_secrets_store_shape(small_sandbox):
    doc = read_json(small_sandbox.files["tokens"])
    secrets = load_secrets(small_sandbox.files["tokens"])
    assert set(secrets.account_tokens) == set(small_sandbox.world.account_tokens)
    assert all(isinstance(t, str) for t in doc["account_tokens"].values())  # what the clients read
    assert set(secrets.details) == set(secrets.account_tokens)
    tiktok = [d for a, d in secrets.details.items() if a.startswith("tiktok:")]
    assert tiktok and all(
        d.refresh_token and d.refresh_expires_at and d.scopes == TIKTOK_SCOPES for d in tiktok
    )
    assert {"app_id", "app_secret"} <= set(doc["meta_app"])
    assert {"client_key", "client_secret"} <= set(doc["tiktok_app"])


def test_debug_token_describes_page_and_user_tokens(small_sandbox):
    sb = small_sandbox
    a, page = first(sb, "facebook", "page")
    data = graph(sb, "debug_token", input_token=page.token, access_token=app_token(sb)).json()["data"]
    assert data["is_valid"] is True and data["type"] == "PAGE" and data["expires_at"] == 0
    assert data["profile_id"] == a.platform_user_id and set(data["scopes"]) == set(page.scopes)
    assert data["data_access_expires_at"] > time.time()
    _, user = user_grant(sb, "instagram", 30 * 86400)
    data = graph(sb, "debug_token", input_token=user, access_token=app_token(sb)).json()["data"]
    assert data["type"] == "USER" and data["expires_at"] > time.time() + 29 * 86400
    refused = graph(sb, "debug_token", input_token=user, access_token="1|wrong")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 190
    unknown = graph(sb, "debug_token", input_token="nonsense", access_token=app_token(sb)).json()["data"]
    assert unknown["is_valid"] is False and unknown["error"]["code"] == 190


def test_revoked_tokens_are_invalid_with_their_subcode(scenario_sandbox):
    reg = registry_for(scenario_sandbox.world)
    revoked = [g for g, _ in reg.initial.values() if g.revoked_subcode and g.kind == "user"]
    assert {g.revoked_subcode for g in revoked} == {460, 463}
    for grant in revoked[:4]:
        data = graph(scenario_sandbox, "debug_token", input_token=grant.token,
                     access_token=app_token(scenario_sandbox)).json()["data"]  # fmt: skip
        assert data["is_valid"] is False and data["error"]["subcode"] == grant.revoked_subcode


def test_exchange_then_page_token_and_both_work_on_data_endpoints(small_sandbox):
    sb = small_sandbox
    a, short = user_grant(sb, "facebook", 2 * HOUR)
    app = registry_for(sb.world).meta_app
    answer = graph(sb, "oauth/access_token", grant_type="fb_exchange_token", client_id=app["app_id"],
                   client_secret=app["app_secret"], fb_exchange_token=short).json()  # fmt: skip
    assert answer["token_type"] == "bearer" and answer["expires_in"] == 5183944
    long_lived = answer["access_token"]
    assert graph(sb, a.platform_user_id, fields="id", access_token=long_lived).json() == {
        "id": a.platform_user_id
    }
    pages = graph(sb, "me/accounts", fields="id,access_token,instagram_business_account",
                  access_token=long_lived).json()["data"]  # fmt: skip
    assert [p["id"] for p in pages] == [a.platform_user_id]
    data = graph(sb, "debug_token", input_token=pages[0]["access_token"], access_token=app_token(sb)).json()[
        "data"
    ]
    assert data["type"] == "PAGE" and data["expires_at"] == 0
    wrong = graph(sb, "oauth/access_token", grant_type="fb_exchange_token", client_id=app["app_id"],
                  client_secret="nope", fb_exchange_token=short)  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["error"]["message"] == "Error validating client secret."


def test_page_tokens_need_pages_show_list(small_sandbox):
    _, token = user_grant(small_sandbox, "instagram", 30 * 86400, scopes=("instagram_basic",))
    refused = graph(small_sandbox, "me/accounts", access_token=token)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 10


def test_expired_meta_token_is_refused_by_data_endpoints(small_sandbox):
    sb = small_sandbox
    a, token = user_grant(sb, "facebook", 60)
    assert graph(sb, a.platform_user_id, fields="id", access_token=token).status_code == 200
    reg = registry_for(sb.world)
    started = reg.clock()
    reg.clock = lambda: started + 120  # two minutes later, on the sandbox's token clock
    refused = graph(sb, a.platform_user_id, fields="id", access_token=token).json()["error"]
    assert (refused["code"], refused["error_subcode"]) == (190, 463)
    # Graph API "Batch Requests" (https://developers.facebook.com/docs/graph-api/batch-requests/, "Using Multiple
    # Access Tokens"): the batch call carries a token of its own (here the app's); an item's expired token fails
    # that item only.
    item_url = f"{a.platform_user_id}?fields=id&access_token={token}"
    batch = requests.post(f"{sb.url}/graph/v23.0/", timeout=10, data={
        "access_token": sb.world.meta_app_token, "batch": json.dumps([{"method": "GET", "relative_url": item_url}]),
    })  # fmt: skip
    item = batch.json()[0]
    assert item["code"] == 400 and json.loads(item["body"])["error"]["code"] == 190
    whole = requests.post(f"{sb.url}/graph/v23.0/", timeout=10, data={
        "access_token": token, "batch": json.dumps([{"method": "GET", "relative_url": item_url}]),
    })  # fmt: skip
    assert whole.status_code == 400 and whole.json()["error"]["code"] == 190  # the batch's own token expired


def tiktok_post(sb, path: str, **form) -> requests.Response:
    return requests.post(f"{sb.url}/tiktok/v2/{path}", data=form, timeout=10)


def tiktok_info(sb, token: str, fields: str = "open_id,follower_count") -> requests.Response:
    return requests.get(f"{sb.url}/tiktok/v2/user/info/", params={"fields": fields},
                        headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip


def test_tiktok_refresh_rotates_and_the_new_token_works(small_sandbox):
    sb = small_sandbox
    secrets = load_secrets(sb.files["tokens"])
    account_id = next(a for a in sorted(secrets.account_tokens) if a.startswith("tiktok:")
                      and registry_for(sb.world).initial[a][0].revoked_subcode is None)  # fmt: skip
    details = secrets.details[account_id]
    app = registry_for(sb.world).tiktok_app
    form = dict(app, grant_type="refresh_token", refresh_token=details.refresh_token)
    answer = tiktok_post(sb, "oauth/token/", **form).json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 7200
    assert (
        answer["refresh_token"] != details.refresh_token and answer["open_id"] == account_id.split(":", 1)[1]
    )
    assert answer["scope"] == ",".join(TIKTOK_SCOPES)
    assert tiktok_info(sb, answer["access_token"]).json()["error"]["code"] == "ok"
    again = tiktok_post(sb, "oauth/token/", **form)  # the old refresh token stopped working
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    bad_client = tiktok_post(sb, "oauth/token/", **dict(form, client_secret="nope"))
    assert bad_client.status_code == 401 and bad_client.json()["error"] == "invalid_client"


def test_tiktok_expiry_and_scopes_are_honoured(small_sandbox):
    sb = small_sandbox
    reg = registry_for(sb.world)
    access, _ = next(
        g for g in reg.initial.values() if g[0].kind == "bearer" and g[0].revoked_subcode is None
    )
    narrow = reg.add(Grant("act.narrow", access.account_index, "bearer", reg.clock(), reg.clock() + HOUR,
                           ("user.info.basic",)))  # fmt: skip
    assert tiktok_info(sb, narrow.token, "open_id").json()["error"]["code"] == "ok"
    assert tiktok_info(sb, narrow.token).json()["error"]["code"] == "scope_not_authorized"
    videos = requests.post(f"{sb.url}/tiktok/v2/video/list/", json={"max_count": 1}, timeout=10,
                           headers={"Authorization": f"Bearer {narrow.token}"})  # fmt: skip
    assert videos.status_code == 401 and videos.json()["error"]["code"] == "scope_not_authorized"
    started = reg.clock()
    reg.clock = lambda: started + 3 * HOUR
    expired = tiktok_info(sb, access.token)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "access_token_invalid"
