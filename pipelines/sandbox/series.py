"""The simulation: every account's daily series from the epoch (2025-01-01) through today, with numpy.

Random draws come in fixed blocks of 32 days, each block from its own generator keyed by (seed, stream,
block), and the last block is always drawn whole: so the value of a past day never depends on which day
"today" is. Scenarios change an account's series too; their dates count back from the world's anchor
(the day the sandbox started), which a midnight rollover keeps: a running sandbox never changes a past day.
A sandbox *restarted* on another day re-anchors, so scenario accounts get other dates (and values).

Model (per account): followers follow a growth curve F0 * (1 + g)^(t/365) (sizes lognormal by unit level:
national >> province >> regency, and by platform) with Poisson follows and unfollows around it; posts per day
are Poisson with weekday seasonality and campaign days; reach follows followers and recent posting
(an exponentially decaying post count), views/likes/comments/shares/saves follow reach.
Lifetime counters are the running sums of the daily figures, so they agree with them by construction.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from pipelines.sandbox.campaigns import Calendar

BLOCK = 32
# size: followers multiplier; growth: yearly; posts: posts/day multiplier; reach: reach per follower per unit
# of activity; views: views per reach; like: likes per reach; base: activity without recent posts.
PLATFORM = {
    "instagram": dict(size=1.0, growth=0.30, posts=1.0, reach=0.06, views=1.8, like=0.05, base=0.10),
    "facebook": dict(size=1.3, growth=0.10, posts=1.1, reach=0.04, views=1.6, like=0.03, base=0.10),
    "youtube": dict(size=0.15, growth=0.25, posts=0.12, reach=0.10, views=1.0, like=0.04, base=0.80),
    "x": dict(size=0.5, growth=0.02, posts=1.6, reach=0.05, views=2.0, like=0.02, base=0.10),
    "tiktok": dict(size=0.7, growth=0.60, posts=0.45, reach=0.25, views=1.3, like=0.06, base=0.10),
}
# unit level -> (median followers, lognormal sigma, posts per day)
LEVEL = {"national": (600_000, 0.3, 2.5), "province": (40_000, 0.5, 1.4), "regency": (4_000, 0.7, 0.8)}
POST_WEEKDAY = np.array([1.10, 1.15, 1.12, 1.10, 0.95, 0.45, 0.35])  # Monday..Sunday
ENG_WEEKDAY = np.array([1.05, 1.06, 1.04, 1.02, 0.97, 0.86, 0.82])
CHURN = 0.0004  # daily unfollow share
EMA_KEEP = 0.45  # share of yesterday's post activity that carries over

DAILY = ("follows", "unfollows", "new_posts", "views", "reach", "likes", "comments", "shares", "saves")
DAILY += ("accounts_engaged",)
LIFETIME = ("followers", "following", "posts_total", "lifetime_views", "lifetime_likes", "listed", "liked")


@dataclass
class Series:
    start: np.ndarray  # (n_acc,) index of each account's first active day (0 = epoch)
    arrays: dict[str, np.ndarray]  # DAILY and, after accumulate(), LIFETIME: (n_days, n_acc), day-major
    base: dict[str, np.ndarray]  # lifetime counters just before the first day
    deltas: dict[str, np.ndarray] = field(default_factory=dict)  # daily changes of following/listed/liked
    hidden: np.ndarray | None = None  # YouTube channels hiding their subscriber count

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def _params(accounts, levels, new_account, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([seed, 11])
    n = len(accounts)
    p = {k: np.array([PLATFORM[a.platform][k] for a in accounts]) for k in PLATFORM["instagram"]}
    median = np.array([LEVEL[lv][0] for lv in levels], dtype=float)
    sigma = np.array([LEVEL[lv][1] for lv in levels])
    level_posts = np.array([LEVEL[lv][2] for lv in levels])
    is_x = np.array([a.platform == "x" for a in accounts])
    out = {
        "f0": median * p["size"] * rng.lognormal(0, 1, n) ** sigma,
        "growth": np.where(is_x, rng.normal(0.02, 0.08, n), p["growth"] * rng.lognormal(0, 0.5, n)),
        "post_rate": level_posts * p["posts"] * rng.lognormal(0, 0.45, n),
        "reach_rate": p["reach"] * rng.lognormal(0, 0.35, n),
        "view_mult": np.maximum(1.0, p["views"] * rng.uniform(0.85, 1.15, n)),
        "like_rate": p["like"] * rng.lognormal(0, 0.3, n),
        "comment_ratio": 0.05 * rng.lognormal(0, 0.3, n),
        "share_ratio": 0.08 * rng.lognormal(0, 0.3, n),
        "save_ratio": 0.06 * rng.lognormal(0, 0.3, n),
        "base_activity": p["base"],
        "following0": np.round(rng.lognormal(np.log(200), 0.8, n)),
        "posts_days": rng.uniform(400, 1500, n),
        "listed_ratio": rng.uniform(0.5, 1.5, n) / 1500,
        "liked0": np.round(rng.lognormal(np.log(1500), 0.8, n)),
        "views_per_f": rng.uniform(40, 200, n),
        "likes_per_f": rng.uniform(5, 30, n),
        "hidden_u": rng.uniform(0, 1, n),
        "new_f0": rng.lognormal(np.log(150), 0.8, n),
    }
    # Accounts opened within the simulated history start small and grow fast.
    out["f0"] = np.where(new_account, out["new_f0"], out["f0"])
    out["growth"] = np.where(new_account, 3.0, np.clip(out["growth"], -0.2, 4.0))
    return out


def _blocks(seed: int, stream: int, n_acc: int, n_pad: int, fn) -> np.ndarray:
    out = np.empty((n_pad, n_acc))  # day-major: a block is a contiguous run of rows
    for b in range(n_pad // BLOCK):
        sl = slice(b * BLOCK, (b + 1) * BLOCK)
        out[sl] = fn(np.random.default_rng([seed, 100 + stream, b]), sl)
    return out


def simulate(
    accounts,
    levels,
    province_rows,
    calendar: Calendar,
    epoch: dt.date,
    n_days: int,
    seed: int,
    hidden_rate: float,
) -> Series:
    """Daily series for `accounts` (registry order); `levels`/`province_rows` give each one's unit level and
    its row in the calendar's province factors. `calendar` must cover whole blocks past `n_days`."""
    n_acc, n_pad = len(accounts), -(-n_days // BLOCK) * BLOCK
    start = np.array([max(0, (a.active_from - epoch).days) for a in accounts])
    prm = _params(accounts, levels, start > 0, seed)
    prm = {k: v[None, :] for k, v in prm.items()}  # broadcast over days (rows)
    t = np.arange(n_pad)[:, None] - start[None, :]
    alive = t >= 0
    r = np.log1p(prm["growth"]) / 365
    f_det = prm["f0"] * np.exp(r * np.clip(t, 0, None))
    weekday = (epoch.weekday() + np.arange(n_pad)) % 7
    rows = np.asarray(province_rows)
    camp_post = calendar.national_post[:n_pad, None] * calendar.province_post[rows, :n_pad].T
    camp_eng = calendar.national_eng[:n_pad, None] * calendar.province_eng[rows, :n_pad].T
    eng_season = ENG_WEEKDAY[weekday][:, None] * camp_eng
    shape = (BLOCK, n_acc)

    def draw(stream, fn):
        return _blocks(seed, stream, n_acc, n_pad, fn)

    def uniform(stream, low=0.0, high=1.0):
        return draw(stream, lambda g, s: g.uniform(low, high, shape))

    lam_posts = prm["post_rate"] * POST_WEEKDAY[weekday][:, None] * camp_post * alive
    posts = draw(1, lambda g, s: g.poisson(lam_posts[s]))
    ema = np.empty_like(posts)  # recent posting activity: a loop over days, vectorised over accounts
    carry = np.zeros(n_acc)
    for d in range(n_pad):
        carry = EMA_KEEP * carry + posts[d]
        ema[d] = carry
    activity = prm["base_activity"] + ema
    noise = draw(2, lambda g, s: g.lognormal(0, 0.25, shape))
    reach = np.round(f_det * prm["reach_rate"] * activity**0.8 * eng_season * noise * alive)
    vnoise = draw(3, lambda g, s: g.lognormal(0, 0.08, shape))
    views = np.maximum(reach, np.round(reach * prm["view_mult"] * vnoise))
    likes = draw(4, lambda g, s: g.poisson(reach[s] * prm["like_rate"]))
    comments = draw(5, lambda g, s: g.poisson(likes[s] * prm["comment_ratio"]))
    shares = draw(6, lambda g, s: g.poisson(likes[s] * prm["share_ratio"]))
    saves = draw(7, lambda g, s: g.poisson(likes[s] * prm["save_ratio"]))
    # Accounts engaged: most interactions come from distinct accounts (a share, not a binomial: faster).
    engaged = np.round((likes + comments + shares + saves) * uniform(8, 0.72, 0.9))
    follow_rate = np.maximum(r + CHURN, CHURN * 0.25)
    fnoise = draw(9, lambda g, s: g.lognormal(0, 0.3, shape))
    lam_follows = f_det * follow_rate * ENG_WEEKDAY[weekday][:, None] * (1 + 0.6 * (camp_eng - 1)) * fnoise
    follows = draw(10, lambda g, s: g.poisson(lam_follows[s] * alive[s]))
    unfollows = draw(11, lambda g, s: g.poisson(f_det[s] * CHURN * alive[s]))
    # Small slow counters: randomised rounding of their expected change (cheaper than Poisson draws).
    u = uniform(12)
    d_following = (u < 0.06).astype(np.int32) - (u > 0.97)
    d_listed = np.floor(f_det * prm["listed_ratio"] * 0.01 + uniform(13))
    d_liked = np.floor(0.3 + 0.4 * posts + uniform(14))

    def keep(values):
        return np.ascontiguousarray(values[:n_days] * alive[:n_days], dtype=np.int32)

    daily = dict(
        follows=follows,
        unfollows=unfollows,
        new_posts=posts,
        views=views,
        reach=reach,
        likes=likes,
        comments=comments,
        shares=shares,
        saves=saves,
        accounts_engaged=engaged,
    )
    deltas = {"following": d_following, "listed": d_listed, "liked": d_liked}
    established = start == 0
    f0 = np.round(prm["f0"][0])
    p0 = {k: v[0] for k, v in prm.items()}
    # An account opened within the history starts from nothing: its first followers arrive as follows on
    # its first day, so every lifetime counter stays the running sum of its daily changes.
    opened = np.flatnonzero(~established & (start < n_pad))
    follows[start[opened], opened] += f0[opened]
    d_following[start[opened], opened] += 20
    base = {
        "followers": np.where(established, f0, 0),
        "following": np.where(established, p0["following0"], 0),
        "posts_total": np.where(established, np.round(p0["post_rate"] * p0["posts_days"]), 0),
        "lifetime_views": np.where(established, np.round(f0 * p0["views_per_f"]), 0),
        "lifetime_likes": np.where(established, np.round(f0 * p0["likes_per_f"]), 0),
        "listed": np.where(established, np.round(f0 * p0["listed_ratio"]), 0),
        "liked": np.where(established, p0["liked0"], 0),
    }
    hidden = np.array([a.platform == "youtube" for a in accounts]) & (p0["hidden_u"] < hidden_rate)
    return Series(
        start=start,
        arrays={k: keep(v) for k, v in daily.items()},
        base={k: v.astype(np.int64) for k, v in base.items()},
        deltas={k: keep(v) for k, v in deltas.items()},
        hidden=hidden,
    )


SOURCES = {  # lifetime counter <- the daily change it accumulates
    "followers": ("follows", "unfollows"),
    "posts_total": ("new_posts", None),
    "lifetime_views": ("views", None),
    "lifetime_likes": ("likes", None),
}


def accumulate(series: Series) -> None:
    """Lifetime counters = value before the first day + running sum of the daily changes (0 before start)."""
    n_days = series.arrays["new_posts"].shape[0]
    alive = np.arange(n_days)[:, None] >= series.start[None, :]
    changes = {name: (series.arrays[a], series.arrays[b] if b else None) for name, (a, b) in SOURCES.items()}
    changes.update({name: (d, None) for name, d in series.deltas.items()})
    for name, (plus, minus) in changes.items():
        delta = plus.astype(np.int64) if minus is None else plus.astype(np.int64) - minus
        running = series.base[name][None, :] + np.cumsum(delta, axis=0)
        dtype = np.int64 if name.startswith("lifetime_") else np.int32
        series.arrays[name] = np.where(alive, np.maximum(running, 0), 0).astype(dtype)
    series.deltas = {}
