"""Benchmark: requests per account-day per platform, for the daily fetch and for a live history backfill.

    python -m pipelines.clients.benchmark [--history-days 7] [--registry-dir DIR]

Starts the quiet sandbox (no faults, no scenarios) on the registry, then per platform: the daily fetch of
yesterday (sandbox mode, as the schedule does) and a history fetch of the `--history-days` days before it
the way a live backfill asks (no simulated time: only requests that keep daily history). Prints HTTP requests
and, for the Graph API, the batch items Meta counts against its limits (each item is one call there).
"""

import argparse
import dataclasses
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from pipelines.clients import build_client
from pipelines.ingest import api_accounts, client_config_for
from pipelines.platform_spec import PLATFORMS
from pipelines.registry import load_accounts
from pipelines.settings import get_settings


def _graph_items(sandbox) -> int:
    return sum(sandbox.stats()["graph_batch_items"].values())


def _measure(sandbox, platform: str, accounts: list, days: list[dt.date], live: bool) -> dict:
    settings = get_settings()
    config = client_config_for(platform, settings, sandbox_url=sandbox.url)
    if live:  # a live client: no simulated time, the sandbox answers snapshots as of today
        config = dataclasses.replace(config, send_sandbox_as_of=False)
    items_before, started = _graph_items(sandbox), time.monotonic()
    requests = account_days = ok = 0
    with build_client(platform, config) as client:  # as ingest_platform_days asks: windows where it can
        results = client.fetch_days({d: api_accounts(platform, d, accounts) for d in days}, history=live)
        for result in results.values():
            requests += result.requests_made
            account_days += len(result.outcomes)
            ok += sum(o.status == "ok" for o in result.outcomes)
    items = _graph_items(sandbox) - items_before
    return {
        "account_days": account_days,
        "ok": ok,
        "requests": requests,
        "per_account_day": requests / account_days if account_days else 0.0,
        "items_per_account_day": items / account_days if account_days and items else None,
        "seconds": time.monotonic() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history-days", type=int, default=7)
    parser.add_argument("--registry-dir", type=Path, default=None)
    args = parser.parse_args()

    from pipelines.sandbox import SandboxConfig, start_sandbox

    data_dir = Path(tempfile.mkdtemp(prefix="medsos-requests-"))
    os.environ["MEDSOS_DATA_DIR"] = str(data_dir)  # the clients read the sandbox's tokens from here
    os.environ.pop("MEDSOS_API_MODE", None)
    with start_sandbox(
        port=0, seed=42, data_dir=data_dir, config=SandboxConfig.quiet(), registry_dir=args.registry_dir
    ) as sandbox:
        accounts = load_accounts(args.registry_dir / "registry_accounts.csv" if args.registry_dir else None)
        yesterday = sandbox.world.today - dt.timedelta(days=1)
        history = [yesterday - dt.timedelta(days=k) for k in range(args.history_days, 0, -1)]
        print(
            f"{'platform':<10} {'fetch':<8} {'acct-days':>9} {'requests':>9} {'req/acct-day':>13} "
            f"{'items/acct-day':>15} {'s':>6}"
        )
        for platform in PLATFORMS:
            for label, days, live in (("daily", [yesterday], False), ("history", history, True)):
                m = _measure(sandbox, platform, accounts, days, live)
                items = f"{m['items_per_account_day']:.3f}" if m["items_per_account_day"] is not None else "-"
                print(
                    f"{platform:<10} {label:<8} {m['account_days']:>9} {m['requests']:>9} "
                    f"{m['per_account_day']:>13.4f} {items:>15} {m['seconds']:>6.1f}"
                )


if __name__ == "__main__":
    main()
