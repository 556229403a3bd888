"""Scorecard fixtures: one real published warehouse per test session (see scorecard_warehouse.py).

MEDSOS_SCORECARD_TEST_WAREHOUSE=<folder> reuses a warehouse built earlier by `scorecard_warehouse.build(folder)`
(while working on the pages: the build takes minutes).
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))  # the shared once-per-session builder

from dbt_harness import shared_build
from scorecard_warehouse import Window, build, built_window


class BuiltWarehouse:
    def __init__(self, root: Path):
        self.root = root
        self.data_dir = root / "data"
        self.serving_db = self.data_dir / "warehouse" / "medsos.duckdb"
        self.window: Window = built_window(root)


@pytest.fixture(scope="session")
def scorecard_warehouse(tmp_path_factory, worker_id) -> BuiltWarehouse:
    if reuse := os.environ.get("MEDSOS_SCORECARD_TEST_WAREHOUSE"):
        return BuiltWarehouse(Path(reuse))
    return BuiltWarehouse(shared_build(tmp_path_factory, worker_id, "scorecard_warehouse", build))


@pytest.fixture
def serving_copy(scorecard_warehouse, tmp_path) -> Path:
    """A private copy of the published warehouse that a test may change."""
    target = tmp_path / "medsos.duckdb"
    shutil.copyfile(scorecard_warehouse.serving_db, target)
    return target
