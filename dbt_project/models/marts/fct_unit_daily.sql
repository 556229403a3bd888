-- One row per unit and metric_date, for the days of dim_dates on which the unit has an active registered
-- account or reported one: the unit's accounts on all platforms summed. Rates are recomputed from the sums
-- (never an average of the accounts' rates).
-- Weekly manual reports: an account reporting weekly has one row a week, on Sunday, holding the whole week's
-- activity. The sums keep it whole on that Sunday (so any weekly or monthly sum of this table is exact, and
-- no daily pattern is invented), weekly_report_accounts_count says how many of the day's accounts such rows
-- are, and the engagement rate counts their followers for the seven days (follower-days), so it stays a
-- daily rate. A chart of daily activity without them reads fct_account_daily where reporting_period_days = 1.
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

expected as (
    select
        accounts.unit_code,
        dates.date_day as metric_date,
        count(*) as accounts_expected_count
    from accounts
    inner join dates
        on {{ account_is_active('accounts', 'dates.date_day') }}
    group by accounts.unit_code, dates.date_day
),

reported_inputs as (
    select
        unit_code,
        metric_date,
        platform,
        collection_method,
        reporting_period_days,
        {{ account_day_rollup_inputs() }}
    from account_days
    where metric_date in (select dates.date_day from dates)
),

reported as (
    select
        unit_code,
        metric_date,
        count(*) as accounts_reporting_count,
        count(*) filter (where collection_method = 'manual') as accounts_reporting_manual_count,
        count(*) filter (where reporting_period_days = 7) as weekly_report_accounts_count,
        count(distinct platform) as platforms_reporting_count,
        {{ metric_sum_columns() }}
    from reported_inputs
    group by unit_code, metric_date
),

combined as (
    select
        coalesce(expected.unit_code, reported.unit_code) as unit_code,
        coalesce(expected.metric_date, reported.metric_date) as metric_date,
        coalesce(expected.accounts_expected_count, 0) as accounts_expected_count,
        coalesce(reported.accounts_reporting_count, 0) as accounts_reporting_count,
        coalesce(reported.accounts_reporting_manual_count, 0) as accounts_reporting_manual_count,
        coalesce(reported.weekly_report_accounts_count, 0) as weekly_report_accounts_count,
        coalesce(reported.platforms_reporting_count, 0) as platforms_reporting_count,
        reported.* exclude (
            unit_code, metric_date,
            accounts_reporting_count, accounts_reporting_manual_count, weekly_report_accounts_count,
            platforms_reporting_count
        )
    from expected
    full outer join reported
        on
            expected.unit_code = reported.unit_code
            and expected.metric_date = reported.metric_date
),

final as (
    select
        combined.unit_code,
        combined.metric_date,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        combined.* exclude (unit_code, metric_date),  -- noqa: RF02
        {{ rollup_rate_columns() }}
    from combined
    left join units
        on combined.unit_code = units.unit_code
)

select * from final
