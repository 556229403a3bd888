"""The z-score baseline and the benchmark's matching rules."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_quality.baseline import baseline_flags, rolling_z
from data_quality.benchmark_scoring import Score, score_anomalies, score_missing

D0 = dt.date(2026, 1, 1)


def _days(n: int) -> list[dt.date]:
    return [D0 + dt.timedelta(days=k) for k in range(n)]


def test_rolling_z_includes_the_tested_day():
    values = pd.Series([10.0, 12.0] * 10)
    dates = pd.Series(pd.to_datetime(_days(20)))
    z = rolling_z(values, dates)
    assert z.iloc[:6].isna().all()  # fewer than 7 days
    window = values.iloc[6:20].to_numpy()  # the 14 days ending on day 19, day 19 included
    expected = (values.iloc[19] - window.mean()) / window.std(ddof=1)
    assert z.iloc[19] == pytest.approx(expected)


def test_rolling_z_is_undefined_for_a_flat_series():
    z = rolling_z(pd.Series([5.0] * 20), pd.Series(pd.to_datetime(_days(20))))
    assert z.isna().all()


def test_baseline_flags_by_sign_and_metric():
    rng = np.random.default_rng(1)
    n = 30
    frame = pd.DataFrame(
        {
            "account_id": "x:1",
            "metric_date": _days(n),
            "followers_count": 1000 + np.arange(n) + rng.integers(0, 3, n),
            "posts_total_count": 100 + np.arange(n),
            "engagements_count": 50 + rng.integers(-5, 5, n),
            "new_posts_count": 1 + rng.integers(0, 2, n),
        }
    )
    frame.loc[20, "followers_count"] += 500  # a jump on day 20 (and it stays)
    frame.loc[20:, "followers_count"] += 0
    frame.loc[25, "engagements_count"] = 5000  # a one-day spike
    flags = baseline_flags(frame)
    found = set(zip(flags["anomaly_type"], flags["metric_date"], strict=True))
    assert ("engagement_spike", D0 + dt.timedelta(days=25)) in found
    assert ("follower_jump", D0 + dt.timedelta(days=20)) in found
    assert all(abs(z) > 3 for z in flags["z"])
    assert not ((flags["anomaly_type"] == "posting_silence").any())


def test_matching_tolerates_one_day_for_steps_only():
    truth = pd.DataFrame(
        {
            "account_id": ["a", "b", "c", "c"],
            "metric_date": [D0, D0, D0, D0 + dt.timedelta(days=1)],
            "anomaly_type": ["follower_jump", "engagement_spike", "frozen", "frozen"],
        }
    )
    flags = pd.DataFrame(
        {
            "account_id": ["a", "b", "c", "c", "c", "d"],
            "metric_date": [D0 + dt.timedelta(days=1)] * 2
            + [D0, D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=2), D0],
            "anomaly_type": ["follower_jump", "engagement_spike", "frozen", "frozen", "frozen", "frozen"],
        }
    )
    scores = score_anomalies(flags, truth)
    assert scores["follower_jump"] == Score(flags=1, truths=1, matched_flags=1, matched_truths=1)
    assert scores["engagement_spike"] == Score(flags=1, truths=1, matched_flags=0, matched_truths=0)
    assert scores["frozen"] == Score(flags=4, truths=2, matched_flags=2, matched_truths=2)
    overall = scores["overall"]
    assert (overall.precision, overall.recall) == (pytest.approx(3 / 6), pytest.approx(3 / 4))
    assert overall.f1 == pytest.approx(2 * 0.5 * 0.75 / 1.25)


def test_flags_on_several_metrics_of_one_day_count_once():
    truth = pd.DataFrame({"account_id": ["a"], "metric_date": [D0], "anomaly_type": ["counter_decrease"]})
    flags = pd.DataFrame(
        {"account_id": ["a", "a"], "metric_date": [D0, D0], "anomaly_type": ["counter_decrease"] * 2}
    )
    assert score_anomalies(flags, truth)["counter_decrease"] == Score(1, 1, 1, 1)


def test_missing_scoring_uses_only_missing_scenarios():
    truth = pd.DataFrame(
        {
            "account_id": ["a", "a", "b"],
            "metric_date": [D0, D0 + dt.timedelta(days=1), D0],
            "anomaly_type": ["stop_reporting", "stop_reporting", "frozen"],
        }
    )
    missing = pd.DataFrame(
        {"account_id": ["a", "a", "c"], "metric_date": [D0, D0 + dt.timedelta(days=2), D0]}
    )
    score = score_missing(missing, truth)
    assert score == Score(flags=3, truths=2, matched_flags=1, matched_truths=1)
