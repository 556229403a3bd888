"""The Great Expectations suite on its own: each expectation reports the report's row numbers."""

import datetime as dt

import pandas as pd

from data_quality.manual_report_suite import validate_rows

METRICS = ("followers_count", "likes_count")


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ("metric_date", "active_from", "active_to"):
        frame[column] = pd.to_datetime(frame[column])
    for column in METRICS:
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


def _row(
    n, unit="ID-1", key="ID-1|instagram|a", day="2026-11-10", followers=10, likes=1, active_from="2024-01-01"
):
    return {
        "row_number": n, "unit_code": unit, "platform": "instagram", "handle": "a", "account_key": key,
        "account_id": "instagram:1", "metric_date": day, "active_from": active_from, "active_to": None,
        "period": "day", "followers_count": followers, "likes_count": likes,
    }  # fmt: skip


def _failures(rows):
    found = validate_rows(
        _frame(rows), {"ID-1"}, {"ID-1|instagram|a"}, METRICS, dt.date(2026, 1, 1), dt.date(2026, 11, 20)
    )
    return {(f.check, f.column): f.row_numbers for f in found}


def test_clean_rows_pass():
    assert _failures([_row(2), _row(3, day="2026-11-11")]) == {}


def test_each_rule_names_its_rows():
    failures = _failures(
        [
            _row(2, unit="ID-9", key="ID-9|instagram|a"),
            _row(3, key="ID-1|instagram|b", day="2026-11-11"),
            _row(4, likes=-1, day="2026-11-12"),
            _row(5, day="2026-11-21"),
            _row(6, day="2025-12-31"),
            _row(7, day="2026-11-13", active_from="2026-11-14"),
            _row(8, day="2026-11-15"),
            _row(9, day="2026-11-15", followers=11),
        ]
    )
    assert failures == {
        ("known_unit", "unit_code"): (2,),
        ("known_account", "account_key"): (2, 3),
        ("non_negative", "likes_count"): (4,),
        ("not_future", "metric_date"): (5,),
        ("within_horizon", "metric_date"): (6,),
        ("after_active_from", None): (7,),
        ("unique_account_day", None): (8, 9),
    }
