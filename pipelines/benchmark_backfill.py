"""Benchmark: the 28-day backfill of every platform against the sandbox, then dbt build and publish.

    python -m pipelines.benchmark_backfill [--days 28] [--quiet-sandbox] [--data-dir DIR]

Prints accounts, rows and requests per platform and the wall time of each stage. Runs the same functions the
Dagster assets run (ingest_platform_day, dbt build, publish), in a private data dir unless one is given.
"""

import argparse
import datetime as dt
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from pipelines.ingest import client_config_for, ingest_platform_day
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import get_settings, yesterday_wib
from pipelines.warehouse import publish, run_dbt_build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--quiet-sandbox", action="store_true", help="no injected faults or scenarios")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="medsos-bench-"))
    os.environ["MEDSOS_DATA_DIR"] = str(data_dir)
    os.environ.pop("MEDSOS_API_MODE", None)
    settings = get_settings()
    from pipelines.sandbox import SandboxConfig, start_sandbox

    config = SandboxConfig.quiet() if args.quiet_sandbox else SandboxConfig()
    end = yesterday_wib()
    days = [end - dt.timedelta(days=i) for i in reversed(range(args.days))]
    print(
        f"data dir {data_dir}; {len(days)} days {days[0]}..{days[-1]}; "
        f"sandbox {'quiet' if args.quiet_sandbox else 'default faults'}"
    )

    with start_sandbox(port=0, seed=settings.sandbox_seed, data_dir=data_dir, config=config) as sandbox:
        totals: dict[str, Counter] = {}
        started = time.monotonic()
        for platform in PLATFORMS:
            client_config = client_config_for(platform, settings, sandbox_url=sandbox.url)
            t0, counter = time.monotonic(), Counter()
            for day in days:
                s = ingest_platform_day(
                    platform, day, settings=settings, client_config=client_config, run_id="bench"
                )
                counter.update(
                    accounts=s.accounts_expected,
                    rows=s.rows_written,
                    requests=s.requests_made,
                    retries=s.retries,
                    throttled=s.throttled,
                    failed=s.accounts_failed,
                )
            counter["seconds"] = round(time.monotonic() - t0, 1)
            totals[platform] = counter
        ingest_seconds = time.monotonic() - started

    print(
        f"\n{'platform':<10} {'account-days':>12} {'rows':>8} {'failed':>7} {'requests':>9} "
        f"{'retries':>8} {'throttled':>9} {'seconds':>8}"
    )
    for platform, c in totals.items():
        print(
            f"{platform:<10} {c['accounts']:>12} {c['rows']:>8} {c['failed']:>7} {c['requests']:>9} "
            f"{c['retries']:>8} {c['throttled']:>9} {c['seconds']:>8}"
        )
    all_rows = sum(c["rows"] for c in totals.values())
    print(
        f"{'total':<10} {sum(c['accounts'] for c in totals.values()):>12} {all_rows:>8} "
        f"{sum(c['failed'] for c in totals.values()):>7} {sum(c['requests'] for c in totals.values()):>9}"
    )
    print(f"\ningest wall time: {ingest_seconds:.1f} s ({all_rows / ingest_seconds:.0f} rows/s)")

    t0 = time.monotonic()
    run_dbt_build(settings)
    print(f"dbt build: {time.monotonic() - t0:.1f} s")
    result = publish(settings)
    print(f"publish: {result.seconds:.2f} s, {result.tables} tables, {result.bytes / 1e6:.1f} MB")
    import duckdb

    with duckdb.connect(str(result.serving_path), read_only=True) as con:
        for table in ("marts.fct_account_daily", "marts.fct_unit_daily", "marts.fct_platform_daily"):
            n = con.execute(f"select count(*) from {table}").fetchone()[0]
            print(f"{table}: {n} rows")
    print(f"total wall time: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
