"""The weekly leadership scorecard as a Dagster asset: one partition per ISO week (Monday to Sunday, WIB).

After each publish, declarative automation re-renders the newest week (the last complete ISO week: a week's
partition exists once its Sunday has ended in Asia/Jakarta); any past week can be rebuilt by materializing
its partition. Rendering reads only the published (serving) warehouse, read-only, so it never waits for or
blocks a running build. The pages themselves are built by `pipelines.scorecard` (no Dagster there).
"""

import os
from pathlib import Path

import dagster as dg

from pipelines.scorecard import render_week
from pipelines.settings import get_settings

SCORECARD_DIR_ENV = "MEDSOS_SCORECARD_DIR"
SCORECARD_KEY = dg.AssetKey(["reports", "weekly_scorecard"])

# ISO weeks: Monday start (day_offset=1), the reporting zone's calendar; the first is 2025-W01.
scorecard_weeks = dg.WeeklyPartitionsDefinition(
    start_date="2024-12-30", day_offset=1, timezone="Asia/Jakarta"
)


def scorecard_dir() -> Path:
    """Where the pages go: MEDSOS_SCORECARD_DIR, else <data>/scorecards (read at run time)."""
    return Path(os.environ.get(SCORECARD_DIR_ENV) or get_settings().data_dir / "scorecards").resolve()


@dg.asset(
    key=SCORECARD_KEY,
    deps=[dg.AssetKey(["warehouse", "published"])],
    partitions_def=scorecard_weeks,
    group_name="scorecard",
    kinds={"html"},
    automation_condition=dg.AutomationCondition.eager(),
    description="The weekly leadership scorecard: national and per-province static HTML pages (Bahasa "
    "Indonesia and English) of one ISO week, from the published warehouse; and the index of all weeks.",
)
def weekly_scorecard(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    week_start = context.partition_time_window.start.date()
    out_dir = scorecard_dir()
    result = render_week(get_settings().serving_db_path, week_start, out_dir)
    if result is None:
        raise dg.Failure(
            f"The published warehouse holds no day of the week starting {week_start}: "
            "fetch (or backfill) that week and publish before building its scorecard."
        )
    context.log.info(
        f"{result.week.label}: {len(result.pages)} pages in {result.seconds} s, national page "
        f"{result.national_bytes / 1024:.0f} KiB at {result.national_page}"
    )
    return dg.MaterializeResult(
        metadata={
            "iso_week": result.week.label,
            "is_complete_week": result.week.is_complete,
            "national_page": dg.MetadataValue.path(str(result.national_page)),
            "open_national_page": dg.MetadataValue.url(result.national_page.as_uri()),
            "index_page": dg.MetadataValue.path(str(out_dir / "index.html")),
            "preview": dg.MetadataValue.md(result.markdown),
            "pages": len(result.pages),
            "render_seconds": result.seconds,
            "national_page_kib": round(result.national_bytes / 1024, 1),
            "largest_page_kib": round(max(result.page_bytes.values()) / 1024, 1),
        }
    )
