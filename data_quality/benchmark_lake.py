"""Clean lakes for the injection benchmark: the sandbox with every scenario and fault off, landed as the
pipeline lands data (API clients over HTTP with the ingestion gate; the manual accounts' report files through
the manual intake's own reader and lake writer).

    python -m data_quality.benchmark_lake --seed 11 --today 2026-08-31 [--days 91] [--cache DIR]

A clean lake is built once per (seed, today, days) into `<cache>/clean-s<seed>-<today>-<days>/` (a data dir:
`lake/`, `sandbox/`, `secrets/`) and marked ready with `clean_lake.json`; the injection harness copies it and
never writes into it. The API part (`api_landed.json` once done) takes 5-15 minutes on two cores. Manual
reports skip the intake's Great Expectations suite (seconds per file, hours for ~2,800 files; the sandbox's
clean reports pass it, and the intake has its own tests): rows are read, resolved and written by the intake's
own code, so the lake holds exactly what the intake would write.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

DEFAULT_CACHE = PROJECT_ROOT / "data" / "dq_benchmark"
READY_FILE = "clean_lake.json"
API_READY_FILE = "api_landed.json"


def window(today: dt.date, days: int) -> list[dt.date]:
    """Whole ISO weeks ending the Sunday before `today`, at least `days` long."""
    end = today - dt.timedelta(days=today.weekday() + 1)
    weeks = -(-days // 7)
    return [end - dt.timedelta(days=k) for k in reversed(range(7 * weeks))]


def clean_lake_dir(cache: Path, seed: int, today: str, days: int) -> Path:
    return Path(cache) / f"clean-s{seed}-{today}-{days}"


def build_clean_lake(cache: Path, seed: int, today: str, days: int, workers: int = 6) -> Path:
    """The clean data dir for (seed, today, days), built unless already ready. Returns its path."""
    target = clean_lake_dir(cache, seed, today, days)
    if (target / READY_FILE).exists():
        return target
    if not (target / API_READY_FILE).exists():
        shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("MEDSOS_DATA_DIR")
    os.environ["MEDSOS_DATA_DIR"] = str(target)  # the intake's worker processes read settings from the env
    try:
        summary = _land(target, seed, today, days, workers)
    finally:
        if previous is None:
            os.environ.pop("MEDSOS_DATA_DIR", None)
        else:
            os.environ["MEDSOS_DATA_DIR"] = previous
    (target / READY_FILE).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return target


def _land(target: Path, seed: int, today: str, days: int, workers: int) -> dict:
    from data_quality.benchmark_data import ingest_days, sandbox_config, sandbox_process
    from pipelines.settings import get_settings

    settings = get_settings()
    config = sandbox_config(today=today, quiet=True)
    span = window(dt.date.fromisoformat(today), days)
    started = time.monotonic()
    api_file = target / API_READY_FILE
    if not api_file.exists():
        with sandbox_process(settings, seed, config) as url:
            api = ingest_days(settings, url, span, workers=workers)
        summary = {
            "api_rows": api.rows_written,
            "api_statuses": dict(api.statuses),
            "gate_failures": api.gate_failures,
        }
        api_file.write_text(json.dumps(summary), encoding="utf-8")
    summary = json.loads(api_file.read_text(encoding="utf-8"))
    shutil.rmtree(settings.lake_dir / "manual", ignore_errors=True)
    files, rows = land_manual_reports(settings, span, seed, config)
    return {
        "seed": seed,
        "today": today,
        "first_date": span[0].isoformat(),
        "last_date": span[-1].isoformat(),
        **summary,
        "manual_files": files,
        "manual_rows": rows,
        "seconds": round(time.monotonic() - started, 1),
    }


def land_manual_reports(settings, span: list[dt.date], seed: int, config) -> tuple[int, int]:
    """The sandbox's report files for the window, read and written to the lake by the intake's own code."""
    from data_quality.benchmark_data import write_manual_report_files
    from pipelines.manual_reports.config import get_intake_config
    from pipelines.manual_reports.header import map_header
    from pipelines.manual_reports.lake_writer import FileStamp, write_report
    from pipelines.manual_reports.reader import read_table
    from pipelines.manual_reports.registry_index import load_registry_index
    from pipelines.manual_reports.rows import parse_rows

    intake = get_intake_config()
    registry = load_registry_index(intake.registry_dir)
    paths, _ = write_manual_report_files(settings, span, seed, config)
    rows_written = 0
    now = dt.datetime.now(dt.UTC)
    for path in paths:
        table = read_table(path, intake.max_rows, intake.max_bytes)
        rows, issues = parse_rows(table, map_header(table))
        if issues:
            raise RuntimeError(
                f"{path.name}: the sandbox wrote a report the intake cannot read: {issues[:3]}"
            )
        resolved = [(r, registry.lookup(r.unit_code, r.platform, r.handle)) for r in rows]
        write_report(resolved, intake.lake_dir, FileStamp(path.name, "clean-benchmark", "dq-benchmark", now))
        rows_written += len(rows)
        path.unlink()
    return len(paths), rows_written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_quality.benchmark_lake", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--today", required=True, help="the sandbox's simulated today (a Monday)")
    parser.add_argument("--days", type=int, default=91)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--workers", type=int, default=6)
    args = parser.parse_args(argv)
    path = build_clean_lake(args.cache, args.seed, args.today, args.days, args.workers)
    print(path)
    print((path / READY_FILE).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
