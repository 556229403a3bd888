-- One row per account and ISO week in which the account was active in the registry or reported.
-- Weekly figures telescope the daily ones: follower_growth_count (sum of daily growth) equals the last
-- follower count of the week minus the last one before the week's first growth figure, which is
-- growth_base_followers_count. followers_count is the last observed value of the week.
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
        on
            dates.date_day >= accounts.active_from
            and (accounts.active_to is null or dates.date_day <= accounts.active_to)
),

observed as (
    select
        account_id,
        platform,
        unit_code,
        metric_date,
        collection_method,
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
        expected_or_observed.account_id,
        expected_or_observed.platform,
        arg_max(expected_or_observed.unit_code, expected_or_observed.metric_date) as unit_code,
        dates.iso_year,
        dates.iso_week,
        dates.iso_year_week,
        dates.week_start_date,
        dates.week_end_date,
        count(*) filter (where expected_or_observed.is_expected) as days_expected_count,
        count(*) filter (where expected_or_observed.is_reported) as days_reported_count,
        count(*) filter (where expected_or_observed.collection_method = 'manual') as days_reported_manual_count,
        arg_max(expected_or_observed.followers_count, expected_or_observed.metric_date)
            filter (where expected_or_observed.followers_count is not null) as followers_count,
        sum(expected_or_observed.follower_growth_count) as follower_growth_count,
        arg_min(expected_or_observed.growth_base_followers_count, expected_or_observed.metric_date)
            filter (where expected_or_observed.follower_growth_count is not null) as growth_base_followers_count,
        sum(expected_or_observed.new_posts_count) as new_posts_count,
        count(*) filter (where expected_or_observed.new_posts_count > 0) as posting_days_count,
        coalesce(
            list(expected_or_observed.metric_date order by expected_or_observed.metric_date)
                filter (where expected_or_observed.new_posts_count > 0),
            []
        ) as posting_dates,
        sum(expected_or_observed.views_count) as views_count,
        sum(expected_or_observed.reach_count) as reach_count,
        sum(expected_or_observed.likes_count) as likes_count,
        sum(expected_or_observed.comments_count) as comments_count,
        sum(expected_or_observed.shares_count) as shares_count,
        sum(expected_or_observed.saves_count) as saves_count,
        sum(expected_or_observed.engagements_count) as engagements_count,
        sum(expected_or_observed.rated_engagements_count) as rated_engagements_count,
        sum(expected_or_observed.rated_followers_count) as rated_followers_count
    from expected_or_observed
    inner join dates
        on expected_or_observed.metric_date = dates.date_day
    group by
        expected_or_observed.account_id,
        expected_or_observed.platform,
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
