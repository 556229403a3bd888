"""TikTok: probe a user token, refresh it.

- `GET /v2/user/info/?fields=open_id,follower_count` with `Authorization: Bearer <token>`: the cheapest call that
  proves the token, its account (open_id) and the `user.info.stats` scope. Errors are
  `{"error": {"code": "access_token_invalid" | "scope_not_authorized" | ..., "message", "log_id"}}`
  (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling).
- `POST /v2/oauth/token/` form `client_key, client_secret, grant_type=refresh_token, refresh_token`: a new
  access token *and a new refresh token* (rotation: the one sent stops working), with `expires_in` and
  `refresh_expires_in` in seconds — https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token.
  The lifetimes are read from each answer, never assumed (the page said 24 h / 365 days until 2026 and says
  2 h / 180 days since). OAuth errors are `{"error": "invalid_grant", "error_description", "log_id"}`
  (https://developers.tiktok.com/doc/oauth-error-handling).
"""

import datetime as dt
from dataclasses import dataclass

from pipelines.credentials.requirements import missing_scopes
from pipelines.credentials.store import TokenDetails
from pipelines.live_credentials import status as verdicts
from pipelines.live_credentials.http import AuthHttp
from pipelines.live_credentials.status import CredentialStatus

SCOPE_ERRORS = ("scope_not_authorized", "scope_permission_missed")


def _api_error(body) -> tuple[str, str]:
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return str(err.get("code") or ""), str(err.get("message") or "")
    return "", ""


def refresh_usable(details: TokenDetails, now: dt.datetime) -> bool:
    if not details.refresh_token:
        return False
    ends = details.refresh_expires_at
    return ends is None or isinstance(ends, str) or ends > now


def check_account(http: AuthHttp, base: str, account, token: str, recorded: TokenDetails,
                  now: dt.datetime) -> CredentialStatus:  # fmt: skip
    reply = http.get(
        f"{base}/user/info/",
        params={"fields": "open_id,follower_count"},
        headers={"Authorization": f"Bearer {token}"},
    )
    code, message = _api_error(reply.body)
    can_refresh = refresh_usable(recorded, now)
    notes = []
    if isinstance(recorded.refresh_expires_at, dt.datetime):
        notes.append(f"authorisation (refresh token) until {recorded.refresh_expires_at:%Y-%m-%d}")

    def verdict(status: str, detail: str, missing=()) -> CredentialStatus:
        renewable = None if status == verdicts.VALID else can_refresh if status == verdicts.EXPIRED else False
        return CredentialStatus(
            "tiktok", account.account_id, status, "; ".join([detail, *notes]), account.unit_code,
            recorded.expires_at, tuple(missing), renewable, "bearer",
        )  # fmt: skip

    if reply.ok and code == "ok":
        open_id = str(((reply.body.get("data") or {}).get("user") or {}).get("open_id") or "")
        if open_id and open_id != account.platform_user_id:
            return verdict(
                verdicts.UNKNOWN_ID, f"the token belongs to open_id {open_id}, not {account.platform_user_id}"
            )
        lacking = missing_scopes("tiktok", recorded.scopes)
        if lacking:
            return verdict(verdicts.MISSING_PERMISSION, "lacks " + ", ".join(lacking), lacking)
        return verdict(verdicts.VALID, "user access token")
    if code == "access_token_invalid":
        if recorded.is_expired(now):  # its time is up: the refresh token renews it
            hint = "renewal will refresh it" if can_refresh else "the unit must authorise the app again"
            return verdict(verdicts.EXPIRED, f"TikTok {code}: {message} ({hint})")
        return verdict(
            verdicts.INVALID, f"TikTok {code}: {message} (revoked: the unit must authorise the app again)"
        )
    if code in SCOPE_ERRORS:
        return verdict(verdicts.MISSING_PERMISSION, f"TikTok {code}: {message}", ("user.info.stats",))
    if code in ("invalid_user", "user_not_found"):
        return verdict(verdicts.UNKNOWN_ID, f"TikTok {code}: {message}")
    detail = f"TikTok {code}: {message}" if code else (reply.error or f"HTTP {reply.status}")
    return verdict(verdicts.CHECK_FAILED, f"{detail} after {reply.attempts} attempt(s)")


@dataclass(frozen=True)
class Refreshed:
    access_token: str
    refresh_token: str | None
    expires_at: dt.datetime | None
    refresh_expires_at: dt.datetime | None
    scopes: tuple[str, ...] | None
    open_id: str | None

    def __repr__(self) -> str:
        return f"Refreshed(expires_at={self.expires_at}, refresh_expires_at={self.refresh_expires_at})"


def refresh(http: AuthHttp, base: str, app: dict, refresh_token: str, now: dt.datetime) -> Refreshed | str:
    """A refreshed token set, or why the refresh was refused (never containing a secret)."""
    reply = http.post_form(
        f"{base}/oauth/token/",
        {
            "client_key": app.get("client_key") or "",
            "client_secret": app.get("client_secret") or "",
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        },
    )
    body = reply.body if isinstance(reply.body, dict) else {}
    if isinstance(body.get("data"), dict) and "access_token" in body["data"]:
        body = body["data"]  # the older Login Kit shape wrapped the fields in "data"
    if reply.ok and body.get("access_token"):

        def at(seconds) -> dt.datetime | None:
            return now + dt.timedelta(seconds=int(seconds)) if seconds not in (None, "") else None

        scope = body.get("scope")
        return Refreshed(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]) if body.get("refresh_token") else None,
            expires_at=at(body.get("expires_in")),
            refresh_expires_at=at(body.get("refresh_expires_in")),
            scopes=tuple(s for s in str(scope).split(",") if s) if scope else None,
            open_id=str(body["open_id"]) if body.get("open_id") else None,
        )
    if isinstance(body.get("error"), str):
        return f"TikTok {body['error']}: {body.get('error_description') or ''}".strip()
    return f"TikTok refresh failed: {reply.error or f'HTTP {reply.status}'} after {reply.attempts} attempt(s)"
