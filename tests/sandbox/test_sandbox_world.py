"""The simulation itself: determinism, stability across days, consistency and realism of the series."""

import datetime as dt
import json

import numpy as np
import pytest
from sandbox_calls import TODAY

from pipelines.sandbox import EPOCH, RateLimit, SandboxConfig, World
from pipelines.sandbox.world import round_subscribers


def test_same_seed_same_series_and_different_seed_differs(small_registry):
    config = SandboxConfig(today=TODAY.isoformat())
    a = World(seed=5, config=config, registry_dir=small_registry)
    b = World(seed=5, config=config, registry_dir=small_registry)
    c = World(seed=6, config=config, registry_dir=small_registry)
    for name in ("followers", "new_posts", "likes", "lifetime_views"):
        assert np.array_equal(a.series[name], b.series[name])
        assert not np.array_equal(a.series[name], c.series[name])
    assert a.account_tokens == b.account_tokens and a.account_tokens != c.account_tokens
    assert [s.account_id for s in a.scenarios] == [s.account_id for s in b.scenarios]


def test_a_past_day_keeps_its_values_when_today_moves_on(small_registry):
    earlier = World(seed=3, config=SandboxConfig.quiet(today="2026-03-10"), registry_dir=small_registry)
    later = World(seed=3, config=SandboxConfig.quiet(today="2026-07-30"), registry_dir=small_registry)
    n = earlier.n_days
    for name in ("followers", "posts_total", "views", "likes", "follows", "lifetime_likes"):
        assert np.array_equal(earlier.series[name], later.series[name][:n])


def test_lifetime_counters_are_running_sums_of_the_daily_series(quiet_sb):
    s = quiet_sb.world.series
    for lifetime, plus, minus in (
        ("posts_total", "new_posts", None),
        ("followers", "follows", "unfollows"),
        ("lifetime_views", "views", None),
        ("lifetime_likes", "likes", None),
    ):
        change = np.diff(s[lifetime].astype(np.int64), axis=0)
        daily = s[plus][1:].astype(np.int64) - (s[minus][1:] if minus else 0)
        assert np.array_equal(change, daily), lifetime


def test_expected_values_follow_the_series_and_platform_names(quiet_sb):
    from pipelines.lake import ACCOUNT_DAILY_FIELDS

    w = quiet_sb.world
    day = TODAY - dt.timedelta(days=4)
    for platform, fields in ACCOUNT_DAILY_FIELDS.items():
        account = next(a for a in w.accounts if a.platform == platform)
        values = w.expected_values(account.account_id, day)
        assert list(values) == [f.name for f in fields]
    ig = next(a for a in w.accounts if a.platform == "instagram")
    v = w.expected_values(ig.account_id, day)
    assert v["total_interactions"] == v["likes"] + v["comments"] + v["shares"] + v["saves"]
    prev = w.expected_values(ig.account_id, day - dt.timedelta(days=1))
    assert (
        v["media_count"] - prev["media_count"]
        == w.series["new_posts"][w.day_index(day), w.index_of[ig.account_id]]
    )


def test_unit_sizes_are_uneven_national_province_regency(quiet_sb):
    w = quiet_sb.world
    last = w.series["followers"][-1]
    by_level = {}
    for i, a in enumerate(w.accounts):
        if a.active_from == dt.date(2024, 1, 1):
            by_level.setdefault(w.units[a.unit_code].unit_level, []).append(last[i])
    medians = {level: float(np.median(v)) for level, v in by_level.items()}
    assert medians["national"] > 5 * medians["province"] > 25 * medians["regency"]


def test_weekends_have_fewer_posts_and_less_engagement(quiet_sb):
    w = quiet_sb.world
    weekday = (EPOCH.weekday() + np.arange(w.n_days)) % 7
    posts = w.series["new_posts"].sum(axis=1)
    reach = w.series["reach"].sum(axis=1)
    assert posts[weekday >= 5].mean() < 0.6 * posts[weekday < 5].mean()
    assert reach[weekday >= 5].mean() < reach[weekday < 5].mean()


def test_independence_day_lifts_every_account_and_province_campaigns_lift_a_province(quiet_sb):
    w = quiet_sb.world
    d17 = w.day_index(dt.date(2026, 8, 17))
    posts = w.series["new_posts"]
    week_before = posts[d17 - 7 : d17 - 1].mean(axis=0)
    assert posts[d17].sum() > 2 * week_before.sum()
    row = next(r for r in w.calendar.rows if r["scope"] == "province" and r["campaign_date"] < "2026-09-01")
    d = w.day_index(dt.date.fromisoformat(row["campaign_date"]))
    members = [i for i, p in enumerate(w.province_rows) if p == w.province_codes.index(row["region_code"])]
    others = [i for i, p in enumerate(w.province_rows) if p != w.province_codes.index(row["region_code"])]
    lift = w.series["reach"][d, members].sum() / w.series["reach"][d - 7, members].sum()
    other_lift = w.series["reach"][d, others].sum() / w.series["reach"][d - 7, others].sum()
    assert lift > 1.3 * other_lift


def test_engagement_relates_to_followers_and_posts(quiet_sb):
    s = quiet_sb.world.series
    d = quiet_sb.world.n_days - 30
    followers, reach = s["followers"][d].astype(float), s["reach"][d : d + 28].sum(axis=0).astype(float)
    assert np.corrcoef(np.log1p(followers), np.log1p(reach))[0, 1] > 0.8
    assert (s["views"] >= s["reach"]).all() and (s["likes"] <= s["reach"] + 5).mean() > 0.99


def test_youtube_subscribers_round_to_three_significant_digits():
    assert round_subscribers(999) == 999
    assert round_subscribers(123_456) == 123_000
    assert round_subscribers(1_987_654) == 1_980_000


def test_full_registry_builds():
    # Speed (~1.5-2 s on an idle 2-core machine): `python -m pipelines.benchmark_speeds`, not a timed assert.
    world = World(seed=11, config=SandboxConfig(today=TODAY.isoformat()))
    assert len(world.accounts) > 2000 and world.n_days == (TODAY - EPOCH).days + 1


def test_config_from_json_rejects_unknown_keys_and_bad_rates(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"preset": "quiet", "frozen_rate": 0.5, "x_limit": [10, 2]}))
    config = SandboxConfig.from_json(path)
    assert (
        config.frozen_rate == 0.5
        and config.stop_reporting_rate == 0.0
        and config.x_limit == RateLimit(10, 2.0)
    )
    with pytest.raises(ValueError, match="unknown"):
        SandboxConfig.from_dict({"frozen_ratio": 0.1})
    with pytest.raises(ValueError):
        SandboxConfig(throttle_rate=1.5)
