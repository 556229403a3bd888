"""A real published warehouse for the scorecard tests, built once per test session.

Three provinces with some of their regencies and the head office: the sandbox (its CLI, own process, scenarios
injected more often than by default so a few weeks hold follower jumps and drops, engagement spikes, accounts
that stop reporting or were never connected) is fetched over HTTP through the real clients and ingestion gate,
its weekly manual report files go through the manual intake, then the real dbt build and publish.

The window ends yesterday (WIB) and starts on a Wednesday three weeks before this week's Monday: its first
ISO week is partial (5 days of API data, no weekly manual report), the next two are complete (the newest
complete week is the scorecard's latest partition), and the current week is partial unless today is Monday.
"""

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.registry import write_registry_subset
from pipelines.settings import PROJECT_ROOT, get_settings, yesterday_wib

UNITS = {
    "ID",
    "ID-11", "ID-11.01", "ID-11.02", "ID-11.03",
    "ID-35", "ID-35.07", "ID-35.15", "ID-35.78",
    "ID-51", "ID-51.03", "ID-51.71",
}  # fmt: skip
SEED = 13
SCENARIO_RATES = {
    "follower_jump_rate": 0.12,
    "follower_drop_rate": 0.12,
    "engagement_spike_rate": 0.08,
    "stop_reporting_rate": 0.08,
    "never_connected_rate": 0.05,
    "frozen_rate": 0.04,
    "scenario_window_days": 18,
    "recent_days": 14,
    "recent_share": 0.7,
}


@dataclass(frozen=True)
class Window:
    first_day: dt.date
    last_day: dt.date

    @property
    def partial_week_start(self) -> dt.date:
        return self.first_day - dt.timedelta(days=self.first_day.weekday())

    @property
    def complete_week_starts(self) -> list[dt.date]:
        monday = self.partial_week_start + dt.timedelta(days=7)
        return [monday, monday + dt.timedelta(days=7)]

    @property
    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]


def window(today_last_day: dt.date | None = None) -> Window:
    last = today_last_day or yesterday_wib()
    this_monday = (last + dt.timedelta(days=1)) - dt.timedelta(days=(last + dt.timedelta(days=1)).weekday())
    return Window(first_day=this_monday - dt.timedelta(days=19), last_day=last)


@contextlib.contextmanager
def environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build(root: Path, units: set[str] | None = UNITS, scenario_rates: dict | None = None) -> None:
    """The lake, the dbt build and the published serving file under `root`/data.

    `units=None` takes the whole bundled registry (for a realistic page: the README screenshot).
    """
    from data_quality.benchmark_data import (
        ingest_days,
        ingest_manual_reports,
        sandbox_config,
        sandbox_process,
    )
    from pipelines.warehouse import publish, run_dbt_build

    root.mkdir(parents=True, exist_ok=True)
    seeds = PROJECT_ROOT / "dbt_project" / "seeds"
    registry = seeds if units is None else write_registry_subset(root / "registry", units, seeds)
    data_dir = root / "data"
    span = window()
    (root / "window.txt").write_text(f"{span.first_day} {span.last_day}\n")
    with environment(MEDSOS_DATA_DIR=str(data_dir), MEDSOS_REGISTRY_DIR=str(registry)):
        settings = get_settings()
        today = (span.last_day + dt.timedelta(days=1)).isoformat()
        config = sandbox_config(today=today, **(SCENARIO_RATES if scenario_rates is None else scenario_rates))
        with sandbox_process(settings, SEED, config) as url:
            report = ingest_days(settings, url, span.days, workers=4)
        # Weekly manual reports of whole weeks only: they cover Monday to Sunday, and would make the first week
        # complete in the date spine.
        report.days = [d for d in report.days if d >= span.complete_week_starts[0]]
        ingest_manual_reports(settings, report, SEED, config, workers=1)
        run_dbt_build(settings)
        publish(settings)


def built_window(root: Path) -> Window:
    first, last = (dt.date.fromisoformat(s) for s in (root / "window.txt").read_text().split())
    return Window(first, last)
