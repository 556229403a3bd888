"""Edits the injection benchmark makes to one account's series in a LakeFrames (benchmark_lakeframes).

Each takes the account's source and id and a {day: factor} (or a day and a value) and changes the frames in
place, marking the partitions it touched. Lifetime counters are changed through their daily deltas, so the
counter and the activity derived from it stay consistent (a spike of daily views is a larger step of the
lifetime viewCount that stays).
"""

import datetime as dt

import numpy as np
import pandas as pd

from data_quality.benchmark_lakeframes import LakeFrames, round_sig3


def _rows(frames: LakeFrames, source: str, account_id: str) -> pd.Index:
    frame = frames.days[source]
    return frame.index[frame["account_id"] == account_id][
        np.argsort(frame.loc[frame["account_id"] == account_id, "metric_date"].to_numpy())
    ]


def _dates(frames: LakeFrames, source: str, index: pd.Index) -> np.ndarray:
    return frames.days[source].loc[index, "metric_date"].to_numpy()


def _store(frames: LakeFrames, source: str, index: pd.Index, column: str, values: np.ndarray) -> None:
    frame = frames.days[source]
    old = frame.loc[index, column].to_numpy(dtype="float64", na_value=np.nan)
    new = np.where(np.isnan(old), np.nan, np.round(values))
    if column == "subscriber_count":
        new = np.where(np.isnan(new), np.nan, round_sig3(np.nan_to_num(new)))
    changed = ~((old == new) | (np.isnan(old) & np.isnan(new)))
    if not changed.any():
        return
    frame.loc[index, column] = pd.array(np.where(np.isnan(new), None, new), dtype="Int64")
    frames.touch(source, "account_daily", set(frame.loc[index[changed], "metric_date"]))


def _periods(frames, source, index) -> np.ndarray:
    frame = frames.days[source]
    if "reporting_period_days" not in frame:
        return np.ones(len(index), dtype=int)
    return frame.loc[index, "reporting_period_days"].fillna(1).to_numpy(dtype=int)


def factor_per_row(dates, periods, day_factors: dict[dt.date, float]) -> np.ndarray:
    """Factor of each row; a row covering several days (a weekly manual report) takes their mean."""
    return np.array(
        [
            np.mean([day_factors.get(d - dt.timedelta(days=k), 1.0) for k in range(p)])
            for d, p in zip(dates, periods, strict=True)
        ]
    )


def _values(frames, source, index, column) -> np.ndarray:
    return frames.days[source].loc[index, column].to_numpy(dtype="float64", na_value=np.nan)


def scale_flows(frames, source, account_id, columns, day_factors, rng=None) -> None:
    """Multiply daily flows on the given days (randomised rounding keeps small counts honest)."""
    index = _rows(frames, source, account_id)
    factors = factor_per_row(_dates(frames, source, index), _periods(frames, source, index), day_factors)
    for column in columns:
        values = _values(frames, source, index, column) * factors
        _store(frames, source, index, column, _random_round(values, rng))


def scale_lifetime(frames, source, account_id, columns, day_factors, rng=None) -> None:
    """Multiply the daily deltas of lifetime counters on the given days; the counter keeps the difference."""
    index = _rows(frames, source, account_id)
    factors = factor_per_row(_dates(frames, source, index), _periods(frames, source, index), day_factors)
    for column in columns:
        values = _values(frames, source, index, column)
        deltas = np.diff(values, prepend=np.nan)
        changed = np.where(
            np.isnan(deltas) | (factors == 1.0), 0.0, _random_round(deltas * factors, rng) - deltas
        )
        _store(frames, source, index, column, values + np.cumsum(changed))


def _random_round(values: np.ndarray, rng) -> np.ndarray:
    if rng is None:
        return np.round(values)
    floor = np.floor(np.nan_to_num(values))
    return np.where(
        np.isnan(values), np.nan, floor + (rng.random(len(values)) < (np.nan_to_num(values) - floor))
    )


def scale_counters(frames, source, account_id, columns, day_factors) -> None:
    """Multiply snapshot values (followers; every field of a duplicated load) on the given days."""
    index = _rows(frames, source, account_id)
    dates = _dates(frames, source, index)
    factors = np.array([day_factors.get(d, 1.0) for d in dates])
    for column in columns:
        _store(frames, source, index, column, _values(frames, source, index, column) * factors)


def add_from(frames, source, account_id, columns, day: dt.date, amounts: dict[str, float]) -> None:
    """Add a fixed amount to counters from `day` on (deleted posts, removed views)."""
    index = _rows(frames, source, account_id)
    after = _dates(frames, source, index) >= day
    for column in columns:
        values = _values(frames, source, index, column)
        _store(frames, source, index, column, np.where(after, values + amounts[column], values))


def set_values(frames, source, account_id, columns, days, value_of) -> None:
    """Replace values on `days` by value_of(original values) (a glitch)."""
    index = _rows(frames, source, account_id)
    hit = np.isin(_dates(frames, source, index), list(days))
    for column in columns:
        values = _values(frames, source, index, column)
        _store(frames, source, index, column, np.where(hit, value_of(values), values))


def freeze(frames, source, account_id, columns, days) -> None:
    """Every value on `days` repeats the last day before them (a stale cache served as fresh)."""
    index = _rows(frames, source, account_id)
    dates = _dates(frames, source, index)
    first = min(days)
    before = np.flatnonzero(dates < first)
    if not len(before):
        return
    hit = np.isin(dates, list(days))
    for column in columns:
        values = _values(frames, source, index, column)
        _store(frames, source, index, column, np.where(hit, values[before[-1]], values))


def drop_days(
    frames: LakeFrames, source: str, account_ids: set[str], days: set[dt.date], status: dict
) -> int:
    """Remove account-days (an outage) and record the failed attempt in the fetch log instead."""
    frame = frames.days[source]
    gone = frame["account_id"].isin(account_ids) & frame["metric_date"].isin(days)
    frames.days[source] = frame[~gone].copy()
    frames.touch(source, "account_daily", days)
    log = frames.fetch_logs[source]
    hit = log["account_id"].isin(account_ids) & log["metric_date"].isin(days)
    for column, value in status.items():
        log.loc[hit, column] = value
    frames.touch(source, "fetch_log", days)
    return int(gone.sum())
