"""Every knob of the sandbox in one dataclass, loadable from JSON (`--scenario-config FILE`).

Rates of account-level scenarios are fractions of the accounts *eligible* for that scenario; rates of
request-level faults are probabilities per HTTP request (per batch item for `meta_item_fault_rate`).
The defaults are realistic but light; `SandboxConfig.quiet()` turns every scenario and fault off.
"""

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

ACCOUNT_SCENARIOS = (
    "stop_reporting",
    "suspended",
    "never_connected",
    "follower_jump",
    "follower_drop",
    "frozen",
    "counter_decrease",
    "engagement_spike",
    "posting_silence",
    "inactive",
)
FAULT_KINDS = ("throttle", "server_error", "timeout", "malformed")


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` calls per fixed window of `window_s` seconds (the sandbox's short-window stand-in)."""

    limit: int
    window_s: float


def _rate_limit(value) -> RateLimit:
    if isinstance(value, RateLimit):
        return value
    if isinstance(value, dict):
        return RateLimit(int(value["limit"]), float(value["window_s"]))
    limit, window = value
    return RateLimit(int(limit), float(window))


@dataclass(frozen=True)
class SandboxConfig:
    # Simulated "today" (ISO date), fixed for the sandbox's life; None = today in Asia/Jakarta, following
    # the calendar: after midnight WIB the world is rebuilt for the new day (see rollover.py).
    today: str | None = None

    # Account-level scenarios: fraction of eligible accounts (one scenario per account at most).
    stop_reporting_rate: float = 0.025
    suspended_rate: float = 0.015
    never_connected_rate: float = 0.025
    follower_jump_rate: float = 0.025
    follower_drop_rate: float = 0.02
    frozen_rate: float = 0.025
    counter_decrease_rate: float = 0.02
    engagement_spike_rate: float = 0.025
    posting_silence_rate: float = 0.025
    inactive_rate: float = 0.02
    # Fraction of units with manual accounts that skip 1..3 weekly reports.
    manual_not_sent_rate: float = 0.15
    # Scenario start dates fall within the last `scenario_window_days` days before today, a share
    # `recent_share` of them within the last `recent_days` (so a 28-day window sees them too).
    scenario_window_days: int = 85
    recent_days: int = 27
    recent_share: float = 0.5

    # Request-level transient faults (probability per request).
    throttle_rate: float = 0.004
    server_error_rate: float = 0.003
    timeout_rate: float = 0.0005  # each one costs a client its whole timeout: keep rare
    malformed_rate: float = 0.002
    # Per Graph batch item: a throttled item, an item with HTTP 500 (code 2), or a null item.
    meta_item_fault_rate: float = 0.002
    # A "timeout" fault holds the response this long (above the clients' 15 s default timeout).
    timeout_delay_s: float = 20.0
    # Retry-After sent with throttling faults (Meta, TikTok) and YouTube rateLimitExceeded.
    throttle_retry_after_s: int = 1

    # Real rate limits with short windows (seconds instead of hours): exceeding them throttles.
    meta_app_limit: RateLimit = field(default=RateLimit(20000, 10.0))  # Graph calls (batch items)
    meta_token_limit: RateLimit = field(default=RateLimit(200, 10.0))  # per access token (BUC)
    youtube_limit: RateLimit = field(default=RateLimit(200, 10.0))  # requests per API key
    x_limit: RateLimit = field(default=RateLimit(300, 15.0))  # users lookup per bearer token
    tiktok_limit: RateLimit = field(default=RateLimit(3000, 10.0))  # per endpoint, whole app
    youtube_quota_per_day: int = 10000  # units per key per Pacific day (channels.list costs 1)

    # Platform behaviour, not faults.
    youtube_hidden_subscriber_rate: float = 0.03  # channels hiding their subscriber count
    youtube_round_subscribers: bool = True  # public subscriberCount is rounded to 3 significant digits
    # Metric drift: "<platform>.<field>" names the sandbox refuses from today on as the platform would a
    # deprecated metric or field (error #100 naming it; TikTok invalid_params), on top of the specification's
    # retired names.
    refused_fields: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "refused_fields", tuple(self.refused_fields))
        for name in ("meta_app_limit", "meta_token_limit", "youtube_limit", "x_limit", "tiktok_limit"):
            object.__setattr__(self, name, _rate_limit(getattr(self, name)))
        if self.today is not None:
            dt.date.fromisoformat(self.today)
        for f in dataclasses.fields(self):
            if f.name.endswith("_rate") and not 0.0 <= getattr(self, f.name) <= 1.0:
                raise ValueError(f"{f.name} must be within [0, 1]")

    def scenario_rate(self, scenario: str) -> float:
        return getattr(self, f"{scenario}_rate")

    def fault_rate(self, kind: str) -> float:
        return getattr(self, f"{kind}_rate")

    def replace(self, **changes) -> "SandboxConfig":
        return dataclasses.replace(self, **changes)

    @classmethod
    def quiet(cls, **changes) -> "SandboxConfig":
        """No scenarios, no faults (rate limits stay, generous): for tests that assert exact values."""
        zero = {f"{s}_rate": 0.0 for s in (*ACCOUNT_SCENARIOS, "manual_not_sent", *FAULT_KINDS)}
        return cls(**{**zero, "meta_item_fault_rate": 0.0, **changes})

    @classmethod
    def from_dict(cls, data: dict) -> "SandboxConfig":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known - {"preset"}
        if unknown:
            raise ValueError(f"unknown sandbox config keys: {sorted(unknown)}")
        values = {k: v for k, v in data.items() if k != "preset"}
        return cls.quiet(**values) if data.get("preset") == "quiet" else cls(**values)

    @classmethod
    def from_json(cls, path: Path) -> "SandboxConfig":
        with Path(path).open(encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
