"""The weekly leadership scorecard as a Dagster asset: one partition per ISO week (Monday to Sunday, WIB).

After each publish, declarative automation re-renders the newest week (the last complete ISO week: a week's
partition exists once its Sunday has ended in Asia/Jakarta); any past week can be rebuilt by materializing
its partition. Rendering reads only the published (serving) warehouse, read-only, so it never waits for or
blocks a running build. The pages themselves are built by `pipelines.scorecard` (no Dagster there).
"""

import dagster as dg

from pipelines.partitions import weekly_partitions
from pipelines.scorecard import render_week, scorecard_dir
from pipelines.settings import get_settings

SCORECARD_KEY = dg.AssetKey(["reports", "weekly_scorecard"])
PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])


@dg.asset(
    key=SCORECARD_KEY,
    deps=[PUBLISHED_KEY],
    partitions_def=weekly_partitions,
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
