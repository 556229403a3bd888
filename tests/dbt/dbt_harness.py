"""Run the real dbt project against a private data dir and read the build database.

Every build gets its own target and log paths so test modules can run in parallel (pytest-xdist).
"""

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def run_dbt(
    args: list[str], data_dir: Path, registry_dir: Path, work_dir: Path
) -> subprocess.CompletedProcess:
    """`dbt <args>` in a subprocess (its own env, so tests never touch os.environ); raises on failure."""
    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)  # DuckDB does not create parent folders
    env = {
        **os.environ,
        "MEDSOS_DATA_DIR": str(data_dir),
        "MEDSOS_REGISTRY_DIR": str(registry_dir),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=work_dir)
    if result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        )
    return result


def shared_build(tmp_path_factory, worker_id: str, name: str, build: Callable[[Path], None]) -> Path:
    """Run `build(root)` once per test session, even when a module's tests land on several xdist workers.

    Workers share the session's base temp folder; the first one takes a file lock and builds, the others
    wait and then read the same DuckDB file (read-only readers can share it).
    """
    base = tmp_path_factory.getbasetemp()
    root = (base if worker_id == "master" else base.parent) / name
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / ".built"
        if not done.exists():
            build(root)
            done.touch()
    return root


def build_fixture_warehouse(root: Path) -> None:
    """The fixture lake and registry under `root`, and a full `dbt build` of them (models, data and unit tests)."""
    from dbt_fixture_lake import write_lake, write_registry

    write_lake(root / "data" / "lake")
    run_dbt(["build"], root / "data", write_registry(root / "registry"), root)


def build_db_path(data_dir: Path) -> Path:
    return data_dir / "warehouse" / "build.duckdb"


def query(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the build database, opened read-only and closed again (dbt may write next)."""
    with duckdb.connect(str(build_db_path(data_dir)), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def query_one(data_dir: Path, sql: str, params: list | None = None) -> tuple:
    rows = query(data_dir, sql, params)
    assert len(rows) == 1, f"expected one row, got {len(rows)}: {rows[:5]}"
    return rows[0]


def warn_count(result: subprocess.CompletedProcess) -> int:
    """WARN=n from dbt's summary line."""
    for line in reversed(result.stdout.splitlines()):
        if "WARN=" in line:
            return int(line.split("WARN=")[1].split()[0])
    raise AssertionError("no dbt summary line")
