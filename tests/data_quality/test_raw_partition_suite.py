"""The ingestion gate passes a good partition and names the failed expectation for each kind of bad one."""

import datetime as dt
import json
import time

import pandas as pd
import pyarrow as pa
import pytest

from data_quality.raw_partition_suite import validate_account_daily, validate_table
from pipelines.lake import account_daily_schema, rows_to_table
from pipelines.platform_spec import PLATFORMS

DAY = dt.date(2026, 3, 2)
FETCHED = dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)


def _row(platform: str, i: int) -> dict:
    row = {
        "account_id": f"{platform}:{1000 + i}",
        "platform_user_id": str(1000 + i),
        "unit_code": f"ID-{11 + i}",
        "metric_date": DAY,
        "fetched_at": FETCHED,
        "run_id": "run-1",
        "source": "sandbox",
    }
    for f in account_daily_schema(platform):
        if f.name in row:
            continue
        if pa.types.is_boolean(f.type):
            row[f.name] = False
        elif f.name in ("posts_published", "videos_published"):
            row[f.name] = i % 3  # posts per day
        else:
            row[f.name] = 1_000 + 10 * i
    return row


def good_frame(platform: str, n: int = 20) -> pd.DataFrame:
    rows = [_row(platform, i) for i in range(n)]
    if platform == "instagram":
        rows[3]["accounts_engaged"] = None  # nullable metric: allowed
    if platform == "youtube":
        rows[2]["subscriber_count"], rows[2]["hidden_subscriber_count"] = None, True
    return rows_to_table(rows, account_daily_schema(platform)).to_pandas()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_good_partition_passes(platform):
    result = validate_account_daily(good_frame(platform), platform, DAY)
    assert result.success, result.failures
    assert result.failures == []
    assert result.statistics["row_count"] == 20
    assert result.statistics["unsuccessful_expectations"] == 0
    assert result.statistics["evaluated_expectations"] > 20


def test_empty_partition_passes():
    assert validate_account_daily(good_frame("x").iloc[0:0], "x", DAY).success


def _set(df, column, value, row=4):
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    return df


BAD_CASES = {
    "missing column": (
        lambda df: df.drop(columns=["reach"]),
        "expect_table_columns_to_match_set",
        None,
    ),
    "extra column": (lambda df: df.assign(impressions=1), "expect_table_columns_to_match_set", None),
    "string in count": (
        lambda df: _set(df, "likes", "12"),
        "expect_column_values_to_be_in_type_list",
        "likes",
    ),
    "null key": (
        lambda df: _set(df, "account_id", None),
        "expect_column_values_to_not_be_null",
        "account_id",
    ),
    "null unit": (lambda df: _set(df, "unit_code", None), "expect_column_values_to_not_be_null", "unit_code"),
    "negative count": (
        lambda df: _set(df, "followers_count", -3),
        "expect_column_values_to_be_between",
        "followers_count",
    ),
    "implausible followers": (
        lambda df: _set(df, "followers_count", 600_000_000),
        "expect_column_values_to_be_between",
        "followers_count",
    ),
    "views far beyond audience": (
        lambda df: _set(df, "views", 5_000_000_000),
        "expect_column_pair_values_a_to_be_at_most_ratio_times_b",
        "views",
    ),
    "duplicate account-day": (
        lambda df: pd.concat([df, df.iloc[[6]]], ignore_index=True),
        "expect_compound_columns_to_be_unique",
        "account_id,metric_date",
    ),
    "wrong day": (
        lambda df: _set(df, "metric_date", DAY + dt.timedelta(days=1)),
        "expect_column_values_to_be_in_set",
        "metric_date",
    ),
    "date as text": (
        lambda df: _set(df, "metric_date", DAY.isoformat()),
        "expect_column_values_to_be_in_set",
        "metric_date",
    ),
    "other platform's account": (
        lambda df: _set(df, "account_id", "facebook:1"),
        "expect_column_values_to_match_regex",
        "account_id",
    ),
    "unknown source": (
        lambda df: _set(df, "source", "manual"),
        "expect_column_values_to_be_in_set",
        "source",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_partition_fails_with_named_expectation(case):
    corrupt, expectation, column = BAD_CASES[case]
    result = validate_account_daily(corrupt(good_frame("instagram")), "instagram", DAY)
    assert not result.success
    named = [(f["expectation"], f["column"]) for f in result.failures]
    if column is None:
        assert named[0][0] == expectation  # schema failures are listed first
    else:
        assert (expectation, column) in named
    json.dumps(result.failures)  # metadata must be JSON-serialisable
    for failure in result.failures:
        assert len(failure["sample_rows"]) <= 5


def test_failure_carries_sample_rows_and_observed_values():
    df = good_frame("tiktok")
    df.loc[[1, 2], "video_count"] = -1
    failure = next(
        f for f in validate_account_daily(df, "tiktok", DAY).failures if f["column"] == "video_count"
    )
    assert failure["observed"]["unexpected_count"] == 2
    assert failure["observed"]["values"] == [-1, -1]
    assert [r["account_id"] for r in failure["sample_rows"]] == ["tiktok:1001", "tiktok:1002"]
    assert failure["sample_rows"][0]["video_count"] == -1


def test_missing_column_reports_error_not_crash():
    failures = validate_account_daily(good_frame("x").drop(columns=["tweet_count"]), "x", DAY).failures
    assert failures[0]["observed"]["mismatched"]["missing"] == ["tweet_count"]


def test_arrow_table_and_speed():
    table = rows_to_table([_row("facebook", i) for i in range(400)], account_daily_schema("facebook"))
    validate_table(table, "facebook", DAY)  # warm the suite
    started = time.perf_counter()
    result = validate_table(table, "facebook", DAY)
    assert result.success
    assert time.perf_counter() - started < 2.0  # per partition, after the first call


def test_unknown_platform_rejected():
    with pytest.raises(ValueError, match="unknown platform"):
        validate_account_daily(good_frame("x"), "myspace", DAY)
