"""Warm dbt up once in the run launcher's forkserver, so that each forked run's build starts warm.

Importing dbt is not all of its start-up: its first invocation in a process also imports the DuckDB adapter and
the task modules, generates (mashumaro) code for every manifest class and builds JSON schemas — ~2.5 s on an
idle 2-core machine, several times that on a busy one, paid again by every run. Listing the project once here
(`dbt ls`: reads the project, no database) does all of that before the forkserver forks any run; the runs
still parse the current project themselves (partial parsing), so a changed model is never missed.

Imported for its effect by pipelines/warm_launcher.py's forkserver preload. Never raises: a failed warm-up
only means a colder run. It leaves none of the project's modules imported: the forked runs import the current
code themselves.
"""

import os
import sys
import tempfile
from pathlib import Path

from pipelines.settings import get_settings
from pipelines.warehouse import DBT_PROJECT_DIR, dbt_env

PROJECT_PACKAGES = {"pipelines", "assets", "data_quality"}


def warm_up() -> bool:
    try:
        import dbt.adapters.duckdb
        import dbt.task.build  # noqa: F401
        from dbt.cli.main import dbtRunner

        from pipelines.dbt_in_process import seed_partial_parse

        with tempfile.TemporaryDirectory(prefix="dbt-warmup-") as target:
            seed_partial_parse(DBT_PROJECT_DIR / "target", Path(target))
            # --no-static-parser: dbt's static parser is native code whose first use starts state that a fork
            # does not carry; used here, it hangs the first parse in every forked run. The runs use it freshly.
            args = ["ls", "--quiet", "--no-static-parser", "--resource-type", "model"]
            args += ["--select", "config.materialized:view"]
            args += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
            args += ["--target-path", target, "--log-path", target]
            # The profile renders as when the manifest was prepared (or dbt parses everything again).
            os.environ.update(dbt_env(get_settings()))
            result = dbtRunner().invoke(args)
        return bool(result.success)
    except Exception:  # a warm-up: never stop the forkserver
        return False


def forget_project_modules() -> None:
    """All but this module and its (empty) package, which the import of this module still needs."""
    keep = {__name__, __name__.split(".")[0]}
    for name in [n for n in sys.modules if n.split(".")[0] in PROJECT_PACKAGES and n not in keep]:
        del sys.modules[name]


if os.environ.get("MEDSOS_DBT_WARMUP", "1") != "0":
    warm_up()
    forget_project_modules()
