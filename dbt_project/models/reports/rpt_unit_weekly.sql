-- One row per unit, platform and ISO week in which the unit had an active or reporting account on
-- the platform: follower growth, engagement rate, and posting days against the content-calendar target
-- for the unit's level. The target is judged only on complete weeks (the spine's first and last weeks may
-- be partial). A weekly manual report gives the week's posts but not their days: posting_days_count counts
-- the days known from daily rows, and when a weekly report has posts (has_undated_posts) the target is
-- judged only if those known days already meet it (otherwise is_posting_target_met and the shortfall are
-- null: unknown, not failed). A weekly report of zero posts is known to have no posting day.
-- Where the unit's posts on the platform are known (API posts in dim_posts), posting days are the real
-- publication days (WIB) of those posts (has_post_dates); otherwise the days with new posts in the
-- account-day rows. Content-type mix per week: rpt_content_mix_weekly. (A post first observed more than a
-- week after it went out corrects its week when that week is next rebuilt.)
-- Incremental: rebuilds the ISO weeks fct_account_weekly rewrote; everything when the units or the targets
-- change.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='week_start_date') }}
{%- set rebuild_from = incremental_rebuild_from(
    period='week', context=[ref('dim_units'), ref('content_calendar_targets')]
) %}

with

account_weeks as (
    select * from {{ ref('fct_account_weekly') }}
    where {{ incremental_window('week_start_date', rebuild_from) }}
),

units as (
    select * from {{ ref('dim_units') }}
),

targets as (
    select * from {{ ref('content_calendar_targets') }}
),

posts as (
    select * from {{ ref('dim_posts') }}
    where {{ incremental_window('published_date', rebuild_from) }}
),

post_days as (
    select
        unit_code,
        platform,
        date_trunc('week', published_date)::date as week_start_date,
        count(distinct published_date) as posting_days_count
    from posts
    group by all
),

unit_weeks_from_days as (
    select
        unit_code,
        platform,
        iso_year,
        iso_week,
        iso_year_week,
        week_start_date,
        week_end_date,
        days_in_spine_count,
        is_complete_week,
        {{ weekly_account_count_columns() }},
        -- Days on which any of the unit's accounts on the platform posted (usually there is one account).
        len(list_distinct(flatten(list(posting_dates)))) as posting_days_count,
        bool_or(has_undated_posts) as has_undated_posts,
        {{ metric_sum_columns() }}
    from account_weeks
    group by all
),

unit_weeks as (
    select
        unit_weeks_from_days.* replace (
            coalesce(post_days.posting_days_count, unit_weeks_from_days.posting_days_count)
                as posting_days_count,
            unit_weeks_from_days.has_undated_posts and post_days.posting_days_count is null
                as has_undated_posts
        ),
        post_days.posting_days_count is not null as has_post_dates
    from unit_weeks_from_days
    left join post_days
        on
            unit_weeks_from_days.unit_code = post_days.unit_code
            and unit_weeks_from_days.platform = post_days.platform
            and unit_weeks_from_days.week_start_date = post_days.week_start_date
),

final as (
    select
        unit_weeks.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        units.province_name,
        unit_weeks.* exclude (unit_code),  -- noqa: RF02
        {{ rollup_rate_columns() }},
        targets.posting_days_per_week_target,
        case
            when not unit_weeks.is_complete_week or targets.posting_days_per_week_target is null then null
            when unit_weeks.posting_days_count >= targets.posting_days_per_week_target then true
            when unit_weeks.has_undated_posts then null
            else false
        end as is_posting_target_met,
        case
            when not unit_weeks.is_complete_week then null
            when
                unit_weeks.has_undated_posts
                and unit_weeks.posting_days_count < targets.posting_days_per_week_target
                then null
            else greatest(targets.posting_days_per_week_target - unit_weeks.posting_days_count, 0)
        end as posting_days_shortfall_count
    from unit_weeks
    left join units
        on unit_weeks.unit_code = units.unit_code
    left join targets
        on
            units.unit_level = targets.unit_level
            and unit_weeks.platform = targets.platform
)

select * from final  -- noqa: AM04
