"""Partitions: one per reporting day, the calendar day in Asia/Jakarta (WIB); one per ISO week (scorecard)."""

import dagster as dg

HISTORY_START = "2025-01-01"
REPORTING_TIMEZONE = "Asia/Jakarta"

# end_offset=0: the newest partition is yesterday (WIB); today is not complete yet.
daily_partitions = dg.DailyPartitionsDefinition(start_date=HISTORY_START, timezone=REPORTING_TIMEZONE)

# ISO weeks (Monday to Sunday, WIB) for the weekly scorecard; the newest partition is the last complete week.
weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date="2024-12-30", day_offset=1, timezone=REPORTING_TIMEZONE
)
