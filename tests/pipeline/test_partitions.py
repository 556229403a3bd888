"""The daily partitions start where the data starts (a fresh demo reads 100 % filled, not 1 %)."""

import datetime as dt

import pyarrow as pa

from pipelines.lake import partition_path, write_partition
from pipelines.partitions import history_start
from pipelines.settings import get_settings, yesterday_wib


def test_an_empty_lake_starts_at_the_backfill_window(data_dir, monkeypatch):
    monkeypatch.delenv("MEDSOS_HISTORY_START", raising=False)
    monkeypatch.setenv("MEDSOS_BACKFILL_DAYS", "28")
    assert history_start() == yesterday_wib() - dt.timedelta(days=27)


def test_a_lake_starts_at_its_earliest_day(data_dir, monkeypatch):
    monkeypatch.delenv("MEDSOS_HISTORY_START", raising=False)
    lake = get_settings().lake_dir
    for platform, day in (("tiktok", dt.date(2026, 3, 9)), ("youtube", dt.date(2026, 2, 1))):
        write_partition(pa.table({"x": [1]}), partition_path(lake, platform, "account_daily", day))
    assert history_start() == dt.date(2026, 2, 1)


def test_the_setting_wins(data_dir, monkeypatch):
    monkeypatch.setenv("MEDSOS_HISTORY_START", "2025-07-01")
    assert history_start() == dt.date(2025, 7, 1)
