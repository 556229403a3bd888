"""Scoring a detector against the injection benchmark's ground truth, by event and by account-day, per shape.

Events. A detected account event (account, type, start..end) is matched to the injected event of the same
account whose dates it overlaps (a day of slack either side). It is a true positive when its type is one the
shape accepts and the injected event was not already found; otherwise it is a false positive *of that shape*
(a mis-typed flag, the aftermath of a glitch flagged again, an event split in two). A detected event that
overlaps no injected event is a false positive of the shape its type stands for (a one-day follower_jump is a
follower_step, a longer one a follower_ramp). precision = TP / (TP + FP), recall = found / injected.

Account-days. The same attribution for each flagged account-day against the injected anomalous days (±1 day
for steps, whose effect may surface on the next observed day).

System-wide shapes must produce no account flag: a false-positive account event inside a shape's window
(to a week after it) on an account in its scope counts as "flags from the system shift".
"""

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_quality.benchmark_scoring import Score

SLACK = dt.timedelta(days=1)
AFTER_SHIFT = dt.timedelta(days=7)
HOME_SHAPE = {
    "engagement_spike": "engagement_spike",
    "views_spike": "views_spike",
    "follower_drop": "follower_step",
    "value_glitch": "glitch",
    "duplicated_load": "duplicated_load",
    "counter_decrease": "counter_decrease",
    "frozen": "frozen",
    "posting_silence": "posting_silence",
}
STEP_SHAPES = ("follower_step", "counter_decrease")


def home_shape(anomaly_type: str, days: int) -> str:
    if anomaly_type == "follower_jump":
        return "follower_step" if days <= 1 else "follower_ramp"
    return HOME_SHAPE.get(anomaly_type, "other")


def events_from_days(flags: pd.DataFrame) -> pd.DataFrame:
    """Group day flags (account_id, metric_date, anomaly_type) into events: same account and type, days at most
    two apart (a detector without events of its own is scored the same way)."""
    if flags.empty:
        return pd.DataFrame(columns=["account_id", "anomaly_type", "start_date", "end_date"])
    frame = flags[["account_id", "metric_date", "anomaly_type"]].drop_duplicates()
    frame = frame.assign(metric_date=pd.to_datetime(frame["metric_date"]).dt.date)
    frame = frame.sort_values(["account_id", "anomaly_type", "metric_date"])
    gap = frame.groupby(["account_id", "anomaly_type"])["metric_date"].diff()
    frame["event"] = (gap.isna() | (gap > pd.Timedelta(days=2))).cumsum()
    return (
        frame.groupby("event")
        .agg(
            account_id=("account_id", "first"),
            anomaly_type=("anomaly_type", "first"),
            start_date=("metric_date", "min"),
            end_date=("metric_date", "max"),
        )
        .reset_index(drop=True)
    )


@dataclass
class ShapeScores:
    events: dict[str, Score]
    days: dict[str, Score]
    shift_flags: dict[str, int]  # system shape -> false-positive account events inside its window


def _overlaps(a_start, a_end, b_start, b_end, slack=SLACK) -> bool:
    return a_start <= b_end + slack and a_end >= b_start - slack


def score_events(detected: pd.DataFrame, truth: pd.DataFrame, shapes: list[str]) -> dict[str, Score]:
    account_truth = truth[truth["scope"] == "account"]
    by_account = {a: g for a, g in account_truth.groupby("account_id")}
    tp = dict.fromkeys(shapes, 0)
    fp = dict.fromkeys([*shapes, "other"], 0)
    found: set[str] = set()
    for e in detected.sort_values(["account_id", "start_date"]).itertuples(index=False):
        candidates = by_account.get(e.account_id)
        hit = None
        if candidates is not None:
            for t in candidates.itertuples(index=False):
                if _overlaps(e.start_date, e.end_date, t.start_date, t.end_date):
                    hit = t
                    break
        if hit is None:
            shape = home_shape(e.anomaly_type, (e.end_date - e.start_date).days + 1)
            fp[shape if shape in fp else "other"] += 1
        elif e.anomaly_type in hit.accepted_types.split() and hit.event_id not in found:
            found.add(hit.event_id)
            tp[hit.shape] += 1
        else:
            fp[hit.shape] += 1
    totals = account_truth.groupby("shape").size().to_dict()
    scores = {s: Score(tp[s] + fp[s], totals.get(s, 0), tp[s], tp[s]) for s in shapes}
    scores["other"] = Score(fp["other"], 0, 0, 0)
    return scores


