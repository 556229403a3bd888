"""Partitions: one per reporting day, the calendar day in Asia/Jakarta (WIB)."""

import dagster as dg

HISTORY_START = "2025-01-01"
REPORTING_TIMEZONE = "Asia/Jakarta"

# end_offset=0: the newest partition is yesterday (WIB); today is not complete yet.
daily_partitions = dg.DailyPartitionsDefinition(start_date=HISTORY_START, timezone=REPORTING_TIMEZONE)
