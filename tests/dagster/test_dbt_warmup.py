"""The run launcher's dbt warm-up: it leaves the forkserver warm, and no project module imported (runs import
the current code themselves)."""

import os
import subprocess
import sys

from pipelines.warehouse import DBT_PROJECT_DIR

SCRIPT = """
import sys, dbt.cli.main
import pipelines.dbt_warmup as warmup
left = sorted(m for m in sys.modules if m.split('.')[0] in warmup.PROJECT_PACKAGES)
print(left)
print(warmup.warm_up())
print(sorted(m for m in sys.modules if m.startswith('dbt.adapters.duckdb'))[:1])
"""


def test_warm_up_lists_the_project_and_forgets_the_project_modules():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=DBT_PROJECT_DIR.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    left, warmed, adapter = done.stdout.strip().splitlines()[-3:]
    assert left == "['pipelines', 'pipelines.dbt_warmup']"
    assert warmed == "True"  # dbt listed the project: its first-invocation costs are paid
    assert adapter == "['dbt.adapters.duckdb']"


FORKED_PARSE = """
import os, sys, tempfile
import pipelines.dbt_warmup  # the forkserver's warm-up (a full parse: this data dir renders another profile)
from pipelines.warehouse import DBT_PROJECT_DIR

pid = os.fork()
if pid == 0:  # a run forked from the warm process parses the project in full, static parser on
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory() as target:
        args = ["parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
        result = dbtRunner().invoke([*args, "--target-path", target])
    os._exit(0 if result.success else 3)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
"""


def test_a_run_forked_after_the_warm_up_can_parse_the_project(tmp_path):
    """dbt's static parser is native code that hangs in a forked child once the parent used it: the warm-up
    must leave it unused (found when every forked build of a new data dir hung in its first parse)."""
    env = {**os.environ, "MEDSOS_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-c", FORKED_PARSE],
        capture_output=True,
        text=True,
        timeout=900,  # a hang, not a speed: a parse takes seconds to a minute here
        cwd=DBT_PROJECT_DIR.parent,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "child 0"
