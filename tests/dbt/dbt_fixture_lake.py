"""A small deterministic lake and registry for the dbt tests.

Two ISO weeks, D1 = Monday 2026-01-05 ... D14 = Sunday 2026-01-18. Units: the nation (ID), Jawa Timur
(ID-35) with Kota Surabaya (ID-35.78), and Aceh (ID-11). Accounts:
- instagram:ig1 (Surabaya, API): every day except D3-D4 (fetch failed: a 2-day gap).
  followers 1000 + 10*(i-1); media_count 100 + (i-1)//2; likes 20, comments 5, shares 3, saves 2 per day.
- facebook:fb1 (Surabaya, API): every day except D7, which a manual report fills (followers 5036); a manual
  report for D8 (followers 9999) loses to the API row. page_follows 5000 + 5*i, engagements 100,
  one post on weekdays.
- youtube:yt1 (Jawa Timur, API): lifetime view_count 50000 + 200*i, but 49000 on D10 (YouTube removed views)
  and 49000 + 200*(i-10) after; subscribers 2000 + i; video_count 40, 41 from D8.
- x:x1 (the nation, API): followers 10000 + 20*i, tweet_count 500 + 3*i.
- tiktok:tt1 (Aceh, API): registered, but the tiktok lake folder does not exist at all.
- instagram:ig2 (Aceh, manual): manual reports D1-D7 only: followers 300 + i, likes 10, comments 1,
  shares 0, saves 1, posts_total 50 + i, new posts 1. The files of D1-D3 were written before
  reporting_period_days existed (legacy schema, without the field): they must still read, as daily rows.
- facebook:fb2 (Aceh, manual): weekly reports only, one row on each week's Sunday (D7, D14) with
  reporting_period_days 7: week 1 followers 2100, 4 new posts, likes 400 + comments 41 (441 engagements);
  week 2 followers 2170, 0 new posts, likes 140 + comments 7.
"""

import datetime as dt
from pathlib import Path

import pyarrow as pa

from pipelines import lake

D0 = dt.date(2026, 1, 4)
DAYS = range(1, 15)
RUN_ID = "run-fixture"

UNITS = [
    ("ID", "Humas Pusat", "national", "", "", "Asia/Jakarta"),
    ("ID-35", "Provinsi Jawa Timur", "province", "ID", "35", "Asia/Jakarta"),
    ("ID-35.78", "Kota Surabaya", "regency", "ID-35", "35.78", "Asia/Jakarta"),
    ("ID-11", "Provinsi Aceh", "province", "ID", "11", "Asia/Jakarta"),
]
ACCOUNTS = [
    ("instagram:ig1", "ID-35.78", "instagram", "humas.sby", "ig1", "api"),
    ("facebook:fb1", "ID-35.78", "facebook", "humas.sby", "fb1", "api"),
    ("youtube:yt1", "ID-35", "youtube", "humas.jatim", "yt1", "api"),
    ("x:x1", "ID", "x", "humaspusat", "x1", "api"),
    ("tiktok:tt1", "ID-11", "tiktok", "humas.aceh", "tt1", "api"),
    ("instagram:ig2", "ID-11", "instagram", "humas.aceh", "ig2", "manual"),
    ("facebook:fb2", "ID-11", "facebook", "humas.aceh", "fb2", "manual"),
]
LEGACY_MANUAL_SCHEMA = pa.schema(
    [f for f in lake.MANUAL_ACCOUNT_DAILY_SCHEMA if f.name != "reporting_period_days"]
)


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def fetched_at(i: int, hour: int = 1) -> dt.datetime:
    return dt.datetime.combine(day(i) + dt.timedelta(days=1), dt.time(hour), tzinfo=dt.UTC)


def write_registry(registry_dir: Path) -> Path:
    registry_dir.mkdir(parents=True, exist_ok=True)
    lines = ["unit_code,unit_name,unit_level,parent_unit_code,region_code,timezone"]
    lines += [",".join(u) for u in UNITS]
    (registry_dir / "registry_units.csv").write_text("\n".join(lines) + "\n")
    lines = ["account_id,unit_code,platform,handle,platform_user_id,collection_method,active_from,active_to"]
    lines += [",".join(a) + ",2025-01-01," for a in ACCOUNTS]
    (registry_dir / "registry_accounts.csv").write_text("\n".join(lines) + "\n")
    return registry_dir


def _ingestion(account_id: str, unit_code: str, i: int, source: str = "sandbox", hour: int = 1) -> dict:
    return {
        "account_id": account_id,
        "platform_user_id": account_id.split(":", 1)[1],
        "unit_code": unit_code,
        "metric_date": day(i),
        "fetched_at": fetched_at(i, hour),
        "run_id": RUN_ID,
        "source": source,
    }


