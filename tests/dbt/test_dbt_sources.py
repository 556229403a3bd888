"""The lake sources declared for dbt match the Parquet schemas the writers use (pipelines/lake.py).

The declared columns type the empty relation that stands in for a missing lake folder, so a drift here
would make an empty build and a full build disagree.
"""

from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from pipelines import lake
from pipelines.platform_spec.generate import DUCKDB_TYPES

STAGING = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"


def declared(source: str, table: str) -> list[tuple[str, str]]:
    # The five platforms' sources are generated into one file (pipelines.platform_spec.generate).
    path = STAGING / "platforms" / "_platforms.yml" if source in lake.ACCOUNT_DAILY_FIELDS else None
    spec = yaml.safe_load((path or STAGING / source / f"_{source}.yml").read_text())
    (src,) = [s for s in spec["sources"] if s["name"] == source]
    (tbl,) = [t for t in src["tables"] if t["name"] == table]
    assert tbl["config"]["meta"]["dagster"]["asset_key"] == ["raw", source, table]
    return [(c["name"], c["data_type"]) for c in tbl["columns"]]


def expected(schema: pa.Schema) -> list[tuple[str, str]]:
    return [(f.name, DUCKDB_TYPES[f.type]) for f in schema]


@pytest.mark.parametrize("platform", sorted(lake.ACCOUNT_DAILY_FIELDS))
def test_platform_sources_match_lake_schemas(platform):
    assert declared(platform, "account_daily") == expected(lake.account_daily_schema(platform))
    assert declared(platform, "fetch_log") == expected(lake.FETCH_LOG_SCHEMA)


def test_manual_source_matches_lake_schema():
    assert declared("manual", "account_daily") == expected(lake.MANUAL_ACCOUNT_DAILY_SCHEMA)
