"""Benchmark: render one week's scorecards and print the time and the weight of the pages.

    python -m pipelines.scorecard.benchmark [--db PATH] [--week YYYY-MM-DD] [--out DIR] [--repeat N]

Defaults: the published warehouse of the settings, its newest complete week, a temporary output folder.
"""

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from pipelines.scorecard import queries, render_week
from pipelines.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--week", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or get_settings().serving_db_path
    with queries.connect(db) as con:
        weeks = queries.weeks(con)
    week = args.week or max(w.start for w in weeks if w.is_complete)
    out = args.out or Path(tempfile.mkdtemp(prefix="medsos-scorecards-"))
    timings = []
    for _ in range(args.repeat):
        started = time.monotonic()
        result = render_week(db, week, out)
        timings.append(time.monotonic() - started)
    sizes = result.page_bytes
    provinces = [v for k, v in sizes.items() if not k.startswith("nasional")]
    print(f"warehouse {db} ({db.stat().st_size / 1e6:.1f} MB), week {result.week.label}, output {out}")
    print(
        f"{len(result.pages)} pages (2 languages x {len(result.pages) // 2}) in "
        f"{statistics.median(timings):.2f} s median of {args.repeat} (first {timings[0]:.2f} s): "
        f"{statistics.median(timings) / len(result.pages) * 1000:.0f} ms per page"
    )
    print(
        f"national page {sizes['nasional.html'] / 1024:.0f} KiB (English {sizes['nasional.en.html'] / 1024:.0f} KiB)"
    )
    if provinces:
        print(
            f"province pages {min(provinces) / 1024:.0f}-{max(provinces) / 1024:.0f} KiB, "
            f"median {statistics.median(provinces) / 1024:.0f} KiB; all pages {sum(sizes.values()) / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
