"""Speed figures that used to be timed assertions in unit tests (which failed on a busy machine): now printed.

    python -m pipelines.benchmark_speeds [--repeat 5]

- ingestion gate: Great Expectations suite on a 400-row Facebook partition, per partition once warm
  (was `test_arrow_table_and_speed`: < 2 s);
- sandbox world: building the world for the full bundled registry (was `test_full_registry_builds_...`: < 10 s);
- sandbox rollover: the per-request "is it past midnight?" check (was `per_call < 20 µs`);
- webhook: how soon the (apprise) notifier gives up on a hook that answers after 1 s, with a 0.2 s timeout and
  one retry (was `< 1.5 s`, then `< 1.9 s` in test_notify).
Each figure is the median of --repeat runs, with the fastest and slowest.
"""

import argparse
import datetime as dt
import statistics
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pyarrow as pa

from data_quality.notify import AppriseNotifier, LogFileNotifier, with_defaults
from data_quality.raw_partition_suite import validate_table
from pipelines.lake import account_daily_schema, rows_to_table
from pipelines.sandbox import SandboxConfig, World
from pipelines.sandbox.rollover import Rollover, next_midnight

DAY = dt.date(2026, 3, 2)


def facebook_partition(rows: int) -> pa.Table:
    fetched = dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)
    schema = account_daily_schema("facebook")
    records = []
    for i in range(rows):
        row = {
            "account_id": f"facebook:{1000 + i}",
            "platform_user_id": str(1000 + i),
            "unit_code": f"ID-{11 + i}",
        }
        row |= {"metric_date": DAY, "fetched_at": fetched, "run_id": "bench", "source": "sandbox"}
        for f in schema:
            row.setdefault(f.name, i % 3 if f.name == "posts_published" else 1_000 + 10 * i)
        records.append(row)
    return rows_to_table(records, schema)


def gate() -> Callable[[], object]:
    table = facebook_partition(400)
    validate_table(table, "facebook", DAY)  # warm: GX import and suite building happen once per process
    return lambda: validate_table(table, "facebook", DAY)


def rollover_check(calls: int = 20_000) -> Callable[[], float]:
    world = SimpleNamespace(today=DAY, for_day=lambda day: world)
    rollover = Rollover(SimpleNamespace(world=world), clock=lambda: next_midnight(DAY) - 3600)

    def run() -> float:
        for _ in range(calls):
            rollover.current(None)
        return calls

    return run


def slow_hook_give_up(log_path) -> Callable[[], object]:
    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(1.0)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = with_defaults(f"json://127.0.0.1:{server.server_address[1]}/hook?retry=1&wait=0", timeout_s=0.2)
    notifier = AppriseNotifier([url], fallback=LogFileNotifier(log_path))
    return lambda: notifier.send({"kind": "benchmark", "summary": "speed", "text": "speed"})


def measure(run: Callable[[], object], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return seconds


def show(name: str, seconds: list[float], unit: float = 1.0, label: str = "s") -> None:
    values = [s / unit for s in seconds]
    print(
        f"{name:<34} median {statistics.median(values):10.4g} {label}  (min {min(values):.4g}, max {max(values):.4g})"
    )


def main(argv: list[str] | None = None) -> None:
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    show("ingestion gate, 400-row partition", measure(gate(), args.repeat))
    show("sandbox world, full registry", measure(lambda: World(seed=11, config=SandboxConfig()), args.repeat))
    show("rollover check per request", measure(rollover_check(), args.repeat), unit=20_000 / 1e6, label="µs")
    with tempfile.TemporaryDirectory() as tmp:
        show(
            "webhook give-up (1 s hook)", measure(slow_hook_give_up(Path(tmp) / "alerts.jsonl"), args.repeat)
        )


if __name__ == "__main__":
    main()
