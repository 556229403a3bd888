"""The injection benchmark's account-level shapes: what each does to an account's series, which accounts can
carry it, and the parameter ranges its size and duration are drawn from.

A shape's `apply(frames, account, start, rng)` changes the account in a LakeFrames and returns
(end date, anomalous days, params). `accepted` is the anomaly_type(s) a detector must report for it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from data_quality import benchmark_ops as ops
from data_quality.benchmark_lakeframes import fields, metric_fields

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class AccountStats:
    account_id: str
    source: str  # platform, or "manual"
    platform: str
    unit_code: str
    province_code: str | None
    followers: float  # median over the window (nan when hidden/absent)
    posts_total: float
    posts_per_day: float
    posting_day_share: float
    engagement_per_day: float
    views_per_day: float
    lifetime_audience: float  # YouTube views / TikTok likes, median


@dataclass(frozen=True)
class AccountShape:
    name: str
    accepted: tuple[str, ...]
    eligible: Callable[[AccountStats], bool]
    apply: Callable  # (frames, stats, start, rng) -> (end, truth_days, params)
    max_days: int  # longest duration (start is drawn so the shape fits in the window)


def _days(start: dt.date, n: int) -> list[dt.date]:
    return [start + k * DAY for k in range(n)]


def _is_manual(s: AccountStats) -> bool:
    return s.source == "manual"


def _weekly(frames, s: AccountStats) -> bool:
    """Reports one row a week (a manual account's weekly report) rather than one a day."""
    rows = frames.account_rows(s.source, s.account_id)
    return "reporting_period_days" in rows and bool((rows["reporting_period_days"].fillna(1) > 1).any())


def _spike_factors(start, rng) -> tuple[dict, int, float]:
    k = float(rng.uniform(3.0, 10.0))
    n = 1 if rng.random() < 0.7 else 2
    factors = {start: k} if n == 1 else {start: k, start + DAY: 1 + (k - 1) / 2}
    return factors, n, k


def engagement_spike(frames, s: AccountStats, start, rng):
    factors, n, k = _spike_factors(start, rng)
    if _weekly(frames, s):
        factors, n = {start - k_ * DAY: factors[start] for k_ in range(7)}, 1  # the week's whole report
    ops.scale_flows(frames, s.source, s.account_id, fields(s.source, "engagement"), factors, rng)
    ops.scale_lifetime(frames, s.source, s.account_id, fields(s.source, "likes_lifetime"), factors, rng)
    return start + (n - 1) * DAY, _days(start, n), {"factor": round(k, 2), "days": n}


def views_spike(frames, s: AccountStats, start, rng):
    factors, n, k = _spike_factors(start, rng)
    if _weekly(frames, s):
        factors, n = {start - k_ * DAY: factors[start] for k_ in range(7)}, 1
    ops.scale_flows(frames, s.source, s.account_id, fields(s.source, "views"), factors, rng)
    ops.scale_lifetime(frames, s.source, s.account_id, fields(s.source, "views_lifetime"), factors, rng)
    return start + (n - 1) * DAY, _days(start, n), {"factor": round(k, 2), "days": n}


def follower_step(frames, s: AccountStats, start, rng):
    up = rng.random() < 0.6
    size = float(rng.uniform(0.08, 0.5) if up else -rng.uniform(0.08, 0.35))
    last = frames.last_date
    factors = {d: 1 + size for d in _days(start, (last - start).days + 1)}
    ops.scale_counters(frames, s.source, s.account_id, fields(s.source, "followers"), factors)
    return start, [start], {"change": round(size, 3), "accepted": "follower_jump" if up else "follower_drop"}


def follower_ramp(frames, s: AccountStats, start, rng):
    n = int(rng.integers(3, 8))
    size = float(rng.uniform(0.12, 0.45))
    last = frames.last_date
    factors = {
        d: 1 + size * min(1.0, (k + 1) / n) for k, d in enumerate(_days(start, (last - start).days + 1))
    }
    ops.scale_counters(frames, s.source, s.account_id, fields(s.source, "followers"), factors)
    return start + (n - 1) * DAY, _days(start, n), {"change": round(size, 3), "days": n}


def glitch(frames, s: AccountStats, start, rng):
    roles = ["followers"] * 5 + ["posts_total"] * 3 + ["views_lifetime", "likes_lifetime"] * 1
    roles = [r for r in roles if fields(s.source, r)]
    role = roles[int(rng.integers(len(roles)))]
    mode = rng.choice(["zero", "zero", "zero", "times10", "tenth"])
    n = 1 if _weekly(frames, s) else int(rng.choice([1, 1, 1, 2, 3]))
    days = _days(start, n)
    value_of = {"zero": lambda v: 0 * v, "times10": lambda v: 10 * v, "tenth": lambda v: np.floor(v / 10)}[
        mode
    ]
    ops.set_values(frames, s.source, s.account_id, fields(s.source, role), days, value_of)
    return days[-1], days, {"field": role, "mode": str(mode), "days": n}


def duplicated_load(frames, s: AccountStats, start, rng):
    factor = float(rng.choice([2.0, 2.0, 3.0]))
    ops.scale_counters(frames, s.source, s.account_id, metric_fields(s.source), {start: factor})
    return start, [start], {"factor": factor}


def counter_decrease(frames, s: AccountStats, start, rng):
    views = fields(s.source, "views_lifetime")
    if views and rng.random() < 0.3:  # YouTube removing invalid views
        column, share = views[0], float(rng.uniform(0.01, 0.05))
    else:
        column, share = fields(s.source, "posts_total")[0], float(rng.uniform(0.03, 0.2))
    value = np.nanmedian(
        frames.account_rows(s.source, s.account_id)[column].to_numpy(dtype="float64", na_value=np.nan)
    )
    amount = -max(3.0, round(share * value))
    ops.add_from(frames, s.source, s.account_id, [column], start, {column: amount})
    return start, [start], {"field": column, "amount": amount}


def frozen(frames, s: AccountStats, start, rng):
    n = int(rng.integers(3, 11))
    days = _days(start, n)
    ops.freeze(frames, s.source, s.account_id, metric_fields(s.source), days)
    return days[-1], days, {"days": n}


def posting_silence(frames, s: AccountStats, start, rng):
    # A silence is measured in the account's own rhythm: 10 to 25 of its usual posts' worth of days (an
    # office posting weekly is not silent after ten days), at least 10 days and at most 30.
    n = int(np.clip(np.ceil(rng.uniform(10, 25) / max(s.posts_per_day, 1e-6)), 10, 30))
    floor = float(rng.uniform(0.25, 0.6))
    days = _days(start, n)
    stop = dict.fromkeys(days, 0.0)
    # The audience falls when posting stops (half-way to its floor every two days) and recovers likewise.
    fade = {d: floor + (1 - floor) * 0.5 ** ((k + 1) / 2) for k, d in enumerate(days)}
    fade.update({days[-1] + (k + 1) * DAY: 1 - (1 - floor) * 0.5 ** ((k + 1) / 2) for k in range(6)})
    ops.scale_flows(frames, s.source, s.account_id, fields(s.source, "new_posts"), stop)
    ops.scale_lifetime(frames, s.source, s.account_id, fields(s.source, "posts_total"), stop)
    ops.scale_flows(frames, s.source, s.account_id, fields(s.source, "engagement", "views"), fade, rng)
    ops.scale_lifetime(
        frames, s.source, s.account_id, fields(s.source, "views_lifetime", "likes_lifetime"), fade, rng
    )
    return days[-1], days, {"days": n, "audience_floor": round(floor, 2)}


def _api(s: AccountStats) -> bool:
    return not _is_manual(s)


def _has(s: AccountStats, *roles) -> bool:
    return any(fields(s.source, r) for r in roles)


ACCOUNT_SHAPES = {
    shape.name: shape
    for shape in [
        AccountShape(
            "engagement_spike",
            ("engagement_spike",),
            lambda s: _has(s, "engagement", "likes_lifetime") and s.engagement_per_day >= 15,
            engagement_spike,
            2,
        ),
        AccountShape(
            "views_spike",
            ("views_spike",),
            lambda s: _has(s, "views", "views_lifetime") and s.views_per_day >= 50,
            views_spike,
            2,
        ),
        AccountShape(
            "follower_step",
            ("follower_jump", "follower_drop"),
            lambda s: s.followers >= 500,
            follower_step,
            1,
        ),
        AccountShape(
            "follower_ramp", ("follower_jump",), lambda s: _api(s) and s.followers >= 1000, follower_ramp, 7
        ),
        AccountShape("glitch", ("value_glitch",), lambda s: s.followers >= 100, glitch, 3),
        AccountShape(
            "duplicated_load", ("duplicated_load",), lambda s: s.followers >= 100, duplicated_load, 1
        ),
        AccountShape(
            "counter_decrease",
            ("counter_decrease",),
            lambda s: _has(s, "posts_total") and s.posts_total >= 50,
            counter_decrease,
            1,
        ),
        AccountShape("frozen", ("frozen",), _api, frozen, 10),
        AccountShape(
            "posting_silence",
            ("posting_silence",),
            lambda s: _api(s) and s.posts_per_day >= 0.5 and s.posting_day_share >= 0.4,
            posting_silence,
            30,
        ),
    ]
}
