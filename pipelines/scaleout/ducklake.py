"""The warehouse on DuckLake: catalog in PostgreSQL, data files in the lake folder (or S3-compatible storage).

A DuckDB file has one writer. DuckLake keeps its catalog (tables, snapshots, file lists) in PostgreSQL and the
data as Parquet files, so ingestion and build workers on several machines write concurrently (each commit is a
snapshot; concurrent appends do not conflict, conflicting changes retry) while analysts read a consistent
snapshot. Extensions come from the PyPI wheels (`duckdb-extension-ducklake`, `-postgres-scanner` for 1.5.5):
they are loaded from their files, never downloaded.

    python -m pipelines.scaleout.ducklake publish   # the published warehouse's tables into DuckLake

Settings: MEDSOS_DUCKLAKE_CATALOG (e.g. `postgres:dbname=ducklake host=… port=… user=…`, printed by
`make postgres`), MEDSOS_DUCKLAKE_DATA_PATH (default `<data>/lake/ducklake/`; an `s3://bucket/prefix/` needs
the httpfs extension wheel and an S3 secret, docs/operators/scale-out.md).
"""

import argparse
import contextlib
import importlib
import os
import time
from pathlib import Path

import duckdb

from pipelines.settings import Settings, get_settings

ALIAS = "lakehouse"
PUBLISHED_SCHEMAS = ("marts", "reports", "dq")
RETRIES = 20


def extension_file(name: str) -> Path:
    """The extension shipped by the `duckdb-extension-<name>` wheel."""
    package = importlib.import_module(f"duckdb_extension_{name}")
    found = sorted(Path(package.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"duckdb-extension-{name} has no extension for DuckDB {duckdb.__version__}")
    return found[0]


def catalog() -> str:
    value = os.environ.get("MEDSOS_DUCKLAKE_CATALOG")
    if not value:
        raise RuntimeError("MEDSOS_DUCKLAKE_CATALOG is not set (`make postgres` prints it)")
    return value


def data_path(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return os.environ.get("MEDSOS_DUCKLAKE_DATA_PATH") or f"{settings.lake_dir}/ducklake/"


def connect(catalog_spec: str, data: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the DuckLake attached as `lakehouse` (and used as the default catalog)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for name in ("ducklake", "postgres_scanner"):
        con.execute(f"LOAD '{extension_file(name)}'")
    if not data.startswith(("s3://", "gs://", "az://")):
        Path(data).mkdir(parents=True, exist_ok=True)
    options = f"DATA_PATH '{data}'" + (", READ_ONLY" if read_only else "")
    con.execute(f"ATTACH 'ducklake:{catalog_spec}' AS {ALIAS} ({options})")
    con.execute(f"USE {ALIAS}")
    return con


def is_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    return "conflict" in text or "could not serialize" in text or "duplicate key" in text


def commit_with_retry(
    con: duckdb.DuckDBPyConnection, statements: list[str], params: list | None = None
) -> int:
    """Run `statements` as one DuckLake transaction, retrying when a concurrent writer's commit conflicts.

    Returns the attempts it took."""
    for attempt in range(1, RETRIES + 1):
        try:
            con.execute("BEGIN TRANSACTION")
            for i, sql in enumerate(statements):
                con.execute(sql, params[i] if params else None)
            con.execute("COMMIT")
            return attempt
        except duckdb.Error as exc:
            with contextlib.suppress(duckdb.Error):  # nothing open when BEGIN itself failed
                con.execute("ROLLBACK")
            if not is_conflict(exc) or attempt == RETRIES:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def publish_to_ducklake(build_db: Path, catalog_spec: str, data: str) -> dict[str, int]:
    """Copy every published table (marts, reports, dq) of a checked build into DuckLake in ONE transaction:
    readers see the previous warehouse or the new one, whole."""
    con = connect(catalog_spec, data)
    try:
        con.execute(f"ATTACH '{build_db}' AS build (READ_ONLY)")
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'build' and table_schema in (select unnest(?)) order by 1, 2",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        statements = [
            f"CREATE SCHEMA IF NOT EXISTS {ALIAS}.{schema}" for schema in sorted({s for s, _ in tables})
        ]
        statements += [
            f"CREATE OR REPLACE TABLE {ALIAS}.{schema}.{name} AS SELECT * FROM build.{schema}.{name}"
            for schema, name in tables
        ]
        commit_with_retry(con, statements)
        return {
            f"{schema}.{name}": con.execute(f"select count(*) from {ALIAS}.{schema}.{name}").fetchone()[0]
            for schema, name in tables
        }
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["publish"])
    parser.parse_args(argv)
    settings = get_settings()
    counts = publish_to_ducklake(settings.serving_db_path, catalog(), data_path(settings))
    for table, rows in counts.items():
        print(f"{table}: {rows} rows")


if __name__ == "__main__":
    main()
