"""Scoring flags against the sandbox's ground truth (`<data>/sandbox/ground_truth_daily.csv`).

The unit is the account-day: a ground-truth row is (account, day, scenario), and a detector's flags are
collapsed to (account, day, type) (several metrics flagged the same day count once).
A flag matches a ground-truth row when the account and the type (= scenario) are the same and the days are
equal, or, for step changes (follower_jump, follower_drop, counter_decrease), at most STEP_TOLERANCE_DAYS
apart: a step between two observations may surface on the next observed day.
precision = matched flags / flags; recall = matched ground-truth rows / ground-truth rows; both per type and
pooled over all anomaly types ("overall"), F1 = 2PR / (P + R).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MISSING_SCENARIOS = ("stop_reporting", "suspended", "never_connected", "manual_not_sent")
STEP_TYPES = ("follower_jump", "follower_drop", "counter_decrease")
STEP_TOLERANCE_DAYS = 1
KEY = ["account_id", "metric_date", "anomaly_type"]


@dataclass(frozen=True)
class Score:
    flags: int
    truths: int
    matched_flags: int
    matched_truths: int

    @property
    def precision(self) -> float:
        return self.matched_flags / self.flags if self.flags else (1.0 if not self.truths else 0.0)

    @property
    def recall(self) -> float:
        return self.matched_truths / self.truths if self.truths else (1.0 if not self.flags else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(
            self.flags + other.flags,
            self.truths + other.truths,
            self.matched_flags + other.matched_flags,
            self.matched_truths + other.matched_truths,
        )


def load_ground_truth(path: Path, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Ground-truth account-days within [start, end], with `anomaly_type` = scenario."""
    truth = pd.read_csv(path, dtype={"account_id": str, "scenario": str, "metric": str, "kind": str})
    truth["metric_date"] = pd.to_datetime(truth["metric_date"]).dt.date
    truth = truth[(truth["metric_date"] >= start) & (truth["metric_date"] <= end)]
    return truth.rename(columns={"scenario": "anomaly_type"}).reset_index(drop=True)


def _collapse(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[KEY].copy()
    out["metric_date"] = pd.to_datetime(out["metric_date"]).dt.date
    return out.drop_duplicates().reset_index(drop=True)


def _matched(left: pd.DataFrame, right: pd.DataFrame, tolerance: int) -> pd.Series:
    """For each row of `left`, whether `right` has the same account and type within `tolerance` days."""
    if left.empty or right.empty:
        return pd.Series(False, index=left.index)
    pairs = left.reset_index().merge(right, on=["account_id", "anomaly_type"], suffixes=("", "_other"))
    gap = (pd.to_datetime(pairs["metric_date"]) - pd.to_datetime(pairs["metric_date_other"])).abs()
    hits = set(pairs.loc[gap <= pd.Timedelta(days=tolerance), "index"])
    return pd.Series(left.index.isin(hits), index=left.index)


def score_type(flags: pd.DataFrame, truth: pd.DataFrame, anomaly_type: str) -> Score:
    f = _collapse(flags[flags["anomaly_type"] == anomaly_type])
    t = _collapse(truth[truth["anomaly_type"] == anomaly_type])
    tolerance = STEP_TOLERANCE_DAYS if anomaly_type in STEP_TYPES else 0
    return Score(
        flags=len(f),
        truths=len(t),
        matched_flags=int(_matched(f, t, tolerance).sum()),
        matched_truths=int(_matched(t, f, tolerance).sum()),
    )


def score_anomalies(flags: pd.DataFrame, truth: pd.DataFrame) -> dict[str, Score]:
    """Scores per anomaly type (every type in either frame) and pooled under "overall"."""
    anomaly_truth = truth[~truth["anomaly_type"].isin(MISSING_SCENARIOS)]
    types = sorted(set(anomaly_truth["anomaly_type"]) | set(flags["anomaly_type"]))
    scores = {t: score_type(flags, anomaly_truth, t) for t in types}
    scores["overall"] = sum(scores.values(), Score(0, 0, 0, 0))
    return scores


def score_missing(missing: pd.DataFrame, truth: pd.DataFrame) -> Score:
    """Missing reports: every ground-truth missing account-day against every dq_missing_reports row."""
    t = truth[truth["anomaly_type"].isin(MISSING_SCENARIOS)].assign(anomaly_type="missing")
    f = missing.assign(anomaly_type="missing")
    return score_type(f, t, "missing")
