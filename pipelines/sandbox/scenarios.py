"""Which accounts get which injected scenario, and when (deterministic for the seed).

One scenario per account at most, so a benchmark scores each flag against exactly one cause. Anomalies start
within the last `scenario_window_days` days (half of them within the last `recent_days`), long after the
epoch, so detectors always have months of clean history before them. Accounts opened less than 200 days
ago get no scenario; manual accounts of units that skip weekly reports get none either.

"Last N days" counts back from the world's scenario *anchor* (the day the sandbox first started), not from
its today: after a midnight rollover the same scenarios keep the same dates, so no past day changes. Only
open-ended ones (never_connected, inactive, a revocation or suspension still in force) extend to the new
today; a renewal or reinstatement is never later than the anchor.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pipelines.platform_spec import SPECS, availability
from pipelines.sandbox.config import ACCOUNT_SCENARIOS, SandboxConfig

MISSING_SCENARIOS = ("stop_reporting", "suspended", "never_connected", "manual_not_sent")
# The metric each flag is on (conformed names); "all" = every counter and daily metric of the account-day.
SCENARIO_METRIC = {
    "stop_reporting": "all",
    "suspended": "all",
    "never_connected": "all",
    "manual_not_sent": "all",
    "follower_jump": "followers_count",
    "follower_drop": "followers_count",
    "frozen": "all",
    "counter_decrease": "posts_total_count",
    "engagement_spike": "engagements_count",
    "posting_silence": "new_posts_count",
    "inactive": "new_posts_count",
}
PER_ACCOUNT_TOKEN = tuple(name for name, s in SPECS.items() if s.per_account_token)
# Platforms with a lifetime post counter (Facebook Pages expose none).
POSTS_COUNTER = tuple(name for name, s in SPECS.items() if s.feeding("posts_total_count"))
# Engagements an API client can see: Instagram/Facebook insights, TikTok's lifetime likes_count.
API_ENGAGEMENT = tuple(
    name for name, s in SPECS.items() if availability(s, "engagements_count")[0] != "absent"
)
MIN_HISTORY_DAYS = 200


@dataclass(frozen=True)
class Scenario:
    account_index: int  # -1 for none (never happens for account scenarios)
    account_id: str
    platform: str
    unit_code: str
    scenario: str
    start_date: dt.date
    end_date: dt.date
    magnitude: float  # fraction for jumps/drops, factor for spikes, posts for decreases, days otherwise
    details: str = ""

    @property
    def metric(self) -> str:
        return SCENARIO_METRIC[self.scenario]

    @property
    def kind(self) -> str:
        return "missing" if self.scenario in MISSING_SCENARIOS else "anomaly"


def _eligible(scenario: str, account) -> bool:
    api = account.collection_method == "api"
    if scenario in ("stop_reporting", "suspended"):
        return api
    if scenario == "never_connected":
        return api and account.platform in PER_ACCOUNT_TOKEN
    if scenario == "counter_decrease":
        return account.platform in POSTS_COUNTER
    if scenario == "engagement_spike":
        return not api or account.platform in API_ENGAGEMENT
    return True


class _Dates:
    """Start dates: a share within `recent_days` before the anchor, the rest up to `scenario_window_days`."""

    def __init__(self, rng: np.random.Generator, anchor: dt.date, config: SandboxConfig):
        self.rng, self.anchor, self.c = rng, anchor, config

    def start(self, duration: int = 1) -> dt.date:
        low = max(2, duration)
        recent_high, high = self.c.recent_days, max(self.c.scenario_window_days, low + 1)
        if low <= recent_high and self.rng.random() < self.c.recent_share:
            ago = int(self.rng.integers(low, recent_high + 1))
        else:
            ago = int(self.rng.integers(max(low, recent_high + 1), high + 1))
        return self.anchor - dt.timedelta(days=ago)

    def days(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))


def choose_scenarios(world, config: SandboxConfig, seed: int) -> tuple[list[Scenario], list[Scenario]]:
    """(account scenarios, manual_not_sent rows); `world` gives accounts, units, today, anchor, calendar."""
    rng = np.random.default_rng([seed, 21])
    anchor, accounts = world.anchor, world.accounts
    dates = _Dates(rng, anchor, config)
    manual = _manual_not_sent(world, config, rng)
    skipped_units = {s.unit_code for s in manual}
    cutoff = anchor - dt.timedelta(days=MIN_HISTORY_DAYS)
    candidates = [
        i
        for i, a in enumerate(accounts)
        if a.active_from <= cutoff and not (a.collection_method == "manual" and a.unit_code in skipped_units)
    ]
    order = [candidates[k] for k in rng.permutation(len(candidates))]
    taken: set[int] = set()
    chosen: list[Scenario] = []
    for name in ACCOUNT_SCENARIOS:
        pool = [i for i in order if _eligible(name, accounts[i])]
        target = round(config.scenario_rate(name) * len(pool))
        for i in [i for i in pool if i not in taken][:target]:
            taken.add(i)
            chosen.append(_make(name, i, world, dates))
    chosen.sort(key=lambda s: (s.scenario, s.account_id))
    return chosen, manual


def _make(name: str, i: int, world, dates: _Dates) -> Scenario:
    a, today, anchor = world.accounts[i], world.today, world.anchor
    day = dt.timedelta(days=1)
    details, magnitude = "", 1.0
    if name == "never_connected" or name == "inactive":
        start, end = max(world.epoch, a.active_from), today
        magnitude = float((end - start).days + 1)
        details = "no token in tokens.json" if name == "never_connected" else ""
    elif name in ("stop_reporting", "suspended"):
        start = dates.start()
        ongoing = dates.rng.random() < (0.7 if name == "stop_reporting" else 0.6)
        end = (
            today
            if ongoing
            else min(anchor, start + dates.days(7 if name == "stop_reporting" else 3, 21) * day)
        )
        magnitude = float((end - start).days + 1)
        if name == "stop_reporting":
            details = "token revoked, still invalid today" if ongoing else "token revoked, renewed later"
            if a.platform in ("instagram", "facebook"):
                details += f"; error_subcode={463 if dates.rng.random() < 0.7 else 460}"
        else:
            details = "suspended, still today" if ongoing else "suspended, reinstated later"
    elif name in ("frozen", "posting_silence"):
        length = dates.days(4, 10) if name == "frozen" else dates.days(10, 30)
        start = dates.start(length)
        end, magnitude = start + (length - 1) * day, float(length)
    else:
        start = dates.start()
        if name == "engagement_spike":  # never on a campaign day: a spike is one account's alone
            for _ in range(50):
                if not world.calendar.is_campaign(world.province_rows[i], (start - world.epoch).days):
                    break
                start = dates.start()
        end = start
        magnitude = {
            "follower_jump": lambda: round(float(dates.rng.uniform(0.15, 0.60)), 3),
            "follower_drop": lambda: round(float(dates.rng.uniform(0.10, 0.40)), 3),
            "counter_decrease": lambda: float(dates.days(3, 15)),
            "engagement_spike": lambda: round(float(dates.rng.uniform(5.0, 20.0)), 2),
        }[name]()
    return Scenario(i, a.account_id, a.platform, a.unit_code, name, start, end, magnitude, details)


def _manual_not_sent(world, config: SandboxConfig, rng: np.random.Generator) -> list[Scenario]:
    """Units that skip 1..3 weekly reports (Monday-to-Sunday weeks that ended before the anchor day)."""
    anchor = world.anchor
    manual_by_unit: dict[str, list[int]] = {}
    for i, a in enumerate(world.accounts):
        if a.collection_method == "manual":
            manual_by_unit.setdefault(a.unit_code, []).append(i)
    units = sorted(manual_by_unit)
    last_monday = anchor - dt.timedelta(days=anchor.weekday() + 7)  # the last week ended by the anchor
    mondays = [
        last_monday - dt.timedelta(weeks=w)
        for w in range(max(1, config.scenario_window_days // 7))
        if last_monday - dt.timedelta(weeks=w) >= world.epoch
    ]
    n_units = round(config.manual_not_sent_rate * len(units))
    rows: list[Scenario] = []
    if not mondays or not n_units:
        return rows
    for k in sorted(rng.choice(len(units), n_units, replace=False).tolist()):
        unit = units[k]
        n_weeks = min(len(mondays), int(rng.integers(1, 4)))
        for w in sorted(rng.choice(len(mondays), n_weeks, replace=False).tolist()):
            monday = mondays[w]
            for i in manual_by_unit[unit]:
                a = world.accounts[i]
                rows.append(
                    Scenario(
                        i,
                        a.account_id,
                        a.platform,
                        unit,
                        "manual_not_sent",
                        monday,
                        monday + dt.timedelta(days=6),
                        7.0,
                        "weekly report not sent",
                    )
                )
    rows.sort(key=lambda s: (s.start_date, s.account_id))
    return rows
