"""A run launcher that starts each run from a warm process instead of a fresh interpreter.

Dagster's default launcher has the code server start every run in a new "spawn" process, which imports Dagster,
dagster-dbt, dbt, pandas, pyarrow, DuckDB and Great Expectations all over again: ~15 s on an idle 2-core machine
(a minute on a busy one) before the first step runs, for every run — most of a manual report's time from inbox
to warehouse. Here the daemon keeps a multiprocessing *forkserver* that imported those libraries once; a run is
a fork of it (well under a second) that imports this project's definitions (~2 s, always the current code: the
forkserver never imports them) and executes the run exactly as `dagster api execute_run` does.

Configured as the instance's `run_launcher` in pipelines/dagster.yaml. A run's process id is a run tag, so the
UI can terminate it (SIGTERM, handled by Dagster as an interrupt). The forkserver and its runs belong to the
daemon's process group: stopping `dagster dev` stops them.
"""

import multiprocessing
import os
import signal
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster._core.launcher.base import LaunchRunContext, RunLauncher
from dagster._serdes import ConfigurableClass, ConfigurableClassData

# Imported once by the forkserver. Third-party libraries, and a dbt warm-up that leaves no project module behind:
# the project's own code is imported by each run, fresh.
PRELOAD = [
    "dagster",
    "dagster_dbt",
    "dbt.cli.main",
    "duckdb",
    "great_expectations",
    "pandas",
    "pyarrow.parquet",
    "requests",
    "pipelines.dbt_warmup",  # last: dbt's first-invocation costs, then it forgets the project's modules
]
PID_TAG = "medsos/run_worker_pid"


def _execute(run_id: str, instance_ref) -> None:
    """In the forked process: run `run_id` as `dagster api execute_run` would (events, failure handling)."""
    from dagster._cli.api import _execute_run_command_body
    from dagster._utils.interrupts import capture_interrupts

    with capture_interrupts(), dg.DagsterInstance.from_ref(instance_ref) as instance:
        _execute_run_command_body(
            run_id, instance, write_stream_fn=lambda _event: None, set_exit_code_on_failure=False
        )


class WarmRunLauncher(RunLauncher, ConfigurableClass):
    def __init__(self, inst_data: ConfigurableClassData | None = None, preload: list[str] | None = None):
        self._inst_data = inst_data
        self._preload = list(preload or PRELOAD)
        self._context = None
        super().__init__()

    @property
    def inst_data(self) -> ConfigurableClassData | None:
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict:
        return {"preload": dg.Field([str], is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]):
        return cls(inst_data=inst_data, preload=config_value.get("preload"))

    def _forkserver(self):
        if self._context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(self._preload)
            self._context = context
        return self._context

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        process = self._forkserver().Process(
            target=_execute, args=(run.run_id, self._instance.get_ref()), name=f"dagster-run-{run.run_id[:8]}"
        )
        process.start()
        # The forkserver, not the daemon, is the run's parent (and reaps it). Forget it here, or the daemon would
        # wait for every running run when it exits instead of stopping.
        multiprocessing.process._children.discard(process)
        self._instance.add_run_tags(run.run_id, {PID_TAG: str(process.pid)})

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id)
        if run is None or run.is_finished or PID_TAG not in run.tags:
            return False
        self._instance.report_run_canceling(run)
        try:
            os.kill(int(run.tags[PID_TAG]), signal.SIGTERM)
        except ProcessLookupError:
            return False
        return True
