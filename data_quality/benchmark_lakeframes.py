"""A lake in memory for the injection benchmark: every account-day and fetch-log partition as pandas frames,
the meaning of each platform field, and writing changed partitions back atomically.

The field roles are this harness's own reading of the platforms' documentation (what a new user injecting
anomalies by hand would write), not the sandbox's code: which field is the audience, a lifetime counter or a
daily flow decides how a shape changes it (a lifetime counter takes the shape through its daily deltas).
"""

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import lake as lake_layout

API_SOURCES = ("instagram", "facebook", "youtube", "x", "tiktok")
SOURCES = (*API_SOURCES, "manual")

# role -> fields, per source. followers/following: snapshots; posts_total, views_lifetime, likes_lifetime,
# other_lifetime: lifetime counters (daily values are their deltas); new_posts, engagement, views, follow_flows:
# the day's own activity.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "instagram": {
        "followers": ("followers_count",),
        "following": ("follows_count",),
        "posts_total": ("media_count",),
        "engagement": ("likes", "comments", "shares", "saves", "total_interactions", "accounts_engaged"),
        "views": ("views", "reach"),
    },
    "facebook": {
        "followers": ("page_follows",),
        "follow_flows": ("page_daily_follows_unique", "page_daily_unfollows_unique"),
        "new_posts": ("posts_published",),
        "engagement": ("page_post_engagements",),
        "views": ("page_media_view", "page_total_media_view_unique"),
    },
    "youtube": {
        "followers": ("subscriber_count",),
        "posts_total": ("video_count",),
        "views_lifetime": ("view_count",),
    },
    "x": {
        "followers": ("followers_count",),
        "following": ("following_count",),
        "posts_total": ("tweet_count",),
        "other_lifetime": ("listed_count", "like_count"),
    },
    "tiktok": {
        "followers": ("follower_count",),
        "following": ("following_count",),
        "posts_total": ("video_count",),
        "new_posts": ("videos_published",),
        "likes_lifetime": ("likes_count",),
    },
    "manual": {
        "followers": ("followers_count",),
        "following": ("following_count",),
        "posts_total": ("posts_total_count",),
        "new_posts": ("new_posts_count",),
        "engagement": ("likes_count", "comments_count", "shares_count", "saves_count"),
        "views": ("views_count", "reach_count"),
    },
}
LIFETIME_ROLES = ("posts_total", "views_lifetime", "likes_lifetime", "other_lifetime")
FLOW_ROLES = ("new_posts", "engagement", "views", "follow_flows")


def fields(source: str, *roles: str) -> list[str]:
    return [f for role in roles for f in ROLES[source].get(role, ())]


def metric_fields(source: str) -> list[str]:
    return [f for fs in ROLES[source].values() for f in fs]


def round_sig3(values: np.ndarray) -> np.ndarray:
    """YouTube's public subscriberCount: rounded down to three significant figures (Data API docs,
    channels resource, statistics.subscriberCount)."""
    v = np.asarray(values, dtype="float64")
    out = v.copy()
    big = v >= 1000
    scale = 10 ** (np.floor(np.log10(np.where(big, v, 1))) - 2)
    out[big] = np.floor(v[big] / scale[big]) * scale[big]
    return out


@dataclass
class LakeFrames:
    """Account-days (one frame per source) and fetch logs (one per API platform) of a lake."""

    lake_dir: Path
    days: dict[str, pd.DataFrame]
    fetch_logs: dict[str, pd.DataFrame]
    schemas: dict[tuple[str, str], pa.Schema] = field(default_factory=dict)
    dirty: set[tuple[str, str, dt.date]] = field(default_factory=set)  # (source, entity, day)

    @property
    def first_date(self) -> dt.date:
        return min(f["metric_date"].min() for f in self.days.values() if len(f))

    @property
    def last_date(self) -> dt.date:
        return max(f["metric_date"].max() for f in self.days.values() if len(f))

    def account_rows(self, source: str, account_id: str) -> pd.DataFrame:
        frame = self.days[source]
        return frame[frame["account_id"] == account_id].sort_values("metric_date")

    def touch(self, source: str, entity: str, days) -> None:
        for day in days:
            self.dirty.add((source, entity, day))


def read_folder(folder: Path) -> tuple[pd.DataFrame, pa.Schema | None]:
    files = sorted(folder.glob("date=*/**/*.parquet"))
    if not files:
        return pd.DataFrame(), None
    tables = [pq.read_table(p) for p in files]
    schema = tables[0].schema
    frame = pa.concat_tables(tables, promote_options="default").to_pandas(types_mapper=_nullable)
    frame["metric_date"] = pd.to_datetime(frame["metric_date"]).dt.date
    return frame, schema


def _nullable(arrow_type):
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    return None


def load_lake(lake_dir: Path) -> LakeFrames:
    lake_dir = Path(lake_dir)
    days, logs, schemas = {}, {}, {}
    for source in SOURCES:
        frame, schema = read_folder(lake_dir / source / "account_daily")
        days[source] = frame
        if schema is not None:
            schemas[(source, "account_daily")] = schema
    for source in API_SOURCES:
        frame, schema = read_folder(lake_dir / source / "fetch_log")
        logs[source] = frame
        if schema is not None:
            schemas[(source, "fetch_log")] = schema
    return LakeFrames(lake_dir, days, logs, schemas)


def copy_lake(clean_lake_dir: Path, target_lake_dir: Path) -> None:
    """Hard links, not copies: a rewritten partition is replaced by a new file, never written through."""
    shutil.rmtree(target_lake_dir, ignore_errors=True)
    shutil.copytree(clean_lake_dir, target_lake_dir, copy_function=os.link)


def _write(table: pa.Table, path: Path) -> None:
    """Temp file and rename (as the lake does), without its fsync: a scratch lake of thousands of files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_dirty(frames: LakeFrames, target_lake_dir: Path) -> int:
    """Rewrite every partition touched by an injection under `target_lake_dir` (a copy of the clean lake)."""
    written = 0
    for source, entity, day in sorted(frames.dirty):
        frame = frames.days[source] if entity == "account_daily" else frames.fetch_logs[source]
        schema = frames.schemas[(source, entity)]
        rows = frame[frame["metric_date"] == day]
        if source == "manual":
            folder = lake_layout.partition_dir(target_lake_dir, "manual", "account_daily", day)
            shutil.rmtree(folder, ignore_errors=True)
            for unit_code, unit_rows in rows.groupby("unit_code"):
                table = pa.Table.from_pandas(unit_rows, schema=schema, preserve_index=False)
                _write(table, lake_layout.manual_partition_path(target_lake_dir, day, unit_code))
                written += 1
            continue
        path = lake_layout.partition_path(target_lake_dir, source, entity, day)
        table = pa.Table.from_pandas(rows, schema=schema, preserve_index=False)
        _write(table, path)
        written += 1
    return written