def score_days(
    flags: pd.DataFrame, truth: pd.DataFrame, truth_days: pd.DataFrame, shapes: list[str]
) -> dict[str, Score]:
    account_truth = truth[truth["scope"] == "account"].set_index("event_id")
    days = truth_days.join(
        account_truth[["shape", "accepted_types", "start_date", "end_date"]], on="event_id"
    )
    flagged = flags[["account_id", "metric_date", "anomaly_type"]].drop_duplicates()
    flagged = flagged.assign(metric_date=pd.to_datetime(flagged["metric_date"]).dt.date)
    events_of = {a: g for a, g in days.groupby("account_id")}
    matched_truth: set[tuple] = set()
    tp = dict.fromkeys(shapes, 0)
    fp = dict.fromkeys([*shapes, "other"], 0)
    for f in flagged.itertuples(index=False):
        rows = events_of.get(f.account_id)
        shape, hit = None, False
        if rows is not None:
            for t in rows.itertuples(index=False):
                if not _overlaps(f.metric_date, f.metric_date, t.start_date, t.end_date):
                    continue
                shape = t.shape
                slack = 1 if t.shape in STEP_SHAPES else 0
                if (
                    f.anomaly_type in t.accepted_types.split()
                    and abs((f.metric_date - t.metric_date).days) <= slack
                ):
                    hit = True
                    matched_truth.add((t.event_id, t.metric_date))
            if shape is not None:
                tp[shape] += hit
                fp[shape] += not hit
                continue
        home = home_shape(f.anomaly_type, 1)
        fp[home if home in fp else "other"] += 1
    totals = days.groupby("shape").size().to_dict()
    found_by_shape = days[
        [(r.event_id, r.metric_date) in matched_truth for r in days.itertuples(index=False)]
    ]
    found_by_shape = found_by_shape.groupby("shape").size().to_dict()
    scores = {s: Score(tp[s] + fp[s], totals.get(s, 0), tp[s], found_by_shape.get(s, 0)) for s in shapes}
    scores["other"] = Score(fp["other"], 0, 0, 0)
    return scores


def shift_flags(detected: pd.DataFrame, truth: pd.DataFrame, scope_of: dict[str, dict]) -> dict[str, int]:
    """False-positive account events inside each system shape's window (to a week after), in its scope.
    `scope_of[account_id]` = {"platform": ..., "province": ...}."""
    account_truth = truth[truth["scope"] == "account"]
    truth_accounts = {a: g for a, g in account_truth.groupby("account_id")}
    out: dict[str, int] = {}
    for s in truth[truth["scope"] != "account"].itertuples(index=False):
        count = 0
        for e in detected.itertuples(index=False):
            if not _overlaps(
                e.start_date, e.end_date, s.start_date, s.end_date + AFTER_SHIFT, slack=dt.timedelta(0)
            ):
                continue
            where = scope_of.get(e.account_id, {})
            if s.scope == "platform" and where.get("platform") != s.scope_code:
                continue
            if s.scope == "province" and where.get("province") != s.scope_code:
                continue
            own = truth_accounts.get(e.account_id)
            if own is not None and any(
                _overlaps(e.start_date, e.end_date, t.start_date, t.end_date) for t in own.itertuples()
            ):
                continue
            count += 1
        out[f"{s.shape} ({s.scope_code} {s.start_date}..{s.end_date})"] = count
    return out
