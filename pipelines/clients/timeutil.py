"""Day boundaries: the reporting day is the calendar day in Asia/Jakarta (WIB); Meta stamps Page insights
at midnight US Pacific."""

import datetime as dt
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
PACIFIC = ZoneInfo("America/Los_Angeles")


def wib_day_start_unix(day: dt.date) -> int:
    """00:00 Asia/Jakarta of `day` as Unix seconds."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=WIB).timestamp())


def parse_meta_time(value: str) -> dt.datetime:
    """Meta timestamps look like 2026-11-21T08:00:00+0000."""
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def pacific_end_time_to_day(end_time: str) -> dt.date:
    """An insight value's end_time is midnight Pacific at the *end* of its day: take the previous day."""
    return parse_meta_time(end_time).astimezone(PACIFIC).date() - dt.timedelta(days=1)


def wib_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(WIB).date()


def pacific_day_start_unix(day: dt.date) -> int:
    """00:00 America/Los_Angeles of `day` as Unix seconds (Meta aggregates Page insights per Pacific day)."""
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=PACIFIC).timestamp())
