"""Everything the scorecard shows, read from the published warehouse (read-only) and nothing computed here.

The figures come from the `reports.rpt_scorecard_*` models (which are the scorecard's only door into the
data-quality tables) and rpt_unit_weekly; the page only formats and orders them. Sections whose tables are not
in the warehouse yet (content-type mix and responsiveness come with the posts and comments tables) are None.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

TREND_WEEKS = 8

# Optional report models: the scorecard renders their section only when the warehouse has them.
CONTENT_MIX_TABLE = ("reports", "rpt_scorecard_content_mix_weekly")  # scopes: national and provinces
RESPONSIVENESS_TABLE = ("reports", "rpt_reply_rate_weekly")  # scopes: every unit


@dataclass(frozen=True)
class Week:
    start: dt.date
    label: str  # ISO week, e.g. 2026-W34
    days_in_warehouse: int
    is_complete: bool

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


@dataclass
class WeekData:
    """One ISO week of the published warehouse, for the national page and every province page."""

    week: Week
    latest_date: dt.date | None
    nation_code: str
    nation_name: str
    provinces: dict[str, str]  # unit_code -> name, in registry order
    platform_weeks: list[dict]  # rpt_scorecard_platform_weekly, this week, every scope
    platform_trend: list[dict]  # the same, last TREND_WEEKS weeks (for the chart)
    league: list[dict]  # rpt_scorecard_league_weekly, this week, every league
    unit_platforms: list[dict]  # rpt_scorecard_unit_platform_weekly, this week (posting matrix)
    issues: list[dict]  # rpt_scorecard_issues_weekly, this week
    posting_targets: list[dict]  # content_calendar_targets
    content_mix: list[dict] | None = None
    responsiveness: list[dict] | None = None


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    if not db_path.exists():
        raise FileNotFoundError(f"no published warehouse at {db_path}: build and publish it first")
    return duckdb.connect(str(db_path), read_only=True)


def weeks(con: duckdb.DuckDBPyConnection) -> list[Week]:
    """Every ISO week the warehouse's date spine touches, oldest first."""
    rows = con.execute(
        "select week_start_date, any_value(iso_year_week), count(*) from marts.dim_dates "
        "group by week_start_date order by week_start_date"
    ).fetchall()
    return [Week(start, label, days, days == 7) for start, label, days in rows]


def holds_week(db_path: Path, week_start: dt.date) -> bool:
    """Whether the published warehouse has at least one day of the ISO week starting on `week_start`."""
    if not db_path.exists():
        return False
    with connect(db_path) as con:
        return any(w.start == week_start for w in weeks(con))


def load_week(con: duckdb.DuckDBPyConnection, week_start: dt.date) -> WeekData | None:
    """The week's figures, or None when the warehouse's date spine does not reach the week."""
    week = next((w for w in weeks(con) if w.start == week_start), None)
    if week is None:
        return None
    nation_code, nation_name = con.execute(
        "select unit_code, unit_name from marts.dim_units where unit_level = 'national' order by unit_code limit 1"
    ).fetchone() or ("national", "National")
    provinces = dict(
        con.execute(
            "select unit_code, unit_name from marts.dim_units where unit_level = 'province' order by unit_code"
        ).fetchall()
    )
    this_week = [week_start]
    data = WeekData(
        week=week,
        latest_date=con.execute("select max(date_day) from marts.dim_dates").fetchone()[0],
        nation_code=nation_code,
        nation_name=nation_name,
        provinces=provinces,
        platform_weeks=_rows(
            con,
            "select * from reports.rpt_scorecard_platform_weekly where week_start_date = ? "
            "order by scope_unit_code, platform",
            this_week,
        ),
        platform_trend=_rows(
            con,
            "select scope_unit_code, platform, iso_year_week, week_start_date, follower_growth_rate, "
            "clean_follower_growth_rate from reports.rpt_scorecard_platform_weekly "
            "where week_start_date between ? and ? order by week_start_date",
            [week_start - dt.timedelta(weeks=TREND_WEEKS - 1), week_start],
        ),
        league=_rows(
            con,
            "select * from reports.rpt_scorecard_league_weekly where week_start_date = ? "
            "order by league_unit_code, composite_rank nulls last, unit_name",
            this_week,
        ),
        unit_platforms=_rows(
            con,
            "select unit_code, unit_name, unit_level, province_unit_code, platform, posting_days_count, "
            "posting_days_per_week_target, is_posting_target_met, has_undated_posts "
            "from reports.rpt_scorecard_unit_platform_weekly where week_start_date = ? order by unit_code",
            this_week,
        ),
        issues=_rows(
            con,
            "select * from reports.rpt_scorecard_issues_weekly where week_start_date = ? "
            "order by severity = 'critical' desc, missing_streak_days desc nulls last, "
            "flagged_days_count desc, unit_code, platform",
            this_week,
        ),
        posting_targets=_rows(
            con, "select * from seeds.content_calendar_targets order by unit_level, platform"
        ),
    )
    for attribute, (schema, table) in (
        ("content_mix", CONTENT_MIX_TABLE),
        ("responsiveness", RESPONSIVENESS_TABLE),
    ):
        if table_exists(con, schema, table):
            rows = _rows(
                con,
                f"select * from {schema}.{table} where iso_year_week = ? order by scope_unit_code, platform",
                [week.label],
            )
            # absent, not empty, for a week without posts (e.g. only manual reports, or posts not fetched yet)
            setattr(data, attribute, rows or None)
    return data
