"""Dagster asset checks on the warehouse's data-quality tables (read from the build DuckDB, read-only).

Regional problems warn (severity WARN, never blocking): missing reports, weekly completeness, anomalies, with
the counts and the worst units in the metadata. Corruption blocks (severity ERROR, blocking): duplicate
account-days in fct_account_daily, and facts and completeness figures that disagree; the publish step waits
for blocking checks to pass.

The checks share the warehouse pool with the dbt build, so they never open the file while dbt writes it, and
follow their asset by declarative automation.
"""

import contextlib

import dagster as dg
import duckdb

from data_quality import dq_summaries
from pipelines.asset_keys import WAREHOUSE_POOL, warehouse_key
from pipelines.settings import get_settings

FOLLOW_ASSET = dg.AutomationCondition.eager()


@contextlib.contextmanager
def build_connection():
    """Read-only connection to the build database (settings read now, at run time)."""
    path = get_settings().build_db_path
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _json(value) -> dg.MetadataValue:
    return dg.MetadataValue.json(value)


def warehouse_check(model: str, name: str, description: str, *, blocking: bool = False, also_reads=()):
    """An asset check on a warehouse model: read-only on the build file, in the warehouse pool, by automation."""
    return dg.asset_check(
        asset=warehouse_key(model),
        name=name,
        description=description,
        blocking=blocking,
        additional_deps=[warehouse_key(m) for m in also_reads],
        automation_condition=FOLLOW_ASSET,
        pool=WAREHOUSE_POOL,
    )


def shown(summary: dict, **defaults) -> dict:
    """The summary's values under their own names (a default when absent; lists and dicts as JSON)."""
    values = {key: default if summary.get(key) is None else summary[key] for key, default in defaults.items()}
    return {k: _json(v) if isinstance(v, list | dict) else v for k, v in values.items()}


def summarize(summary):
    with build_connection() as con:
        return summary(con)


def result(passed: bool, blocking: bool, metadata: dict) -> dg.AssetCheckResult:
    severity = dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata)


@warehouse_check(
    "dq_missing_reports",
    "no_missing_reports_latest_day",
    "Warns when expected account-days of the latest day have no figures (reasons, streaks, units).",
)
def missing_reports_check() -> dg.AssetCheckResult:
    s = summarize(dq_summaries.missing_summary)
    metadata = shown(
        s,
        latest_date="",
        missing_latest_day=0,
        expected_latest_day=0,
        ongoing_streaks=0,
        missing_by_reason={},
        longest_ongoing_streaks=[],
        worst_units_last_7_days=[],
    )
    return result(s["missing_latest_day"] == 0, blocking=False, metadata=metadata)


@warehouse_check(
    "dq_unit_completeness_weekly",
    "no_silent_regencies_latest_week",
    "Warns when a regency sent nothing in the latest ISO week; lists provinces under 95 %.",
)
def completeness_check() -> dg.AssetCheckResult:
    s = summarize(dq_summaries.completeness_summary)
    metadata = shown(s, week="", national_completeness_pct=0.0, silent_regencies=0, worst_provinces=[])
    metadata["provinces_below_95_pct"] = s.get("provinces_below_threshold", 0)
    return result(s["silent_regencies"] == 0, blocking=False, metadata=metadata)


@warehouse_check(
    "dq_anomalies",
    "no_critical_anomalies_latest_day",
    "Warns on critical anomaly flags on the latest day; counts of the last 7 days by type.",
)
def anomalies_check() -> dg.AssetCheckResult:
    s = summarize(dq_summaries.anomaly_summary)
    metadata = shown(
        s,
        latest_date="",
        critical_latest_day=0,
        by_type_and_severity={},
        worst_units=[],
        critical_examples=[],
        system_events=[],
    )
    metadata["flags_last_7_days"] = s["flags_last_days"]
    return result(s["critical_latest_day"] == 0, blocking=False, metadata=metadata)


@warehouse_check(
    "fct_account_daily",
    "account_day_grain_unique",
    "Blocks publishing when an account-day appears twice in fct_account_daily.",
    blocking=True,
)
def fact_grain_check() -> dg.AssetCheckResult:
    duplicates, sample = summarize(dq_summaries.grain_duplicates)
    return result(
        duplicates == 0,
        blocking=True,
        metadata={"duplicate_account_days": duplicates, "sample": _json(sample)},
    )


@warehouse_check(
    "dq_expected_account_days",
    "completeness_matches_facts",
    "Blocks publishing when completeness counts an account-day as received that the facts lack, "
    "or the reverse.",
    blocking=True,
    also_reads=["fct_account_daily"],
)
def completeness_consistency_check() -> dg.AssetCheckResult:
    s = summarize(dq_summaries.facts_vs_expected)
    return result(
        s["received_without_fact"] == 0 and s["fact_not_counted"] == 0,
        blocking=True,
        metadata=s,
    )
