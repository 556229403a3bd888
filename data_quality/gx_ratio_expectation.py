"""A Great Expectations expectation the core set lacks: column A at most `ratio` × column B + `offset`.

Used by the ingestion gate to bound daily flows (views, reach, interactions) relative to the audience on the
same row: a viral day can reach many times the followers, but a million-fold ratio is a unit or parsing error.
GX is imported lazily (it costs seconds), so the classes are built on first use and registered once.
"""

import functools


@functools.cache
def ratio_expectation_class():
    """Return the `ExpectColumnPairValuesAToBeAtMostRatioTimesB` class, registering its metric on first call."""
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import ColumnPairMapExpectation
    from great_expectations.expectations.metrics.map_metric_provider import (
        ColumnPairMapMetricProvider,
        column_pair_condition_partial,
    )

    class ColumnPairValuesAAtMostRatioTimesB(ColumnPairMapMetricProvider):
        condition_metric_name = "column_pair_values.a_at_most_ratio_times_b"
        condition_domain_keys = (
            "batch_id",
            "table",
            "column_A",
            "column_B",
            "row_condition",
            "condition_parser",
            "ignore_row_if",
        )
        condition_value_keys = ("ratio", "offset")

        @column_pair_condition_partial(engine=PandasExecutionEngine)
        def _pandas(cls, column_A, column_B, ratio, offset, **kwargs):
            return column_A <= column_B * ratio + offset

    class ExpectColumnPairValuesAToBeAtMostRatioTimesB(ColumnPairMapExpectation):
        """Expect column A ≤ ratio × column B + offset on every row where both are present."""

        ratio: float
        offset: float = 0.0
        ignore_row_if: str = "either_value_is_missing"

        map_metric = "column_pair_values.a_at_most_ratio_times_b"
        success_keys = ("ratio", "offset", "ignore_row_if", "mostly")

    return ExpectColumnPairValuesAToBeAtMostRatioTimesB
