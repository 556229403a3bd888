"""The README's run command end to end (`python -m pipelines.bootstrap`, what `make run` starts), on a small
registry and a 2-day window: sandbox up, the UI address printed once the UI answers, a real Dagster backfill
(in the instance the UI reads, so in its Backfills tab) with per-day progress in the terminal, the warehouse
built and published by declarative automation (every published build whole: each day has every platform),
no DEBUG line in the terminal, and SIGTERM or Ctrl-C stopping every process the command started.

Readiness is polled with generous deadlines (the suite must pass on a busy machine); nothing is timed.
"""

import datetime as dt
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import requests
from dagster._core.execution.backfill import BulkActionStatus

from pipelines.asset_keys import INGESTION_KEYS, MANUAL_ACCOUNT_DAILY_KEY
from pipelines.dagster_ui import location_status
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import PROJECT_ROOT, get_settings, yesterday_wib
from pipelines.warehouse import connect_published

DEADLINE_S = 1800  # for the whole pipeline on a loaded 2-core machine; typically a few minutes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_with(home: Path) -> list[str]:
    """Every live process started with this test's DAGSTER_HOME (the command, its children, their runs)."""
    marker = f"DAGSTER_HOME={home}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker not in environ.read_bytes().split(b"\0"):
                continue
            state = (environ.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":  # a zombie is already dead, waiting to be reaped
                found.append((environ.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except OSError:
            continue
    return found


class RunCommand:
    """`python -m pipelines.bootstrap` in its own session, its output read line by line in a thread."""

    def __init__(self, home: Path):
        shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
        self.home, self.ui_port, self.lines = home, free_port(), []
        env = {
            **os.environ,
            "MEDSOS_BACKFILL_DAYS": "2",
            "MEDSOS_SANDBOX_PORT": str(free_port()),
            "MEDSOS_UI_PORT": str(self.ui_port),
            "PATH": "/usr/bin:/bin",  # like a fresh shell: the command must find its own dbt and dagster
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.bootstrap"],
            cwd=PROJECT_ROOT, env=env, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:  # the test failed before stopping it: leave nothing behind
            os.killpg(self.proc.pid, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ui_port}"

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, prefix: str, deadline: float, on_tick=lambda: None) -> str:
        while time.monotonic() < deadline:
            on_tick()
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the command exited ({self.proc.wait()}):\n" + "\n".join(self.lines))
            self.lines.append(line)
            if line.startswith(prefix):
                return line
            if line.endswith("Ctrl-C stops everything"):  # the command reports a failure and keeps the UI up
                raise AssertionError("the command failed:\n" + "\n".join(self.lines))
        raise AssertionError(f"no line starting with {prefix!r} in time:\n" + "\n".join(self.lines))

    def stop(self, sig: int, deadline_s: float = 300) -> int:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise
        self._drain()
        deadline = time.monotonic() + 60
        while processes_with(self.home) and time.monotonic() < deadline:
            time.sleep(1)
        return code

    def _drain(self) -> None:
        """Keep what the command printed after the last line a test waited for (up to its end of output)."""
        while (line := self._queue.get(timeout=60)) is not None:
            self.lines.append(line)


def whole_builds_only(seen: list) -> None:
    """Open the published warehouse (as a long-lived reader would) and record what each build holds."""
    serving = get_settings().serving_db_path
    if not serving.exists():
        return
    try:
        con = connect_published(serving)
    except Exception:  # a publish renaming the file at that instant; the next look sees it
        return
    with con:
        rows = con.execute(
            "select metric_date, platform from marts.fct_account_daily group by all"
        ).fetchall()
    per_day: dict = {}
    for day, platform in rows:
        per_day.setdefault(day, set()).add(platform)
    seen.append(per_day)


def test_run_command_backfills_publishes_and_stops_on_sigterm(data_dir, small_registry):
    home = Path(os.environ["DAGSTER_HOME"])
    deadline = time.monotonic() + DEADLINE_S
    builds: list = []
    with RunCommand(home) as run:
        run.wait_for("Dagster UI:", deadline)
        assert location_status(run.url) == "loaded"  # printed once the UI answers, not before
        backfill_line = run.wait_for("backfill ", deadline)
        assert "(2 days × 5 platforms)" in backfill_line and f"{run.url}/runs/b/" in backfill_line
        run.wait_for("published ", deadline, on_tick=lambda: whole_builds_only(builds))
        whole_builds_only(builds)
        run.wait_for("Ctrl-C stops", deadline)
        code = run.stop(signal.SIGTERM)
    assert code == 0
    assert processes_with(home) == [], "processes left after SIGTERM"

    output = "\n".join(run.lines)
    assert "DEBUG" not in output  # Dagster's own output goes to the log file
    assert "DEBUG" in (data_dir / "logs" / "make-run.log").read_text(encoding="utf-8")
    assert "backfill: 10/10 platform-days (100 %)" in output  # per-day progress (10 % steps off a terminal)
    # Every build readers could open was whole: each day it holds has all five platforms.
    assert builds and all(set(platforms) == set(PLATFORMS) for b in builds for platforms in b.values())
    yesterday = yesterday_wib()
    assert sorted(builds[-1]) == [yesterday - dt.timedelta(days=1), yesterday]
    with dg.DagsterInstance.get() as instance:  # a real backfill, where the UI's Backfills tab reads it
        (backfill,) = instance.get_backfills()
        assert backfill.status == BulkActionStatus.COMPLETED_SUCCESS
        # two days of every API lake table: account-days, fetch logs, posts, comments (where the API has them)
        api_tables = len(INGESTION_KEYS - {MANUAL_ACCOUNT_DAILY_KEY})
        assert (
            backfill.asset_backfill_data.target_subset.num_partitions_and_non_partitioned_assets
            == 2 * api_tables
        )
        runs = instance.get_runs()
        assert runs and all(r.is_success for r in runs), [(r.job_name, r.status) for r in runs]


def test_ctrl_c_during_the_backfill_stops_every_process(data_dir, small_registry):
    home = Path(os.environ["DAGSTER_HOME"])
    deadline = time.monotonic() + DEADLINE_S
    with RunCommand(home) as run:
        run.wait_for("Dagster UI:", deadline)
        run.wait_for("backfill ", deadline)
        with dg.DagsterInstance.get() as instance:  # interrupt while the backfill's run is executing
            while not instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
                assert time.monotonic() < deadline, "the backfill's run never started"
                time.sleep(1)
        code = run.stop(signal.SIGINT)
    assert code == 0
    assert processes_with(home) == [], "processes left after Ctrl-C"
    assert any(line.startswith("SIGINT: stopping") for line in run.lines), run.lines[-5:]
    try:
        requests.get(run.url, timeout=5)
        raise AssertionError("the UI still answers")
    except requests.ConnectionError:
        pass
