"""The elementary baseline the anomaly detector is compared with: a plain z-score per account and metric.

For every account-day, z = (x - mean) / std over the 14 calendar days ending on (and including) that day,
|z| > 3 flags. The sign and the metric give the anomaly type the flag claims:

| series (per account)        | z > 3            | z < -3           |
|-----------------------------|------------------|------------------|
| followers_count             | follower_jump    | follower_drop    |
| posts_total_count           | -                | counter_decrease |
| engagements_count           | engagement_spike | -                |
| views_count                 | views_spike      | -                |
| new_posts_count             | -                | posting_silence  |

A series that does not move over the window has std 0 and no z, so frozen data and inactive accounts are
never flagged by it: that is the baseline's nature, not an omission.
"""

import pandas as pd

WINDOW = "14D"
THRESHOLD = 3.0
MIN_DAYS = 7  # a z over fewer days means nothing
SERIES = {
    "followers_count": ("follower_jump", "follower_drop"),
    "posts_total_count": (None, "counter_decrease"),
    "engagements_count": ("engagement_spike", None),
    "views_count": ("views_spike", None),
    "new_posts_count": (None, "posting_silence"),
}


def rolling_z(values: pd.Series, dates: pd.Series) -> pd.Series:
    """z of each value against the mean and std of the 14-day window ending on its own day (inclusive)."""
    series = pd.Series(values.to_numpy(dtype="float64"), index=pd.DatetimeIndex(dates))
    roll = series.rolling(WINDOW, min_periods=MIN_DAYS)
    mean, std = roll.mean(), roll.std(ddof=1)
    z = (series - mean) / std.where(std > 0)
    return pd.Series(z.to_numpy(), index=values.index)


def baseline_flags(account_days: pd.DataFrame) -> pd.DataFrame:
    """Flags (account_id, metric_date, anomaly_type, metric, z) from account-days with the SERIES columns."""
    frame = account_days.sort_values(["account_id", "metric_date"]).reset_index(drop=True)
    groups = [g for _, g in frame.groupby("account_id", sort=False)]
    frames = []
    for metric, (high_type, low_type) in SERIES.items():
        if metric not in frame:  # a frame without that series (e.g. views) is scored on the others
            continue
        z = pd.concat([rolling_z(g[metric], g["metric_date"]) for g in groups]) if groups else pd.Series()
        scored = frame[["account_id", "metric_date"]].assign(metric=metric, z=z.reindex(frame.index))
        for anomaly_type, hit in ((high_type, scored["z"] > THRESHOLD), (low_type, scored["z"] < -THRESHOLD)):
            if anomaly_type:
                frames.append(scored[hit].assign(anomaly_type=anomaly_type))
    columns = ["account_id", "metric_date", "anomaly_type", "metric", "z"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
