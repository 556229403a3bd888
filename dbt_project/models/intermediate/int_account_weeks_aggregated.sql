-- One row per account and ISO week in which the account was active in the registry or reported.
-- Weekly figures telescope the daily ones: follower_growth_count (sum of daily growth) equals the last
-- follower count of the week minus the last one before the week's first growth figure, which is
-- growth_base_followers_count. followers_count is the last observed value of the week.
-- A weekly manual report is one row on the week's Sunday holding the whole ISO week (Monday to Sunday), so
-- the week's sums are exact. It says how many posts, not on which days: posting days and posting_dates
-- count daily rows only, and has_undated_posts marks a week whose weekly report has posts (or does not say)
-- that no day can be given for, so the posting target cannot be judged from the days alone.
with

account_days as (
    select * from {{ ref('fct_account_daily') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

expected as (
    select
        accounts.account_id,
        accounts.platform,
        accounts.unit_code,
        dates.date_day as metric_date
    from accounts
    inner join dates
        on {{ account_is_active('accounts', 'dates.date_day') }}
),

observed as (
    select
        account_id,
        platform,
        unit_code,
        metric_date,
        collection_method,
        reporting_period_days,
        {{ account_day_rollup_inputs() }}
    from account_days
    where metric_date in (select dates.date_day from dates)
),

expected_or_observed as (
    select
        coalesce(expected.account_id, observed.account_id) as account_id,
        coalesce(expected.platform, observed.platform) as platform,
        coalesce(expected.unit_code, observed.unit_code) as unit_code,
        coalesce(expected.metric_date, observed.metric_date) as metric_date,
        expected.account_id is not null as is_expected,
        observed.account_id is not null as is_reported,
        observed.* exclude (account_id, platform, unit_code, metric_date)
    from expected
    full outer join observed
        on
            expected.account_id = observed.account_id
            and expected.metric_date = observed.metric_date
),

weekly as (
    select
        day_rows.account_id,
        day_rows.platform,
        arg_max(day_rows.unit_code, day_rows.metric_date) as unit_code,
        dates.iso_year,
        dates.iso_week,
        dates.iso_year_week,
        dates.week_start_date,
        dates.week_end_date,
        count(*) filter (where day_rows.is_expected) as days_expected_count,
        count(*) filter (where day_rows.is_reported) as days_reported_count,
        count(*) filter (where day_rows.collection_method = 'manual') as days_reported_manual_count,
        count(*) filter (where day_rows.reporting_period_days = 7) as weekly_reports_count,
        arg_max(day_rows.followers_count, day_rows.metric_date)
        filter (where day_rows.followers_count is not null) as followers_count,
        sum(day_rows.follower_growth_count) as follower_growth_count,
        arg_min(day_rows.growth_base_followers_count, day_rows.metric_date)
        filter (where day_rows.follower_growth_count is not null) as growth_base_followers_count,
        sum(day_rows.new_posts_count) as new_posts_count,
        count(*) filter (
            where day_rows.reporting_period_days = 1 and day_rows.new_posts_count > 0
        ) as posting_days_count,
        coalesce(
            list(day_rows.metric_date order by day_rows.metric_date)
            filter (where day_rows.reporting_period_days = 1 and day_rows.new_posts_count > 0),
            []
        ) as posting_dates,
        coalesce(
            bool_or(coalesce(day_rows.new_posts_count > 0, true))
            filter (where day_rows.reporting_period_days > 1),
            false
        ) as has_undated_posts,
        sum(day_rows.views_count) as views_count,
        sum(day_rows.reach_count) as reach_count,
        sum(day_rows.likes_count) as likes_count,
        sum(day_rows.comments_count) as comments_count,
        sum(day_rows.shares_count) as shares_count,
        sum(day_rows.saves_count) as saves_count,
        sum(day_rows.engagements_count) as engagements_count,
        sum(day_rows.rated_engagements_count) as rated_engagements_count,
        sum(day_rows.rated_followers_count) as rated_followers_count
    from expected_or_observed as day_rows
    inner join dates
        on day_rows.metric_date = dates.date_day
    group by
        day_rows.account_id,
        day_rows.platform,
        dates.iso_year,
        dates.iso_week,
        dates.iso_year_week,
        dates.week_start_date,
        dates.week_end_date
),

week_spine as (
    select
        iso_year,
        iso_week,
        count(*) as days_in_spine_count
    from dates
    group by iso_year, iso_week
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
