"""Post ingestion assets: one per platform, daily partitions (WIB), writing `raw/<platform>/posts` (post-day
grain) and, where the API exposes the account's replies, `raw/<platform>/comments`; the outcome per account
goes to `lake/<platform>/posts_fetch_log`. A blocking Great Expectations gate quarantines bad partitions.
Same group as the account-day ingestion: the daily schedule, backfills and `make run` fetch posts too.
"""

import datetime as dt

import dagster as dg

from pipelines.asset_keys import comments_key, posts_key
from pipelines.ingest_posts import PostIngestSummary, ingest_posts_day
from pipelines.partitions import daily_partitions
from pipelines.platform_spec import PLATFORMS, spec
from pipelines.platform_spec.posts import post_spec
from pipelines.resources import PlatformApiResource
from pipelines.settings import get_settings

POSTS_GATE_CHECK = "posts_ingestion_gate"


def post_gate(entity, table, platform: str, day: dt.date) -> tuple[bool, dict]:
    from data_quality.post_partition_suite import post_gate as gate

    return gate(entity, table, platform, day)


def _metadata(summaries: list[PostIngestSummary]) -> dict:
    statuses: dict[str, int] = {}
    for s in summaries:
        for status, n in s.outcomes_by_status.items():
            statuses[status] = statuses.get(status, 0) + n
    failed = [f | {"day": s.day.isoformat()} for s in summaries for f in s.failed_accounts]
    return {
        "days": len(summaries),
        "observe_days": summaries[0].observe_days if summaries else None,
        "posts_rows": sum(s.posts_written for s in summaries),
        "comments_rows": sum(s.comments_written for s in summaries),
        "accounts_fetched": statuses.get("ok", 0),
        "accounts_failed": sum(n for st, n in statuses.items() if st != "ok"),
        "outcomes_by_status": dg.MetadataValue.json(statuses),
        "requests_made": sum(s.requests_made for s in summaries),
        "retries": sum(s.retries for s in summaries),
        "fetch_seconds": round(sum(s.seconds for s in summaries), 2),
        "days_skipped": dg.MetadataValue.json([s.day.isoformat() for s in summaries if s.skipped]),
        "failed_accounts_sample": dg.MetadataValue.json(failed[:20]),
    }


def build_posts_asset(platform: str) -> dg.AssetsDefinition:
    title = spec(platform).title
    with_comments = post_spec(platform).comments
    specs = [
        dg.AssetSpec(
            posts_key(platform),
            description=f"Recent posts from the {title} with their lifetime metrics as observed each day, for "
            f"MEDSOS_POST_OBSERVE_DAYS days after publication: lake/{platform}/posts/date=YYYY-MM-DD.",
            group_name="ingestion_api",
            kinds={"python", "parquet"},
            partitions_def=daily_partitions,
        )
    ]
    if with_comments:
        specs.append(
            dg.AssetSpec(
                comments_key(platform),
                description=f"Top-level comments on recent {title} posts: ids, times and whether the account "
                f"answered (no commenter, no text): lake/{platform}/comments/date=YYYY-MM-DD.",
                group_name="ingestion_api",
                kinds={"python", "parquet"},
                partitions_def=daily_partitions,
            )
        )

    @dg.multi_asset(
        name=f"ingest_{platform}_posts",
        specs=specs,
        check_specs=[
            dg.AssetCheckSpec(
                POSTS_GATE_CHECK,
                asset=posts_key(platform),
                blocking=True,
                description="Great Expectations suites on each posts (and comments) partition: schema, one row "
                "per post and day, known content types, non-negative counts, answers after comments. Failing "
                "partitions are quarantined.",
            )
        ],
        backfill_policy=dg.BackfillPolicy.single_run(),
        op_tags={"platform": platform},
    )
    def _ingest_posts(context: dg.AssetExecutionContext, platform_api: PlatformApiResource):
        settings = get_settings()
        client_config = platform_api.client_config(platform)
        summaries = []
        for key in context.partition_keys:
            s = ingest_posts_day(
                platform,
                dt.date.fromisoformat(key),
                settings=settings,
                client_config=client_config,
                run_id=context.run.run_id,
                gate=post_gate,
            )
            context.log.info(
                s.skipped
                or f"{platform} posts {s.day}: {s.posts_written} post rows, {s.comments_written} comments, "
                f"{s.requests_made} requests, outcomes {s.outcomes_by_status}"
            )
            summaries.append(s)
        meta = _metadata(summaries)
        paths = next((s.paths for s in reversed(summaries) if s.paths), {})
        yield dg.MaterializeResult(
            asset_key=posts_key(platform),
            metadata={
                **meta,
                **({"path": dg.MetadataValue.path(paths["posts"])} if "posts" in paths else {}),
                "dagster/row_count": meta["posts_rows"],
            },
        )
        if with_comments:
            yield dg.MaterializeResult(
                asset_key=comments_key(platform),
                metadata={
                    "rows": meta["comments_rows"],
                    **({"path": dg.MetadataValue.path(paths["comments"])} if "comments" in paths else {}),
                    "dagster/row_count": meta["comments_rows"],
                },
            )
        bad = [(s.day.isoformat(), e) for s in summaries for e, ok in s.gate_passed.items() if not ok]
        yield dg.AssetCheckResult(
            asset_key=posts_key(platform),
            check_name=POSTS_GATE_CHECK,
            passed=not bad,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "partitions_checked": sum(len(s.gate_passed) for s in summaries),
                "partitions_quarantined": dg.MetadataValue.json(bad),
                "failures": dg.MetadataValue.json(
                    [
                        s.gate_details[e].get("failures", [])
                        for s in summaries
                        for e, ok in s.gate_passed.items()
                        if not ok
                    ][:5]
                ),
            },
        )

    return _ingest_posts


posts_assets = [build_posts_asset(p) for p in PLATFORMS]
