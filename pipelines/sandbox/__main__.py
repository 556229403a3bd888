"""`python -m pipelines.sandbox [--host H] [--port P] [--seed S] [--data-dir DIR] [--scenario-config FILE]`"""

import argparse
import signal
import sys
from pathlib import Path

from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.runner import serve
from pipelines.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m pipelines.sandbox", description=__doc__)
    parser.add_argument("--host", default=settings.sandbox_host)
    parser.add_argument("--port", type=int, default=settings.sandbox_port)
    parser.add_argument("--seed", type=int, default=settings.sandbox_seed)
    parser.add_argument("--data-dir", type=Path, default=settings.data_dir, help="writes <data-dir>/sandbox/")
    parser.add_argument("--registry-dir", type=Path, default=settings.registry_dir)
    parser.add_argument("--scenario-config", type=Path, help="JSON file of SandboxConfig fields")
    parser.add_argument(
        "--today", help="pin this day as today (YYYY-MM-DD); default: today WIB, moving on at midnight"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no scenarios, no faults (SandboxConfig.quiet())"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    config = SandboxConfig.from_json(args.scenario_config) if args.scenario_config else None
    if args.quiet:
        config = SandboxConfig.quiet(**({"today": config.today} if config else {}))
    if args.today:
        config = (config or SandboxConfig()).replace(today=args.today)
    # SIGTERM (e.g. from a supervisor) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    serve(args.host, args.port, args.seed, args.data_dir, config, args.registry_dir, args.verbose)
    sys.exit(0)


if __name__ == "__main__":
    main()
