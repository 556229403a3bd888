"""Token renewal: what the platforms let the pipeline renew, written back to the store as soon as it is renewed.

- TikTok: an access token that expires within the margin (`MEDSOS_TOKEN_RENEW_MARGIN_MINUTES`, default 60) is
  refreshed with its refresh token; the answer carries a *new* refresh token (the old one stops working), so
  renewed tokens are written back in small groups (every `flush_every` renewals and at the end), each write
  atomic, under the store's lock.
- Meta: a token whose type or expiry is unknown is inspected once (`debug_token`); a short-lived user token
  (expiring within a day) is exchanged for a long-lived one (`fb_exchange_token`); a user token is then swapped
  for the Page token of the account's Page (`/me/accounts`), which does not expire.
- Everything else that runs out (TikTok authorisations, user tokens without `pages_show_list`, Meta data access)
  is announced in advance by `expiry_alerts`.
No token is ever logged or returned: outcomes name accounts, actions and expiry times only.
"""

import datetime as dt
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from data_quality.notify import build_notifier
from pipelines.credentials.mode import ModeDecision
from pipelines.credentials.store import (
    NEVER,
    Secrets,
    StoreBusy,
    TokenDetails,
    load_secrets,
    locked,
    merge_into,
)
from pipelines.live_credentials import expiry_alerts, meta_auth, tiktok_auth
from pipelines.live_credentials.context import CredentialContext, load_context
from pipelines.live_credentials.http import AuthHttp
from pipelines.registry import load_accounts
from pipelines.settings import Settings

MARGIN_ENV = "MEDSOS_TOKEN_RENEW_MARGIN_MINUTES"
DEFAULT_MARGIN_MIN = 60
SHORT_LIVED_S = 86400.0  # a Meta user token with less than this left is exchanged for a long-lived one


def renew_margin_s() -> float:
    return 60.0 * float(os.environ.get(MARGIN_ENV, "").strip() or DEFAULT_MARGIN_MIN)


@dataclass(frozen=True)
class Outcome:
    account_id: str
    action: str  # "refreshed" | "exchanged" | "page_token" | "learned" | "failed"
    detail: str = ""
    expires_at: dt.datetime | str | None = None

    @property
    def platform(self) -> str:
        return self.account_id.split(":", 1)[0]

    def to_json(self) -> dict:
        expires = self.expires_at
        if isinstance(expires, dt.datetime):
            expires = expires.isoformat(timespec="minutes")
        return {
            "account_id": self.account_id,
            "action": self.action,
            "detail": self.detail,
            "expires_at": expires,
        }


@dataclass
class RenewalReport:
    mode: ModeDecision
    started_at: dt.datetime
    outcomes: list[Outcome] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)
    skipped: str | None = None
    writes: int = 0
    requests_made: int = 0

    @property
    def renewed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action != "failed"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[f"{o.platform}:{o.action}"] = out.get(f"{o.platform}:{o.action}", 0) + 1
        return dict(sorted(out.items()))


class _Writer:
    """Collects renewed tokens and merges them into the store every `every` changes (and at the end)."""

    def __init__(self, ctx: CredentialContext, every: int):
        self.ctx, self.every = ctx, max(1, every)
        self.pending: dict[str, tuple[str, TokenDetails]] = {}
        self.lock = threading.Lock()
        self.writes = 0

    def add(self, account_id: str, token: str, details: TokenDetails) -> None:
        with self.lock:
            self.pending[account_id] = (token, details)
            if len(self.pending) >= self.every:
                self._flush()

    def flush(self) -> None:
        with self.lock:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            merge_into(self.ctx.store_path, self.pending)
            self.pending = {}
            self.writes += 1


def _renew_tiktok(http, ctx, account_id, token, details, now, margin_s, write) -> list[Outcome]:
    if not details.refresh_token or not tiktok_auth.refresh_usable(details, now):
        return []
    if details.expires_within(now, margin_s) is False:
        return []
    result = tiktok_auth.refresh(http, ctx.base("tiktok"), ctx.tiktok_app, details.refresh_token, now)
    if isinstance(result, str):
        return [Outcome(account_id, "failed", result, details.expires_at)]
    renewed = replace(
        details,
        token_type="bearer",
        expires_at=result.expires_at,
        refresh_token=result.refresh_token or details.refresh_token,
        refresh_expires_at=result.refresh_expires_at or details.refresh_expires_at,
        scopes=result.scopes or details.scopes,
        renewed_at=now,
        renewed_by="tiktok_refresh",
    )
    write(account_id, result.access_token, renewed)
    return [Outcome(account_id, "refreshed", "new access and refresh token", result.expires_at)]


def _learn(http, ctx, account_id, token, details, now, write) -> tuple[TokenDetails, list[Outcome]]:
    app_tok = meta_auth.app_token(ctx.meta_app)
    platform = account_id.split(":", 1)[0]
    if not app_tok or (details.token_type and details.expires_at is not None):
        return details, []
    info = meta_auth.debug_token(http, ctx.base(platform), app_tok, token)
    if isinstance(info, str):
        return details, [Outcome(account_id, "failed", info)]
    learned = replace(
        details,
        token_type=info.token_type,
        expires_at=info.expires_at,
        data_access_expires_at=info.data_access_expires_at,
        scopes=info.scopes or details.scopes,
    )
    if not info.is_valid:
        err = info.error.explain() if info.error else "token is not valid"
        write(account_id, token, learned)
        return learned, [Outcome(account_id, "failed", f"debug_token: {err}", info.expires_at)]
    write(account_id, token, learned)
    return learned, [Outcome(account_id, "learned", f"{info.token_type} token", info.expires_at)]


