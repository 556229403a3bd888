"""What a trustworthy raw account-day partition looks like, per platform (plain data, no GX import).

The ingestion gate (`raw_partition_suite`) turns these rules into Great Expectations suites. They are read
from the platform specification (`pipelines.platform_spec`): each field's plausible upper bound, and for daily
flows marked `vs_audience` a ratio to the account's audience. Bounds are for corruption, not for anomalies
(see `pipelines.platform_spec.bounds`); anomalous but possible values are the job of `dq_anomalies`.
"""

import pyarrow as pa

from pipelines.lake import account_daily_schema
from pipelines.platform_spec import SPECS, Kind
from pipelines.platform_spec.bounds import FLOW_OFFSET, FLOW_PER_FOLLOWER_MAX

__all__ = ["ALLOWED_SOURCES", "FLOW_OFFSET", "FLOW_PER_FOLLOWER_MAX", "FLOW_VS_AUDIENCE", "UPPER_BOUNDS"]

# Upper bounds per platform column (every count column is also checked for >= 0).
UPPER_BOUNDS: dict[str, dict[str, int]] = {
    name: {f.name: f.upper for f in s.fields if f.upper is not None} for name, s in SPECS.items()
}


def _audience(platform: str) -> str | None:
    return next((f.name for f in SPECS[platform].fields if f.kind is Kind.AUDIENCE), None)


# (daily flow column, audience column): flow <= FLOW_PER_FOLLOWER_MAX * audience + FLOW_OFFSET.
FLOW_VS_AUDIENCE: dict[str, list[tuple[str, str]]] = {
    name: [(f.name, _audience(name)) for f in s.fields if f.vs_audience] for name, s in SPECS.items()
}

ALLOWED_SOURCES = ["api", "sandbox"]  # manual reports have their own schema and gate


def gx_type_list(arrow_type: pa.DataType) -> list[str] | None:
    """GX type names a value of this Arrow type may have in an object-dtype pandas column.

    Counts allow floats because pandas turns an int column with nulls into float64. Dates have no GX type
    name: their type is enforced by the metric_date value-set check (a string or timestamp is not the day).
    """
    if pa.types.is_string(arrow_type):
        return ["str"]
    if pa.types.is_integer(arrow_type):
        return ["int", "int64", "int32", "float", "float64"]
    if pa.types.is_boolean(arrow_type):
        return ["bool"]
    if pa.types.is_timestamp(arrow_type):
        return ["Timestamp"]
    return None


def schema(platform: str) -> pa.Schema:
    if platform not in UPPER_BOUNDS:
        raise ValueError(f"unknown platform {platform!r}")
    return account_daily_schema(platform)
