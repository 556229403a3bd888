"""The credential check: every credential asked at its platform's cheapest endpoint, one verdict per account.

Instagram / Facebook: `debug_token` (expiry, type, scopes; needs the Meta app credentials) and a `?fields=id`
probe of the registry's object; TikTok: `user/info` with `open_id,follower_count`; YouTube and X: the project
credential once, and the registry's ids in batches (50 / 100 per call). Statuses: see `status.py`.
"""

import datetime as dt
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pipelines.credentials.mode import ModeDecision
from pipelines.credentials.requirements import PER_ACCOUNT_PLATFORMS
from pipelines.live_credentials import meta_auth, tiktok_auth
from pipelines.live_credentials.context import CredentialContext, load_context
from pipelines.live_credentials.http import AuthHttp
from pipelines.live_credentials.project_keys import check_x, check_youtube
from pipelines.live_credentials.status import (
    CHECK_FAILED,
    EXPIRED,
    MISSING_TOKEN,
    STATUSES,
    VALID,
    CredentialStatus,
)
from pipelines.platform_spec import PLATFORMS
from pipelines.registry import Account, load_accounts
from pipelines.settings import Settings, today_wib


@dataclass
class CheckReport:
    mode: ModeDecision
    checked_at: dt.datetime
    results: list[CredentialStatus] = field(default_factory=list)
    requests_made: int = 0

    def accounts(self) -> list[CredentialStatus]:
        return [r for r in self.results if r.subject != "project"]

    def problems(self) -> list[CredentialStatus]:
        return [r for r in self.results if r.needs_attention]

    def counts(self) -> dict[str, dict[str, int]]:
        """platform -> status -> number of accounts (project credentials not counted)."""
        out: dict[str, Counter] = {}
        for r in self.accounts():
            out.setdefault(r.platform, Counter())[r.status] += 1
        return {p: dict(sorted(c.items())) for p, c in out.items()}

    def to_json(self) -> dict:
        return {
            "mode": self.mode.mode,
            "mode_reason": self.mode.reason,
            "checked_at": self.checked_at.isoformat(timespec="seconds"),
            "requests_made": self.requests_made,
            "counts": self.counts(),
            "results": [r.to_json() for r in self.results],
        }


def api_accounts(settings: Settings, day: dt.date | None = None) -> list[Account]:
    day = day or today_wib()
    accounts = load_accounts(settings.accounts_csv)
    return [a for a in accounts if a.collection_method == "api" and a.is_active_on(day)]


def _missing(account: Account, ctx: CredentialContext) -> CredentialStatus:
    detail = f"no token for this account in {ctx.store_path}: the unit has not granted access yet"
    return CredentialStatus(account.platform, account.account_id, MISSING_TOKEN, detail, account.unit_code,
                            renewable=False)  # fmt: skip


def _check_one(
    http: AuthHttp, ctx: CredentialContext, account: Account, now: dt.datetime
) -> CredentialStatus:
    token = ctx.secrets.account_tokens.get(account.account_id)
    if not token:
        return _missing(account, ctx)
    recorded = ctx.secrets.details_for(account.account_id)
    base = ctx.base(account.platform)
    if account.platform == "tiktok":
        return tiktok_auth.check_account(http, base, account, token, recorded, now)
    app_tok = meta_auth.app_token(ctx.meta_app)
    return meta_auth.check_account(http, base, account.platform, account, token, recorded, app_tok)


def run_check(
    settings: Settings | None = None,
    *,
    platforms: tuple[str, ...] | None = None,
    accounts: list[Account] | None = None,
    sandbox_url: str | None = None,
    concurrency: int = 8,
    http: AuthHttp | None = None,
) -> CheckReport:
    """Check every credential of `platforms` (default all) for `accounts` (default: active API accounts)."""
    ctx = load_context(settings, sandbox_url)
    platforms = tuple(platforms or PLATFORMS)
    accounts = [a for a in (accounts or api_accounts(ctx.settings)) if a.platform in platforms]
    now = dt.datetime.now(dt.UTC)
    report = CheckReport(ctx.decision, now)
    own_http = http is None
    http = http or AuthHttp(ctx.secret_values(), pool_size=concurrency)
    try:
        per_account = [a for a in accounts if a.platform in PER_ACCOUNT_PLATFORMS]
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            results = list(pool.map(lambda a: _check_one(http, ctx, a, now), per_account))
        by_platform: dict[str, list[CredentialStatus]] = {}
        for r in results:
            by_platform.setdefault(r.platform, []).append(r)
        if "youtube" in platforms:
            yt = [a for a in accounts if a.platform == "youtube"]
            by_platform["youtube"] = check_youtube(http, ctx.base("youtube"), ctx.youtube_api_key, yt)
        if "x" in platforms:
            xs = [a for a in accounts if a.platform == "x"]
            by_platform["x"] = check_x(http, ctx.base("x"), ctx.x_bearer_token, xs)
        for platform in platforms:
            report.results.extend(by_platform.get(platform, []))
        report.requests_made = http.requests_made
    finally:
        if own_http:
            http.close()
    return report


def _next_step(r: CredentialStatus) -> str:
    if r.status in (VALID, CHECK_FAILED):
        return ""
    if r.status == EXPIRED and r.renewable:
        return "; the renewal job renews it"
    return "; a person must act"


def format_report(report: CheckReport, *, only_problems: bool = False, limit: int | None = None) -> str:
    """A plain-text table (per account: status, expiry, missing scopes, what to do) and a summary."""
    lines = [report.mode.describe(), f"checked at {report.checked_at:%Y-%m-%d %H:%M UTC}", ""]
    header = f"{'platform':<10} {'account':<34} {'unit':<10} {'status':<19} {'expires':<21} detail"
    lines += [header, "-" * len(header)]
    order = {status: rank for rank, status in enumerate((*STATUSES[1:], VALID))}
    shown = [r for r in report.results if r.needs_attention or not only_problems or r.subject == "project"]
    # per platform: the project credential first, then the worst statuses
    shown.sort(
        key=lambda r: (PLATFORMS.index(r.platform), r.subject != "project", order[r.status], r.subject)
    )
    for r in shown[:limit] if limit else shown:
        subject = "(project credential)" if r.subject == "project" else r.subject
        detail = r.detail + _next_step(r)
        lines.append(
            f"{r.platform:<10} {subject:<34} {r.unit_code or '':<10} {r.status:<19} {r.expires_text():<21} {detail}"
        )
    if limit and len(shown) > limit:
        lines.append(f"... {len(shown) - limit} more (use --json for all)")
    lines.append("")
    for platform, counts in report.counts().items():
        lines.append(f"{platform:<10} " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    lines.append(
        f"{len(report.problems())} credential(s) need attention; {report.requests_made} requests made"
    )
    return "\n".join(lines)
