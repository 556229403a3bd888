"""Ingestion assets: one per platform, daily partitions (WIB), writing the raw lake.

Each produces two lake tables — `raw/<platform>/account_daily` (metrics) and `raw/<platform>/fetch_log` (one
outcome per account) — and carries a blocking ingestion-gate check: a partition that fails the Great
Expectations suite is quarantined and never reaches the marts. A warning check reports metric drift: fields the
platform refused during the run (dropped, the rest fetched). A backfill runs as one run over its whole range,
and records each day as its own materialization as soon as that day has landed.
"""

import datetime as dt

import dagster as dg
import pyarrow as pa

from data_quality.checks.ingestion import drift_check_result, drift_check_spec
from data_quality.raw_partition_suite import validate_account_daily
from pipelines.asset_keys import INGESTION_API_GROUP, account_daily_key, fetch_log_key
from pipelines.clients import RefusedFields
from pipelines.ingest import IngestSummary, iter_platform_days
from pipelines.partitions import daily_partitions
from pipelines.platform_spec import PLATFORMS, spec
from pipelines.resources import PlatformApiResource
from pipelines.settings import get_settings

GATE_CHECK = "ingestion_gate"


class IngestConfig(dg.Config):
    retry_failed_only: bool = False  # fetch again only accounts whose last outcome was retryable (see sensor)


def gx_gate(table: pa.Table, platform: str, day: dt.date) -> tuple[bool, dict]:
    result = validate_account_daily(table.to_pandas(), platform, day)
    return result.success, {"failures": result.failures, "statistics": result.statistics}


def _path(summary: IngestSummary, table: str) -> dict:
    # a day skipped (no history for it on a live API) wrote no file
    return {"path": dg.MetadataValue.path(summary.paths[table])} if table in summary.paths else {}


def day_metadata(summary: IngestSummary) -> dict:
    """What one partition's materialization of `raw/<platform>/account_daily` shows: that day's figures only."""
    return {
        "day": summary.day.isoformat(),
        "rows": summary.rows_written,
        "dagster/row_count": summary.rows_written,
        "accounts_expected": summary.accounts_expected,
        "accounts_fetched": summary.outcomes_by_status.get("ok", 0),
        "accounts_failed": summary.accounts_failed,
        "outcomes_by_status": dg.MetadataValue.json(summary.outcomes_by_status),
        "requests_made": summary.requests_made,
        "retries": summary.retries,
        "throttled_responses": summary.throttled,
        "fetch_seconds": summary.seconds,
        "retry_failed_only": summary.retry_failed_only,
        "history_fetch": summary.history,  # a live fetch of a past day: lifetime counters left null
        "not_backfilled": ", ".join(summary.not_backfilled),
        "skipped": summary.skipped or "",
        "quarantined": not summary.gate_passed,
        "failed_accounts_sample": dg.MetadataValue.json(summary.failed_accounts[:20]),
        **_path(summary, "account_daily"),
    }


def fetch_log_metadata(summary: IngestSummary) -> dict:
    attempted = sum(summary.outcomes_by_status.values())
    return {
        "day": summary.day.isoformat(),
        "rows": attempted,
        "dagster/row_count": attempted,
        "outcomes_by_status": dg.MetadataValue.json(summary.outcomes_by_status),
        **_path(summary, "fetch_log"),
    }


def build_platform_asset(platform: str) -> dg.AssetsDefinition:
    metrics_key, log_key = account_daily_key(platform), fetch_log_key(platform)

    @dg.multi_asset(
        name=f"ingest_{platform}",
        specs=[
            dg.AssetSpec(
                metrics_key,
                description=f"Account-day metrics from the {spec(platform).title}, platform-native fields, "
                f"one Parquet partition per WIB day: lake/{platform}/account_daily/date=YYYY-MM-DD.",
                group_name=INGESTION_API_GROUP,
                kinds={"python", "parquet"},
                partitions_def=daily_partitions,
                skippable=True,  # materialized day by day below, not through the op's output
            ),
            dg.AssetSpec(
                log_key,
                description=f"Outcome of every {platform} account fetch (ok, failed, auth_failed, missing_token, "
                "not_found, suspended, quota_exceeded, permission_denied, rate_limited) with the error and "
                "retry_at, per WIB day.",
                group_name=INGESTION_API_GROUP,
                kinds={"python", "parquet"},
                partitions_def=daily_partitions,
                skippable=True,
            ),
        ],
        check_specs=[
            dg.AssetCheckSpec(
                GATE_CHECK,
                asset=metrics_key,
                blocking=True,
                description="Great Expectations suite on each raw partition: schema, keys, non-negative and "
                "plausible counts, one row per account-day. Failing partitions are quarantined.",
            ),
            drift_check_spec(metrics_key),
        ],
        backfill_policy=dg.BackfillPolicy.single_run(),
        op_tags={"platform": platform},
    )
    def _ingest(context: dg.AssetExecutionContext, config: IngestConfig, platform_api: PlatformApiResource):
        # A backfill is one run over its whole range, yet each day is recorded as its own materialization as
        # soon as it lands, with that day's figures: the UI shows per-day progress and true per-day metadata
        # (an output would only be recorded at the end of the step, with the same metadata for every day).
        settings = get_settings()
        client_config = platform_api.client_config(platform)
        refused = RefusedFields()  # a field refused on one day is not asked for again on the next
        summaries = iter_platform_days(
            platform,
            [dt.date.fromisoformat(k) for k in context.partition_keys],
            settings=settings,
            client_config=client_config,
            run_id=context.run.run_id,
            gate=gx_gate,
            retry_failed_only=config.retry_failed_only,
            refused=refused,
        )
        quarantined = []
        for summary in summaries:
            key = summary.day.isoformat()
            context.log.info(
                summary.skipped
                or f"{platform} {key}: {summary.rows_written}/{summary.accounts_expected} accounts, "
                f"{summary.requests_made} requests, outcomes {summary.outcomes_by_status}"
                + (
                    f"; history fetch, left null: {', '.join(summary.not_backfilled)}"
                    if summary.history
                    else ""
                )
            )
            yield dg.AssetMaterialization(
                asset_key=metrics_key, partition=key, metadata=day_metadata(summary)
            )
            yield dg.AssetMaterialization(
                asset_key=log_key, partition=key, metadata=fetch_log_metadata(summary)
            )
            if not summary.gate_passed:
                quarantined.append((key, summary.gate_details.get("failures", [])))
        yield drift_check_result(metrics_key, refused.snapshot())
        yield dg.AssetCheckResult(
            asset_key=metrics_key,
            check_name=GATE_CHECK,
            passed=not quarantined,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "partitions_checked": len(context.partition_keys),
                "partitions_quarantined": [key for key, _ in quarantined],
                "failures": dg.MetadataValue.json([failures for _, failures in quarantined][:5]),
            },
        )

    return _ingest


platform_assets = [build_platform_asset(p) for p in PLATFORMS]
