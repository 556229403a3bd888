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
        week, self.week = self.week, []
        if not week or len(self.index) == 0:
            return
        sunday = week[0].date + dt.timedelta(days=6 - week[0].date.weekday())
        monday = sunday - dt.timedelta(days=6)
        habits = {unit: self.habit(unit) for unit in self.runs}
        for day in week:
            arrivals = {}
            for unit, habit in habits.items():
                if habit == "weekly_totals" and day.date != sunday:
                    continue
                arrival = self.arrival(unit, day.date, sunday)
                if arrival is not None:
                    arrivals[unit] = arrival
            if not arrivals:
                continue
            table, bounds = self._day_table(week, day, monday, arrivals, habits, fetched_hour)
            for unit, (lo, hi) in bounds.items():
                yield unit, day.date, arrivals[unit], table.slice(lo, hi - lo)

    def _day_table(self, week, day, monday, arrivals, habits, fetched_hour) -> tuple[pa.Table, dict]:
        """One table of the day's rows of every unit that sends them (rows grouped by unit), and each unit's
        row range in it: built once per day, sliced per unit-day file (zero-copy)."""
        keep, period, fetched, sha = [], [], [], []
        bounds = {}
        for unit, arrival in arrivals.items():
            lo, hi = self.runs[unit]
            rows = [k for k in range(lo, hi) if day.active[self.index[k]]]
            if not rows:
                continue
            bounds[unit] = (len(keep), len(keep) + len(rows))
            digest = hashlib.sha256(f"{self.seed}|{unit}|{monday}".encode()).hexdigest()
            at = dt.datetime.combine(arrival, dt.time(fetched_hour), dt.UTC)
            at += dt.timedelta(minutes=_digest(digest) % 300)
            keep += rows
            period += [7 if habits[unit] == "weekly_totals" else 1] * len(rows)
            fetched += [at] * len(rows)
            sha += [digest] * len(rows)
        keep_arr = np.array(keep, int)
        idx = self.index[keep_arr] if len(keep) else keep_arr
        weekly = np.array(period) == 7
        n = len(keep)
        take = pa.array(keep_arr, pa.int64())
        columns = {
            "account_id": self.ids.take(take),
            "platform_user_id": self.uids.take(take),
            "unit_code": self.unit_array.take(take),
            "metric_date": pa.array([day.date] * n, pa.date32()),
            "fetched_at": pa.array(fetched, pa.timestamp("us", tz="UTC")),
            "run_id": [f"intake-{h[:12]}" for h in sha],
            "source": ["manual"] * n,
            "platform": self.platform_array.take(take),
            "reporting_period_days": period,
            "report_file": [f"laporan_{self.units[k]}_{monday}.csv" for k in keep],
            "file_sha256": sha,
        }
        for field, src in MANUAL_FIELDS.items():
            values = day.values[src][idx]
            if src not in LIFETIME and weekly.any():
                week_sum = sum(d.values[src][idx] for d in week)
                values = np.where(weekly, week_sum, values)
            columns[field] = pa.array(values, pa.int64(), mask=self.missing[field][keep_arr])
        return table_for(lake.MANUAL_ACCOUNT_DAILY_SCHEMA, columns, n), bounds


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
