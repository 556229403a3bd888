"""The scale generator writes the project's own lake (schemas and paths of pipelines.lake), a fetch log that
matches the metrics, manual unit-day files as the intake writes them, a registry of any size on the real unit
hierarchy, deterministically; landing one more day writes only what arrives that day."""

import datetime as dt
from collections import Counter

import pyarrow.parquet as pq

from pipelines import lake
from pipelines.platform_spec import PLATFORMS
from pipelines.registry import load_accounts, load_units
from pipelines.scale.generate import generate, land_day
from pipelines.scale.registry import synthetic_accounts

END = dt.date(2026, 3, 31)
STATUSES = {"ok", "failed", "auth_failed", "missing_token", "not_found", "suspended", "quota_exceeded"}


def test_national_registry_keeps_the_unit_hierarchy():
    units, accounts = synthetic_accounts(20_000, dt.date(2024, 1, 1), 1095)
    bundled_units = {u.unit_code for u in load_units()}
    assert len(accounts) == 20_000 and len({a["account_id"] for a in accounts}) == 20_000
    assert {u["unit_code"] for u in units} == bundled_units
    assert {a.account_id for a in load_accounts()} <= {a["account_id"] for a in accounts}
    per_unit = Counter(a["unit_code"] for a in accounts)
    assert per_unit["ID"] > max(per_unit[f"ID-{p}"] for p in ("11", "35")) > min(per_unit.values())
    manual_units = {a["unit_code"] for a in accounts if a["collection_method"] == "manual"}
    assert 150 <= len(manual_units) <= 300  # ~80,000 unit-day files a year, as at today's registry
    assert {a["platform"] for a in accounts} == set(PLATFORMS)


def test_small_lake_in_the_project_schemas(tmp_path):
    summary = generate(tmp_path, accounts=80, days=21, end=END, seed=5)
    lake_dir = tmp_path / "lake"
    days = [END - dt.timedelta(days=i) for i in range(21)]
    for platform in PLATFORMS:
        for day in days:
            metrics = pq.read_table(lake.partition_path(lake_dir, platform, "account_daily", day))
            log = pq.read_table(lake.partition_path(lake_dir, platform, "fetch_log", day))
            assert metrics.schema.equals(lake.account_daily_schema(platform), check_metadata=False)
            assert log.schema.equals(lake.FETCH_LOG_SCHEMA, check_metadata=False)
            assert set(log["status"].to_pylist()) <= STATUSES
            ok = {r["account_id"] for r in log.to_pylist() if r["status"] == "ok"}
            assert sorted(metrics["account_id"].to_pylist()) == sorted(ok)
            assert set(metrics["metric_date"].to_pylist()) <= {day}
    manual_files = list((lake_dir / "manual" / "account_daily").glob("date=*/unit_code=*/data.parquet"))
    assert len(manual_files) == summary["manual_files"] > 0
    for path in manual_files:
        table = pq.read_table(path)
        assert table.schema.equals(lake.MANUAL_ACCOUNT_DAILY_SCHEMA, check_metadata=False)
        (day,) = set(table["metric_date"].to_pylist())
        (unit,) = set(table["unit_code"].to_pylist())
        assert path == lake.manual_partition_path(lake_dir, day, unit)
        periods = set(table["reporting_period_days"].to_pylist())
        assert periods in ({1}, {7}) and (periods == {1} or day.weekday() == 6)
        assert day <= END and min(table["fetched_at"].to_pylist()).date() > day  # reported after the day
    assert summary["statuses"]["ok"] > 0.9 * sum(summary["statuses"].values())


def test_same_seed_same_lake_and_landing_a_day_adds_only_that_day(tmp_path):
    generate(tmp_path / "a", accounts=40, days=14, end=END, seed=9)
    generate(tmp_path / "b", accounts=40, days=14, end=END, seed=9)
    for path in sorted((tmp_path / "a" / "lake").rglob("*.parquet")):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert pq.read_table(path).equals(pq.read_table(twin)), path
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "a" / "lake").rglob("*.parquet")}
    landed = land_day(tmp_path / "a")
    assert landed["day"] == (END + dt.timedelta(days=1)).isoformat() and landed["partitions"] == 10
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "a" / "lake").rglob("*.parquet")}
    assert all(after[p] == t for p, t in before.items())  # nothing rewritten
    new = set(after) - set(before)
    assert len(new) == landed["partitions"] + landed["manual_files"]
    assert all("date=2026-04-01" in str(p) for p in new if "/manual/" not in str(p))