def _platform_rows(i: int) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {"instagram": [], "facebook": [], "youtube": [], "x": []}
    if i not in (3, 4):
        rows["instagram"].append(
            _ingestion("instagram:ig1", "ID-35.78", i)
            | {"followers_count": 1000 + 10 * (i - 1), "follows_count": 80, "media_count": 100 + (i - 1) // 2}
            | {"views": 400, "reach": 300, "accounts_engaged": 25, "total_interactions": 31}
            | {"likes": 20, "comments": 5, "shares": 3, "saves": 2}
        )
    if i != 7:
        rows["facebook"].append(
            _ingestion("facebook:fb1", "ID-35.78", i)
            | {"page_follows": 5000 + 5 * i, "page_daily_follows_unique": 6, "page_daily_unfollows_unique": 1}
            | {"page_media_view": 900, "page_post_engagements": 100, "page_posts_impressions_unique": 700}
            | {"posts_published": 1 if day(i).isoweekday() <= 5 else 0}
        )
    views = 50000 + 200 * i if i < 10 else 49000 + 200 * (i - 10)
    rows["youtube"].append(
        _ingestion("youtube:yt1", "ID-35", i)
        | {"subscriber_count": 2000 + i, "view_count": views, "video_count": 41 if i >= 8 else 40}
        | {"hidden_subscriber_count": False}
    )
    rows["x"].append(
        _ingestion("x:x1", "ID", i)
        | {"followers_count": 10000 + 20 * i, "following_count": 50, "tweet_count": 500 + 3 * i}
        | {"listed_count": 4, "like_count": 999}
    )
    return rows


def _fetch_log(platform: str, account_id: str, unit_code: str, i: int, status: str) -> dict:
    return {
        "account_id": account_id,
        "platform": platform,
        "unit_code": unit_code,
        "metric_date": day(i),
        "status": status,
        "error_code": None if status == "ok" else "2",
        "error_message": None if status == "ok" else "An unexpected error has occurred.",
        "http_status": 200 if status == "ok" else 500,
        "attempts": 1 if status == "ok" else 4,
        "fetched_at": fetched_at(i),
        "run_id": RUN_ID,
    }


def manual_row(
    account_id: str,
    unit_code: str,
    platform: str,
    i: int,
    taken_in: dt.datetime | None = None,
    period_days: int = 1,
    **metrics,
) -> dict:
    """A manual report row for day i (a daily row, or a week ending on day i when period_days is 7), taken in
    two hours after the API fetch unless `taken_in` says when."""
    row = _ingestion(account_id, unit_code, i, source="manual", hour=3) | {"platform": platform}
    row["fetched_at"] = taken_in or row["fetched_at"]
    row["reporting_period_days"] = period_days
    row |= {name: metrics.get(name) for name in lake.MANUAL_METRIC_NAMES}
    return row | {"report_file": f"laporan_{unit_code}_{day(i)}.xlsx", "file_sha256": "0" * 64}


def write_manual(lake_dir: Path, unit_code: str, i: int, rows: list[dict], legacy: bool = False) -> None:
    """One unit-day file; `legacy` writes it as the intake did before reporting_period_days existed."""
    schema = LEGACY_MANUAL_SCHEMA if legacy else lake.MANUAL_ACCOUNT_DAILY_SCHEMA
    table = lake.rows_to_table([{k: v for k, v in r.items() if k in schema.names} for r in rows], schema)
    lake.write_partition(table, lake.manual_partition_path(lake_dir, day(i), unit_code))


def write_day(lake_dir: Path, i: int, platforms: tuple[str, ...] | None = None) -> None:
    """Day i's platform partitions (account-days and fetch logs; only `platforms` when given) and the manual
    report files for day i, as ingestion and intake write them."""
    for platform, rows in _platform_rows(i).items():
        if platforms is not None and platform not in platforms:
            continue
        table = lake.rows_to_table(rows, lake.account_daily_schema(platform))
        lake.write_partition(table, lake.partition_path(lake_dir, platform, "account_daily", day(i)))
        logs = [_fetch_log(platform, r["account_id"], r["unit_code"], i, "ok") for r in rows]
        if platform == "instagram" and i in (3, 4):
            logs.append(_fetch_log(platform, "instagram:ig1", "ID-35.78", i, "failed"))
        if platform == "facebook" and i == 7:
            logs.append(_fetch_log(platform, "facebook:fb1", "ID-35.78", i, "auth_failed"))
        table = lake.rows_to_table(logs, lake.FETCH_LOG_SCHEMA)
        lake.write_partition(table, lake.partition_path(lake_dir, platform, "fetch_log", day(i)))
    if platforms is not None:
        return
    fb = ("facebook:fb1", "ID-35.78", "facebook")
    if i == 7:
        write_manual(lake_dir, "ID-35.78", 7, [manual_row(*fb, 7, followers_count=5036, new_posts_count=0)])
    if i == 8:
        write_manual(lake_dir, "ID-35.78", 8, [manual_row(*fb, 8, followers_count=9999, new_posts_count=7)])
    fb2 = ("facebook:fb2", "ID-11", "facebook")
    week_1 = {"followers_count": 2100, "new_posts_count": 4, "likes_count": 400, "comments_count": 41}
    week_2 = {"followers_count": 2170, "new_posts_count": 0, "likes_count": 140, "comments_count": 7}
    weekly = {
        7: manual_row(*fb2, 7, period_days=7, **week_1),
        14: manual_row(*fb2, 14, period_days=7, **week_2),
    }
    if i <= 7:
        metrics = {"followers_count": 300 + i, "posts_total_count": 50 + i, "new_posts_count": 1}
        metrics |= {"likes_count": 10, "comments_count": 1, "shares_count": 0, "saves_count": 1}
        rows = [manual_row("instagram:ig2", "ID-11", "instagram", i, **metrics)]
        write_manual(lake_dir, "ID-11", i, rows + ([weekly[i]] if i in weekly else []), legacy=i <= 3)
    if i == 14:
        write_manual(lake_dir, "ID-11", 14, [weekly[14]])


def write_lake(lake_dir: Path, through_day: int = 14) -> Path:
    for i in range(1, through_day + 1):
        write_day(lake_dir, i)
    return lake_dir
