"""Weekly manual reports, as units that cannot connect an API send them, from the sandbox's own series.

One file per unit with manual accounts per week: CSV, `;`-separated, UTF-8 with BOM, CRLF (what Excel
writes), Indonesian headers and number format (`1.234.567`), dates `dd/mm/yyyy`, seven daily rows per manual
account. Units injected as `manual_not_sent` skip their chosen weeks (listed in the ground truth).

    python -m pipelines.sandbox.manual_reports --out DIR [--weeks 4] [--seed 42]
"""

import argparse
import csv
import datetime as dt
import os
import uuid
from pathlib import Path

from pipelines.platform_spec import PLATFORMS
from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.world import World

HEADER = [
    "kode_unit", "platform", "akun", "tanggal", "pengikut", "mengikuti", "jumlah_postingan", "postingan_baru",
    "tayangan", "jangkauan", "suka", "komentar", "bagikan", "simpan",
]  # fmt: skip
METRIC_HEADERS = HEADER[4:]
# Conformed meaning of each column -> the series it comes from; None where the platform has no such figure.
SOURCES = (
    "followers",
    "following",
    "posts_total",
    "new_posts",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
)
MISSING_BY_PLATFORM = {
    "instagram": set(),
    "facebook": {"following", "posts_total", "saves"},  # Pages show no following or lifetime post count
    "youtube": {"following", "reach", "saves"},
    "x": {"reach"},
    "tiktok": {"reach"},
}


def indonesian_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def report_rows(world: World, unit_code: str, week_start: dt.date) -> list[list[str]]:
    """Seven daily rows per manual account of the unit (days after today or before active_from left out)."""
    manual = [
        (i, a)
        for i, a in enumerate(world.accounts)
        if a.unit_code == unit_code and a.collection_method == "manual"
    ]
    manual.sort(key=lambda p: PLATFORMS.index(p[1].platform))
    rows = []
    for i, a in manual:
        lacking = MISSING_BY_PLATFORM[a.platform]
        for k in range(7):
            day = week_start + dt.timedelta(days=k)
            if day > world.today or day < world.epoch or not a.is_active_on(day):
                continue
            d = world.day_index(day)
            cells = ["" if src in lacking else indonesian_number(world.value(src, d, i)) for src in SOURCES]
            rows.append([unit_code, a.platform, a.handle, day.strftime("%d/%m/%Y"), *cells])
    return rows


def skipped(world: World, unit_code: str, week_start: dt.date) -> bool:
    monday = week_start - dt.timedelta(days=week_start.weekday())
    return any(s.unit_code == unit_code and s.start_date == monday for s in world.manual_skips)


def write_manual_reports(
    out_dir: Path,
    week_start: dt.date,
    config: SandboxConfig | None = None,
    *,
    seed: int = 42,
    world: World | None = None,
    registry_dir: Path | None = None,
) -> list[Path]:
    """Write one report per unit with manual accounts for the week starting `week_start` (normally a Monday).

    Pass the running sandbox's `world` to share its series; otherwise one is built from `config`/`seed`.
    Returns the files written (units that skip this week, or have no rows, get none).
    """
    world = world or World(seed=seed, config=config, registry_dir=registry_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    units = sorted({a.unit_code for a in world.accounts if a.collection_method == "manual"})
    written = []
    for unit in units:
        if skipped(world, unit, week_start):
            continue
        rows = report_rows(world, unit, week_start)
        if not rows:
            continue
        path = out / f"laporan_{unit}_{week_start.isoformat()}.csv"
        tmp = out / f".{path.name}.{uuid.uuid4().hex}.tmp"  # an inbox sensor must never see half a file
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        os.replace(tmp, path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write sandbox weekly manual reports")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--weeks", type=int, default=4, help="the last N complete Monday-Sunday weeks")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scenario-config", type=Path)
    args = parser.parse_args(argv)
    config = SandboxConfig.from_json(args.scenario_config) if args.scenario_config else None
    world = World(seed=args.seed, config=config)
    last_monday = world.today - dt.timedelta(days=world.today.weekday() + 7)
    total = 0
    for w in range(args.weeks):
        files = write_manual_reports(args.out, last_monday - dt.timedelta(weeks=w), world=world)
        total += len(files)
    print(f"{total} reports written to {args.out}")


if __name__ == "__main__":
    main()
