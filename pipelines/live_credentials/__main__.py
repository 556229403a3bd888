"""`python -m pipelines.live_credentials check|renew` (`make check-credentials`, `make renew-tokens`).

check  asks each platform about every credential and prints one line per account (status, expiry, missing
       scopes, what to do). Exit 0: every credential valid; 1: some need attention; 2: the check could not run.
       In sandbox mode it starts a sandbox of its own when none answers on MEDSOS_SANDBOX_HOST/PORT.
renew  renews what is due (TikTok refresh, Meta exchange / Page token), writes it back to the secrets store and
       sends expiry alerts. Exit 0, or 1 when a renewal was refused, 2 when it could not run.
"""

import argparse
import json
import sys

import requests

from pipelines.credentials.mode import decide_mode
from pipelines.live_credentials.check import format_report, run_check
from pipelines.live_credentials.renewal import renew_tokens
from pipelines.sandbox import start_sandbox
from pipelines.settings import get_settings


def _sandbox_alive(url: str) -> bool:
    try:
        return requests.get(f"{url}/_sandbox/health", timeout=2).ok
    except requests.RequestException:
        return False


def _ensure_sandbox(args) -> tuple[str | None, object]:
    """(sandbox URL to use, handle of a sandbox started here or None)."""
    settings = get_settings()
    if decide_mode(settings).mode != "sandbox":
        return None, None
    url = args.sandbox_url or settings.sandbox_url
    if _sandbox_alive(url):
        return url, None
    if not args.start_sandbox:
        raise SystemExit(f"no sandbox answers at {url} (start one with `make sandbox`)")
    print(f"no sandbox answers at {url}: starting one for this check", file=sys.stderr)
    handle = start_sandbox(port=0, seed=settings.sandbox_seed)
    return handle.url, handle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.live_credentials", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check every credential")
    check.add_argument("--platform", action="append", help="only this platform (repeatable)")
    check.add_argument("--all", action="store_true", help="list valid credentials too, not only problems")
    check.add_argument("--limit", type=int, default=200, help="at most this many lines (default 200)")
    check.add_argument("--json", action="store_true", help="JSON instead of the table")
    check.add_argument("--sandbox-url", help="sandbox base URL (default MEDSOS_SANDBOX_HOST/PORT)")
    check.add_argument("--no-start-sandbox", dest="start_sandbox", action="store_false")
    renew = sub.add_parser("renew", help="renew due tokens and send expiry alerts")
    renew.add_argument("--json", action="store_true")
    renew.add_argument("--sandbox-url", help="sandbox base URL (default MEDSOS_SANDBOX_HOST/PORT)")
    args = parser.parse_args(argv)
    args.start_sandbox = getattr(args, "start_sandbox", False)
    try:
        url, handle = _ensure_sandbox(args)
    except (ValueError, SystemExit) as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            report = run_check(platforms=tuple(args.platform) if args.platform else None, sandbox_url=url)
            if args.json:
                print(json.dumps(report.to_json(), indent=1))
            else:
                print(format_report(report, only_problems=not args.all, limit=args.limit))
            return 1 if report.problems() else 0
        report = renew_tokens(sandbox_url=url)
        summary = {"mode": report.mode.describe(), "skipped": report.skipped, "counts": report.counts(),
                   "writes": report.writes, "alerts": len(report.alerts),
                   "outcomes": [o.to_json() for o in report.outcomes]}  # fmt: skip
        if args.json:
            print(json.dumps(summary, indent=1))
        else:
            print(report.mode.describe())
            print(report.skipped or f"renewed: {summary['counts'] or 'nothing due'}; {report.writes} write(s); "
                  f"{len(report.alerts)} alert(s) sent")  # fmt: skip
            for o in report.failed:
                print(f"  failed {o.account_id}: {o.detail}")
        return 1 if report.failed else 0
    except ValueError as exc:  # e.g. a malformed secrets file
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    finally:
        if handle is not None:
            handle.stop()


if __name__ == "__main__":
    sys.exit(main())
