"""The run launcher's dbt warm-up: it leaves the forkserver warm, and no project module imported (runs import
the current code themselves)."""

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
