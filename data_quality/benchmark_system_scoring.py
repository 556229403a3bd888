"""Scoring system events (dq_system_events) against the system-wide shapes the benchmark injected.

A detected system event matches an injected shape when its dates overlap it (a day of slack) and it names the
same scope (the nation, the platform, the province). Reported twice (a national season also reported per
platform) counts the second as a false positive of that shape. A detected event that overlaps no injected shape
but a campaign day of the clean world's own calendar (a national day, for any scope; a province's day, for
that province) (the sandbox's `campaign_days.csv`) is a real common
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


def score_system(detected: pd.DataFrame, truth: pd.DataFrame, campaign_csv: Path) -> dict[str, Score | int]:
    shapes = truth[truth["scope"] != "account"]
    names = sorted(set(shapes["shape"]))
    known = _known_days(campaign_csv)
    tp, fp = dict.fromkeys(names, 0), dict.fromkeys(names, 0)
    found: set[str] = set()
    known_count = other = 0
    for d in detected.sort_values("start_date").itertuples(index=False):
        overlapping = [
            s
            for s in shapes.itertuples(index=False)
            if d.start_date <= s.end_date + SLACK and d.end_date >= s.start_date - SLACK
        ]
        same_scope = [s for s in overlapping if (s.scope, s.scope_code) == (d.scope, d.scope_code)]
        fresh = [s for s in same_scope if s.event_id not in found]
        if fresh:
            found.add(fresh[0].event_id)
            tp[fresh[0].shape] += 1
        elif overlapping:
            fp[(same_scope or overlapping)[0].shape] += 1
        elif any(
            key in known
            for k in range((d.end_date - d.start_date).days + 1)
            for key in (
                ("national", "ID", d.start_date + dt.timedelta(days=k)),
                (d.scope, d.scope_code, d.start_date + dt.timedelta(days=k)),
            )
        ):
            known_count += 1
        else:
            other += 1
    totals = shapes.groupby("shape").size().to_dict()
    scores: dict[str, Score | int] = {n: Score(tp[n] + fp[n], totals[n], tp[n], tp[n]) for n in names}
    scores["known_calendar"] = known_count
    scores["other"] = other
    return scores
