"""Helpers shared by the scale tests that build dbt on a synthetic lake."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from pipelines.scale.generate import generate
from pipelines.settings import get_settings
from pipelines.warehouse import run_dbt_build


def staging_fingerprint(models: tuple[str, ...], fresh: bool = True) -> dict[str, tuple]:
    """Build the staging `models` (from an empty warehouse if `fresh`, else incrementally) and return each one's
    row count and content hash."""
    settings = get_settings()
    if fresh:
        shutil.rmtree(settings.warehouse_dir, ignore_errors=True)
    run_dbt_build(settings, select=" ".join(models))
    with duckdb.connect(str(settings.build_db_path), read_only=True) as con:
        return {
            # lake_file*: which file version a row was loaded from (incremental staging), not its content.
            model: con.execute(
                f"select count(*), sum(hash(*columns(* exclude (lake_file, lake_file_modified_at, "
                f"lake_file_size_bytes)))) from staging.{model}"
            ).fetchone()
            for model in models
        }


def use_synthetic_lake(out: Path, monkeypatch, accounts: int, days: int, end: dt.date, seed: int) -> Path:
    """Generate a synthetic lake at `out` and point the pipeline and dbt at it; returns the lake folder."""
    generate(out, accounts=accounts, days=days, end=end, seed=seed)
    monkeypatch.setenv("MEDSOS_DATA_DIR", str(out))
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(out / "registry"))
    return get_settings().lake_dir
