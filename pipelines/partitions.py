"""Partitions: one per reporting day, the calendar day in Asia/Jakarta (WIB), starting where the data starts;
one per ISO week for the scorecard.

The first partition is fixed when the code location loads (a partitions definition cannot change during a
run): `MEDSOS_HISTORY_START` (YYYY-MM-DD) if set, else the earliest day already in the lake, else the first
day of the initial backfill window (`MEDSOS_BACKFILL_DAYS`, default 28, ending yesterday). So a fresh demo
reads 100 % filled instead of 1 %, and an existing lake keeps all its days.
"""

import datetime as dt
import os

import dagster as dg

from pipelines.platform_spec import PLATFORMS
from pipelines.settings import Settings, get_settings, yesterday_wib

REPORTING_TIMEZONE = "Asia/Jakarta"


def backfill_days() -> int:
    return int(os.environ.get("MEDSOS_BACKFILL_DAYS", "28"))


def earliest_lake_day(settings: Settings) -> dt.date | None:
    """The first day any platform's lake holds: a day partition `date=D`, or a compacted month `month=YYYY-MM`."""
    days = [
        entry.name.removeprefix("date=") if entry.name.startswith("date=") else entry.name[6:] + "-01"
        for platform in PLATFORMS
        if (settings.lake_dir / platform / "account_daily").is_dir()
        for entry in (settings.lake_dir / platform / "account_daily").iterdir()
        if entry.name.startswith(("date=", "month="))
    ]
    return dt.date.fromisoformat(min(days)) if days else None


def history_start(settings: Settings | None = None) -> dt.date:
    if os.environ.get("MEDSOS_HISTORY_START"):
        return dt.date.fromisoformat(os.environ["MEDSOS_HISTORY_START"])
    window_start = yesterday_wib() - dt.timedelta(days=backfill_days() - 1)
    return earliest_lake_day(settings or get_settings()) or window_start


# end_offset=0: the newest partition is yesterday (WIB); today is not complete yet.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=history_start().isoformat(), timezone=REPORTING_TIMEZONE
)

# ISO weeks (Monday to Sunday, WIB) for the weekly scorecard; the newest partition is the last complete week.
weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date="2024-12-30", day_offset=1, timezone=REPORTING_TIMEZONE
)
