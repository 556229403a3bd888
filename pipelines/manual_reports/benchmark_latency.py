"""Latency benchmark: a report file lands in the inbox → the new figure is queryable in the published warehouse.

    python -m pipelines.manual_reports.benchmark_latency [--serving PATH] [--deadline 120] [--query SQL]

Run it against a running pipeline (the README's run command: Dagster daemon with the inbox sensor and the
warehouse automation). It writes one report row (a manual account's followers for yesterday, WIB, set to a
value no one reports) under a hidden temporary name in the inbox, renames it into place (the landing moment
and the clock's start), then polls the serving DuckDB file read-only until the query finds the row, and
prints the time. It also notes when the file left the inbox (taken in) and stops early if it was quarantined.

This CHANGES the warehouse: the benchmark row replaces that account-day's manual figure (and is recorded as a
replacement like any correction). Use it on the sandbox set-up, not on production data.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from pipelines.manual_reports.columns import TEMPLATE_HEADER

# The published row for an account-day. Named parameters: $account_id, $metric_date, $followers.
DEFAULT_QUERY = (
    "select count(*) from marts.fct_account_daily "
    "where account_id = $account_id and metric_date = $metric_date and followers_count = $followers"
)


@dataclass(frozen=True)
class Probe:
    account_id: str
    unit_code: str
    platform: str
    handle: str
    metric_date: dt.date
    followers: int

    def params(self) -> dict:
        return {"account_id": self.account_id, "metric_date": self.metric_date, "followers": self.followers}


def choose_probe(day: dt.date | None = None) -> Probe:
    """A manual-collection account active on `day` (default yesterday, WIB) and an unmistakable figure."""
    from pipelines.registry import load_accounts
    from pipelines.settings import yesterday_wib

    day = day or yesterday_wib()
    accounts = [a for a in load_accounts() if a.is_active_on(day)]
    account = next((a for a in accounts if a.collection_method == "manual"), accounts[0])
    followers = 7_000_000 + time.time_ns() // 1000 % 1_000_000
    return Probe(account.account_id, account.unit_code, account.platform, account.handle, day, followers)


def report_bytes(probe: Probe) -> bytes:
    cells = {
        "kode_unit": probe.unit_code,
        "platform": probe.platform,
        "akun": probe.handle,
        "tanggal": probe.metric_date.strftime("%d/%m/%Y"),
        "pengikut": str(probe.followers),
    }
    lines = [";".join(TEMPLATE_HEADER), ";".join(cells.get(h, "") for h in TEMPLATE_HEADER)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def land_file(inbox: Path, data: bytes) -> tuple[Path, float]:
    """Write under a name the sensor ignores, then rename into place. Returns (path, landing time)."""
    inbox.mkdir(parents=True, exist_ok=True)
    final = inbox / f"benchmark_latency_{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:6]}.csv"
    partial = inbox / f".{final.name}.part"
    partial.write_bytes(data)
    os.replace(partial, final)
    return final, time.monotonic()


def query_once(serving: Path, query: str, params: dict) -> tuple[bool, str]:
    """(found, error). Opens read-only each time: publishing swaps the file, a held handle would go stale."""
    import duckdb

    if not serving.exists():
        return False, f"{serving} does not exist yet"
    try:
        with duckdb.connect(str(serving), read_only=True) as con:
            row = con.execute(query, params).fetchone()
    except duckdb.Error as exc:
        return False, f"{type(exc).__name__}: {exc}".splitlines()[0]
    return bool(row and row[0]), ""


def wait_for_row(
    serving: Path, query: str, probe: Probe, landed: Path, started: float, deadline: float, interval: float
) -> dict:
    taken_in_after = None
    error = ""
    while (elapsed := time.monotonic() - started) < deadline:
        if taken_in_after is None and not landed.exists():
            taken_in_after = round(elapsed, 2)
            print(f"  {elapsed:6.1f} s  file left the inbox (taken in)", flush=True)
            quarantined = list((landed.parent / "quarantine").glob(f"*_{landed.name}.reason.txt"))
            if quarantined:
                return {"ok": False, "error": "quarantined:\n" + quarantined[0].read_text(encoding="utf-8")}
        found, error = query_once(serving, query, probe.params())
        if found:
            return {
                "ok": True,
                "latency_seconds": round(elapsed, 2),
                "taken_in_after_seconds": taken_in_after,
            }
        time.sleep(interval)
    return {"ok": False, "error": f"deadline of {deadline:.0f} s passed; last query error: {error or 'none'}"}


def main(argv: list[str] | None = None) -> int:
    from pipelines.settings import get_settings

    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--serving", type=Path, default=settings.serving_db_path, help="published DuckDB file"
    )
    parser.add_argument("--inbox", type=Path, default=settings.inbox_dir)
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds before giving up")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between queries")
    parser.add_argument(
        "--query", default=DEFAULT_QUERY, help="SQL with $account_id, $metric_date, $followers"
    )
    parser.add_argument("--day", type=dt.date.fromisoformat, help="report day (default: yesterday, WIB)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args(argv)

    probe = choose_probe(args.day)
    print(f"probe: {probe.account_id} ({probe.unit_code}) {probe.metric_date} followers={probe.followers}")
    landed, started = land_file(args.inbox, report_bytes(probe))
    print(f"landed {landed} at {dt.datetime.now():%H:%M:%S}; polling {args.serving}", flush=True)
    result = wait_for_row(args.serving, args.query, probe, landed, started, args.deadline, args.interval)
    result |= {
        "file": landed.name,
        "serving": str(args.serving),
        **{k: str(v) for k, v in probe.params().items()},
    }
    if args.json:
        print(json.dumps(result))
    elif result["ok"]:
        print(
            f"latency: {result['latency_seconds']:.1f} s from landing in the inbox to queryable in the warehouse"
        )
    else:
        print(f"FAILED: {result['error']}", file=sys.stderr)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
