"""The files the sandbox writes under `<data>/sandbox/`: ground truth, campaign calendar, tokens.

- `ground_truth.csv`: one row per injected scenario (account-level; `manual_not_sent` one row per account
  and skipped week).
- `ground_truth_daily.csv`: the same expanded to account-days, with `kind` = `missing` (the account-day
  cannot be fetched / was not reported) or `anomaly` (the data arrives but is wrong or unusual) and the
  `metric` the flag is on (see `scenarios.SCENARIO_METRIC`; `all` = every counter and daily metric).
- `campaign_days.csv`: national and province-wide campaign days (real behaviour, not anomalies).
- `tokens.json`: per-account tokens, the YouTube API key, the X bearer token and the Meta app token.
Each file is written to a temporary name and renamed, so a reader never sees half of one.
"""

import csv
import datetime as dt
import json
import os
import uuid
from pathlib import Path

from pipelines.sandbox import oauth
from pipelines.sandbox.scenarios import Scenario

SCENARIO_COLUMNS = [
    "account_id",
    "platform",
    "unit_code",
    "scenario",
    "kind",
    "start_date",
    "end_date",
    "metric",
    "magnitude",
    "details",
]
DAILY_COLUMNS = ["account_id", "metric_date", "scenario", "metric", "kind", "platform", "unit_code"]
SINGLE_DAY = {"follower_jump", "follower_drop", "counter_decrease", "engagement_spike"}


def _atomic(path: Path, write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _csv(path: Path, columns: list[str], rows) -> Path:
    def write(fh):
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(columns)
        out.writerows(rows)

    return _atomic(path, write)


def flagged_days(sc: Scenario, today: dt.date) -> list[dt.date]:
    """The account-days a scenario marks: the step day for jumps/drops/decreases/spikes, else every day."""
    if sc.scenario in SINGLE_DAY:
        return [sc.start_date]
    end = min(sc.end_date, today)
    return [sc.start_date + dt.timedelta(days=k) for k in range((end - sc.start_date).days + 1)]


def all_scenarios(world) -> list[Scenario]:
    return [*world.scenarios, *world.manual_skips]


def write_ground_truth(world, out_dir: Path) -> dict[str, Path]:
    out_dir = Path(out_dir)
    scenarios = all_scenarios(world)
    summary = _csv(
        out_dir / "ground_truth.csv",
        SCENARIO_COLUMNS,
        (
            [
                s.account_id,
                s.platform,
                s.unit_code,
                s.scenario,
                s.kind,
                s.start_date.isoformat(),
                s.end_date.isoformat(),
                s.metric,
                s.magnitude,
                s.details,
            ]
            for s in scenarios
        ),
    )
    daily_rows = sorted(
        (s.account_id, day.isoformat(), s.scenario, s.metric, s.kind, s.platform, s.unit_code)
        for s in scenarios
        for day in flagged_days(s, world.today)
    )
    daily = _csv(out_dir / "ground_truth_daily.csv", DAILY_COLUMNS, daily_rows)
    today = world.today.isoformat()
    campaign_rows = [r for r in world.calendar.rows if r["campaign_date"] <= today]
    columns = ["campaign_date", "scope", "region_code", "name", "post_factor", "engagement_factor"]
    campaigns = _csv(out_dir / "campaign_days.csv", columns, ([r[c] for c in columns] for r in campaign_rows))
    return {"ground_truth": summary, "ground_truth_daily": daily, "campaign_days": campaigns}


def write_tokens(world, out_dir: Path) -> Path:
    doc = {
        "account_tokens": dict(sorted(world.account_tokens.items())),
        "youtube_api_key": world.youtube_api_key,
        "x_bearer_token": world.x_bearer_token,
        "meta_app_token": world.meta_app_token,
    }
    doc.update(oauth.secrets_fields(world))  # token details and app credentials (the secrets store's shape)
    return _atomic(Path(out_dir) / "tokens.json", lambda fh: json.dump(doc, fh, indent=1))


def write_all(world, out_dir: Path) -> dict[str, Path]:
    files = write_ground_truth(world, out_dir)
    files["tokens"] = write_tokens(world, out_dir)
    return files
