"""Alerts before a credential the pipeline cannot renew runs out, through `data_quality.notify`.

What cannot be renewed by the pipeline: a TikTok authorisation whose refresh token ends (the unit must authorise
the app again), a Meta user token that cannot be swapped for a Page token, a Meta token whose data access ends
(someone with a role on the Page must use the app again), and any renewal the platform refused. Each is announced
when it enters the window (`MEDSOS_TOKEN_EXPIRY_ALERT_DAYS`, default 14) and again at 7, 3 and 1 day(s) and on
expiry; `<data>/credentials/alert_state.json` remembers what was sent, so a schedule that runs every half hour
does not repeat itself. One alert per platform and run lists the accounts (never a token).
"""

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.credentials.store import TokenDetails, write_atomic
from pipelines.settings import Settings

ALERT_DAYS_ENV = "MEDSOS_TOKEN_EXPIRY_ALERT_DAYS"
DEFAULT_ALERT_DAYS = 14
REMINDERS = (7, 3, 1, 0)
MAX_LISTED = 100


def alert_days() -> int:
    return int(os.environ.get(ALERT_DAYS_ENV, "").strip() or DEFAULT_ALERT_DAYS)


@dataclass(frozen=True)
class Expiring:
    account_id: str
    platform: str
    reason: str  # "refresh_token_ends" | "user_token_expires" | "data_access_ends" | "renewal_failed" | ...
    ends_at: dt.datetime | None
    action: str
    unit_code: str | None = None

    def key(self, now: dt.datetime) -> str:
        when = self.ends_at.date().isoformat() if self.ends_at else now.date().isoformat()
        return f"{self.reason}:{when}"

    def to_json(self) -> dict:
        ends = self.ends_at.isoformat(timespec="minutes") if self.ends_at else None
        return {"account_id": self.account_id, "unit_code": self.unit_code, "reason": self.reason,
                "ends_at": ends, "action": self.action}  # fmt: skip


def _when(value) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def expiring(account_id: str, details: TokenDetails, renewable: bool, now: dt.datetime, days: int,
             unit_code: str | None = None) -> list[Expiring]:  # fmt: skip
    """What about this token deserves an alert now (ignoring what was already sent)."""
    platform = account_id.split(":", 1)[0]
    horizon = now + dt.timedelta(days=days)
    found = []

    def due(value) -> bool:
        when = _when(value)
        return when is not None and when <= horizon

    if platform == "tiktok":
        if details.refresh_token and due(details.refresh_expires_at):
            action = "the unit must authorise the app again (TikTok Login) before this date"
            found.append(
                Expiring(account_id, platform, "refresh_token_ends", details.refresh_expires_at, action)
            )
        elif not details.refresh_token and due(details.expires_at):
            action = "no refresh token stored: the unit must authorise the app again"
            found.append(Expiring(account_id, platform, "access_token_expires", details.expires_at, action))
    else:
        if due(details.expires_at) and not renewable:
            action = "a Page admin of the unit must grant a new token (see docs/going-live.md)"
            found.append(Expiring(account_id, platform, "user_token_expires", details.expires_at, action))
        if due(details.data_access_expires_at):
            action = "someone with a role on the Page must use the app again, or grant a new token"
            found.append(
                Expiring(account_id, platform, "data_access_ends", details.data_access_expires_at, action)
            )
    return [replace(e, unit_code=unit_code) for e in found]


class AlertState:
    """Which (account, reason, end day) reminders were sent: a small JSON file, written atomically."""

    def __init__(self, settings: Settings):
        self.path: Path = settings.data_dir / "credentials" / "alert_state.json"
        try:
            self.sent: dict[str, list[int]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.sent = {}
        self.seen: set[str] = set()

    def due(self, item: Expiring, now: dt.datetime, days: int) -> int | None:
        """The reminder threshold (days left) to send now, or None when already sent."""
        left = 0 if item.ends_at is None else max(0, (item.ends_at - now).days)
        thresholds = sorted({days, *[r for r in REMINDERS if r <= days]}, reverse=True)
        reached = [t for t in thresholds if left <= t]
        if not reached:
            return None
        threshold = reached[-1]
        key = f"{item.account_id}|{item.key(now)}"
        self.seen.add(key)
        if threshold in self.sent.get(key, []):
            return None
        self.sent.setdefault(key, []).append(threshold)
        return threshold

    def save(self) -> None:
        """Keep what is still due (a renewed or removed token needs no memory any more)."""
        kept = {k: v for k, v in self.sent.items() if k in self.seen}
        write_atomic(self.path, json.dumps(kept, indent=1, sort_keys=True).encode())


def _line(item: Expiring) -> str:
    when = f" on {item.ends_at:%Y-%m-%d}" if item.ends_at else ""
    return (
        f"- {item.account_id} ({item.unit_code or '?'}): {item.reason.replace('_', ' ')}{when}: {item.action}"
    )


def build_alerts(items: list[Expiring], days: int) -> list[dict]:
    """One alert per platform (a JSON-serialisable dict for `notify.build_notifier().send`)."""
    by_platform: dict[str, list[Expiring]] = {}
    for item in items:
        by_platform.setdefault(item.platform, []).append(item)
    alerts = []
    for platform, group in sorted(by_platform.items()):
        failed = sum(1 for g in group if g.reason == "renewal_failed")
        summary = f"{platform}: {len(group)} credential(s) need a person"
        summary += f" ({failed} renewal(s) refused, the rest end within {days} days)" if failed else (
            f": they end within {days} days and the pipeline cannot renew them")  # fmt: skip
        lines = [_line(g) for g in group[:10]]
        more = f"\n… and {len(group) - 10} more" if len(group) > 10 else ""
        alerts.append({
            "kind": "credentials_expiring",
            "severity": "warning",
            "summary": summary,
            "text": summary + "\n" + "\n".join(lines) + more + "\nSee docs/going-live.md.",
            "platform": platform,
            "accounts": [g.to_json() for g in group[:MAX_LISTED]],
            "more_accounts": max(0, len(group) - MAX_LISTED),
            "guide": "docs/going-live.md",
        })  # fmt: skip
    return alerts
