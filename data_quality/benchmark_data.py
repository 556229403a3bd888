"""Benchmark data: run the sandbox with injected scenarios and land its data in a lake exactly as the pipeline does.

API accounts go through the real clients and `pipelines.ingest.ingest_platform_day` (with the ingestion gate);
manual accounts' weekly report files, written by the sandbox, go through the manual-intake code. Platform-days
run concurrently: the sandbox's rate limits are raised for the benchmark (they model throttling, which the
client tests cover; here they would only make a 90-day backfill slow), every fault stays on.
"""

import contextlib
import dataclasses
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

from pipelines.platform_spec import PLATFORMS
from pipelines.settings import Settings

BENCHMARK_TODAY = "2026-08-31"  # the window then holds 17 August, the biggest national campaign day


@dataclass
class LakeReport:
    days: list[dt.date]
    account_days_expected: int = 0
    rows_written: int = 0
    statuses: Counter = field(default_factory=Counter)
    gate_failures: int = 0
    manual_files: int = 0
    manual_rows: int = 0
    manual_outcomes: dict = field(default_factory=dict)
    manual_seconds: float = 0.0
    seconds: float = 0.0


def sandbox_config(today: str = BENCHMARK_TODAY, *, quiet: bool = False, **changes):
    """The benchmark's sandbox: rate limits raised; `quiet` turns every scenario and fault off (a clean world)."""
    from pipelines.sandbox import RateLimit, SandboxConfig

    fast = RateLimit(1_000_000, 1.0)
    return (SandboxConfig.quiet if quiet else SandboxConfig)(
        today=today,
        meta_app_limit=fast,
        meta_token_limit=fast,
        youtube_limit=fast,
        x_limit=fast,
        tiktok_limit=fast,
        **changes,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def sandbox_process(settings: Settings, seed: int, config, timeout_s: float = 120.0):
    """Run the sandbox CLI (`python -m pipelines.sandbox`) in its own process and yield its URL.

    A separate process lets the server and the clients use both cores (in one process they share the GIL,
    which halves the backfill speed). The process is stopped, by its own pid, when the block exits.
    """
    import requests

    config_path = settings.data_dir / "sandbox_config.json"
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(json.dumps(dataclasses.asdict(config)), encoding="utf-8")
    port = _free_port()
    log = open(settings.data_dir / "sandbox.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    args = [sys.executable, "-m", "pipelines.sandbox", "--port", str(port), "--seed", str(seed)]
    args += ["--data-dir", str(settings.data_dir), "--registry-dir", str(settings.registry_dir)]
    args += ["--scenario-config", str(config_path)]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"sandbox exited with {proc.returncode}; see {log.name}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/_sandbox/health", timeout=2).ok:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("sandbox did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _gate(table, platform: str, day: dt.date) -> tuple[bool, dict]:
    from data_quality.raw_partition_suite import validate_table

    result = validate_table(table, platform, day)
    return result.success, {"failures": result.failures, "statistics": result.statistics}


def ingest_days(
    settings: Settings, sandbox_url: str, days: list[dt.date], *, workers: int = 6, use_gate: bool = True
) -> LakeReport:
    """Fetch every platform for every day into the lake (concurrently over platform-days)."""
    from dataclasses import replace

    from pipelines.ingest import client_config_for, ingest_platform_day

    report = LakeReport(days=days)
    started = time.monotonic()
    configs = {}
    for platform in PLATFORMS:
        config = client_config_for(platform, settings, sandbox_url=sandbox_url)
        configs[platform] = replace(config, backoff_max_s=5.0)

    def one(task):
        platform, day = task
        return ingest_platform_day(
            platform,
            day,
            settings=settings,
            client_config=configs[platform],
            run_id="dq-benchmark",
            gate=_gate if use_gate else None,
        )

    tasks = [(p, d) for d in days for p in PLATFORMS]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for summary in pool.map(one, tasks):
            report.account_days_expected += summary.accounts_expected
            report.rows_written += summary.rows_written
            report.statuses.update(summary.outcomes_by_status)
            report.gate_failures += 0 if summary.gate_passed else 1
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _take_in(path: str, today: str) -> tuple[str, int]:
    """One inbox file through the manual intake (runs in a worker process; settings come from the env)."""
    from pipelines.manual_reports.config import get_intake_config
    from pipelines.manual_reports.intake import process_file

    result = process_file(
        path, run_id="dq-benchmark", config=get_intake_config(), today=dt.date.fromisoformat(today)
    )
    return result.outcome, result.rows


def write_manual_report_files(
    settings: Settings, days: list[dt.date], seed: int, config
) -> tuple[list, dt.date]:
    """The sandbox's weekly manual reports for every week touching `days`, written into the inbox."""
    from pipelines.manual_reports.config import get_intake_config
    from pipelines.sandbox.manual_reports import write_manual_reports
    from pipelines.sandbox.world import World

    world = World(seed=seed, config=config, registry_dir=settings.registry_dir)
    inbox = get_intake_config().inbox_dir
    mondays = sorted({d - dt.timedelta(days=d.weekday()) for d in days})
    return [p for monday in mondays for p in write_manual_reports(inbox, monday, world=world)], world.today


def ingest_manual_reports(
    settings: Settings, report: LakeReport, seed: int, config, workers: int = 2
) -> LakeReport:
    """Take the sandbox's weekly manual reports for the window into the lake through the manual-intake code.

    The sandbox writes one CSV per unit and week (units injected as manual_not_sent skip theirs); each file
    goes through `pipelines.manual_reports.intake.process_file`, exactly as the inbox sensor's run does (its
    intake lock makes parallel runs safe), in `workers` processes: the intake's own validation is CPU-bound.
    """
    started = time.monotonic()
    paths, today = write_manual_report_files(settings, report.days, seed, config)
    outcomes: Counter = Counter()
    args = ([str(p) for p in paths], [today.isoformat()] * len(paths))
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers)) if workers > 1 else None
        for outcome, rows in pool.map(_take_in, *args) if pool else map(_take_in, *args):
            outcomes[outcome] += 1
            report.manual_rows += rows
    report.manual_files = sum(outcomes.values())
    report.manual_outcomes = dict(outcomes)
    report.manual_seconds = round(time.monotonic() - started, 1)
    return report
