"""The simulated world: registry, series, scenarios, tokens and the indexes the handlers look things up in.

Built at start-up; afterwards read-only, so handler threads share it without locks and every request
only indexes arrays and dicts. A sandbox on the real clock replaces it with `for_day(new_today)` after
midnight WIB (see `rollover.py`): same seed, registry and scenario anchor, so past days keep their values.
"""

import datetime as dt
import hashlib
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from pipelines.platform_spec import spec
from pipelines.registry import Account, Unit, load_accounts, load_units
from pipelines.sandbox import effects
from pipelines.sandbox.campaigns import build_calendar
from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.posts import account_salt
from pipelines.sandbox.scenarios import PER_ACCOUNT_TOKEN, Scenario, choose_scenarios
from pipelines.sandbox.series import BLOCK, accumulate, simulate
from pipelines.settings import get_settings

EPOCH = dt.date(2025, 1, 1)
WIB = ZoneInfo("Asia/Jakarta")
ERROR_SCENARIOS = ("stop_reporting", "suspended")


def today_wib(now: float | None = None) -> dt.date:
    """The Asia/Jakarta calendar day at Unix time `now` (default: the wall clock)."""
    return dt.datetime.fromtimestamp(time.time() if now is None else now, WIB).date()


def make_token(seed: int, name: str) -> str:
    return "sbx_" + hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:24]


def round_subscribers(count: int) -> int:
    """YouTube shows subscriber counts rounded down to three significant digits."""
    if count < 1000:
        return count
    step = 10 ** (len(str(count)) - 3)
    return count // step * step


