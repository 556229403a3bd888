"""Meta (Instagram, Facebook Pages): inspect a token, probe its account, exchange and swap tokens.

- `GET /debug_token?input_token=<token>` with the app token `<app_id>|<app_secret>`: validity, type, expiry
  (`expires_at`, 0 = never), `data_access_expires_at`, granted `scopes`, and for an invalid token the error
  (190 with subcode 463 = expired) — https://developers.facebook.com/docs/graph-api/reference/debug_token
- `GET /<platform_user_id>?fields=id`: the cheapest call that proves the token reaches the registry's object
  (error 100 subcode 33 = no such object, or not reachable with this token).
- `GET /oauth/access_token?grant_type=fb_exchange_token`: a short-lived user token becomes a long-lived one
  (about 60 days) — https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
- `GET /me/accounts?fields=id,access_token,instagram_business_account`: the Page tokens of a user token; from a
  long-lived user token they do not expire (same page, "Get a Long-Lived Page Access Token").
"""

import datetime as dt
from dataclasses import dataclass

from pipelines.credentials.requirements import missing_scopes
from pipelines.credentials.store import NEVER, TokenDetails
from pipelines.live_credentials import status as verdicts
from pipelines.live_credentials.http import AuthHttp, Reply
from pipelines.live_credentials.status import CredentialStatus

THROTTLE_CODES = {4, 17, 32, 341, 613, 80001, 80002}
INVALID_SUBCODES = {
    458: "the person removed the app",
    459: "the person must log in to Facebook to fix a checkpoint",
    460: "the person changed their password",
    464: "the person's account is unconfirmed",
    467: "the token is no longer valid (logged out)",
    492: "the session is invalid (e.g. no longer a Page admin)",
}
MAX_PAGES = 20  # /me/accounts pages followed when looking for the Page


@dataclass(frozen=True)
class MetaError:
    code: int | None
    subcode: int | None
    message: str

    @classmethod
    def from_body(cls, body) -> "MetaError | None":
        err = body.get("error") if isinstance(body, dict) else None
        if not isinstance(err, dict):
            return None
        code, sub = err.get("code"), err.get("error_subcode", err.get("subcode"))
        return cls(code if isinstance(code, int) else None, sub if isinstance(sub, int) else None,
                   str(err.get("message") or ""))  # fmt: skip

    def status(self) -> str:
        if self.code == 190:
            return verdicts.EXPIRED if self.subcode == 463 else verdicts.INVALID
        if self.code == 10 or (self.code is not None and 200 <= self.code <= 299):
            return verdicts.MISSING_PERMISSION
        if (self.code == 100 and self.subcode == 33) or self.code == 803:
            return verdicts.UNKNOWN_ID
        return verdicts.CHECK_FAILED

    def explain(self) -> str:
        why = INVALID_SUBCODES.get(self.subcode or 0)
        if self.code in THROTTLE_CODES:
            why = "throttled: try again later"
        elif self.status() == verdicts.UNKNOWN_ID:
            why = "no such object, or not reachable with this token: check platform_user_id in the registry"
        elif self.status() == verdicts.MISSING_PERMISSION:
            why = "a permission is missing: the unit must grant it again"
        code = f"#{self.code}" + (f"/{self.subcode}" if self.subcode else "")
        message = self.message if len(self.message) <= 90 else self.message[:87] + "..."
        return f"Meta {code}: {message}" + (f" ({why})" if why else "")


def _unix(value) -> dt.datetime | str | None:
    if value is None:
        return None
    if value == 0:
        return NEVER
    return dt.datetime.fromtimestamp(int(value), dt.UTC)


@dataclass(frozen=True)
class DebugInfo:
    is_valid: bool
    token_type: str | None  # "user" | "page" | "app" | ...
    expires_at: dt.datetime | str | None
    data_access_expires_at: dt.datetime | str | None
    scopes: tuple[str, ...]
    error: MetaError | None
    profile_id: str | None

    @classmethod
    def from_data(cls, data: dict) -> "DebugInfo":
        err = data.get("error")
        return cls(
            is_valid=bool(data.get("is_valid")),
            token_type=str(data["type"]).lower() if data.get("type") else None,
            expires_at=_unix(data.get("expires_at")),
            data_access_expires_at=_unix(data.get("data_access_expires_at")),
            scopes=tuple(data.get("scopes") or ()),
            error=MetaError.from_body({"error": err}) if isinstance(err, dict) else None,
            profile_id=str(data["profile_id"]) if data.get("profile_id") else None,
        )


def app_token(app: dict) -> str | None:
    """The app access token `<app_id>|<app_secret>`, when both are configured."""
    app_id, secret = app.get("app_id"), app.get("app_secret")
    return f"{app_id}|{secret}" if app_id and secret else None


