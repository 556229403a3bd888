"""Write a synthetic lake (and its registry) of N accounts × D days, partition by partition.

    python -m pipelines.scale.generate --accounts 20000 --days 1095 --out DIR [--end YYYY-MM-DD] [--seed 42]
    python -m pipelines.scale.generate --out DIR --land YYYY-MM-DD      # one more day on an existing lake

Writes `DIR/registry/` (point MEDSOS_REGISTRY_DIR at it) and `DIR/lake/` (MEDSOS_DATA_DIR=DIR): all five
platforms' account_daily and fetch_log day partitions, and the manual unit-day files that had arrived by the
last day. `--land DAY` steps the same world one day further and writes only what lands that day (the day's
platform partitions and the manual files arriving that day): the benchmark's "daily update".
Memory is O(accounts); time is dominated by the manual unit-day files (one file per unit-day, ~80,000 a year).
"""

import argparse
import datetime as dt
import json
import multiprocessing
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipelines import lake
from pipelines.platform_spec import PLATFORMS
from pipelines.scale.manual import ManualReports, table_for
from pipelines.scale.registry import read_rows, write_synthetic_registry
from pipelines.scale.world import World
from pipelines.settings import yesterday_wib

# lake column -> world quantity, per platform (the platform-native names of pipelines.lake)
PLATFORM_FIELDS = {
    "instagram": {
        "followers_count": "followers",
        "follows_count": "following",
        "media_count": "posts_total",
        "views": "views",
        "reach": "reach",
        "accounts_engaged": "accounts_engaged",
        "total_interactions": "interactions",
        "likes": "likes",
        "comments": "comments",
        "shares": "shares",
        "saves": "saves",
    },
    "facebook": {
        "page_follows": "followers",
        "page_daily_follows_unique": "follows",
        "page_daily_unfollows_unique": "unfollows",
        "page_media_view": "views",
        "page_post_engagements": "interactions",
        "page_total_media_view_unique": "reach",
        "posts_published": "new_posts",
    },
    "youtube": {
        "subscriber_count": "followers",
        "view_count": "views_lifetime",
        "video_count": "posts_total",
    },
    "x": {
        "followers_count": "followers",
        "following_count": "following",
        "tweet_count": "posts_total",
        "listed_count": "listed",
        "like_count": "liked",
    },
    "tiktok": {
        "follower_count": "followers",
        "following_count": "following",
        "likes_count": "likes_lifetime",
        "video_count": "posts_total",
        "videos_published": "new_posts",
    },
}
# status -> (error_code, error_message, http_status, attempts) as the clients record them
OUTCOME = {
    "ok": (None, None, 200, 1),
    "failed": ("http_503", "HTTP 503 Service Unavailable after 5 attempts", 503, 5),
    "auth_failed": ("190", "Error validating access token: Session has expired", 400, 1),
    "missing_token": ("missing_token", "no token for this account in the secrets store", None, 0),
    "not_found": ("not_found", "account not found (deleted or id changed)", 200, 1),
    "suspended": ("suspended", "User has been suspended", 200, 1),
    "quota_exceeded": ("quotaExceeded", "The request cannot be completed: quota exceeded.", 403, 1),
}
META_FILE = "scale_lake.json"


@dataclass
class Written:
    partitions: int = 0
    manual_files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int) -> None:
        self.rows[key] = self.rows.get(key, 0) + n


class PlatformWriter:
    def __init__(self, world: World, lake_dir: Path):
        self.world, self.lake_dir = world, lake_dir
        accounts = world.accounts
        self.index = {p: np.flatnonzero((world.platform == p) & world.is_api) for p in PLATFORMS}
        self.strings = {
            p: {
                key: pa.array([accounts[i][key] for i in idx], pa.string())
                for key in ("account_id", "platform_user_id", "unit_code")
            }
            for p, idx in self.index.items()
        }

    def write_day(self, day, written: Written) -> None:
        """Every platform's account_daily and fetch_log partitions of `day`."""
        fetched = dt.datetime.combine(day.date + dt.timedelta(days=1), dt.time(0, 30), dt.UTC)
        run_id = f"scale-{day.date.isoformat()}"
        for platform in PLATFORMS:
            idx = self.index[platform]
            status = day.status[idx]
            attempted = np.flatnonzero(status != "")
            ok = attempted[status[attempted] == "ok"]
            self._account_daily(platform, day, idx, ok, fetched, run_id, written)
            self._fetch_log(platform, day, status, attempted, fetched, run_id, written)

    def _common(self, platform, day, rows, fetched, run_id) -> dict:
        n = len(rows)
        strings = {k: v.take(pa.array(rows)) for k, v in self.strings[platform].items()}
        return {
            **strings,
            "metric_date": pa.array([day.date] * n, pa.date32()),
            "fetched_at": pa.array([fetched] * n, pa.timestamp("us", tz="UTC")),
            "run_id": pa.array([run_id] * n, pa.string()),
        }

    def _account_daily(self, platform, day, idx, ok, fetched, run_id, written) -> None:
        accounts = idx[ok]
        columns = {**self._common(platform, day, ok, fetched, run_id), "source": ["sandbox"] * len(ok)}
        for name, quantity in PLATFORM_FIELDS[platform].items():
            columns[name] = day.values[quantity][accounts]
        if platform == "youtube":
            hidden = self.world.hidden[accounts]
            columns["subscriber_count"] = pa.array(day.values["followers"][accounts], pa.int64(), mask=hidden)
            columns["hidden_subscriber_count"] = hidden
        table = table_for(lake.account_daily_schema(platform), columns, len(ok))
        lake.write_partition(
            table, lake.partition_path(self.lake_dir, platform, "account_daily", day.date), durable=False
        )
        written.partitions += 1
        written.count(f"{platform}.account_daily", table.num_rows)

    def _fetch_log(self, platform, day, status, attempted, fetched, run_id, written) -> None:
        statuses = status[attempted]
        outcome = [OUTCOME[s] for s in statuses]
        columns = {
            **self._common(platform, day, attempted, fetched, run_id),
            "platform": [platform] * len(attempted),
            "status": statuses.tolist(),
            "error_code": [o[0] for o in outcome],
            "error_message": [o[1] for o in outcome],
            "http_status": [o[2] for o in outcome],
            "attempts": [o[3] for o in outcome],
        }
        table = table_for(lake.FETCH_LOG_SCHEMA, columns, len(attempted))
        lake.write_partition(
            table, lake.partition_path(self.lake_dir, platform, "fetch_log", day.date), durable=False
        )
        written.partitions += 1
        for s, n in zip(*np.unique(statuses.astype(str), return_counts=True), strict=True):
            written.statuses[s] = written.statuses.get(s, 0) + int(n)


