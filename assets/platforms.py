"""Ingestion assets: one per platform, daily partitions (WIB), writing the raw lake.

Each produces two lake tables — `raw/<platform>/account_daily` (metrics) and `raw/<platform>/fetch_log` (one
outcome per account) — and carries a blocking ingestion-gate check: a partition that fails the Great
Expectations suite is quarantined and never reaches the marts. A warning check reports metric drift: fields the
platform refused during the run (dropped, the rest fetched). A backfill runs as one run over its whole range.
"""

import datetime as dt

import dagster as dg
import pyarrow as pa

from data_quality.checks.ingestion import drift_check_result, drift_check_spec
from pipelines.clients import RefusedFields
from pipelines.ingest import IngestSummary, ingest_platform_days
from pipelines.partitions import daily_partitions
from pipelines.platform_spec import PLATFORMS, spec
from pipelines.resources import PlatformApiResource
from pipelines.settings import get_settings

GATE_CHECK = "ingestion_gate"


class IngestConfig(dg.Config):
    retry_failed_only: bool = False  # fetch again only accounts whose last outcome was retryable (see sensor)


def account_daily_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "account_daily"])


def fetch_log_key(platform: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", platform, "fetch_log"])


def gx_gate(table: pa.Table, platform: str, day: dt.date) -> tuple[bool, dict]:
    from data_quality.raw_partition_suite import validate_account_daily

    result = validate_account_daily(table.to_pandas(), platform, day)
    return result.success, {"failures": result.failures, "statistics": result.statistics}


def _metadata(summaries: list[IngestSummary]) -> dict:
    statuses: dict[str, int] = {}
    for s in summaries:
        for status, n in s.outcomes_by_status.items():
            statuses[status] = statuses.get(status, 0) + n
    failed = [f | {"day": s.day.isoformat()} for s in summaries for f in s.failed_accounts]
    return {
        "days": len(summaries),
        "retry_failed_only": any(s.retry_failed_only for s in summaries),
        "rows": sum(s.rows_written for s in summaries),
        "accounts_expected": sum(s.accounts_expected for s in summaries),
        "accounts_fetched": statuses.get("ok", 0),
        "accounts_failed": sum(n for st, n in statuses.items() if st != "ok"),
        "outcomes_by_status": dg.MetadataValue.json(statuses),
        "requests_made": sum(s.requests_made for s in summaries),
        "retries": sum(s.retries for s in summaries),
        "throttled_responses": sum(s.throttled for s in summaries),
        "fetch_seconds": round(sum(s.seconds for s in summaries), 2),
        "history_days": sum(s.history for s in summaries),  # live fetches of past days (partial rows)
        "days_without_history": dg.MetadataValue.json([s.day.isoformat() for s in summaries if s.skipped]),
        "failed_accounts_sample": dg.MetadataValue.json(failed[:20]),
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
                group_name="ingestion_api",
                kinds={"python", "parquet"},
                partitions_def=daily_partitions,
            ),
            dg.AssetSpec(
                log_key,
                description=f"Outcome of every {platform} account fetch (ok, failed, auth_failed, missing_token, "
                "not_found, suspended, quota_exceeded, permission_denied, rate_limited) with the error and "
                "retry_at, per WIB day.",
                group_name="ingestion_api",
                kinds={"python", "parquet"},
                partitions_def=daily_partitions,
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
        settings = get_settings()
        client_config = platform_api.client_config(platform)
        days = [dt.date.fromisoformat(k) for k in context.partition_keys]
        refused = RefusedFields()  # a field refused on one day is not asked for again on the next
        summaries = ingest_platform_days(
            platform,
            days,
            settings=settings,
            client_config=client_config,
            run_id=context.run_id,
            gate=gx_gate,
            retry_failed_only=config.retry_failed_only,
            refused=refused,
        )
        for summary in summaries:
            context.log.info(
                summary.skipped
                or f"{platform} {summary.day}: {summary.rows_written}/{summary.accounts_expected} accounts, "
                f"{summary.requests_made} requests, outcomes {summary.outcomes_by_status}"
                + (
                    f"; history fetch, left null: {', '.join(summary.not_backfilled)}"
                    if summary.history
                    else ""
                )
            )
        meta = _metadata(summaries)
        paths = next((s.paths for s in reversed(summaries) if s.paths), {})  # none when no day had history
        data_path = {"path": dg.MetadataValue.path(paths["account_daily"])} if paths else {}
        log_path = {"path": dg.MetadataValue.path(paths["fetch_log"])} if paths else {}
        yield dg.MaterializeResult(
            asset_key=metrics_key,
            metadata={
                **meta,
                **data_path,
                "dagster/row_count": meta["rows"],
            },
        )
        yield dg.MaterializeResult(
            asset_key=log_key,
            metadata={
                "rows": meta["accounts_expected"],
                **log_path,
                "outcomes_by_status": meta["outcomes_by_status"],
            },
        )
        yield drift_check_result(metrics_key, refused.snapshot())
        bad = [s for s in summaries if not s.gate_passed]
        yield dg.AssetCheckResult(
            asset_key=metrics_key,
            check_name=GATE_CHECK,
            passed=not bad,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "partitions_checked": len(summaries),
                "partitions_quarantined": [s.day.isoformat() for s in bad],
                "failures": dg.MetadataValue.json([s.gate_details.get("failures", []) for s in bad][:5]),
            },
        )

    return _ingest


platform_assets = [build_platform_asset(p) for p in PLATFORMS]
