"""Dagster asset checks on the warehouse's data-quality tables (read from the build DuckDB, read-only).

Regional problems warn (severity WARN, never blocking): missing reports, weekly completeness, anomalies, with
the counts and the worst units in the metadata. Corruption blocks (severity ERROR, blocking): duplicate
account-days in fct_account_daily, and facts and completeness figures that disagree; the publish step waits
for blocking checks to pass.

Export for the Definitions: `dq_asset_checks` (a list). The checks share the warehouse pool with the dbt build,
so they never open the file while dbt writes it, and follow their asset by declarative automation.
"""

import contextlib

import dagster as dg

from data_quality import dq_summaries
from pipelines.settings import get_settings

WAREHOUSE_POOL = "duckdb_warehouse"  # the same pool as the dbt build (assets.warehouse)
FOLLOW_ASSET = dg.AutomationCondition.eager()


def warehouse_key(model: str) -> dg.AssetKey:
    return dg.AssetKey(["warehouse", model])


@contextlib.contextmanager
def build_connection():
    """Read-only connection to the build database (settings read now, at run time)."""
    import duckdb

    path = get_settings().build_db_path
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _json(value) -> dg.MetadataValue:
    return dg.MetadataValue.json(value)


@dg.asset_check(
    asset=warehouse_key("dq_missing_reports"),
    name="no_missing_reports_latest_day",
    description="Warns when expected account-days of the latest day have no figures (reasons, streaks, units).",
    automation_condition=FOLLOW_ASSET,
    pool=WAREHOUSE_POOL,
)
def missing_reports_check() -> dg.AssetCheckResult:
    with build_connection() as con:
        s = dq_summaries.missing_summary(con)
    return dg.AssetCheckResult(
        passed=s["missing_latest_day"] == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "latest_date": s["latest_date"] or "",
            "missing_latest_day": s["missing_latest_day"],
            "expected_latest_day": s.get("expected_latest_day", 0),
            "ongoing_streaks": s.get("ongoing_streaks", 0),
            "missing_by_reason": _json(s.get("missing_by_reason", {})),
            "longest_ongoing_streaks": _json(s.get("longest_ongoing_streaks", [])),
            "worst_units_last_7_days": _json(s.get("worst_units_last_7_days", [])),
        },
    )


@dg.asset_check(
    asset=warehouse_key("dq_unit_completeness_weekly"),
    name="no_silent_regencies_latest_week",
    description="Warns when a regency sent nothing in the latest ISO week; lists provinces under 95 %.",
    automation_condition=FOLLOW_ASSET,
    pool=WAREHOUSE_POOL,
)
def completeness_check() -> dg.AssetCheckResult:
    with build_connection() as con:
        s = dq_summaries.completeness_summary(con)
    return dg.AssetCheckResult(
        passed=s["silent_regencies"] == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "week": s["week"] or "",
            "national_completeness_pct": s.get("national_completeness_pct") or 0.0,
            "silent_regencies": s["silent_regencies"],
            "provinces_below_95_pct": s.get("provinces_below_threshold", 0),
            "worst_provinces": _json(s.get("worst_provinces", [])),
        },
    )


@dg.asset_check(
    asset=warehouse_key("dq_anomalies"),
    name="no_critical_anomalies_latest_day",
    description="Warns on critical anomaly flags on the latest day; counts of the last 7 days by type.",
    automation_condition=FOLLOW_ASSET,
    pool=WAREHOUSE_POOL,
)
def anomalies_check() -> dg.AssetCheckResult:
    with build_connection() as con:
        s = dq_summaries.anomaly_summary(con)
    return dg.AssetCheckResult(
        passed=s["critical_latest_day"] == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "latest_date": s["latest_date"] or "",
            "critical_latest_day": s["critical_latest_day"],
            "flags_last_7_days": s["flags_last_days"],
            "by_type_and_severity": _json(s.get("by_type_and_severity", {})),
            "worst_units": _json(s.get("worst_units", [])),
            "critical_examples": _json(s.get("critical_examples", [])),
            "system_events": _json(s.get("system_events", [])),
        },
    )


@dg.asset_check(
    asset=warehouse_key("fct_account_daily"),
    name="account_day_grain_unique",
    description="Blocks publishing when an account-day appears twice in fct_account_daily.",
    blocking=True,
    automation_condition=FOLLOW_ASSET,
    pool=WAREHOUSE_POOL,
)
def fact_grain_check() -> dg.AssetCheckResult:
    with build_connection() as con:
        duplicates, sample = dq_summaries.grain_duplicates(con)
    return dg.AssetCheckResult(
        passed=duplicates == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"duplicate_account_days": duplicates, "sample": _json(sample)},
    )


@dg.asset_check(
    asset=warehouse_key("dq_expected_account_days"),
    name="completeness_matches_facts",
    description="Blocks publishing when completeness counts an account-day as received that the facts lack, "
    "or the reverse.",
    blocking=True,
    additional_deps=[warehouse_key("fct_account_daily")],
    automation_condition=FOLLOW_ASSET,
    pool=WAREHOUSE_POOL,
)
def completeness_consistency_check() -> dg.AssetCheckResult:
    with build_connection() as con:
        s = dq_summaries.facts_vs_expected(con)
    return dg.AssetCheckResult(
        passed=s["received_without_fact"] == 0 and s["fact_not_counted"] == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=s,
    )


dq_asset_checks = [
    missing_reports_check,
    completeness_check,
    anomalies_check,
    fact_grain_check,
    completeness_consistency_check,
]
