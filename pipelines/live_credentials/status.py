"""The verdicts of the credential check, one per account (and one per project credential)."""

import datetime as dt
from dataclasses import dataclass, field

from pipelines.credentials.store import NEVER

VALID = "valid"
EXPIRED = "expired"  # the platform says the token's time is up (renewal may still help: see `renewable`)
INVALID = "invalid"  # revoked, password changed, unparseable, or a project key the platform refuses
MISSING_PERMISSION = "missing_permission"  # valid, but a required scope is not granted
UNKNOWN_ID = "unknown_id"  # the platform_user_id in the registry is not reachable with this credential
MISSING_TOKEN = "missing_token"  # no credential configured at all
CHECK_FAILED = "check_failed"  # no verdict: network, throttling, quota, or no app credentials to ask with
STATUSES = (VALID, EXPIRED, INVALID, MISSING_PERMISSION, UNKNOWN_ID, MISSING_TOKEN, CHECK_FAILED)


@dataclass(frozen=True)
class CredentialStatus:
    platform: str
    subject: str  # account_id, or "project" for the YouTube API key / X bearer token
    status: str
    detail: str = ""
    unit_code: str | None = None
    expires_at: dt.datetime | str | None = None  # aware datetime, NEVER, or None (the platform does not say)
    missing_scopes: tuple[str, ...] = ()
    renewable: bool | None = None  # can the pipeline renew it without a person (None: not applicable)
    token_type: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def needs_attention(self) -> bool:
        return self.status != VALID

    def expires_text(self) -> str:
        if self.expires_at is None:
            return "-"
        if self.expires_at == NEVER:
            return "never"
        return self.expires_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    def to_json(self) -> dict:
        expires = self.expires_at
        if isinstance(expires, dt.datetime):
            expires = expires.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        return {
            "platform": self.platform,
            "subject": self.subject,
            "unit_code": self.unit_code,
            "status": self.status,
            "expires_at": expires,
            "missing_scopes": list(self.missing_scopes),
            "renewable": self.renewable,
            "token_type": self.token_type,
            "detail": self.detail,
        }