def generate(
    out: Path,
    accounts: int,
    days: int,
    end: dt.date | None = None,
    seed: int = 42,
    progress: bool = False,
    workers: int = 1,
) -> dict:
    """Registry + lake for `accounts` × `days` ending on `end` (default yesterday, WIB)."""
    end = end or yesterday_wib()
    start = end - dt.timedelta(days=days - 1)
    out = Path(out)
    write_synthetic_registry(out / "registry", accounts, start, days, seed)
    meta = {
        "accounts": accounts,
        "days": days,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "seed": seed,
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2))
    started = time.monotonic()
    written = simulate_sharded(out, start, end, seed, start, progress, workers)
    return {**meta, **written.__dict__, "seconds": round(time.monotonic() - started, 1)}


def simulate_sharded(out, start, end, seed, write_from, progress, workers: int) -> Written:
    """simulate() in `workers` processes, each writing its shard (the small files are the cost, not the model)."""
    if workers <= 1:
        return simulate(out, start, end, seed, write_from, progress)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        jobs = [(out, start, end, seed, write_from, progress, (k, workers)) for k in range(workers)]
        parts = pool.starmap(simulate, jobs)
    total = Written()
    for part in parts:
        total.partitions += part.partitions
        total.manual_files += part.manual_files
        for key, value in part.rows.items():
            total.count(key, value)
        for status, value in part.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + value
    return total


def land_day(out: Path, day: dt.date | None = None) -> dict:
    """Step an existing synthetic lake's world to `day` (default: the day after its end) and land that day."""
    out = Path(out)
    meta = json.loads((out / META_FILE).read_text())
    start, end = dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])
    day = day or end + dt.timedelta(days=1)
    started = time.monotonic()
    written = simulate(out, start, day, meta["seed"], write_from=max(day, end + dt.timedelta(days=1)))
    meta["end"] = max(end, day).isoformat()
    (out / META_FILE).write_text(json.dumps(meta, indent=2))
    return {"day": day.isoformat(), **written.__dict__, "seconds": round(time.monotonic() - started, 1)}


def simulate(
    out: Path,
    start: dt.date,
    end: dt.date,
    seed: int,
    write_from: dt.date,
    progress=False,
    shard: tuple[int, int] = (0, 1),
) -> Written:
    """Step the world of `out/registry` from `start` to `end`; write what lands in [write_from, end].

    With `shard=(k, n)` this process writes only its n-th share (days and units by number): n processes
    stepping the same deterministic world write the whole lake together."""
    k, n = shard
    accounts = read_rows(out / "registry" / "registry_accounts.csv")
    levels = {u["unit_code"]: u["unit_level"] for u in read_rows(out / "registry" / "registry_units.csv")}
    world = World(accounts, levels, start, seed)
    platforms = PlatformWriter(world, out / "lake")
    manual = ManualReports(accounts, seed)
    written = Written()

    pool = ThreadPoolExecutor(max_workers=4)  # Parquet writes release the GIL: overlap the small files
    pending = []

    def land_manual():
        for unit, metric_date, arrival, table in manual.flush():
            if write_from <= arrival <= end and zlib.crc32(unit.encode()) % n == k:
                path = lake.manual_partition_path(out / "lake", metric_date, unit)
                pending.append(pool.submit(lake.write_partition, table, path, durable=False))
                written.manual_files += 1
                written.count("manual.account_daily", table.num_rows)
        for future in pending:
            future.result()
        pending.clear()

    day = start
    while day <= end:
        today = world.step(day)
        if day >= write_from and day.toordinal() % n == k:
            platforms.write_day(today, written)
        manual.add(today)
        if day.weekday() == 6:
            land_manual()
        if progress and k == 0 and (day.day == 1 or day == end):
            print(
                f"  {day}: {written.partitions} partitions, {written.manual_files} manual files", flush=True
            )
        day += dt.timedelta(days=1)
    land_manual()  # the running week: daily reporters' rows that arrived by `end`
    pool.shutdown()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--accounts", type=int, default=2249)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--end", type=dt.date.fromisoformat, default=None, help="last day (default yesterday, WIB)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--land", type=dt.date.fromisoformat, default=None, help="land one more day")
    parser.add_argument("--workers", type=int, default=1, help="writer processes (each steps the same world)")
    args = parser.parse_args(argv)
    if args.land:
        print(json.dumps(land_day(args.out, args.land), indent=2))
    else:
        print(
            json.dumps(
                generate(args.out, args.accounts, args.days, args.end, args.seed, True, args.workers),
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
