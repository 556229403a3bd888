"""Inject anomaly shapes into a copy of a clean lake and write the ground truth (the injection benchmark).

    plan = inject(clean_lake_dir, target_lake_dir, seed, account_shapes, system_shapes, per_shape)

System shapes go in first (a season, a campaign, an outage), then account shapes on top of them (a spike in the
middle of a season is still a spike): at most one account shape per account, starting after `WARMUP_DAYS` of
history and ending two days before the window does (a glitch's return must be in the data), never on a day a
platform-wide shape touches the account's platform. Ground truth: `truth_events.csv` (one row per injected event,
with the anomaly types that count as finding it) and `truth_days.csv` (the anomalous account-days).
"""

import csv
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data_quality.benchmark_lakeframes import (
    SOURCES,
    LakeFrames,
    copy_lake,
    fields,
    load_lake,
    write_dirty,
)
from data_quality.benchmark_shapes import ACCOUNT_SHAPES, AccountStats
from data_quality.benchmark_system_shapes import SYSTEM_SHAPES

WARMUP_DAYS = 28
END_MARGIN_DAYS = 2
DAY = dt.timedelta(days=1)


@dataclass
class Injection:
    event_id: str
    shape: str
    scope: str  # account | national | platform | province
    scope_code: str  # account_id, "ID", a platform or a province code
    start_date: dt.date
    end_date: dt.date
    accepted: tuple[str, ...] = ()
    account_id: str = ""
    platform: str = ""
    collection_method: str = ""
    truth_days: list[dt.date] = field(default_factory=list)
    params: dict = field(default_factory=dict)


def _province_of(units) -> dict[str, str | None]:
    by_code = {u.unit_code: u for u in units}
    out = {}
    for u in units:
        out[u.unit_code] = (
            u.unit_code
            if u.unit_level == "province"
            else (u.parent_unit_code if u.unit_level == "regency" else None)
        )
    return {code: (p if p in by_code else None) for code, p in out.items()}


def account_stats(frames: LakeFrames) -> dict[str, AccountStats]:
    from pipelines.registry import load_accounts, load_units

    province = _province_of(load_units())
    platform_of = {a.account_id: a.platform for a in load_accounts()}
    stats = {}
    for source in SOURCES:
        frame = frames.days[source]
        if not len(frame):
            continue
        for account_id, rows in frame.sort_values("metric_date").groupby("account_id"):
            period = (
                rows["reporting_period_days"].fillna(1).to_numpy(dtype=float) if source == "manual" else 1.0
            )
            stats[account_id] = _stats_of(source, account_id, rows, period, platform_of, province)
    return stats


def _col(rows, columns) -> np.ndarray:
    if not columns:
        return np.full(len(rows), np.nan)
    return np.nansum([rows[c].to_numpy(dtype="float64", na_value=np.nan) for c in columns], axis=0)


def _per_day(rows, flows, lifetimes, weekly) -> np.ndarray:
    if flows:
        return _col(rows, flows) / weekly
    if lifetimes:
        return np.diff(_col(rows, lifetimes), prepend=np.nan) / weekly
    return np.full(len(rows), np.nan)


def _stats_of(source, account_id, rows, weekly, platform_of, province) -> AccountStats:
    followers = _col(rows, fields(source, "followers"))
    if source == "youtube" and rows["hidden_subscriber_count"].fillna(False).astype(bool).any():
        followers = np.full(len(rows), np.nan)
    posts = _per_day(rows, fields(source, "new_posts"), fields(source, "posts_total"), weekly)
    engagement_fields = [
        f for f in fields(source, "engagement") if f not in ("total_interactions", "accounts_engaged")
    ]
    engagement = _per_day(rows, engagement_fields, fields(source, "likes_lifetime"), weekly)
    views = _per_day(rows, fields(source, "views")[:1], fields(source, "views_lifetime"), weekly)
    unit = rows["unit_code"].iloc[0]
    return AccountStats(
        account_id=account_id,
        source=source,
        platform=platform_of.get(account_id, source),
        unit_code=unit,
        province_code=province.get(unit),
        followers=float(np.nanmedian(followers)) if np.isfinite(followers).any() else float("nan"),
        posts_total=float(np.nanmedian(_col(rows, fields(source, "posts_total"))))
        if fields(source, "posts_total")
        else float("nan"),
        posts_per_day=float(np.nanmean(posts)) if np.isfinite(posts).any() else 0.0,
        posting_day_share=float(np.nanmean(posts > 0)) if np.isfinite(posts).any() else 0.0,
        engagement_per_day=float(np.nanmedian(engagement)) if np.isfinite(engagement).any() else 0.0,
        views_per_day=float(np.nanmedian(views)) if np.isfinite(views).any() else 0.0,
        lifetime_audience=float("nan"),
    )


