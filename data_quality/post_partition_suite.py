"""The ingestion gate of post-day and comment partitions: Great Expectations suites on the partition's DataFrame.

Same machinery as the account-day gate (`raw_partition_suite`: ephemeral context, object-dtype frame, failures
with sample rows); GX is imported on first use only. A failing partition is written to `_quarantine/`.

    result = validate_posts(df, "instagram", date(2026, 1, 5))        # or validate_comments(...)
"""

import datetime as dt
import functools
import time

import pandas as pd

from data_quality.raw_partition_suite import (
    GateResult,
    _context,
    _validation_frame,
    add_ingestion_expectations,
    run_suite,
)
from pipelines import lake
from pipelines.platform_spec.posts import CONTENT_TYPES, POST_METRICS

# A post with more than ten billion views is a unit error, not a viral post.
POST_COUNT_MAX = 10_000_000_000
MAX_AGE_DAYS = 366  # MEDSOS_POST_OBSERVE_DAYS is capped below this


def build_suite(entity: str, platform: str):
    import great_expectations as gx
    import great_expectations.expectations as gxe

    suite = gx.ExpectationSuite(name=f"raw_{platform}_{entity}")
    add = suite.add_expectation
    add_ingestion_expectations(suite, lake.POST_ENTITIES[entity], platform)
    if entity == "posts":
        add(gxe.ExpectColumnValuesToBeUnique(column="post_id"))  # a post once per observed day
        add(gxe.ExpectColumnValuesToBeInSet(column="content_type", value_set=list(CONTENT_TYPES)))
        add(gxe.ExpectColumnValuesToBeBetween(column="age_days", min_value=0, max_value=MAX_AGE_DAYS))
        for m in POST_METRICS:
            add(gxe.ExpectColumnValuesToBeBetween(column=m, min_value=0, max_value=POST_COUNT_MAX))
        add(gxe.ExpectColumnValuesToBeBetween(column="duration_s", min_value=0, max_value=7 * 86400))
    else:
        add(gxe.ExpectColumnValuesToBeUnique(column="comment_id"))
        add(gxe.ExpectColumnValuesToBeBetween(column="reply_count", min_value=0, max_value=1_000_000))
        # An answer comes after the comment it answers.
        add(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="first_account_reply_at",
                column_B="commented_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    return suite


@functools.cache
def _suite_and_batch(entity: str, platform: str):
    context = _context()
    suite = context.suites.add(build_suite(entity, platform))
    asset = context.data_sources.get("raw_partitions").add_dataframe_asset(f"{platform}_{entity}")
    return suite, asset.add_batch_definition_whole_dataframe("whole_partition")


def validate(entity: str, df: pd.DataFrame, platform: str, day: dt.date) -> GateResult:
    started = time.perf_counter()
    frame = _validation_frame(df)
    run, failures = run_suite(lambda: _suite_and_batch(entity, platform), frame, day)
    stats = run.statistics
    return GateResult(
        success=bool(run.success),
        failures=failures,
        statistics={
            "platform": platform,
            "entity": entity,
            "partition_day": day.isoformat(),
            "row_count": len(frame),
            "evaluated_expectations": int(stats["evaluated_expectations"]),
            "unsuccessful_expectations": int(stats["unsuccessful_expectations"]),
            "seconds": round(time.perf_counter() - started, 4),
        },
    )


def validate_posts(df: pd.DataFrame, platform: str, day: dt.date) -> GateResult:
    return validate("posts", df, platform, day)


def validate_comments(df: pd.DataFrame, platform: str, day: dt.date) -> GateResult:
    return validate("comments", df, platform, day)


def post_gate(entity: str, table, platform: str, day: dt.date) -> tuple[bool, dict]:
    """The ingestion gate signature for post partitions: (passed, details)."""
    result = validate(entity, table.to_pandas(), platform, day)
    return result.success, {"failures": result.failures, **result.statistics}
