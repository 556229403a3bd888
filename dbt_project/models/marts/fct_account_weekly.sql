-- One row per account and ISO week in which the account was active in the registry or reported.
-- Weekly figures telescope the daily ones: follower_growth_count (sum of daily growth) equals the last
-- follower count of the week minus the last one before the week's first growth figure, which is
-- growth_base_followers_count. followers_count is the last observed value of the week.
-- A weekly manual report is one row on the week's Sunday holding the whole ISO week (Monday to Sunday), so
-- the week's sums are exact. It says how many posts, not on which days: posting days and posting_dates
-- count daily rows only, and has_undated_posts marks a week whose weekly report has posts (or does not say)
-- that no day can be given for, so the posting target cannot be judged from the days alone.
-- Incremental: rebuilds the ISO weeks its inputs rewrote; everything when the spine's first day changes.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='week_start_date') }}
{%- set rebuild_from = incremental_rebuild_from(
    period='week', context=['(select min(date_day) as first_day from ' ~ ref('dim_dates') ~ ')']
) %}

with

dates as (
    select * from {{ ref('dim_dates') }}
    where {{ incremental_window('date_day', rebuild_from) }}
),

rollup_rows as (
    {{ expected_account_day_rollup_rows(rebuild_from) }}
),

week_rows as (
    select
        rollup_rows.*,
        dates.iso_year,
        dates.iso_week,
        dates.iso_year_week,
        dates.week_start_date,
        dates.week_end_date
    from rollup_rows
    inner join dates
        on rollup_rows.metric_date = dates.date_day
),

weekly as (
    select
        account_id,
        platform,
        arg_max(unit_code, metric_date) as unit_code,
        iso_year,
        iso_week,
        iso_year_week,
        week_start_date,
        week_end_date,
        count(*) filter (where is_expected) as days_expected_count,
        count(*) filter (where is_reported) as days_reported_count,
        count(*) filter (where collection_method = 'manual') as days_reported_manual_count,
        count(*) filter (where reporting_period_days = 7) as weekly_reports_count,
        arg_max(followers_count, metric_date) filter (where followers_count is not null) as followers_count,
        arg_min(growth_base_followers_count, metric_date)
        filter (where follower_growth_count is not null) as growth_base_followers_count,
        count(*) filter (where reporting_period_days = 1 and new_posts_count > 0) as posting_days_count,
        coalesce(
            list(metric_date order by metric_date)
            filter (where reporting_period_days = 1 and new_posts_count > 0),
            []
        ) as posting_dates,
        coalesce(
            bool_or(coalesce(new_posts_count > 0, true)) filter (where reporting_period_days > 1), false
        ) as has_undated_posts,
        {{ metric_sum_columns(except=['followers_count', 'growth_base_followers_count']) }}
    from week_rows
    group by account_id, platform, iso_year, iso_week, iso_year_week, week_start_date, week_end_date
),

week_spine as (
    select
        iso_year,
        iso_week,
        count(*) as days_in_spine_count
    from dates
    group by all
),

final as (
    select
        weekly.*,
        week_spine.days_in_spine_count,
        week_spine.days_in_spine_count = 7 as is_complete_week
    from weekly
    inner join week_spine
        on
            weekly.iso_year = week_spine.iso_year
            and weekly.iso_week = week_spine.iso_week
)

select * from final
