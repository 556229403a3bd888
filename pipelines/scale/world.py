"""The synthetic world, one day at a time: every account's figures and fetch outcome, vectorised over accounts.

Same model as the sandbox's series (its constants are reused): followers follow a growth curve
F0 * (1 + g)^(t/365) with Poisson follows and unfollows, sizes lognormal by unit level and platform (and
smaller for a unit's secondary accounts); posts are Poisson with weekday seasonality and campaign days; reach
follows followers and recent posting; views, likes, comments, shares and saves follow reach. Lifetime counters
are running sums of the daily figures. Unlike the sandbox, which holds every day in memory, the state here is
one vector per quantity, so memory is O(accounts) whatever the history.

Fetch outcomes of API accounts mix what production sees: transient failures that outlived the retries
(and whole-platform outage days), tokens that expire and stay expired for days (per-account-token platforms),
suspensions, deleted accounts, accounts never connected, and YouTube quota days.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pipelines.sandbox.series import CHURN, EMA_KEEP, ENG_WEEKDAY, LEVEL, PLATFORM, POST_WEEKDAY

PER_ACCOUNT_TOKEN = ("instagram", "facebook", "tiktok")
NATIONAL_CAMPAIGN_DAYS = {
    (8, 17): 2.0,
    (8, 16): 1.4,
    (10, 28): 1.3,
    (11, 10): 1.3,
    (10, 1): 1.2,
    (4, 21): 1.2,
}
PROVINCE_CAMPAIGN_RATE = 0.01  # province-days with a regional campaign
SECONDARY_SIZE = 0.25  # a unit's second, third... account on a platform is smaller than its main one


@dataclass(frozen=True)
class Day:
    """One day of every account (arrays in registry order) and each API account's fetch outcome."""

    date: dt.date
    active: np.ndarray  # bool
    status: np.ndarray  # object: fetch status of API accounts ("" for manual or inactive)
    values: dict[str, np.ndarray]  # int64 per quantity (daily and lifetime)


