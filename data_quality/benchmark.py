"""Data-quality benchmark: the sandbox with injected scenarios, the real pipeline, scored against ground truth.

    python -m data_quality.benchmark [--days 90] [--seed 42] [--data-dir DIR] [--reuse-lake] [--workers 8]

1. starts the sandbox (its CLI, in its own process) with the default scenario and fault rates, every platform
   and the full registry, simulated "today" = --today (a Monday, so the window is whole ISO weeks);
2. lands --days days (rounded up to whole weeks, ending the Sunday before today) in a private lake: API
   accounts through `pipelines.ingest.ingest_platform_day` with the Great Expectations gate, manual accounts
   through the manual-intake code (`process_file`) from the sandbox's weekly report files;
3. runs the real dbt build (`pipelines.warehouse.run_dbt_build`);
4. prints precision and recall against `<data>/sandbox/ground_truth_daily.csv` for missing reports and for
   each anomaly type, for dq_anomalies and for the z-score baseline (data_quality.baseline) on the same
   facts, with 1 - F1 for both, the targets, and the time each stage took. Matching rules:
   data_quality.benchmark_scoring. Exit status 0 when every target is met, else 1.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from data_quality.benchmark_data import BENCHMARK_TODAY

TARGETS = {"missing_precision": 1.0, "missing_recall": 1.0, "precision": 0.90, "recall": 0.95, "f1_gap": 0.5}


def window(today: dt.date, days: int) -> list[dt.date]:
    """Whole ISO weeks ending the Sunday before `today`, at least `days` long."""
    end = today - dt.timedelta(days=today.weekday() + 1)
    weeks = -(-days // 7)
    return [end - dt.timedelta(days=k) for k in reversed(range(7 * weeks))]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m data_quality.benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--days", type=int, default=90, help="days of data (rounded up to whole weeks)")
    parser.add_argument("--seed", type=int, default=42, help="sandbox seed")
    parser.add_argument("--today", default=BENCHMARK_TODAY, help="the sandbox's simulated today (a Monday)")
    parser.add_argument("--data-dir", type=Path, help="data dir (default: a new temporary folder)")
    parser.add_argument(
        "--reuse-lake", action="store_true", help="skip fetching: score the lake in --data-dir"
    )
    parser.add_argument("--workers", type=int, default=8, help="concurrent platform-days while fetching")
    parser.add_argument("--no-gate", action="store_true", help="skip the ingestion gate while fetching")
    return parser.parse_args(argv)


def land_data(args, settings, days, timings: dict) -> None:
    from data_quality.benchmark_data import (
        LakeReport,
        ingest_days,
        ingest_manual_reports,
        sandbox_config,
        sandbox_process,
    )

    config = sandbox_config(today=args.today)
    started = time.monotonic()
    with sandbox_process(settings, args.seed, config) as url:
        timings["sandbox start"] = time.monotonic() - started
        report = ingest_days(settings, url, days, workers=args.workers, use_gate=not args.no_gate)
    timings["API fetch (all platforms)"] = report.seconds
    print(
        f"API: {report.rows_written} account-days written of {report.account_days_expected} expected; "
        f"outcomes {dict(report.statuses)}; partitions failing the gate: {report.gate_failures}"
    )
    report = ingest_manual_reports(settings, LakeReport(days=days), args.seed, config)
    timings["manual intake"] = report.manual_seconds
    print(f"manual: {report.manual_files} weekly files, {report.manual_rows} rows, {report.manual_outcomes}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = (args.data_dir or Path(tempfile.mkdtemp(prefix="medsos-dq-bench-"))).resolve()
    os.environ["MEDSOS_DATA_DIR"] = str(data_dir)
    os.environ.pop("MEDSOS_API_MODE", None)
    from pipelines.settings import get_settings
    from pipelines.warehouse import run_dbt_build

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    days = window(dt.date.fromisoformat(args.today), args.days)
    print(f"data dir {data_dir}; window {days[0]}..{days[-1]} ({len(days)} days); seed {args.seed}")
    timings: dict[str, float] = {}
    total = time.monotonic()
    if not args.reuse_lake:
        land_data(args, settings, days, timings)
    started = time.monotonic()
    run_dbt_build(settings)
    timings["dbt build"] = time.monotonic() - started

    from data_quality.benchmark_report import score_and_print

    started = time.monotonic()
    met = score_and_print(settings, days[0], days[-1], TARGETS)
    timings["scoring (incl. baseline)"] = time.monotonic() - started
    timings["total"] = time.monotonic() - total
    print("\nruntime:")
    for stage, seconds in timings.items():
        print(f"  {stage:<28} {seconds:8.1f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
