"""Scoring system events (dq_system_events) against the system-wide shapes the benchmark injected.

A detected system event matches an injected shape when its dates overlap it (a day of slack) and it names the
same scope (the nation, the platform, the province). Reported twice, or in parts (a national season also
reported per platform or province), counts the rest as false positives of that shape. A detected event that
matches no injected shape but a campaign day of the clean world's own calendar (the sandbox's
`campaign_days.csv`: a national day, for any scope; a province's day, for that province) is a real common
movement of the clean lake: counted as `known`, neither right nor wrong; anything else is a false positive.
"""

import datetime as dt
from pathlib import Path

import pandas as pd

from data_quality.benchmark_scoring import Score

SLACK = dt.timedelta(days=1)


def _known_days(campaign_csv: Path) -> set[tuple[str, str, dt.date]]:
    if not Path(campaign_csv).exists():
        return set()
    days = pd.read_csv(campaign_csv, dtype=str, keep_default_na=False)
    out = set()
    for row in days.itertuples(index=False):
        day = dt.date.fromisoformat(row.campaign_date)
        out.add(
            ("national", "ID", day) if row.scope == "national" else ("province", f"ID-{row.region_code}", day)
        )
    return out


DIRECTION = {  # the event_type that reports each system-wide shape
    "seasonal_shift": "activity_drop",
    "province_disruption": "activity_drop",
    "platform_level_shift": "activity_drop",
    "campaign_surge": "activity_surge",
    "platform_outage": "platform_outage",
    "platform_duplicated_load": "platform_data_fault",
}


def _overlap(d, s) -> bool:
    return d.start_date <= s.end_date + SLACK and d.end_date >= s.start_date - SLACK


def _known(d, known) -> bool:
    days = [d.start_date + dt.timedelta(days=k) for k in range((d.end_date - d.start_date).days + 1)]
    return any(("national", "ID", day) in known or (d.scope, d.scope_code, day) in known for day in days)


def score_system(detected: pd.DataFrame, truth: pd.DataFrame, campaign_csv: Path) -> dict[str, Score | int]:
    """Per injected shape: a detected event of the same scope and dates is found; a second one, or a part of it
    reported for a platform or province (same direction, not a campaign day of the clean world), is a false
    positive of that shape."""
    shapes = truth[truth["scope"] != "account"]
    names = sorted(set(shapes["shape"]))
    known = _known_days(campaign_csv)
    tp, fp = dict.fromkeys(names, 0), dict.fromkeys(names, 0)
    found: set[str] = set()
    known_count = other = 0
    for d in detected.sort_values("start_date").itertuples(index=False):
        overlapping = [s for s in shapes.itertuples(index=False) if _overlap(d, s)]
        same_scope = [s for s in overlapping if (s.scope, s.scope_code) == (d.scope, d.scope_code)]
        fresh = [s for s in same_scope if s.event_id not in found]
        if fresh:
            found.add(fresh[0].event_id)
            tp[fresh[0].shape] += 1
        elif same_scope:
            fp[same_scope[0].shape] += 1
        elif _known(d, known):
            known_count += 1
        elif parts := [
            s for s in overlapping if s.scope == "national" and DIRECTION[s.shape] == d.event_type
        ]:
            fp[parts[0].shape] += 1
        else:
            other += 1
    totals = shapes.groupby("shape").size().to_dict()
    scores: dict[str, Score | int] = {n: Score(tp[n] + fp[n], totals[n], tp[n], tp[n]) for n in names}
    scores["known_calendar"] = known_count
    scores["other"] = other
    return scores