def failure_text(reply: Reply, what: str) -> str:
    err = MetaError.from_body(reply.body)
    if err:
        return f"{what}: {err.explain()}"
    return f"{what}: {reply.error or f'HTTP {reply.status}'} after {reply.attempts} attempt(s)"


def debug_token(http: AuthHttp, base: str, app_tok: str, token: str) -> DebugInfo | str:
    """The token's metadata, or a message saying why it could not be read."""
    reply = http.get(f"{base}/debug_token", params={"input_token": token, "access_token": app_tok})
    data = reply.body.get("data") if reply.ok and isinstance(reply.body, dict) else None
    if not isinstance(data, dict):
        return failure_text(reply, "debug_token failed")
    return DebugInfo.from_data(data)


def probe(http: AuthHttp, base: str, object_id: str, token: str) -> MetaError | str | None:
    """None when `object_id` answers with this token; else the Meta error (or a transport message)."""
    reply = http.get(f"{base}/{object_id}", params={"fields": "id", "access_token": token})
    if reply.ok and str(reply.body.get("id")) == str(object_id):
        return None
    return MetaError.from_body(reply.body) or failure_text(reply, "probe failed")


def check_account(
    http: AuthHttp,
    base: str,
    platform: str,
    account,
    token: str,
    recorded: TokenDetails,
    app_tok: str | None,
) -> CredentialStatus:
    info = debug_token(http, base, app_tok, token) if app_tok else None
    notes = []
    if isinstance(info, DebugInfo):
        expires, scopes, token_type = info.expires_at, info.scopes, info.token_type
    else:
        expires, scopes, token_type = recorded.expires_at, recorded.scopes, recorded.token_type
        notes.append(
            info if isinstance(info, str) else "no Meta app credentials: expiry and scopes as recorded"
        )

    def verdict(status: str, detail: str, missing=()) -> CredentialStatus:
        return CredentialStatus(
            platform, account.account_id, status, "; ".join([detail, *notes]).strip("; "), account.unit_code,
            expires, tuple(missing), renewable(token_type, scopes, status), token_type,
        )  # fmt: skip

    if isinstance(info, DebugInfo) and not info.is_valid:
        err = info.error or MetaError(190, None, "token is not valid")
        return verdict(verdicts.EXPIRED if err.subcode == 463 else verdicts.INVALID, err.explain())
    found = probe(http, base, account.platform_user_id, token)
    if isinstance(found, MetaError):
        return verdict(found.status(), found.explain())
    if isinstance(found, str):
        return verdict(verdicts.CHECK_FAILED, found)
    lacking = missing_scopes(platform, scopes)
    if lacking:
        return verdict(verdicts.MISSING_PERMISSION, "lacks " + ", ".join(lacking), lacking)
    kind = f"{token_type} token" if token_type else "token"
    return verdict(verdicts.VALID, kind)


def renewable(token_type: str | None, scopes, status: str) -> bool | None:
    """Whether the pipeline can renew this token on its own. A user token is swapped for a Page token (needs
    `pages_show_list`); an expired one cannot be exchanged any more; Page tokens do not expire (None)."""
    if status in (verdicts.EXPIRED, verdicts.INVALID):
        return False
    if token_type == "user":
        return scopes is None or "pages_show_list" in scopes
    return None


def exchange(http: AuthHttp, base: str, app: dict, user_token: str) -> tuple[str, dt.datetime | None] | str:
    """(long-lived user token, its expiry) or why not."""
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": app.get("app_id"),
        "client_secret": app.get("app_secret"),
        "fb_exchange_token": user_token,
    }
    reply = http.get(f"{base}/oauth/access_token", params=params)
    if not (reply.ok and isinstance(reply.body, dict) and reply.body.get("access_token")):
        return failure_text(reply, "fb_exchange_token refused")
    expires_in = reply.body.get("expires_in")
    now = dt.datetime.now(dt.UTC)
    expiry = now + dt.timedelta(seconds=int(expires_in)) if expires_in else None
    return str(reply.body["access_token"]), expiry


def page_token(
    http: AuthHttp, base: str, user_token: str, platform: str, object_id: str
) -> str | Reply | None:
    """The Page token that reaches `object_id` (a Page, or the Instagram account linked to a Page): None when the
    user token manages no such Page, the failing Reply when the call failed."""
    url = f"{base}/me/accounts"
    params = {
        "fields": "id,access_token,instagram_business_account",
        "limit": "100",
        "access_token": user_token,
    }
    for _ in range(MAX_PAGES):
        reply = http.get(url, params=params)
        if not (reply.ok and isinstance(reply.body, dict)):
            return reply
        for page in reply.body.get("data") or []:
            linked = (page.get("instagram_business_account") or {}).get("id")
            hit = str(page.get("id")) == object_id if platform == "facebook" else str(linked) == object_id
            if hit and page.get("access_token"):
                return str(page["access_token"])
        next_url = (reply.body.get("paging") or {}).get("next")
        if not next_url:
            return None
        url, params = next_url, None
    return None
