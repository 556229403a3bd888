"""The sandbox's token endpoints, and the gate that makes the data endpoints honour token expiry and scopes.

Graph API (`/graph/vXX.X`):
- `GET /debug_token?input_token=&access_token=<app_id>|<app_secret>` -> `{"data": {...}}`
  (https://developers.facebook.com/docs/graph-api/reference/debug_token);
- `GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token` ->
  `{"access_token", "token_type": "bearer", "expires_in"}`
  (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived);
- `GET /me/accounts` with a user token -> its Pages with their Page tokens (and linked Instagram account).
TikTok (`/tiktok/v2`): `POST /oauth/token/` with `grant_type=refresh_token`
(https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token), refresh tokens rotating.
The gate answers a single request whose token has expired (or, on TikTok, lacks the scope the endpoint needs)
with the platform's error; batch items with an expired token are refused by the Graph handler itself, since the
world's token index consults the registry (`oauth_state.TokenView`).
"""

import datetime as dt
import secrets
from urllib.parse import parse_qs

from pipelines.sandbox import oauth_state
from pipelines.sandbox.meta_errors import error
from pipelines.sandbox.oauth_state import META_LONG_TTL, TIKTOK_ACCESS_TTL, Grant, TokenRegistry
from pipelines.sandbox.protocol import Request, Response, SandboxApp, trace_id

APP_NAME = "medsos-warehouse (sandbox)"
SESSION_EXPIRED = "Error validating access token: Session has expired on {when}. The current time is {now}."
PASSWORD_CHANGED = (
    "Error validating access token: The session has been invalidated because the user changed their "
    "password or Facebook has changed the session for security reasons."
)


def handle(app: SandboxApp, name: str, req: Request) -> Response | None:
    """The answer for a token endpoint, or a refusal of an expired / under-scoped token; None otherwise."""
    registry = oauth_state.registry_for(app.world)
    path = req.path.strip("/")
    if name == "graph":
        if req.method == "GET" and path == "debug_token":
            return _debug_token(registry, req)
        if req.method == "GET" and path == "oauth/access_token":
            return _exchange(registry, req)
        if req.method == "GET" and path == "me/accounts":
            return _me_accounts(registry, req)
        if req.method == "GET":
            return _graph_gate(registry, _graph_token(req))
        return None
    if name == "tiktok":
        if path == "oauth/token":
            return _tiktok_token(registry, req)
        return _tiktok_gate(registry, req, path)
    return None


# --- Graph API ---------------------------------------------------------------------------------------


def _graph_token(req: Request) -> str | None:
    auth = req.headers.get("Authorization") or ""
    return req.query.get("access_token") or (auth[7:].strip() if auth.lower().startswith("bearer ") else None)


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")


def _expired_error(registry: TokenRegistry, grant: Grant) -> tuple[int, dict]:
    if grant.revoked_subcode == 460:
        return error(190, PASSWORD_CHANGED, subcode=460)
    message = SESSION_EXPIRED.format(when=_when(grant.expires_at or 0), now=_when(registry.clock()))
    return error(190, message, subcode=463)


def _graph_gate(registry: TokenRegistry, token: str | None) -> Response | None:
    grant = registry.get(token)
    if grant is None or grant.revoked_subcode is not None or not grant.expired(registry.clock()):
        return None  # unknown tokens and revocations: the Graph handler answers as before
    return Response(*_expired_error(registry, grant))


def _unix(ts: float | None) -> int:
    return 0 if ts is None else int(ts)


def _debug_token(registry: TokenRegistry, req: Request) -> Response:
    app = registry.meta_app
    if req.query.get("access_token") != f"{app['app_id']}|{app['app_secret']}":
        return Response(*error(190, "Invalid OAuth access token - Cannot parse access token"))
    grant = registry.get(req.query.get("input_token"))
    if grant is None or grant.kind not in ("user", "page"):
        data = {"error": {"code": 190, "message": "Invalid OAuth access token - Cannot parse access token"},
                "is_valid": False, "scopes": []}  # fmt: skip
        return Response(200, {"data": data})
    account = registry.world.accounts[grant.account_index]
    page_id = account.platform_user_id if account.platform == "facebook" else _page_of(registry, grant)
    data = {
        "app_id": app["app_id"],
        "type": grant.kind.upper(),
        "application": APP_NAME,
        "data_access_expires_at": _unix(grant.data_access_expires_at),
        "expires_at": _unix(grant.expires_at),
        "is_valid": True,
        "issued_at": int(grant.issued_at),
        "scopes": list(grant.scopes),
        "granular_scopes": [
            {"scope": s, "target_ids": [page_id, account.platform_user_id]} for s in grant.scopes
        ],
        "user_id": str(10**15 + grant.account_index),
    }
    if grant.kind == "page":
        data["profile_id"] = page_id
    if grant.revoked_subcode is not None or grant.expired(registry.clock()):
        _, body = _expired_error(registry, grant)
        data["is_valid"] = False
        data["error"] = {"code": 190, "message": body["error"]["message"],
                         "subcode": body["error"]["error_subcode"]}  # fmt: skip
    return Response(200, {"data": data})


def _page_of(registry: TokenRegistry, grant: Grant) -> str:
    """The Facebook Page an Instagram account is linked to: its unit's Page, else a stand-in id."""
    w = registry.world
    account = w.accounts[grant.account_index]
    for other in w.accounts:
        if other.unit_code == account.unit_code and other.platform == "facebook":
            return other.platform_user_id
    return str(2 * 10**14 + grant.account_index)


