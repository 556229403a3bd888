"""A throwaway local PostgreSQL 15 cluster for the scale-out tests (installed first when root + apt-get allow)."""

import shutil
import tempfile
from pathlib import Path

import pytest

from pipelines.scaleout.postgres import LocalCluster, PostgresUnavailable, install


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        install()  # a no-op when PostgreSQL is there; `make test` installs it beforehand when it can
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL scale-out tests skipped: {exc}")
    # Not under pytest's tmp_path: as root the server runs as `postgres`, which cannot enter root's 0700 folders.
    root = Path(tempfile.mkdtemp(prefix="medsos-pg-", dir="/tmp"))
    root.chmod(0o755)
    cluster = LocalCluster(root / "cluster", fast=True).start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
