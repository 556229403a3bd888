"""`make run`: the whole pipeline on the bundled sandbox, with the Dagster UI.

1. start the sandbox (unless one already answers on the configured port);
2. start `dagster dev` (webserver, daemon, code server); print the UI address once the UI answers;
3. launch a real Dagster backfill of the WIB days the lake lacks (every platform, the last MEDSOS_BACKFILL_DAYS
   days): it shows in the UI's Backfills tab, and here as a progress bar with ETA, day by day;
4. declarative automation builds and publishes the warehouse once the backfill is done; wait for the publish
   (with a lake already complete and no published file, launch `warehouse_job` instead), then for the newest
   complete week's scorecards, which automation renders after a publish when the warehouse holds that week;
5. keep running until Ctrl-C or SIGTERM, which stop every process this command started.

The terminal shows progress and results only; Dagster's own output (and every DEBUG line) goes to
<data>/logs/make-run.log.
"""

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import requests
from rich.console import Console
from rich.markup import escape

from pipelines import dagster_ui, run_progress
from pipelines.asset_keys import (
    INGESTION_KEYS,
    MANUAL_ACCOUNT_DAILY_KEY,
    PUBLISHED_KEY,
    SCORECARD_KEY,
    WAREHOUSE_JOB,
    warehouse_key,
)
from pipelines.lake import partition_exists, partition_path
from pipelines.partitions import backfill_days, history_start
from pipelines.platform_spec import PLATFORMS
from pipelines.scorecard import last_complete_week_start, scorecard_dir
from pipelines.scorecard.queries import holds_week
from pipelines.settings import PROJECT_ROOT, get_settings, today_wib, yesterday_wib
from pipelines.warehouse import DBT_PROJECT_DIR, prepare_manifest

console = Console(highlight=False, soft_wrap=True)


class Stop(Exception):
    """SIGTERM or SIGINT (Ctrl-C) arrived: stop everything this command started."""


def _stop(signum, _frame):
    # The first signal stops; more (Ctrl-C twice, `kill` of the process group and make forwarding it) must not
    # interrupt the stopping and the clean-up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stop(signal.Signals(signum).name)


def sandbox_alive(url: str) -> bool:
    try:
        return requests.get(f"{url}/_sandbox/health", timeout=2).ok
    except requests.RequestException:
        return False


def start_sandbox(settings, log) -> subprocess.Popen | None:
    if sandbox_alive(settings.sandbox_url):
        console.print(f"sandbox already running at {settings.sandbox_url}")
        return None
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.sandbox"],
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if sandbox_alive(settings.sandbox_url):
            console.print(f"sandbox up at {settings.sandbox_url}")
            return proc
        if proc.poll() is not None:
            raise SystemExit(f"sandbox exited with code {proc.returncode} (see the log file)")
        time.sleep(0.5)
    raise SystemExit("sandbox did not answer within 300 s")


def missing_days(settings) -> list[str]:
    """WIB days of the backfill window (from the partitions' start) that some platform's lake lacks."""
    end = yesterday_wib()
    start = max(end - dt.timedelta(days=backfill_days() - 1), history_start(settings))
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [
        d.isoformat()
        for d in days
        if not all(
            partition_exists(partition_path(settings.lake_dir, p, "account_daily", d)) for p in PLATFORMS
        )
    ]


