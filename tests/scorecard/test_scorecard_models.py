"""The scorecard's report models and the monthly reports on the real sandbox warehouse, each checked against an
independent query of the facts and data-quality tables (not through the models' own logic)."""

import re
from pathlib import Path

import duckdb
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "analysts"
SUSPECT = "('follower_jump', 'follower_drop', 'counter_decrease', 'frozen', 'engagement_spike')"


@pytest.fixture(scope="module")
def con(scorecard_warehouse):
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as connection:
        yield connection


def test_the_platform_figures_are_rpt_platform_weekly_unchanged(con):
    differing = con.execute(
        """
        select count(*) from reports.rpt_scorecard_platform_weekly as s
        full outer join reports.rpt_platform_weekly as p using (platform, scope_unit_code, iso_year, iso_week)
        where s.followers_count is distinct from p.followers_count
           or s.follower_growth_count is distinct from p.follower_growth_count
           or s.follower_growth_rate is distinct from p.follower_growth_rate
           or s.engagement_rate is distinct from p.engagement_rate
        """
    ).fetchone()[0]
    assert differing == 0


def test_figures_without_flags_leave_out_exactly_the_suspect_account_days(con):
    rows = con.execute(
        f"""
        with suspect as (
            select distinct account_id, metric_date from dq.dq_anomalies where anomaly_type in {SUSPECT}
        ),
        independent as (
            select f.platform, d.iso_year_week,
                   sum(f.follower_growth_count) filter (where s.account_id is null) as clean_growth,
                   count(s.account_id) as flagged_days
            from marts.fct_account_daily as f
            join marts.dim_dates as d on f.metric_date = d.date_day
            left join suspect as s using (account_id, metric_date)
            group by all
        )
        select i.platform, i.iso_year_week, i.clean_growth, i.flagged_days,
               r.clean_follower_growth_count, r.flagged_account_days_count, r.follower_growth_count
        from independent as i
        join reports.rpt_scorecard_platform_weekly as r
          on r.scope_type = 'national' and r.platform = i.platform and r.iso_year_week = i.iso_year_week
        """
    ).fetchall()
    assert rows
    for platform, week, clean, flagged, model_clean, model_flagged, _ in rows:
        assert (model_clean, model_flagged) == (clean, flagged), (platform, week)
    assert any(r[0 + 5] and r[4] != r[6] for r in rows), "no week had a suspect flag changing the growth"


def test_completeness_counts_the_missing_reports(con):
    rows = con.execute(
        """
        with missing as (
            select m.platform, d.iso_year_week, count(*) as missing_days
            from dq.dq_missing_reports as m join marts.dim_dates as d on m.metric_date = d.date_day
            group by all
        )
        select r.completeness_rate,
               (r.account_days_expected_count - coalesce(m.missing_days, 0)) / r.account_days_expected_count
        from reports.rpt_scorecard_platform_weekly as r
        left join missing as m using (platform, iso_year_week)
        where r.scope_type = 'national' and r.is_complete_week
        """
    ).fetchall()
    assert rows and all(model == pytest.approx(expected) for model, expected in rows)
    assert any(model < 1 for model, _ in rows)


def test_only_complete_weeks_are_ranked_and_rank_changes_follow_last_week(con):
    leagues = con.execute(
        """
        select league_unit_code, iso_year_week, is_complete_week, count(*), count(composite_rank),
               min(composite_rank), max(composite_score), min(composite_score)
        from reports.rpt_scorecard_league_weekly group by all
        """
    ).fetchall()
    assert {row[2] for row in leagues} == {True, False}
    for league, week, complete, members, ranked, best, top, bottom in leagues:
        if complete:
            assert ranked == members and best == 1 and 0 <= bottom <= top <= 100, (league, week)
        else:
            assert ranked == 0, (league, week)
    wrong = con.execute(
        """
        select count(*) from reports.rpt_scorecard_league_weekly as w
        left join reports.rpt_scorecard_league_weekly as p
          on p.league_unit_code = w.league_unit_code and p.unit_code = w.unit_code
         and p.week_start_date = w.week_start_date - 7
        where w.rank_change_count is distinct from p.composite_rank - w.composite_rank
        """
    ).fetchone()[0]
    assert wrong == 0
    moved = con.execute(
        "select count(*) from reports.rpt_scorecard_league_weekly where rank_change_count <> 0"
    ).fetchone()[0]
    assert moved > 0


def test_monthly_growth_is_against_the_months_starting_followers(con):
    rows = con.execute(
        """
        with growth_rows as (
            select f.*, d.month_start_date,
                   row_number() over (partition by f.account_id, d.month_start_date order by f.metric_date)
                       as nth_growth,
                   last_value(f.followers_count) over (
                       partition by f.account_id, d.month_start_date order by f.metric_date
                       rows between unbounded preceding and unbounded following) as month_last_followers
            from marts.fct_account_daily as f join marts.dim_dates as d on f.metric_date = d.date_day
            where f.follower_growth_count is not null
        ),
        account_months as (
            select platform, month_start_date,
                   any_value(month_last_followers) - any_value(previous_followers_count) filter (where nth_growth = 1)
                       as growth,
                   any_value(previous_followers_count) filter (where nth_growth = 1) as starting_followers,
                   sum(previous_followers_count) as sum_of_daily_bases
            from growth_rows group by account_id, platform, month_start_date
        )
        select r.platform, r.month_start_date, r.follower_growth_count, r.follower_growth_rate,
               sum(a.growth), sum(a.growth) / sum(a.starting_followers), sum(a.growth) / sum(a.sum_of_daily_bases)
        from reports.rpt_platform_monthly as r
        join account_months as a using (platform, month_start_date)
        where r.scope_type = 'national'
        group by all
        """
    ).fetchall()
    assert rows
    for platform, month, growth, rate, expected_growth, expected_rate, daily_bases_rate in rows:
        assert growth == expected_growth, (platform, month)
        assert rate == pytest.approx(expected_rate), (platform, month)
        if growth:  # the old README formula understated growth by dividing by every day's base
            assert abs(daily_bases_rate) < abs(rate)


def test_this_month_against_last_month_is_one_query(con, scorecard_warehouse):
    with_last_month, differing = con.execute(
        """
        select count(*) filter (where this.previous_month_followers_count is not null),
               count(*) filter (where this.previous_month_follower_growth_rate
                                is distinct from last.follower_growth_rate
                                or this.previous_month_followers_count is distinct from last.followers_count)
        from reports.rpt_unit_monthly as this
        left join reports.rpt_unit_monthly as last
          on last.unit_code = this.unit_code and last.platform = this.platform
         and last.month_start_date = this.month_start_date - interval 1 month
        """
    ).fetchone()
    assert differing == 0
    window = scorecard_warehouse.window
    if window.first_day.month != window.last_day.month:  # last month's figures sit on this month's rows
        assert with_last_month > 0


@pytest.mark.parametrize("page", ["querying.md", "scorecard.md"])
def test_the_sql_examples_in_the_analyst_docs_run(con, page):
    text = (DOCS / page).read_text(encoding="utf-8")
    statements = [
        statement
        for block in re.findall(r"```sql\n(.*?)```", text, flags=re.S)
        for statement in block.split(";")
        if statement.strip()
        and not all(line.strip().startswith("--") for line in statement.strip().splitlines())
    ]
    assert statements
    for statement in statements:
        con.execute(statement).fetchall()
