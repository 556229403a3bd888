-- One row per unit, platform and calendar month (Asia/Jakarta days) in which the unit had an account row or
-- an active account on the platform. Follower growth is measured against the month's starting followers:
-- the sum of the accounts' daily growth telescopes to the month's last follower count minus the last count
-- before the month's first growth figure (growth_base_followers_count, the starting followers), and
-- follower_growth_rate divides the two sums. Engagement rate is recomputed from the month's sums (never an
-- average of daily rates). The previous_month_* columns make "this month against last month" one query.
-- Weekly manual reports land whole on their Sunday, so a week straddling two months counts in the Sunday's.
with

account_days as (
    select * from {{ ref('fct_account_daily') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

month_spine as (
    select
        month_start_date,
        count(*) as days_in_spine_count,
        count(*) = day(last_day(month_start_date)) as is_complete_month
    from dates
    group by month_start_date
),

expected_accounts as (
    select
        accounts.unit_code,
        accounts.platform,
        dates.month_start_date,
        count(distinct accounts.account_id) as accounts_expected_count,
        count(*) as account_days_expected_count
    from accounts
    inner join dates
        on {{ account_is_active('accounts', 'dates.date_day') }}
    group by accounts.unit_code, accounts.platform, dates.month_start_date
),

account_day_inputs as (
    select
        account_days.account_id,
        account_days.unit_code,
        account_days.platform,
        account_days.metric_date,
        dates.month_start_date,
        {{ account_day_rollup_inputs() }}
    from account_days
    inner join dates
        on account_days.metric_date = dates.date_day
),

-- One row per account and month. Its follower figures are not sums: the month's last follower count, and the
-- starting followers of its growth (the count before the month's first growth figure).
account_month_sums as (
    select
        account_id,
        platform,
        month_start_date,
        arg_max(unit_code, metric_date) as unit_code,
        count(*) as account_days_reported_count,
        {{ metric_sum_columns() }},
        arg_max(followers_count, metric_date)
        filter (where followers_count is not null) as month_end_followers,
        arg_min(growth_base_followers_count, metric_date)
        filter (where follower_growth_count is not null) as month_start_followers
    from account_day_inputs
    group by account_id, platform, month_start_date
),

account_months as (
    select
        * exclude (month_end_followers, month_start_followers)
        replace (month_end_followers as followers_count, month_start_followers as growth_base_followers_count)
    from account_month_sums
),

reported as (
    select
        unit_code,
        platform,
        month_start_date,
        count(*) as accounts_reporting_count,
        sum(account_days_reported_count)::bigint as account_days_reported_count,
        {{ metric_sum_columns() }}
    from account_months
    group by unit_code, platform, month_start_date
),

combined as (
    select
        coalesce(expected_accounts.unit_code, reported.unit_code) as unit_code,
        coalesce(expected_accounts.platform, reported.platform) as platform,
        coalesce(expected_accounts.month_start_date, reported.month_start_date) as month_start_date,
        coalesce(expected_accounts.accounts_expected_count, 0) as accounts_expected_count,
        coalesce(reported.accounts_reporting_count, 0) as accounts_reporting_count,
        coalesce(expected_accounts.account_days_expected_count, 0) as account_days_expected_count,
        coalesce(reported.account_days_reported_count, 0) as account_days_reported_count,
        reported.* exclude (
            unit_code, platform, month_start_date, accounts_reporting_count, account_days_reported_count
        )
    from expected_accounts
    full outer join reported
        on
            expected_accounts.unit_code = reported.unit_code
            and expected_accounts.platform = reported.platform
            and expected_accounts.month_start_date = reported.month_start_date
),

rated as (
    select
        combined.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        units.province_name,
        combined.platform,
        combined.month_start_date,
        strftime(combined.month_start_date, '%Y-%m') as month_label,
        month_spine.days_in_spine_count,
        month_spine.is_complete_month,
        combined.* exclude (unit_code, platform, month_start_date),  -- noqa: RF02
        {{ rollup_rate_columns() }}
    from combined
    inner join month_spine
        on combined.month_start_date = month_spine.month_start_date
    left join units
        on combined.unit_code = units.unit_code
),

final as (
    {{ with_previous_period(
        'rated', ['unit_code', 'platform'], 'month_start_date', 'interval 1 month',
        ['followers_count', 'follower_growth_count', 'follower_growth_rate', 'engagement_rate', 'new_posts_count'], 'previous_month'
    ) }}
)

select * from final
