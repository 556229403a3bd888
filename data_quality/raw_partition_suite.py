"""The ingestion gate: Great Expectations suites that a raw account-day partition must pass before it is written.

One suite per platform, kept as code and built from the lake schemas (`pipelines.lake`) and the bounds in
`raw_partition_rules`. GX runs on the partition's pandas DataFrame (GX 1.x cannot validate DuckDB SQL).
GX is imported on first use only (the import takes seconds); the ephemeral context, datasource and suites
are built once per process and reused, so a call costs tens of milliseconds.

    result = validate_account_daily(df, "instagram", date(2026, 1, 5))
    if not result.success: ...  # quarantine the partition; result.failures says why, with sample rows
"""

import datetime as dt
import functools
import math
import os
import threading
import time
from dataclasses import dataclass, field

import pandas as pd

from data_quality import raw_partition_rules as rules

KEY_COLUMNS = ["account_id", "metric_date"]
SAMPLE_ROWS = 5
# Failures are listed schema first: when columns are missing, the later failures are consequences.
_RANK = {
    "expect_table_columns_to_match_set": 0,
    "expect_column_values_to_be_in_type_list": 1,
    "expect_column_values_to_not_be_null": 2,
}
_LOCK = threading.Lock()  # GX contexts are not thread-safe; partitions are small, so serialise


@dataclass
class GateResult:
    success: bool
    failures: list[dict] = field(default_factory=list)
    statistics: dict = field(default_factory=dict)


@functools.cache
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # offline; never phone home
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("raw_partitions")
    return context


def build_suite(platform: str):
    """The GX ExpectationSuite for one platform's account_daily partitions (not yet added to a context)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    from data_quality.gx_ratio_expectation import ratio_expectation_class

    suite = gx.ExpectationSuite(name=f"raw_{platform}_account_daily")
    add = suite.add_expectation
    add_ingestion_expectations(suite, rules.schema(platform), platform)
    add(gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY_COLUMNS))
    for column, upper in rules.UPPER_BOUNDS[platform].items():
        add(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=upper))
    ratio_cls = ratio_expectation_class()
    for flow, audience in rules.FLOW_VS_AUDIENCE[platform]:
        add(
            ratio_cls(
                column_A=flow, column_B=audience, ratio=rules.FLOW_PER_FOLLOWER_MAX, offset=rules.FLOW_OFFSET
            )
        )
    return suite


def add_ingestion_expectations(suite, schema, platform: str) -> None:
    """What every raw lake partition of a platform must hold: exactly the schema's columns with their types,
    no nulls where the schema forbids them, the platform's account ids, a known source, the partition's day."""
    import great_expectations.expectations as gxe

    add = suite.add_expectation
    add(gxe.ExpectTableColumnsToMatchSet(column_set=schema.names, exact_match=True))
    for f in schema:
        type_list = rules.gx_type_list(f.type)
        if type_list:
            add(gxe.ExpectColumnValuesToBeInTypeList(column=f.name, type_list=type_list))
        if not f.nullable:
            add(gxe.ExpectColumnValuesToNotBeNull(column=f.name))
    add(gxe.ExpectColumnValuesToMatchRegex(column="account_id", regex=f"^{platform}:[^:]+$"))
    add(gxe.ExpectColumnValuesToBeInSet(column="source", value_set=rules.ALLOWED_SOURCES))
    # The partition day is a suite parameter so one suite serves every day.
    add(gxe.ExpectColumnValuesToBeInSet(column="metric_date", value_set={"$PARAMETER": "partition_days"}))


@functools.cache
def _suite_and_batch_definition(platform: str):
    context = _context()
    suite = context.suites.add(build_suite(platform))
    asset = context.data_sources.get("raw_partitions").add_dataframe_asset(f"{platform}_account_daily")
    return suite, asset.add_batch_definition_whole_dataframe("whole_partition")


def _validation_frame(df: pd.DataFrame) -> pd.DataFrame:
    """An object-dtype copy, so GX checks the Python type of every value (pandas 3 string and tz-aware
    dtypes have no GX type name) and a count column holding strings is caught, not silently coerced."""
    return df.reset_index(drop=True).astype(object)


def _jsonable(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _exception_message(info) -> str | None:
    """GX reports errors either flat or keyed by metric id; return the first message, if any."""
    if not info:
        return None
    if "exception_message" in info or "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception", True) else None
    for nested in info.values():
        if isinstance(nested, dict) and (message := _exception_message(nested)):
            return message
    return None


def _failure(res, frame: pd.DataFrame) -> dict:
    config = res.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or kwargs.get("column_list") or kwargs.get("column_A")
    result = res.result or {}
    if error := _exception_message(res.exception_info):
        observed = {"error": error}
    elif "observed_value" in result:
        observed = {"value": result["observed_value"], **result.get("details", {})}
    else:
        observed = {
            "unexpected_count": result.get("unexpected_count"),
            "unexpected_percent": result.get("unexpected_percent"),
            "values": result.get("partial_unexpected_list", [])[:SAMPLE_ROWS],
        }
    indices = result.get("partial_unexpected_index_list") or []
    shown = [c for c in [*KEY_COLUMNS, "unit_code", column, kwargs.get("column_B")] if isinstance(c, str)]
    shown = [c for c in dict.fromkeys(shown) if c in frame.columns]
    sample = frame.loc[list(indices)[:SAMPLE_ROWS], shown].to_dict("records") if indices else []
    return _jsonable(
        {
            "expectation": config.type,
            "column": column if not isinstance(column, list) else ",".join(column),
            "observed": observed,
            "sample_rows": sample,
        }
    )


def run_suite(suite_and_batch, frame: pd.DataFrame, day: dt.date) -> tuple:
    """Validate `frame` (from _validation_frame) with the suite `suite_and_batch()` gives for partition `day`:
    (the GX run, its failures most telling first, with sample rows)."""
    with _LOCK:
        suite, batch_definition = suite_and_batch()
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        parameters = {"partition_days": [day]}
        # Pass/fail first (cheapest result format); only a failing partition pays for sample rows.
        run = batch.validate(suite, expectation_parameters=parameters, result_format="BOOLEAN_ONLY")
        if not run.success:
            run = batch.validate(
                suite,
                expectation_parameters=parameters,
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS},
            )
    failed = sorted(
        (r for r in run.results if not r.success), key=lambda r: _RANK.get(r.expectation_config.type, 9)
    )
    return run, [_failure(res, frame) for res in failed]


def validate_account_daily(df: pd.DataFrame, platform: str, day: dt.date) -> GateResult:
    """Validate one platform-day partition; `success` is False if any expectation fails."""
    started = time.perf_counter()
    frame = _validation_frame(df)
    run, failures = run_suite(lambda: _suite_and_batch_definition(platform), frame, day)
    stats = run.statistics
    return GateResult(
        success=bool(run.success),
        failures=failures,
        statistics={
            "platform": platform,
            "partition_day": day.isoformat(),
            "row_count": len(frame),
            "evaluated_expectations": int(stats["evaluated_expectations"]),
            "successful_expectations": int(stats["successful_expectations"]),
            "unsuccessful_expectations": int(stats["unsuccessful_expectations"]),
            "seconds": round(time.perf_counter() - started, 4),
        },
    )


def validate_table(table, platform: str, day: dt.date) -> GateResult:
    """Same as `validate_account_daily` for a pyarrow Table (what the ingestion code builds)."""
    return validate_account_daily(table.to_pandas(), platform, day)