class World:
    """Steps every account through the days from `start`; deterministic for (registry, start, seed)."""

    def __init__(self, accounts: list[dict], unit_levels: dict[str, str], start: dt.date, seed: int = 42):
        self.accounts, self.start, self.seed = accounts, start, seed
        n = self.n = len(accounts)
        rng = np.random.default_rng([seed, 1])
        platform = np.array([a["platform"] for a in accounts])
        level = [unit_levels[a["unit_code"]] for a in accounts]
        self.platform = platform
        self.is_api = np.array([a["collection_method"] == "api" for a in accounts])
        self.active_from = np.array([dt.date.fromisoformat(a["active_from"]).toordinal() for a in accounts])
        self.active_to = np.array(
            [dt.date.fromisoformat(a["active_to"]).toordinal() if a["active_to"] else 10**7 for a in accounts]
        )
        provinces = sorted({a["unit_code"][:5] for a in accounts})
        self.province = np.array([provinces.index(a["unit_code"][:5]) for a in accounts])
        self.n_provinces = len(provinces)
        seen: set[tuple[str, str]] = set()
        secondary = np.zeros(n, bool)
        for i, a in enumerate(accounts):
            key = (a["unit_code"], a["platform"])
            secondary[i] = key in seen
            seen.add(key)

        def per_platform(key):
            return np.array([PLATFORM[p][key] for p in platform])

        median = np.array([LEVEL[lv][0] for lv in level], float)
        sigma = np.array([LEVEL[lv][1] for lv in level])
        opened_later = self.active_from > start.toordinal()
        f0 = (
            median
            * per_platform("size")
            * rng.lognormal(0, 1, n) ** sigma
            * np.where(secondary, SECONDARY_SIZE, 1)
        )
        self.f0 = np.where(opened_later, rng.lognormal(np.log(150), 0.8, n), f0)
        growth = np.where(
            platform == "x", rng.normal(0.02, 0.08, n), per_platform("growth") * rng.lognormal(0, 0.5, n)
        )
        self.r = np.log1p(np.where(opened_later, 3.0, np.clip(growth, -0.2, 4.0))) / 365
        self.post_rate = (
            np.array([LEVEL[lv][2] for lv in level]) * per_platform("posts") * rng.lognormal(0, 0.45, n)
        )
        self.reach_rate = per_platform("reach") * rng.lognormal(0, 0.35, n)
        self.view_mult = np.maximum(1.0, per_platform("views") * rng.uniform(0.85, 1.15, n))
        self.like_rate = per_platform("like") * rng.lognormal(0, 0.3, n)
        self.ratios = {k: 0.05 * rng.lognormal(0, 0.3, n) for k in ("comments", "shares", "saves")}
        self.base_activity = per_platform("base")
        self.listed_ratio = rng.uniform(0.5, 1.5, n) / 1500
        self.hidden = (platform == "youtube") & (rng.random(n) < 0.03)
        # Fetch-failure profile: never connected, and (drawn per day) expiries, suspensions, deletions.
        self.per_token = np.isin(platform, PER_ACCOUNT_TOKEN)
        self.never_connected = self.is_api & self.per_token & (rng.random(n) < 0.01)
        self.token_down_until = np.full(n, -1)
        self.suspended_until = np.full(n, -1)
        self.deleted = np.zeros(n, bool)
        self.days_seen = 0
        f_start = np.round(self.f0)
        self.state = {
            "followers": f_start,
            "following": np.round(rng.lognormal(np.log(200), 0.8, n)),
            "posts_total": np.round(self.post_rate * rng.uniform(400, 1500, n)),
            "views_lifetime": np.round(f_start * rng.uniform(40, 200, n)),
            "likes_lifetime": np.round(f_start * rng.uniform(5, 30, n)),
            "listed": np.round(f_start * self.listed_ratio),
            "liked": np.round(rng.lognormal(np.log(1500), 0.8, n)),
        }
        self.ema = np.zeros(n)

    def _campaign(self, day: dt.date, rng) -> np.ndarray:
        national = NATIONAL_CAMPAIGN_DAYS.get((day.month, day.day), 1.0)
        regional = np.where(rng.random(self.n_provinces) < PROVINCE_CAMPAIGN_RATE, 1.6, 1.0)
        return national * regional[self.province]

    def step(self, day: dt.date) -> Day:
        """Advance one day (call for consecutive days from `start`)."""
        d = day.toordinal()
        rng = np.random.default_rng([self.seed, d])
        n = self.n
        active = (self.active_from <= d) & (d <= self.active_to)
        t = np.clip(d - np.maximum(self.active_from, self.start.toordinal()), 0, None)
        f_det = self.f0 * np.exp(self.r * t)
        camp = self._campaign(day, rng)
        weekday = day.weekday()
        posts = rng.poisson(self.post_rate * POST_WEEKDAY[weekday] * camp * active)
        self.ema = EMA_KEEP * self.ema + posts
        eng = ENG_WEEKDAY[weekday] * (1 + 0.6 * (camp - 1))
        noise = rng.lognormal(0, 0.25, n)
        reach = np.round(
            f_det * self.reach_rate * (self.base_activity + self.ema) ** 0.8 * eng * noise * active
        )
        views = np.maximum(reach, np.round(reach * self.view_mult * rng.lognormal(0, 0.08, n)))
        likes = rng.poisson(reach * self.like_rate)
        extra = {k: rng.poisson(likes * ratio) for k, ratio in self.ratios.items()}
        interactions = likes + extra["comments"] + extra["shares"] + extra["saves"]
        follows = rng.poisson(
            f_det * np.maximum(self.r + CHURN, CHURN / 4) * eng * rng.lognormal(0, 0.3, n) * active
        )
        unfollows = np.minimum(rng.poisson(f_det * CHURN * active), self.state["followers"] + follows)
        u = rng.random(n)
        s = self.state
        s["followers"] = s["followers"] + follows - unfollows
        s["following"] = np.maximum(0, s["following"] + active * ((u < 0.06).astype(int) - (u > 0.97)))
        s["posts_total"] = s["posts_total"] + posts
        s["views_lifetime"] = s["views_lifetime"] + views
        s["likes_lifetime"] = s["likes_lifetime"] + likes
        s["listed"] = s["listed"] + active * np.floor(f_det * self.listed_ratio * 0.01 + rng.random(n))
        s["liked"] = s["liked"] + active * np.floor(0.3 + 0.4 * posts + rng.random(n))
        values = {
            "new_posts": posts,
            "reach": reach,
            "views": views,
            "likes": likes,
            **extra,
            "interactions": interactions,
            "accounts_engaged": np.round(interactions * rng.uniform(0.72, 0.9, n)),
            "follows": follows,
            "unfollows": unfollows,
            **s,
        }
        status = self._outcomes(day, rng, active)
        self.days_seen += 1
        return Day(day, active, status, {k: np.asarray(v, np.int64) for k, v in values.items()})

    def _outcomes(self, day: dt.date, rng, active: np.ndarray) -> np.ndarray:
        d, n = day.toordinal(), self.n
        expiring = self.per_token & (self.token_down_until < d) & (rng.random(n) < 1 / 500)
        self.token_down_until = np.where(expiring, d + rng.geometric(0.12, n), self.token_down_until)
        suspending = (self.suspended_until < d) & (rng.random(n) < 1 / 20_000)
        self.suspended_until = np.where(suspending, d + rng.integers(5, 60, n), self.suspended_until)
        self.deleted |= rng.random(n) < 1 / 200_000
        transient = rng.random(n) < 0.003
        for platform in PLATFORM:  # an outage day: a third of the platform's requests fail
            if rng.random() < 0.004:
                transient |= (self.platform == platform) & (rng.random(n) < 0.33)
        status = np.full(n, "ok", dtype=object)
        status[transient] = "failed"
        if rng.random() < 0.01:  # YouTube quota ran out part-way through the day's batches
            youtube = np.flatnonzero(self.platform == "youtube")
            status[youtube[int(len(youtube) * rng.uniform(0.6, 0.95)) :]] = "quota_exceeded"
        status[self.token_down_until >= d] = "auth_failed"
        status[self.suspended_until >= d] = "suspended"
        status[self.deleted] = "not_found"
        status[self.never_connected] = "missing_token"
        status[~(active & self.is_api)] = ""
        return status
