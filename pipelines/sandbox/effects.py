"""What each injected scenario does to an account's series.

Daily effects (silence, inactivity, spikes) change the daily figures before the lifetime counters are
summed, so counters stay consistent with them; step effects (bought followers, mass unfollows, deleted
posts) and stale data (frozen) change the counters afterwards, which is exactly what makes them anomalies.
Error scenarios (stop_reporting, suspended, never_connected) leave the series alone: the data exists, the
API just will not hand it over.
"""

import dataclasses
import datetime as dt

import numpy as np

from pipelines.sandbox.scenarios import Scenario
from pipelines.sandbox.series import DAILY, LIFETIME, Series

ENGAGEMENT = ("views", "reach", "likes", "comments", "shares", "saves", "accounts_engaged")
INACTIVE_ENGAGEMENT = 0.08  # likes still trickle in on old posts
INACTIVE_FOLLOWS = 0.3


def _span(sc: Scenario, epoch: dt.date) -> tuple[int, int]:
    return (sc.start_date - epoch).days, (sc.end_date - epoch).days + 1


def apply_daily(series: Series, scenarios: list[Scenario], epoch: dt.date) -> None:
    a = series.arrays
    for sc in scenarios:
        i, (s, e) = sc.account_index, _span(sc, epoch)
        if sc.scenario == "posting_silence":
            a["new_posts"][s:e, i] = 0
            decay = np.maximum(0.15, 0.7 ** np.arange(1, e - s + 1))  # audiences drift away day by day
            for m in ENGAGEMENT:
                a[m][s:e, i] = np.round(a[m][s:e, i] * decay)
        elif sc.scenario == "inactive":
            a["new_posts"][:, i] = 0
            for m in ENGAGEMENT:
                a[m][:, i] = np.round(a[m][:, i] * INACTIVE_ENGAGEMENT)
            a["follows"][:, i] = np.round(a["follows"][:, i] * INACTIVE_FOLLOWS)
        elif sc.scenario == "engagement_spike":
            # Multiply the account's usual level for that weekday (or the day's own value, if higher): a
            # spike that lands on a quiet day must still stand out by the stated factor.
            for m in ENGAGEMENT:
                usual = float(np.median(a[m][max(0, s - 28) : s : 7, i])) if s >= 7 else 0.0
                a[m][s, i] = round(max(int(a[m][s, i]), usual) * sc.magnitude)


def apply_steps(series: Series, scenarios: list[Scenario], epoch: dt.date) -> list[Scenario]:
    """Apply step and stale-data effects to the summed series; return scenarios with their details."""
    a = series.arrays
    out = []
    for sc in scenarios:
        i, (s, e) = sc.account_index, _span(sc, epoch)
        details = sc.details
        if sc.scenario in ("follower_jump", "follower_drop"):
            before = int(a["followers"][s - 1, i])
            step = round(before * sc.magnitude)
            sign = 1 if sc.scenario == "follower_jump" else -1
            a["followers"][s:, i] += sign * step
            a["follows" if sign > 0 else "unfollows"][s, i] += step
            details = f"{'+' if sign > 0 else '-'}{step} followers in one day (from {before})"
        elif sc.scenario == "counter_decrease":
            removed = int(a["new_posts"][s, i]) + int(sc.magnitude)
            removed = min(removed, int(a["posts_total"][s - 1, i]) + int(a["new_posts"][s, i]))
            a["posts_total"][s:, i] -= removed
            details = f"{removed} posts deleted: lifetime posts fall by {int(sc.magnitude)}"
        elif sc.scenario == "frozen":
            for m in (*DAILY, *LIFETIME):
                a[m][s:e, i] = a[m][s - 1, i]
            details = "every counter and daily metric repeats the day before"
        elif sc.scenario == "engagement_spike":
            details = f"views, reach, likes, comments, shares, saves x{sc.magnitude} on one day"
        elif sc.scenario == "posting_silence":
            details = f"no new posts for {int(sc.magnitude)} days; engagement decays"
        elif sc.scenario == "inactive":
            details = "no posts over the whole simulated history"
        out.append(dataclasses.replace(sc, details=details))
    return out
