"""Build the warehouse with dbt and publish it atomically to the serving file.

dbt builds into `build.duckdb` (the one writer). Publishing copies the build's contents into a fresh DuckDB
file beside the serving file (`COPY FROM DATABASE`: only live data, so the file never grows beyond it, unlike a
byte copy of a file whose dropped and replaced tables leave free blocks behind) and renames it into place:
analysts holding the old serving file open keep reading the old snapshot (POSIX rename keeps the open inode
alive), new connections see the new one, nobody is locked out and nobody sees a half-built warehouse. The
compact copy then replaces the build file too, so neither file grows run after run.

Each build records when it ran (`build_stamp.json` beside the build): the publish step uses the window to check
that no ingestion wrote the lake while dbt read it (see `pipelines.lake_activity`).

Readers in a long-lived process open the serving file with `connect_published()` (see its docstring).
"""

import json
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
class BuildStamp:
    run_id: str
    started_at: float  # epoch seconds
    finished_at: float | None  # None while the build runs (or if it died)


def _stamp_path(settings: Settings) -> Path:
    return settings.warehouse_dir / "build_stamp.json"


def write_build_stamp(settings: Settings, stamp: BuildStamp) -> None:
    path = _stamp_path(settings)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(stamp.__dict__), encoding="utf-8")
    os.replace(tmp, path)


def read_build_stamp(settings: Settings) -> BuildStamp | None:
    path = _stamp_path(settings)
    return BuildStamp(**json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


@dataclass(frozen=True)
class PublishResult:
    serving_path: Path
    bytes: int
    build_bytes_before: int  # the build file as dbt left it (free blocks included)
    tables: int
    seconds: float
    compacted: bool = True  # False: the build was copied as it was (publish's compact_when_free_above)


def checkpoint(db_path: Path) -> float:
    """Fold the write-ahead log into the database file so one file holds the whole build; returns the
    fraction of the file's blocks that are free (left by rebuilt tables, reused but never given back)."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("CHECKPOINT")
        total, free = con.execute("select total_blocks, free_blocks from pragma_database_size()").fetchone()
    return free / total if total else 0.0


def _copy_database(source: Path, target: Path) -> None:
    """Write a fresh, compact DuckDB file at `target` with everything in `source`."""
    with duckdb.connect(str(target)) as con:
        (catalog,) = con.execute("select current_database()").fetchone()
        con.execute(f"attach '{source}' as build_source (read_only)")
        con.execute(f'copy from database build_source to "{catalog}"')
        con.execute("detach build_source")
        con.execute("checkpoint")


def _count_tables(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select count(*) from information_schema.tables where table_schema <> 'information_schema'"
        ).fetchone()[0]


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def publish(settings: Settings | None = None, compact_when_free_above: float | None = None) -> PublishResult:
    """Serve the build: an atomic copy of it becomes the published file.

    By default the copy is compact (`COPY FROM DATABASE` into a fresh file, which leaves behind the blocks
    dbt's rebuilds freed) and replaces the build file too, so neither grows. With `compact_when_free_above`,
    a build file whose free blocks are at most that fraction of its blocks is copied as it is (a file copy:
    seconds less for a small update such as one manual report); a more hollow one is compacted.
    """
    settings = settings or get_settings()
    started = time.monotonic()
    build, serving = settings.build_db_path, settings.serving_db_path
    if not build.exists():
        raise FileNotFoundError(f"no build database at {build}: run the dbt build first")
    free_fraction = checkpoint(build)
    build_bytes = build.stat().st_size
    compact = compact_when_free_above is None or free_fraction > compact_when_free_above
    tmp = serving.with_name(f".{serving.name}.{uuid.uuid4().hex}.tmp")
    compact_build = build.with_name(f".{build.name}.{uuid.uuid4().hex}.tmp")
    try:
        if compact:
            _copy_database(build, tmp)
        else:
            shutil.copyfile(build, tmp)
        tables = _count_tables(tmp)  # refuse to publish a file DuckDB cannot open
        _fsync(tmp)
        os.replace(tmp, serving)
        if compact:
            # The build becomes the same compact file (same data; dbt's incremental models keep their state).
            shutil.copyfile(serving, compact_build)
            _fsync(compact_build)
            os.replace(compact_build, build)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        compact_build.unlink(missing_ok=True)
    return PublishResult(
        serving, serving.stat().st_size, build_bytes, tables, round(time.monotonic() - started, 3), compact
    )


def connect_published(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the newest published build, also in a process that already holds one open.

    `duckdb.connect(path, read_only=True)` reuses the database instance the process already has for that path:
    in a notebook or a pooled BI engine that keeps one connection, every "new" connection after a publish
    still reads the old build, until all of them are closed. An in-memory database that ATTACHes the file is a
    new instance each time, so it opens the file the name points to now. The catalog is named after the file
    (`medsos`), as in a direct connection, and is the default: `select * from marts.fct_account_daily`.
    Close the connection when done; the old build is freed once nobody holds it.
    """
    path = Path(path or get_settings().serving_db_path)
    con = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    con.execute(f"attach '{quoted}' as \"{path.stem}\" (read_only)")
    con.execute(f'use "{path.stem}"')
    return con
