"""How units that cannot connect an API report: habits, lateness and skipped weeks, as manual lake rows.

Each unit with manual accounts has a habit (deterministic for the seed): most send one file a week with seven
daily rows per account, a day or three after the week ends (sometimes two or three weeks late); some send weekly
totals (one row per account on the week's Sunday, reporting_period_days = 7); a few send every day. Some weeks
are never sent. A row lands in the lake on its arrival day, as one file per unit-day, exactly as the intake
writes it (`pipelines.lake.MANUAL_ACCOUNT_DAILY_SCHEMA`, `manual_partition_path`).
"""

import datetime as dt
import hashlib

import numpy as np
import pyarrow as pa

from pipelines import lake
from pipelines.sandbox.manual_reports import MISSING_BY_PLATFORM

# lake column -> world quantity
MANUAL_FIELDS = {
    "followers_count": "followers",
    "following_count": "following",
    "posts_total_count": "posts_total",
    "new_posts_count": "new_posts",
    "views_count": "views",
    "reach_count": "reach",
    "likes_count": "likes",
    "comments_count": "comments",
    "shares_count": "shares",
    "saves_count": "saves",
}
LIFETIME = {"followers", "following", "posts_total"}
HABITS = ("weekly_daily_rows", "weekly_totals", "daily")
HABIT_SHARE = (0.75, 0.20, 0.05)
SKIP_WEEK_RATE = 0.04


def _digest(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


class ManualReports:
    """Buffers a week of the manual accounts' figures and turns it into unit-day tables with arrival days."""

    def __init__(self, accounts: list[dict], seed: int):
        self.seed = seed
        self.index = np.array([i for i, a in enumerate(accounts) if a["collection_method"] == "manual"], int)
        rows = [accounts[i] for i in self.index]  # registry order is by unit, so each unit is one run
        self.units = [a["unit_code"] for a in rows]
        self.platforms = [a["platform"] for a in rows]
        self.ids = pa.array([a["account_id"] for a in rows], pa.string())
        self.uids = pa.array([a["platform_user_id"] for a in rows], pa.string())
        self.unit_array = pa.array(self.units, pa.string())
        self.platform_array = pa.array(self.platforms, pa.string())
        self.runs: dict[str, tuple[int, int]] = {}
        for k, unit in enumerate(self.units):
            first, _ = self.runs.get(unit, (k, k))
            self.runs[unit] = (first, k + 1)
        self.missing = {
            field: np.array([src in MISSING_BY_PLATFORM[p] for p in self.platforms], bool)
            for field, src in MANUAL_FIELDS.items()
        }
        self.week: list = []  # Day objects of the current ISO week

    def habit(self, unit: str) -> str:
        u = _digest(self.seed, "habit", unit) % 1000 / 1000
        return HABITS[int(np.searchsorted(np.cumsum(HABIT_SHARE), u, side="right"))]

    def arrival(self, unit: str, day: dt.date, sunday: dt.date) -> dt.date | None:
        """The day a unit's figures for `day` reach the lake (None: never sent)."""
        monday = sunday - dt.timedelta(days=6)
        if self.habit(unit) == "daily":
            return day + dt.timedelta(days=1)
        h = _digest(self.seed, "week", unit, monday)
        if h % 1000 < SKIP_WEEK_RATE * 1000:
            return None
        lag = 1 + h // 1000 % 3 if h // 10**6 % 10 else 7 + h // 10**7 % 14
        return sunday + dt.timedelta(days=int(lag))

    def add(self, day) -> None:
        self.week.append(day)

    def flush(self, fetched_hour: int = 2):
        """Yield (unit, metric_date, arrival, table) for the buffered week, then clear it."""
        if not self.week or len(self.index) == 0:
            self.week = []
            return
        sunday = self.week[0].date + dt.timedelta(days=6 - self.week[0].date.weekday())
        monday = sunday - dt.timedelta(days=6)
        for unit, (lo, hi) in self.runs.items():
            habit = self.habit(unit)
            days = self.week if habit != "weekly_totals" else [d for d in self.week if d.date == sunday]
            for day in days:
                arrival = self.arrival(unit, day.date, sunday)
                if arrival is None:
                    continue
                sl = slice(lo, hi)
                active = day.active[self.index[sl]]
                if not active.any():
                    continue
                period = 7 if habit == "weekly_totals" else 1
                table = self._table(unit, monday, day, sl, active, period, arrival, fetched_hour)
                yield unit, day.date, arrival, table
        self.week = []

    def _values(self, name: str, day, sl: slice, period: int) -> np.ndarray:
        if period == 1 or name in LIFETIME:
            return day.values[name][self.index[sl]]
        return sum(d.values[name][self.index[sl]] for d in self.week)

    def _table(self, unit, monday, day, sl, active, period, arrival, fetched_hour) -> pa.Table:
        keep = np.flatnonzero(active)
        n = len(keep)
        sha = hashlib.sha256(f"{self.seed}|{unit}|{monday}".encode()).hexdigest()
        fetched = dt.datetime.combine(arrival, dt.time(fetched_hour), dt.UTC) + dt.timedelta(
            minutes=_digest(sha) % 300
        )
        columns = {
            "account_id": self.ids[sl].take(keep),
            "platform_user_id": self.uids[sl].take(keep),
            "unit_code": self.unit_array[sl].take(keep),
            "metric_date": pa.array([day.date] * n, pa.date32()),
            "fetched_at": pa.array([fetched] * n, pa.timestamp("us", tz="UTC")),
            "run_id": pa.array([f"intake-{sha[:12]}"] * n, pa.string()),
            "source": pa.array(["manual"] * n, pa.string()),
            "platform": self.platform_array[sl].take(keep),
            "reporting_period_days": pa.array([period] * n, pa.int32()),
            "report_file": pa.array([f"laporan_{unit}_{monday}.csv"] * n, pa.string()),
            "file_sha256": pa.array([sha] * n, pa.string()),
        }
        for field, src in MANUAL_FIELDS.items():
            values = self._values(src, day, sl, period)[keep]
            columns[field] = pa.array(values, pa.int64(), mask=self.missing[field][sl][keep])
        return table_for(lake.MANUAL_ACCOUNT_DAILY_SCHEMA, columns, n)


def table_for(schema: pa.Schema, columns: dict, n: int) -> pa.Table:
    """A table of `schema` from `columns`; a field the generator does not know is null (must be nullable)."""
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(
                pa.array(columns[field.name], field.type)
                if not isinstance(columns[field.name], pa.Array)
                else columns[field.name].cast(field.type)
            )
        elif field.nullable:
            arrays.append(pa.nulls(n, field.type))
        else:
            raise KeyError(f"the generator does not know how to fill the required lake field {field.name!r}")
    return pa.Table.from_arrays(arrays, schema=schema)
