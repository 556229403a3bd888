"""Great Expectations suite for the rows parsed from a manual regional report (GX 1.x, pandas).

The intake builds one DataFrame per file (one row per report row, with the registry account it resolves to)
and this suite is the gate: known unit codes and accounts, non-negative counts, dates in range (not in the
future in WIB, not older than the horizon, within the account's active period), one row per account-day,
required columns present. Failures come back with the report's row numbers (GX `unexpected_index_list` on the
`row_number` column) so the intake can name each bad row and column in plain words.
GX is imported inside the functions: importing it costs seconds.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

SUITE_NAME = "manual_report_rows"
KEY_COLUMNS = (
    "row_number",
    "unit_code",
    "platform",
    "handle",
    "account_key",
    "account_id",
    "metric_date",
    "active_from",
    "active_to",
    "period",
)


@dataclass(frozen=True)
class SuiteFailure:
    check: str  # the expectation's meta["check"], e.g. "known_unit", "non_negative"
    column: str | None
    row_numbers: tuple[int, ...]  # empty for a table-level failure
    observed: str = ""  # table-level detail (e.g. the columns GX saw)


def build_suite(
    known_units: Iterable[str],
    known_account_keys: Iterable[str],
    metric_columns: Iterable[str],
    earliest: dt.date,
    latest: dt.date,
):
    """The suite (call with an active GX context: `validate_rows` makes one)."""
    import great_expectations as gx

    E = gx.expectations
    metric_columns = list(metric_columns)
    suite = gx.ExpectationSuite(name=SUITE_NAME)

    def add(check: str, expectation) -> None:
        expectation.meta = {"check": check}
        suite.add_expectation(expectation)

    add(
        "columns_present",
        E.ExpectTableColumnsToMatchSet(column_set=[*KEY_COLUMNS, *metric_columns], exact_match=False),
    )
    add("known_unit", E.ExpectColumnValuesToBeInSet(column="unit_code", value_set=sorted(known_units)))
    add(
        "known_account",
        E.ExpectColumnValuesToBeInSet(column="account_key", value_set=sorted(known_account_keys)),
    )
    for column in metric_columns:
        add("non_negative", E.ExpectColumnValuesToBeBetween(column=column, min_value=0))
    as_ts = lambda d: dt.datetime.combine(d, dt.time())  # noqa: E731 - the frame holds datetime64 dates
    add("not_future", E.ExpectColumnValuesToBeBetween(column="metric_date", max_value=as_ts(latest)))
    add("within_horizon", E.ExpectColumnValuesToBeBetween(column="metric_date", min_value=as_ts(earliest)))
    pair = {"or_equal": True, "ignore_row_if": "either_value_is_missing"}
    add(
        "after_active_from",
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="metric_date", column_B="active_from", **pair),
    )
    add(
        "before_active_to",
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="active_to", column_B="metric_date", **pair),
    )
    add(
        "unique_account_day",
        E.ExpectCompoundColumnsToBeUnique(
            column_list=["account_key", "metric_date"], ignore_row_if="any_value_is_missing"
        ),
    )
    return suite


def validate_rows(
    frame,
    known_units: Iterable[str],
    known_account_keys: Iterable[str],
    metric_columns: Iterable[str],
    earliest: dt.date,
    latest: dt.date,
) -> list[SuiteFailure]:
    """Validate `frame` (pandas) with the suite; return one SuiteFailure per failed expectation.

    An expectation that raises (a bug, not bad data) raises RuntimeError: the caller must not quarantine a
    unit's file for our own fault.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    suite = build_suite(known_units, known_account_keys, metric_columns, earliest, latest)  # needs a context
    batch = (
        context.data_sources.add_pandas("manual_report")
        .add_dataframe_asset("rows")
        .add_batch_definition_whole_dataframe("file")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["row_number"]}
    )
    failures: list[SuiteFailure] = []
    for item in result.results:
        config = item.expectation_config
        if item.exception_info and item.exception_info.get("raised_exception"):
            raise RuntimeError(f"{config.type} raised: {item.exception_info.get('exception_message')}")
        if item.success:
            continue
        rows = sorted({int(entry["row_number"]) for entry in item.result.get("unexpected_index_list") or []})
        failures.append(
            SuiteFailure(
                check=config.meta.get("check", config.type),
                column=config.kwargs.get("column"),
                row_numbers=tuple(rows),
                observed=str(item.result.get("observed_value", "")),
            )
        )
    return failures
