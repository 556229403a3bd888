"""The scorecard and dashboard queries the scale benchmark times on the published warehouse.

What the weekly leadership meeting and a regional dashboard ask the published file, each one query a BI tool
would send (read-only connection, parameters resolved first as a dashboard does):

- national_latest_week: the national scorecard, one row per platform, latest complete ISO week;
- province_league: provinces ranked by engagement rate on Instagram in the latest complete week;
- unit_trend_12w: one regency's 12-week trend per platform (followers, growth, engagement, posting target);
- unit_accounts_30d: one regency's accounts, day by day, over the last 30 days (drill-down on the biggest fact);
- completeness_latest_week: a province's regencies by reporting completeness in the latest week.
"""

LATEST_COMPLETE_WEEK = """
    select max(iso_year_week) from reports.rpt_platform_weekly
    where scope_type = 'national' and is_complete_week
"""
BUSIEST_REGENCY = """
    select unit_code from marts.dim_accounts a join marts.dim_units u using (unit_code)
    where u.unit_level = 'regency' group by unit_code order by count(*) desc, unit_code limit 1
"""

QUERIES = {
    "national_latest_week": """
        select platform, accounts_expected_count, accounts_reporting_count, followers_count,
               follower_growth_count, follower_growth_rate, engagements_count, engagement_rate
        from reports.rpt_platform_weekly
        where scope_type = 'national' and iso_year_week = $week
        order by platform
    """,
    "province_league": """
        select scope_unit_code, scope_name, followers_count, follower_growth_rate, engagement_rate,
               rank() over (order by engagement_rate desc nulls last) as engagement_rank
        from reports.rpt_platform_weekly
        where scope_type = 'province' and platform = 'instagram' and iso_year_week = $week
        order by engagement_rank
    """,
    "unit_trend_12w": """
        select platform, iso_year_week, followers_count, follower_growth_count, engagement_rate,
               posting_days_count, is_posting_target_met
        from reports.rpt_unit_weekly
        where unit_code = $unit and week_start_date > (
            select max(week_start_date) - interval 84 day from reports.rpt_unit_weekly where unit_code = $unit
        )
        order by platform, iso_year_week
    """,
    "unit_accounts_30d": """
        select account_id, platform, metric_date, followers_count, follower_growth_count, engagements_count,
               engagement_rate
        from marts.fct_account_daily
        where unit_code = $unit
          and metric_date > (select max(metric_date) - interval 30 day from marts.fct_account_daily)
        order by account_id, metric_date
    """,
    "completeness_latest_week": """
        select unit_code, unit_name, expected_account_days, received_account_days, completeness_pct
        from dq.dq_unit_completeness_weekly
        where province_unit_code = $province and unit_level = 'regency'
          and iso_year_week = (select max(iso_year_week) from dq.dq_unit_completeness_weekly)
        order by completeness_pct, unit_code
    """,
}


def query_parameters(con) -> dict:
    """The week, unit and province the dashboard looks at (resolved once, as a dashboard's filters are)."""
    week = con.execute(LATEST_COMPLETE_WEEK).fetchone()[0]
    unit = con.execute(BUSIEST_REGENCY).fetchone()[0]
    province = con.execute(
        "select province_unit_code from marts.dim_units where unit_code = ?", [unit]
    ).fetchone()[0]
    return {"week": week, "unit": unit, "province": province}


def run_query(con, name: str, parameters: dict) -> list[tuple]:
    sql = QUERIES[name]
    return con.execute(sql, {k: v for k, v in parameters.items() if f"${k}" in sql}).fetchall()