def _renew_meta(http, ctx, accounts, account_id, token, details, now, write) -> list[Outcome]:
    platform = account_id.split(":", 1)[0]
    base = ctx.base(platform)
    details, outcomes = _learn(http, ctx, account_id, token, details, now, write)
    if details.token_type != "user" or details.is_expired(now) or any(o.action == "failed" for o in outcomes):
        return outcomes
    if details.expires_within(now, SHORT_LIVED_S) and ctx.meta_app.get("app_secret"):
        swapped = meta_auth.exchange(http, base, ctx.meta_app, token)
        if isinstance(swapped, str):
            return [*outcomes, Outcome(account_id, "failed", swapped, details.expires_at)]
        token, expires = swapped
        details = replace(details, expires_at=expires, renewed_at=now, renewed_by="fb_exchange_token")
        write(account_id, token, details)
        outcomes.append(Outcome(account_id, "exchanged", "long-lived user token", expires))
    account = accounts.get(account_id)
    if account is None or (details.scopes is not None and "pages_show_list" not in details.scopes):
        return outcomes  # no Page to look for: the expiry alert tells a person
    found = meta_auth.page_token(http, base, token, platform, account.platform_user_id)
    if isinstance(found, str):
        page = replace(details, token_type="page", expires_at=NEVER, renewed_at=now, renewed_by="page_token")
        write(account_id, found, page)
        return [*outcomes, Outcome(account_id, "page_token", "Page token (does not expire)", NEVER)]
    why = (
        "the token manages no Page for this account"
        if found is None
        else meta_auth.failure_text(found, "/me/accounts")
    )
    return [*outcomes, Outcome(account_id, "failed", why, details.expires_at)]


def renew_tokens(
    settings: Settings | None = None,
    *,
    now: dt.datetime | None = None,
    sandbox_url: str | None = None,
    notifier=None,
    margin_s: float | None = None,
    alert_days: int | None = None,
    concurrency: int = 8,
    flush_every: int = 25,
) -> RenewalReport:
    """Renew what is due, write it back, send expiry alerts. Skips (report.skipped) when another renewal holds
    the store's lock."""
    ctx = load_context(settings, sandbox_url)
    now = now or dt.datetime.now(dt.UTC)
    margin_s = renew_margin_s() if margin_s is None else margin_s
    days = expiry_alerts.alert_days() if alert_days is None else alert_days
    report = RenewalReport(ctx.decision, now)
    try:
        with locked(ctx.store_path, wait=False):
            _renew_locked(ctx, report, now, margin_s, days, notifier, concurrency, flush_every)
    except StoreBusy as busy:
        report.skipped = str(busy)
    return report


def _renew_locked(ctx, report, now, margin_s, days, notifier, concurrency, flush_every) -> None:
    secrets: Secrets = load_secrets(ctx.store_path)  # fresh, under the lock
    ctx.secrets = secrets
    accounts = {a.account_id: a for a in load_accounts(ctx.settings.accounts_csv)}
    writer = _Writer(ctx, flush_every)
    current = dict(secrets.account_tokens)

    def write(account_id: str, token: str, details: TokenDetails) -> None:
        current[account_id] = token
        secrets.details[account_id] = details
        writer.add(account_id, token, details)

    def one(item: tuple[str, str]) -> list[Outcome]:
        account_id, token = item
        details = secrets.details_for(account_id)
        platform = account_id.split(":", 1)[0]
        if platform == "tiktok":
            return _renew_tiktok(http, ctx, account_id, token, details, now, margin_s, write)
        if platform in ("instagram", "facebook"):
            return _renew_meta(http, ctx, accounts, account_id, token, details, now, write)
        return []

    with AuthHttp(ctx.secret_values(), pool_size=concurrency) as http:
        try:
            with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
                for outcomes in pool.map(one, sorted(secrets.account_tokens.items())):
                    report.outcomes.extend(outcomes)
        finally:
            writer.flush()  # what was renewed is kept even when something later fails
        report.requests_made = http.requests_made
    report.writes = writer.writes
    _alert(ctx, report, secrets, accounts, now, days, notifier)


def _alert(ctx, report, secrets, accounts, now, days, notifier) -> None:
    state = expiry_alerts.AlertState(ctx.settings)
    failed = {o.account_id: o for o in report.failed}
    due: list[expiry_alerts.Expiring] = []
    for account_id in sorted(secrets.account_tokens):
        details = secrets.details_for(account_id)
        unit = accounts[account_id].unit_code if account_id in accounts else None
        renewable = details.token_type == "user" and (
            details.scopes is None or "pages_show_list" in details.scopes
        )
        items = expiry_alerts.expiring(
            account_id, details, renewable and account_id not in failed, now, days, unit
        )
        if account_id in failed:
            action = "renewal was refused: " + failed[account_id].detail
            items.append(expiry_alerts.Expiring(account_id, account_id.split(":", 1)[0], "renewal_failed",
                                                None, action, unit))  # fmt: skip
        due.extend(item for item in items if state.due(item, now, days) is not None)
    if due:
        notifier = notifier or build_notifier()
        for alert in expiry_alerts.build_alerts(due, days):
            notifier.send(alert)
            report.alerts.append(alert)
    state.save()
