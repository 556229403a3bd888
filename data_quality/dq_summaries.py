"""What the data-quality tables say, summed up for Dagster check metadata and alerts (plain DuckDB queries).

Every function takes an open DuckDB connection to a built warehouse (schemas `dq` and `marts`) and returns
plain, JSON-serialisable values, so the checks, the alert sensor and the tests share them.
"""

import datetime as dt

WORST = 10  # how many units / flags a summary lists


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


def latest_expected_date(con) -> dt.date | None:
    return con.execute("select max(metric_date) from dq.dq_expected_account_days").fetchone()[0]


def missing_summary(con) -> dict:
    """Missing account-days on the latest day, by reason, the longest ongoing streaks and the worst units."""
    latest = latest_expected_date(con)
    if latest is None:
        return {"latest_date": None, "missing_latest_day": 0}
    expected, missing = con.execute(
        "select count(*), count(*) filter (where not is_received) from dq.dq_expected_account_days "
        "where metric_date = ?",
        [latest],
    ).fetchone()
    by_reason = dict(
        con.execute(
            "select reason, count(*) from dq.dq_missing_reports where metric_date = ? group by reason "
            "order by count(*) desc",
            [latest],
        ).fetchall()
    )
    streaks = _rows(
        con,
        "select account_id, unit_code, unit_name, reason, streak_start_date, streak_length_days "
        "from dq.dq_missing_reports where is_ongoing and metric_date = streak_end_date "
        "order by streak_length_days desc, account_id limit ?",
        [WORST],
    )
    worst_units = _rows(
        con,
        "select unit_code, any_value(unit_name) as unit_name, count(*) as missing_account_days "
        "from dq.dq_missing_reports where metric_date > ? - 7 group by unit_code "
        "order by missing_account_days desc, unit_code limit ?",
        [latest, WORST],
    )
    return {
        "latest_date": latest.isoformat(),
        "expected_latest_day": expected,
        "missing_latest_day": missing,
        "missing_by_reason": by_reason,
        "ongoing_streaks": con.execute(
            "select count(*) from dq.dq_missing_reports where is_ongoing and metric_date = streak_end_date"
        ).fetchone()[0],
        "longest_ongoing_streaks": streaks,
        "worst_units_last_7_days": worst_units,
    }


def completeness_summary(con, threshold_pct: float = 95.0) -> dict:
    """The latest ISO week: national completeness, provinces below the threshold, silent regencies."""
    week = con.execute(
        "select iso_year, iso_week, min(week_start_date) from dq.dq_unit_completeness_weekly "
        "group by iso_year, iso_week order by iso_year desc, iso_week desc limit 1"
    ).fetchone()
    if week is None:
        return {"week": None, "silent_regencies": 0}
    iso_year, iso_week, week_start = week
    where = "iso_year = ? and iso_week = ?"
    national = con.execute(
        f"select completeness_pct, silent_regencies_count, regencies_count "
        f"from dq.dq_unit_completeness_weekly where {where} and unit_level = 'national'",
        [iso_year, iso_week],
    ).fetchone() or (None, 0, 0)
    provinces = _rows(
        con,
        f"select unit_code, unit_name, completeness_pct, silent_regencies_count, regencies_count "
        f"from dq.dq_unit_completeness_weekly where {where} and unit_level = 'province' "
        f"and completeness_pct < ? order by silent_regencies_count desc, completeness_pct, unit_code limit ?",
        [iso_year, iso_week, threshold_pct, WORST],
    )
    below = con.execute(
        f"select count(*) from dq.dq_unit_completeness_weekly where {where} and unit_level = 'province' "
        f"and completeness_pct < ?",
        [iso_year, iso_week, threshold_pct],
    ).fetchone()[0]
    return {
        "week": f"{iso_year}-W{iso_week:02d}",
        "week_start_date": week_start.isoformat(),
        "national_completeness_pct": _plain(national[0]),
        "silent_regencies": national[1],
        "regencies": national[2],
        "provinces_below_threshold": below,
        "threshold_pct": threshold_pct,
        "worst_provinces": provinces,
    }


