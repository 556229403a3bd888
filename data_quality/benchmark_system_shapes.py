"""The injection benchmark's system-wide shapes: movements shared by every account of a scope (the nation, a
platform, a province) and platform-wide faults. None of them is an account anomaly: a detector must report
each once as a system event and raise no per-account flag for it; an outage's account-days stay missing reports.

`apply(frames, stats, start, rng)` returns (end date, scope, scope_code, params).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_quality import benchmark_ops as ops
from data_quality.benchmark_lakeframes import API_SOURCES, SOURCES, fields, metric_fields

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class SystemShape:
    name: str
    apply: Callable
    max_days: int
    held_back_only: bool = False  # never used while tuning


def _ramped(start: dt.date, n: int, factor: float, ramp: int) -> dict[dt.date, float]:
    """`factor` on n days from `start`, reached over `ramp` days at either end (a season sets in gradually)."""
    out = {}
    for k in range(n):
        edge = min(k + 1, n - k, ramp + 1) / (ramp + 1)
        out[start + k * DAY] = 1 + (factor - 1) * edge
    return out


# An audience follows the posts actually made: when a shape changes posting, each account-day's audience moves
# by the ratio of its recent posting after / before to this power (a generic elasticity, not the sandbox's),
# on top of the shape's own audience factor. Without it, thinned posts would leave their audience behind.
AUDIENCE_POSTING_ELASTICITY = 0.5


def _posts_per_row(frame, source) -> np.ndarray:
    flows = fields(source, "new_posts")
    if flows:
        return frame[flows[0]].to_numpy(dtype="float64", na_value=np.nan)
    lifetime = fields(source, "posts_total")
    if lifetime:
        return frame.groupby("account_id")[lifetime[0]].diff().to_numpy(dtype="float64", na_value=np.nan)
    return np.full(len(frame), np.nan)


def _recent_posting(frame, posts: np.ndarray) -> np.ndarray:
    """Today's posts and half of yesterday's, plus a floor: what draws an audience today."""
    today = pd.Series(np.nan_to_num(posts), frame.index)
    yesterday = today.groupby(frame["account_id"]).shift(1).fillna(0)
    return 0.5 + today.to_numpy() + 0.5 * yesterday.to_numpy()


def _scale_columns(frame, flows, lifetimes, f, rng) -> None:
    for column in flows:
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        frame[column] = _int(ops._random_round(values * f, rng))
    for column in lifetimes:
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        deltas = frame.groupby("account_id")[column].diff().to_numpy(dtype="float64", na_value=np.nan)
        change = np.where(np.isnan(deltas) | (f == 1.0), 0.0, ops._random_round(deltas * f, rng) - deltas)
        frame[column] = _int(values + pd.Series(change, frame.index).groupby(frame["account_id"]).cumsum())


def scale_scope(frames, accounts: set[str] | None, posts: dict, audience: dict, rng) -> None:
    """Posting and audience of every account in `accounts` (None: all) move by the day's factors; each
    account-day's audience also follows its own posting change (AUDIENCE_POSTING_ELASTICITY)."""
    first = min([*posts, *audience])
    for source in SOURCES:
        frame = frames.days[source]
        if not len(frame):
            continue
        frame = frame.sort_values(["account_id", "metric_date"])
        scope = frame["account_id"].isin(accounts) if accounts is not None else pd.Series(True, frame.index)
        dates = frame["metric_date"].to_numpy()
        periods = (
            frame["reporting_period_days"].fillna(1).to_numpy(dtype=int)
            if "reporting_period_days" in frame
            else np.ones(len(frame), dtype=int)
        )

        def factor(day_factors, dates=dates, periods=periods, scope=scope):
            return np.where(scope, ops.factor_per_row(dates, periods, day_factors), 1.0)

        before = _recent_posting(frame, _posts_per_row(frame, source))
        _scale_columns(frame, fields(source, "new_posts"), fields(source, "posts_total"), factor(posts), rng)
        after = _recent_posting(frame, _posts_per_row(frame, source))
        follow = np.where(scope, (after / before) ** AUDIENCE_POSTING_ELASTICITY, 1.0)
        _scale_columns(
            frame,
            fields(source, "engagement", "views"),
            fields(source, "views_lifetime", "likes_lifetime"),
            factor(audience) * follow,
            rng,
        )
        frames.days[source] = frame
        # Lifetime counters keep the difference: every later partition changes too.
        frames.touch(source, "account_daily", {d for d in set(dates) if d >= first})


def _int(values) -> pd.arrays.IntegerArray:
    values = np.asarray(values, dtype="float64")
    return pd.array(np.where(np.isnan(values), None, np.round(values)), dtype="Int64")


