"""Build the warehouse with dbt and publish it atomically to the serving file.

dbt builds into `build.duckdb` (the one writer). Publishing checkpoints the build, copies it to a
temporary file beside the serving file and renames it into place: analysts holding the old serving file open
keep reading the old snapshot (POSIX rename keeps the open inode alive), new connections see the new one,
nobody is locked out and nobody sees a half-built warehouse.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.settings import PROJECT_ROOT, Settings, get_settings

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt subprocess: the same data dir and registry the pipeline uses."""
    # MEDSOS_REGISTRY_DIR passes through only when the user set it: the bundled registry is dbt's own seeds.
    return {**os.environ, "MEDSOS_DATA_DIR": str(settings.data_dir), "DO_NOT_TRACK": "1"}


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def prepare_manifest(target_path: Path | None = None) -> Path:
    """`dbt parse` so Dagster can load the dbt assets (prepare_if_dev only acts under the dev CLI)."""
    settings = get_settings()
    target = target_path or DBT_PROJECT_DIR / "target"
    subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
        ],
        check=True,
        env=dbt_env(settings),
    )
    return target / "manifest.json"


def run_dbt_build(settings: Settings | None = None, select: str | None = None, full_refresh: bool = False):
    """Plain `dbt build` outside Dagster (benchmarks, scripts). Raises on failure."""
    settings = settings or get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    args = [
        dbt_executable(),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(settings.warehouse_dir / "dbt_target"),
    ]
    if select:
        args += ["--select", select]
    if full_refresh:
        args.append("--full-refresh")
    return subprocess.run(args, check=True, env=dbt_env(settings), capture_output=True, text=True)


@dataclass(frozen=True)
class PublishResult:
    serving_path: Path
    bytes: int
    tables: int
    seconds: float


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the database file so one file holds the whole build."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("CHECKPOINT")


def publish(settings: Settings | None = None) -> PublishResult:
    settings = settings or get_settings()
    started = time.monotonic()
    build, serving = settings.build_db_path, settings.serving_db_path
    if not build.exists():
        raise FileNotFoundError(f"no build database at {build}: run the dbt build first")
    checkpoint(build)
    tmp = serving.with_name(f".{serving.name}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copyfile(build, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        with duckdb.connect(str(tmp), read_only=True) as con:  # refuse to publish a file DuckDB cannot open
            tables = con.execute(
                "select count(*) from information_schema.tables where table_schema <> 'information_schema'"
            ).fetchone()[0]
        os.replace(tmp, serving)
    finally:
        tmp.unlink(missing_ok=True)
    return PublishResult(serving, serving.stat().st_size, tables, round(time.monotonic() - started, 3))