def anomaly_summary(con, days: int = 7) -> dict:
    """Flags of the last `days` days by type and severity, critical ones first, the units with most, how many
    events they make, and the system-wide events of those days (not counted as account flags)."""
    latest = con.execute("select max(metric_date) from dq.dq_anomalies").fetchone()[0]
    if latest is None:
        return {"latest_date": None, "critical_latest_day": 0, "flags_last_days": 0}
    since = latest - dt.timedelta(days=days - 1)
    counts = con.execute(
        "select anomaly_type, severity, count(*) from dq.dq_anomalies where metric_date >= ? "
        "group by all order by all",
        [since],
    ).fetchall()
    return {
        "latest_date": latest.isoformat(),
        "window_days": days,
        "flags_last_days": sum(n for _, _, n in counts),
        "by_type_and_severity": {f"{t}/{s}": n for t, s, n in counts},
        "critical_latest_day": con.execute(
            "select count(*) from dq.dq_anomalies where metric_date = ? and severity = 'critical'", [latest]
        ).fetchone()[0],
        "worst_units": _rows(
            con,
            "select unit_code, any_value(unit_name) as unit_name, count(*) as flags, "
            "count(*) filter (where severity = 'critical') as critical "
            "from dq.dq_anomalies where metric_date >= ? group by unit_code "
            "order by critical desc, flags desc, unit_code limit ?",
            [since, WORST],
        ),
        "critical_examples": critical_events(con, since)[:WORST],
        "events_last_days": con.execute(
            "select count(distinct event_id) from dq.dq_anomalies where metric_date >= ?", [since]
        ).fetchone()[0],
        "system_events": system_events(con, since),
    }


def critical_events(con, since: dt.date) -> list[dict]:
    """Critical flags since `since`, one per event (an event's days share event_id: a run, a ramp, a glitch and
    its return are one event, not one per day)."""
    return _rows(
        con,
        "select account_id, unit_code, unit_name, platform, anomaly_type, metric, "
        "event_start_date as event_date, max(metric_date) as latest_date, "
        "arg_max(observed_value, metric_date) as observed_value, "
        "arg_max(expected_low, metric_date) as expected_low, "
        "arg_max(expected_high, metric_date) as expected_high, "
        "arg_max(explanation, metric_date) as explanation, "
        "arg_max(explanation_en, metric_date) as explanation_en "
        "from dq.dq_anomalies where severity = 'critical' and metric_date >= ? "
        "group by account_id, unit_code, unit_name, platform, anomaly_type, metric, event_start_date "
        "order by latest_date desc, account_id, anomaly_type",
        [since],
    )


def system_events(con, since: dt.date) -> list[dict]:
    """System-wide events (dq_system_events) overlapping the days since `since`, latest first."""
    return _rows(
        con,
        "select event_type, scope, scope_code, start_date, end_date, metrics, posts_ratio, audience_ratio, "
        "accounts_affected_count, accounts_count, explanation, explanation_en "
        "from dq.dq_system_events where end_date >= ? order by end_date desc, scope, scope_code limit ?",
        [since, WORST],
    )


def grain_duplicates(con) -> tuple[int, list[dict]]:
    """Account-days that appear more than once in fct_account_daily (must be none)."""
    dupes = _rows(
        con,
        "select account_id, metric_date, count(*) as copies from marts.fct_account_daily "
        "group by account_id, metric_date having count(*) > 1 order by copies desc, account_id limit 1000",
    )
    return len(dupes), dupes[:5]


def facts_vs_expected(con) -> dict:
    """Cross-check: an expected account-day counts as received exactly when fct_account_daily has it (else
    the completeness figures and the facts disagree: one of the two layers is broken)."""
    sql = """
        with fact_days as (  -- a weekly manual report's row covers the seven days ending on it
            select distinct f.account_id, c.covered::date as metric_date
            from marts.fct_account_daily as f,
                unnest(generate_series(
                    f.metric_date - (coalesce(f.reporting_period_days, 1) - 1)::integer,
                    f.metric_date, interval 1 day
                )) as c (covered)
        )
        select
            count(*) filter (where e.is_received and f.account_id is null) as received_without_fact,
            count(*) filter (where not e.is_received and f.account_id is not null) as fact_not_counted
        from dq.dq_expected_account_days as e
        left join fact_days as f
            on e.account_id = f.account_id and e.metric_date = f.metric_date
    """
    received_without_fact, fact_not_counted = con.execute(sql).fetchone()
    return {"received_without_fact": received_without_fact, "fact_not_counted": fact_not_counted}