def prepare_environment(settings) -> Path:
    # dagster-dbt finds `dbt` on PATH: put this venv's bin first; the instance needs its dagster.yaml.
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(PROJECT_ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():  # `make run` prepared it already
        prepare_manifest()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    return settings.data_dir / "logs" / "make-run.log"


def backfill_and_publish(url: str, instance: dg.DagsterInstance, settings) -> None:
    days = missing_days(settings)
    marker, since = run_progress.latest_storage_id(instance), time.time()
    if days:
        # every API lake table: account-days, fetch logs, posts and comments (progress counts account-days)
        keys = sorted(k.path for k in INGESTION_KEYS if k != MANUAL_ACCOUNT_DAILY_KEY)
        backfill_id = dagster_ui.launch_backfill(url, keys, days, f"make run: {days[0]}..{days[-1]}")
        span = f"{days[0]}..{days[-1]} ({len(days)} days × {len(PLATFORMS)} platforms)"
        console.print(f"backfill {span}: {url}/runs/b/{backfill_id}")
        watch = run_progress.Watch(instance, run_progress.platform_day_keys(PLATFORMS), days, marker, since)
        total = len(days) * len(PLATFORMS)

        def backfill_done() -> bool:
            backfill = instance.get_backfill(backfill_id)
            return watch.done()[0] >= total and backfill.status.value.startswith("COMPLETED")

        run_progress.track(console, "backfill", "platform-days", watch, total, backfill_done)
    elif settings.serving_db_path.exists():
        console.print(
            f"the lake already holds the last {backfill_days()} days and the warehouse is published"
        )
        return
    else:
        dagster_ui.launch_job(url, WAREHOUSE_JOB)
    models = warehouse_model_keys(url)
    watch = run_progress.Watch(instance, models, None, marker, since)
    run_progress.track(
        console,
        "warehouse",
        "models",
        watch,
        len(models),
        lambda: bool(run_progress.published_after(instance, marker)),
    )
    published = run_progress.published_after(instance, marker)
    meta = {k: v.value for k, v in published.metadata.items()}
    console.print(f"published {meta['path']}: {meta['tables']} tables, {meta['size_mb']} MB")
    wait_for_scorecard(instance, settings, marker, since)


def wait_for_scorecard(instance: dg.DagsterInstance, settings, marker: int, since: float) -> None:
    """The newest complete week's scorecards, rendered by automation after the publish."""
    week = last_complete_week_start(today_wib()).isoformat()
    if not holds_week(settings.serving_db_path, dt.date.fromisoformat(week)):
        console.print(f"no scorecard: the warehouse holds no day of the week of {week} (backfill more days)")
        return
    watch = run_progress.Watch(instance, [SCORECARD_KEY], [week], marker, since)
    run_progress.track(console, "scorecard", "weeks", watch, 1, lambda: watch.done()[0] >= 1)
    console.print(f"scorecards of the week of {week}: {scorecard_dir() / 'index.html'}")


def warehouse_model_keys(url: str) -> list[dg.AssetKey]:
    nodes = dagster_ui.graphql(url, "{ assetNodes { assetKey { path } } }")["assetNodes"]
    paths = [n["assetKey"]["path"] for n in nodes]
    keys = [warehouse_key(p[1]) for p in paths if len(p) == 2 and p[0] == "warehouse"]
    return [k for k in keys if k != PUBLISHED_KEY]


def main() -> int:
    settings = get_settings()
    log_path = prepare_environment(settings)
    port = int(os.environ.get("MEDSOS_UI_PORT", "3000"))
    url = f"http://127.0.0.1:{port}"
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    started: list[subprocess.Popen] = []
    with open(log_path, "a", buffering=1) as log:
        console.print(f"medsos-warehouse: logs in {log_path}")
        try:
            sandbox = start_sandbox(settings, log)
            started += [sandbox] if sandbox else []
            ui = dagster_ui.start_dagster_dev(port, log)
            started.append(ui)
            with console.status("starting Dagster (webserver, daemon, code server)"):
                dagster_ui.wait_until_answering(url, ui)
            console.print(f"Dagster UI: {url}", style="bold")
            with dg.DagsterInstance.get() as instance:
                backfill_and_publish(url, instance, settings)
            console.print("Ctrl-C stops the UI, the daemon and the sandbox.")
            ui.wait()
            return ui.returncode or 0
        except Stop as stop:
            console.print(f"{stop}: stopping")
            return 0
        except (run_progress.RunFailed, dagster_ui.UIError) as problem:
            console.print(
                f"{escape(str(problem))}: see {url} and {log_path}; Ctrl-C stops everything", style="red"
            )
            try:
                while all(p.poll() is None for p in started):  # keep the UI up to look into it
                    time.sleep(1)
            except Stop as stop:
                console.print(f"{stop}: stopping")
            return 1
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for process in reversed(started):
                dagster_ui.stop_group(process)


if __name__ == "__main__":
    sys.exit(main())