class World:
    """`today` overrides `config.today` (else today WIB); `anchor` is the day scenario dates are drawn
    relative to (default: today); `registry` = (units by code, accounts) instead of reading `registry_dir`."""

    def __init__(
        self,
        seed: int = 42,
        config: SandboxConfig | None = None,
        registry_dir: Path | None = None,
        *,
        today: dt.date | None = None,
        anchor: dt.date | None = None,
        registry: tuple[dict[str, Unit], list[Account]] | None = None,
    ):
        started = time.perf_counter()
        self.seed = seed
        self.config = config or SandboxConfig()
        if registry is None:
            reg = Path(registry_dir) if registry_dir else get_settings().registry_dir
            registry = (
                {u.unit_code: u for u in load_units(reg / "registry_units.csv")},
                load_accounts(reg / "registry_accounts.csv"),
            )
        self.units, self.accounts = registry
        self.epoch = EPOCH
        if today is None:
            today = dt.date.fromisoformat(self.config.today) if self.config.today else today_wib()
        self.today: dt.date = today
        self.anchor: dt.date = anchor or today
        if self.today < EPOCH:
            raise ValueError(f"today ({self.today}) is before the epoch {EPOCH}")
        if self.anchor > self.today:
            raise ValueError(f"the scenario anchor ({self.anchor}) is after today ({self.today})")
        self.n_days = (self.today - EPOCH).days + 1
        self._index_registry()
        n_pad = -(-self.n_days // BLOCK) * BLOCK
        self.calendar = build_calendar(EPOCH, n_pad, self.province_codes, seed)
        self.scenarios, self.manual_skips = choose_scenarios(self, self.config, seed)
        levels = [self.units[a.unit_code].unit_level for a in self.accounts]
        self.series = simulate(
            self.accounts,
            levels,
            self.province_rows,
            self.calendar,
            EPOCH,
            self.n_days,
            seed,
            self.config.youtube_hidden_subscriber_rate,
        )
        effects.apply_daily(self.series, self.scenarios, EPOCH)
        accumulate(self.series)
        self.scenarios = effects.apply_steps(self.series, self.scenarios, EPOCH)
        self.scenario_of: dict[int, Scenario] = {s.account_index: s for s in self.scenarios}
        self._make_tokens()
        self.build_seconds = time.perf_counter() - started

    def for_day(self, today: dt.date) -> "World":
        """This world with `today` moved on: same seed, config, registry and scenario anchor, so every day
        up to the old today keeps its values, scenarios and tokens (only ongoing scenarios extend)."""
        return World(
            self.seed, self.config, today=today, anchor=self.anchor, registry=(self.units, self.accounts)
        )

    def _index_registry(self) -> None:
        provinces = sorted(u.region_code for u in self.units.values() if u.unit_level == "province")
        self.province_codes = provinces
        row_of = {code: k for k, code in enumerate(provinces)}
        self.province_rows = []
        for a in self.accounts:
            unit = self.units[a.unit_code]
            province = (unit.region_code or "").split(".")[0]
            self.province_rows.append(row_of.get(province, len(provinces)))  # last row: no province
        self.index_of: dict[str, int] = {a.account_id: i for i, a in enumerate(self.accounts)}
        self.by_platform: dict[str, dict[str, int]] = {}
        for i, a in enumerate(self.accounts):
            self.by_platform.setdefault(a.platform, {})[a.platform_user_id] = i
        self.salts = [account_salt(a.account_id) for a in self.accounts]

    def _make_tokens(self) -> None:
        never = {s.account_index for s in self.scenarios if s.scenario == "never_connected"}
        self.account_tokens: dict[str, str] = {}
        for i, a in enumerate(self.accounts):
            if a.platform in PER_ACCOUNT_TOKEN and a.collection_method == "api" and i not in never:
                self.account_tokens[a.account_id] = make_token(self.seed, a.account_id)
        self.token_index = {tok: self.index_of[aid] for aid, tok in self.account_tokens.items()}
        self.youtube_api_key = make_token(self.seed, "youtube-api-key")
        # A Meta app access token ("<app id>|<app secret>"): the batch call's own token (always valid).
        self.meta_app_token = "1000000000000|" + make_token(self.seed, "meta-app-secret")
        self.x_bearer_token = make_token(self.seed, "x-bearer-token")

    # -- time ---------------------------------------------------------------------------------------
    def day_index(self, day: dt.date) -> int:
        return (day - EPOCH).days

    def date_of(self, index: int) -> dt.date:
        return EPOCH + dt.timedelta(days=index)

    def clamp(self, day: dt.date) -> int:
        """Day index of `day`, clamped into the simulated history [epoch, today]."""
        return min(max(self.day_index(day), 0), self.n_days - 1)

    # -- lookups --------------------------------------------------------------------------------------
    def value(self, name: str, day_index: int, i: int) -> int:
        return int(self.series.arrays[name][day_index, i])

    def error_state(self, i: int, as_of: int) -> str | None:
        """'stop_reporting' or 'suspended' when the account's API refuses on the as-of day, else None."""
        sc = self.scenario_of.get(i)
        if sc is None or sc.scenario not in ERROR_SCENARIOS:
            return None
        day = self.date_of(as_of)
        return sc.scenario if sc.start_date <= day <= sc.end_date else None

    def subscriber_count(self, day_index: int, i: int) -> int | None:
        if self.series.hidden[i]:
            return None
        count = self.value("followers", day_index, i)
        return round_subscribers(count) if self.config.youtube_round_subscribers else count

    def simulated(self, expression: str, day_index: int, i: int) -> int | bool | None:
        """The value a specification field's `simulated_by` names: series joined by " + ", or the YouTube
        specials `subscribers` (rounded, None when hidden) and `hidden`."""
        if expression == "subscribers":
            return self.subscriber_count(day_index, i)
        if expression == "hidden":
            return bool(self.series.hidden[i])
        return sum(int(self.series.arrays[name.strip()][day_index, i]) for name in expression.split("+"))

    def expected_values(self, account_id: str, day: dt.date) -> dict:
        """The platform-native values a fetch of `day` (as of that day) returns, named as the platform's
        specification fields (whether the API would refuse: `expected_status`)."""
        i = self.index_of[account_id]
        d = self.day_index(day)
        if not 0 <= d < self.n_days:
            raise ValueError(f"{day} is outside the simulated history {EPOCH}..{self.today}")
        return {f.name: self.simulated(f.simulated_by, d, i) for f in spec(self.accounts[i].platform).fields}

    def refuses(self, platform: str, name: str) -> str | None:
        """Why the platform refuses a requested field or metric today (None: it serves it)."""
        if f"{platform}.{name}" in self.config.refused_fields:
            return "no longer supported"
        for r in spec(platform).retired:
            if r.name == name and r.deprecated <= self.today:
                return f"deprecated on {r.deprecated}" + (f", use {r.replaced_by}" if r.replaced_by else "")
        return None

    def expected_status(self, account_id: str, day: dt.date) -> str:
        """The fetch status a client should record for the account-day (as in the lake's fetch log)."""
        i = self.index_of[account_id]
        a = self.accounts[i]
        if a.collection_method == "manual":
            return "manual"  # reported by file; the API clients do not fetch it
        if a.platform in PER_ACCOUNT_TOKEN and a.account_id not in self.account_tokens:
            return "missing_token"
        state = self.error_state(i, self.clamp(day))
        if state == "suspended":
            return "suspended" if a.platform != "youtube" else "not_found"
        if state == "stop_reporting":
            return "auth_failed" if a.platform in PER_ACCOUNT_TOKEN else "not_found"
        return "ok"

    def summary(self) -> dict:
        counts: dict[str, int] = {}
        for s in self.scenarios:
            counts[s.scenario] = counts.get(s.scenario, 0) + 1
        return {
            "seed": self.seed,
            "accounts": len(self.accounts),
            "epoch": EPOCH.isoformat(),
            "today": self.today.isoformat(),
            "scenario_anchor": self.anchor.isoformat(),
            "days": self.n_days,
            "scenarios": counts,
            "manual_not_sent_unit_weeks": len({(s.unit_code, s.start_date) for s in self.manual_skips}),
            "build_seconds": round(self.build_seconds, 3),
            "memory_mb": round(sum(a.nbytes for a in self.series.arrays.values()) / 1e6, 1),
        }


def posts_on(world: World, i: int, day_index: int) -> int:
    return int(world.series.arrays["new_posts"][day_index, i])


def days_with_posts(world: World, i: int, upto: int) -> np.ndarray:
    """Day indexes <= `upto` on which account `i` posted, newest first."""
    column = world.series.arrays["new_posts"][: upto + 1, i]
    return np.flatnonzero(column)[::-1]