def _usable_user_grant(registry: TokenRegistry, token: str | None) -> Grant | Response:
    grant = registry.get(token)
    if grant is None:
        return Response(*error(190, "Invalid OAuth access token - Cannot parse access token"))
    if grant.revoked_subcode is not None or grant.expired(registry.clock()):
        return Response(*_expired_error(registry, grant))
    if grant.kind != "user":
        return Response(*error(100, "(#100) This method must be called with a user access token"))
    return grant


def _exchange(registry: TokenRegistry, req: Request) -> Response:
    q, app = req.query, registry.meta_app
    if q.get("grant_type") != "fb_exchange_token":
        return Response(*error(100, "(#100) Unsupported grant_type"))
    if q.get("client_id") != app["app_id"] or q.get("client_secret") != app["app_secret"]:
        return Response(*error(1, "Error validating client secret.", status=400))
    grant = _usable_user_grant(registry, q.get("fb_exchange_token"))
    if isinstance(grant, Response):
        return grant
    now = registry.clock()
    short_lived = grant.expires_at is not None and grant.expires_at - grant.issued_at <= oauth_state.DAY
    # a short-lived token becomes a ~60-day one; exchanging a long-lived token does not extend it
    ttl = META_LONG_TTL if short_lived else max(0.0, (grant.expires_at or now) - now)
    new = registry.issue(grant, "user", ttl, "sbx_")
    return Response(200, {"access_token": new.token, "token_type": "bearer", "expires_in": int(ttl)})


def _me_accounts(registry: TokenRegistry, req: Request) -> Response:
    grant = _usable_user_grant(registry, _graph_token(req))
    if isinstance(grant, Response):
        return grant
    if "pages_show_list" not in grant.scopes:
        return Response(*error(10, "(#10) This endpoint requires the 'pages_show_list' permission"))
    w = registry.world
    account = w.accounts[grant.account_index]
    base_token = w.account_tokens[account.account_id]
    page = registry.get(base_token)
    if page is None or page.kind != "page":  # the Page token of this grant (Pages tokens do not expire)
        page = registry.add(Grant(base_token, grant.account_index, "page", registry.clock(), None, grant.scopes,
                                  None, grant.data_access_expires_at))  # fmt: skip
    entry = {"id": account.platform_user_id, "name": w.units[account.unit_code].unit_name,
             "access_token": page.token, "category": "Government organization", "tasks": ["ANALYZE"]}  # fmt: skip
    if account.platform == "instagram":
        entry["id"] = _page_of(registry, grant)
        entry["instagram_business_account"] = {"id": account.platform_user_id}
    return Response(200, {"data": [entry], "paging": {"cursors": {"before": "MA==", "after": "MA=="}}})


# --- TikTok ------------------------------------------------------------------------------------------


def _tiktok_oauth_error(code: str, description: str, status: int = 400) -> Response:
    return Response(status, {"error": code, "error_description": description, "log_id": trace_id()})


def _tiktok_token(registry: TokenRegistry, req: Request) -> Response:
    if req.method != "POST":
        return _tiktok_oauth_error("invalid_request", "The endpoint only accepts POST.")
    form = {k: v[-1] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
    app = registry.tiktok_app
    if form.get("client_key") != app["client_key"] or form.get("client_secret") != app["client_secret"]:
        return _tiktok_oauth_error("invalid_client", "Client key or secret is invalid.", 401)
    if form.get("grant_type") != "refresh_token":
        return _tiktok_oauth_error("unsupported_grant_type", "The grant type is not supported.")
    old = registry.get(form.get("refresh_token"))
    now = registry.clock()
    if old is None or old.kind != "refresh" or old.revoked_subcode is not None or old.expired(now):
        return _tiktok_oauth_error("invalid_grant", "The refresh token is invalid, expired or revoked.")
    if not registry.mark_used(old):
        return _tiktok_oauth_error("invalid_grant", "The refresh token has already been used.")
    access = registry.issue(old, "bearer", TIKTOK_ACCESS_TTL, "act.")
    refresh = registry.add(Grant("rft." + secrets.token_hex(12), old.account_index, "refresh", now, old.expires_at,
                                 old.scopes))  # fmt: skip
    body = {
        "access_token": access.token,
        "expires_in": int(TIKTOK_ACCESS_TTL),
        "open_id": registry.world.accounts[old.account_index].platform_user_id,
        "refresh_expires_in": int((refresh.expires_at or now) - now),
        "refresh_token": refresh.token,
        "scope": ",".join(old.scopes),
        "token_type": "Bearer",
    }
    return Response(200, body)


# fields of /v2/user/info/ and the scope each needs (the scope migration bulletin)
STATS_FIELDS = {"follower_count", "following_count", "likes_count", "video_count"}


def _tiktok_gate(registry: TokenRegistry, req: Request, path: str) -> Response | None:
    auth = req.headers.get("Authorization") or ""
    grant = registry.get(auth[7:].strip() if auth.lower().startswith("bearer ") else None)
    if grant is None or grant.revoked_subcode is not None:
        return None
    if grant.kind != "bearer" or grant.expired(registry.clock()):
        return _tiktok_refusal(
            401, "access_token_invalid", "The access token is invalid or not found in the request."
        )
    fields = set((req.query.get("fields") or "").split(","))
    needed = {"user/info": "user.info.stats" if fields & STATS_FIELDS else "user.info.basic",
              "video/list": "video.list"}.get(path)  # fmt: skip
    if needed and needed not in grant.scopes:
        message = "The user did not authorize the scope required for completing this request."
        return _tiktok_refusal(401, "scope_not_authorized", message)
    return None


def _tiktok_refusal(status: int, code: str, message: str) -> Response:
    return Response(status, {"data": {}, "error": {"code": code, "message": message, "log_id": trace_id()}})


def secrets_fields(world) -> dict:
    """What the sandbox's tokens.json carries besides the project keys (see `ground_truth.write_tokens`)."""
    return oauth_state.registry_for(world).file_fields()