def inject(
    clean_lake_dir: Path,
    target_lake_dir: Path,
    seed: int,
    account_shapes: list[str],
    system_shapes: list[str],
    per_shape: int = 30,
) -> list[Injection]:
    """Copy the clean lake to `target_lake_dir`, inject, write the changed partitions; returns the plan."""
    frames = load_lake(clean_lake_dir)
    stats = account_stats(frames)
    first, last = frames.first_date, frames.last_date
    injections: list[Injection] = []
    blocked: dict[str, set[dt.date]] = {}  # platform -> days a platform-wide shape owns
    for k, name in enumerate(system_shapes):
        shape = SYSTEM_SHAPES[name]
        rng = np.random.default_rng([seed, 7, k])
        low, high = first + WARMUP_DAYS * DAY, last - (shape.max_days + END_MARGIN_DAYS) * DAY
        start = low + int(rng.integers(0, (high - low).days + 1)) * DAY
        end, scope, code, params = shape.apply(frames, stats, start, rng)
        if scope == "platform" and name != "platform_level_shift":
            blocked.setdefault(code, set()).update(start + i * DAY for i in range((end - start).days + 1))
        injections.append(Injection(f"sys-{k}-{name}", name, scope, code, start, end, params=params))
    order = list(np.random.default_rng([seed, 3]).permutation(sorted(stats)))
    taken: set[str] = set()
    for k, name in enumerate(account_shapes):
        shape = ACCOUNT_SHAPES[name]
        rng = np.random.default_rng([seed, 11, k])
        chosen = [a for a in order if a not in taken and shape.eligible(stats[a])][:per_shape]
        for account_id in chosen:
            taken.add(account_id)
            s = stats[account_id]
            start = _start(frames, s, shape.max_days, first, last, blocked.get(s.source, set()), rng)
            if start is None:
                continue
            end, days, params = shape.apply(frames, s, start, rng)
            accepted = (params.pop("accepted"),) if "accepted" in params else shape.accepted
            injections.append(
                Injection(
                    f"acc-{k}-{len(injections)}",
                    name,
                    "account",
                    account_id,
                    start,
                    end,
                    accepted,
                    account_id,
                    s.platform,
                    "manual" if s.source == "manual" else "api",
                    days,
                    params,
                )
            )
    copy_lake(clean_lake_dir, target_lake_dir)
    write_dirty(frames, target_lake_dir)
    return injections


def _start(frames, s: AccountStats, max_days, first, last, blocked, rng) -> dt.date | None:
    low, high = first + WARMUP_DAYS * DAY, last - (max_days + END_MARGIN_DAYS) * DAY
    rows = frames.account_rows(s.source, s.account_id)
    if "reporting_period_days" in rows and (rows["reporting_period_days"].fillna(1) > 1).any():
        options = [d for d in sorted(set(rows["metric_date"])) if low <= d <= last - 7 * DAY]  # weekly rows
        return options[int(rng.integers(len(options)))] if options else None
    for _ in range(50):
        start = low + int(rng.integers(0, (high - low).days + 1)) * DAY
        if not any(start + i * DAY in blocked for i in range(-1, max_days + 2)):
            return start
    return None


def write_truth(injections: list[Injection], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "truth_events.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "event_id",
                "shape",
                "scope",
                "scope_code",
                "account_id",
                "platform",
                "collection_method",
                "start_date",
                "end_date",
                "accepted_types",
                "params",
            ]
        )
        for i in injections:
            writer.writerow(
                [
                    i.event_id,
                    i.shape,
                    i.scope,
                    i.scope_code,
                    i.account_id,
                    i.platform,
                    i.collection_method,
                    i.start_date,
                    i.end_date,
                    " ".join(i.accepted),
                    json.dumps(i.params),
                ]
            )
    with (folder / "truth_days.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["event_id", "account_id", "metric_date"])
        for i in injections:
            for day in i.truth_days:
                writer.writerow([i.event_id, i.account_id, day])


def read_truth(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    events = pd.read_csv(folder / "truth_events.csv", dtype=str, keep_default_na=False)
    for column in ("start_date", "end_date"):
        events[column] = pd.to_datetime(events[column]).dt.date
    days = pd.read_csv(folder / "truth_days.csv", dtype=str)
    days["metric_date"] = pd.to_datetime(days["metric_date"]).dt.date
    return events, days


__all__ = ["Injection", "account_stats", "asdict", "inject", "read_truth", "write_truth"]