def seasonal_shift(frames, stats, start, rng):
    """A national season (Ramadan, elections, year-end): everyone posts less and is seen less for weeks."""
    n = int(rng.integers(14, 29))
    post, aud = float(rng.uniform(0.35, 0.7)), float(rng.uniform(0.55, 0.85))
    scale_scope(frames, None, _ramped(start, n, post, 3), _ramped(start, n, aud, 3), rng)
    return (
        start + (n - 1) * DAY,
        "national",
        "ID",
        {"days": n, "posts_factor": round(post, 2), "audience_factor": round(aud, 2)},
    )


def campaign_surge(frames, stats, start, rng):
    """A campaign day or two lifting every account of the nation or of one province."""
    n = int(rng.integers(1, 3))
    post, aud = float(rng.uniform(1.5, 2.5)), float(rng.uniform(1.5, 2.5))
    scope, code, accounts = _national_or_province(stats, rng)
    scale_scope(frames, accounts, _ramped(start, n, post, 0), _ramped(start, n, aud, 0), rng)
    return (
        start + (n - 1) * DAY,
        scope,
        code,
        {"days": n, "posts_factor": round(post, 2), "audience_factor": round(aud, 2)},
    )


def province_disruption(frames, stats, start, rng):
    """A province-wide disruption (floods, a blackout): its accounts post far less for a week or so."""
    n = int(rng.integers(5, 11))
    post, aud = float(rng.uniform(0.1, 0.4)), float(rng.uniform(0.4, 0.7))
    code = _province(stats, rng)
    accounts = {s.account_id for s in stats.values() if s.province_code == code}
    scale_scope(frames, accounts, _ramped(start, n, post, 0), _ramped(start, n, aud, 0), rng)
    return (
        start + (n - 1) * DAY,
        "province",
        code,
        {"days": n, "posts_factor": round(post, 2), "audience_factor": round(aud, 2)},
    )


def platform_outage(frames, stats, start, rng):
    """One platform down for a day or two: no figures, every attempt failed with HTTP 503."""
    platform = str(rng.choice(API_SOURCES))
    n = int(rng.integers(1, 3))
    days = {start + k * DAY for k in range(n)}
    accounts = {s.account_id for s in stats.values() if s.source == platform}
    status = {
        "status": "failed",
        "error_code": "503",
        "error_message": "Service Unavailable",
        "http_status": 503,
    }
    dropped = ops.drop_days(frames, platform, accounts, days, status)
    return start + (n - 1) * DAY, "platform", platform, {"days": n, "account_days": dropped}


def platform_duplicated_load(frames, stats, start, rng):
    """A platform's whole day loaded twice and summed: every value of every account doubled."""
    platform = str(rng.choice(API_SOURCES))
    frame = frames.days[platform]
    hit = frame["metric_date"] == start
    for column in metric_fields(platform):
        values = frame.loc[hit, column].to_numpy(dtype="float64", na_value=np.nan) * 2
        frame.loc[hit, column] = _int(values)
    frames.touch(platform, "account_daily", {start})
    return start, "platform", platform, {"factor": 2.0}


def platform_level_shift(frames, stats, start, rng):
    """A platform redefines a metric (as Instagram replaced impressions by views): views fall for good."""
    platform = str(rng.choice(["instagram", "facebook"]))
    factor = float(rng.uniform(0.5, 0.7))
    last = frames.last_date
    accounts = {s.account_id for s in stats.values() if s.source == platform}
    audience = {start + k * DAY: factor for k in range((last - start).days + 1)}
    frame = frames.days[platform]
    hit = frame["account_id"].isin(accounts) & (frame["metric_date"] >= start)
    for column in fields(platform, "views")[:1]:  # views, not reach
        values = frame.loc[hit, column].to_numpy(dtype="float64", na_value=np.nan) * factor
        frame.loc[hit, column] = _int(np.round(values))
    frames.touch(platform, "account_daily", set(audience))
    return last, "platform", platform, {"views_factor": round(factor, 2)}


def _province(stats, rng) -> str:
    provinces = sorted({s.province_code for s in stats.values() if s.province_code})
    return provinces[int(rng.integers(len(provinces)))]


def _national_or_province(stats, rng):
    if rng.random() < 0.35:
        return "national", "ID", None
    code = _province(stats, rng)
    return "province", code, {s.account_id for s in stats.values() if s.province_code == code}


SYSTEM_SHAPES = {
    s.name: s
    for s in [
        SystemShape("seasonal_shift", seasonal_shift, 28),
        SystemShape("campaign_surge", campaign_surge, 2),
        SystemShape("platform_outage", platform_outage, 2),
        SystemShape("province_disruption", province_disruption, 10, held_back_only=True),
        SystemShape("platform_duplicated_load", platform_duplicated_load, 1, held_back_only=True),
        SystemShape("platform_level_shift", platform_level_shift, 1, held_back_only=True),
    ]
}
