"""`make run`: the whole pipeline on the bundled sandbox, then the Dagster UI.

1. start the sandbox (unless one already answers on the configured port);
2. backfill the last 28 WIB days of every platform that the lake does not hold yet, as real Dagster runs
   (`dagster asset materialize --partition-range`, one run per range), so they show in the UI;
3. build and publish the warehouse (`dagster job execute -j warehouse_job`), then the newest complete week's
   scorecards (`dagster asset materialize --select reports/weekly_scorecard --partition <its Monday>`);
4. run `dagster dev` on 127.0.0.1 in the foreground; Ctrl-C stops it and the sandbox.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from pipelines.lake import partition_exists, partition_path
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import PROJECT_ROOT, get_settings, today_wib, yesterday_wib

BACKFILL_DAYS = int(os.environ.get("MEDSOS_BACKFILL_DAYS", "28"))
UI_PORT = int(os.environ.get("MEDSOS_UI_PORT", "3000"))


def sandbox_alive(url: str) -> bool:
    try:
        return requests.get(f"{url}/_sandbox/health", timeout=2).ok
    except requests.RequestException:
        return False


def start_sandbox(settings) -> subprocess.Popen | None:
    if sandbox_alive(settings.sandbox_url):
        print(f"sandbox already running at {settings.sandbox_url}")
        return None
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.sandbox"], cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sandbox_alive(settings.sandbox_url):
            print(f"sandbox up at {settings.sandbox_url}")
            return proc
        if proc.poll() is not None:
            raise SystemExit(f"sandbox exited with code {proc.returncode}")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("sandbox did not answer within 60 s")


def first_missing_day(settings, start: dt.date, end: dt.date) -> dt.date | None:
    day = start
    while day <= end:
        if not all(
            partition_exists(partition_path(settings.lake_dir, p, "account_daily", day)) for p in PLATFORMS
        ):
            return day
        day += dt.timedelta(days=1)
    return None


def dagster(*args: str) -> None:
    cmd = [str(Path(sys.executable).with_name("dagster")), *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=PROJECT_ROOT, check=True)


def build_newest_scorecard() -> None:
    """The newest complete week's scorecards (automation rebuilds them after each later publish)."""
    from pipelines.scorecard import last_complete_week_start, scorecard_dir
    from pipelines.scorecard.queries import holds_week

    week = last_complete_week_start(today_wib()).isoformat()
    if not holds_week(get_settings().serving_db_path, dt.date.fromisoformat(week)):
        print(
            f"no scorecard: the warehouse holds no day of the week of {week} (backfill more days)", flush=True
        )
        return
    select = "reports/weekly_scorecard"
    dagster("asset", "materialize", "-m", "pipelines.definitions", "--select", select, "--partition", week)
    print(f"scorecards of the week of {week}: {scorecard_dir() / 'index.html'}", flush=True)


def main() -> None:
    # dagster-dbt finds `dbt` on PATH (prepare_if_dev under `dagster dev`): put this venv's bin first.
    venv_bin = str(Path(sys.executable).parent)
    os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    sandbox = start_sandbox(settings)
    try:
        end = yesterday_wib()
        start = end - dt.timedelta(days=BACKFILL_DAYS - 1)
        missing_from = first_missing_day(settings, start, end)
        if missing_from:
            started = time.monotonic()
            dagster(
                "asset",
                "materialize",
                "-m",
                "pipelines.definitions",
                "--select",
                "group:ingestion_api",
                "--partition-range",
                f"{missing_from}...{end}",
            )
            print(f"backfill {missing_from}..{end}: {time.monotonic() - started:.1f} s", flush=True)
        else:
            print(f"lake already holds {start}..{end}")
        started = time.monotonic()
        dagster("job", "execute", "-m", "pipelines.definitions", "-j", "warehouse_job")
        print(
            f"warehouse built and published in {time.monotonic() - started:.1f} s: {settings.serving_db_path}"
        )
        build_newest_scorecard()
        print(f"Dagster UI: http://127.0.0.1:{UI_PORT}  (Ctrl-C to stop)", flush=True)
        ui = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("dagster")),
                "dev",
                "-w",
                "workspace.yaml",
                "-h",
                "127.0.0.1",
                "-p",
                str(UI_PORT),
            ],
            cwd=PROJECT_ROOT,
        )
        try:
            ui.wait()
        except KeyboardInterrupt:
            ui.send_signal(signal.SIGINT)
            ui.wait(timeout=30)
    finally:
        if sandbox is not None:
            sandbox.terminate()
            sandbox.wait(timeout=10)


if __name__ == "__main__":
    main()
