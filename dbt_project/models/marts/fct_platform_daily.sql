-- One row per platform, scope and metric_date, where scope is the nation (every unit) or one province (the
-- province unit and its regencies/cities, via dim_units). Sums over the scope's accounts on the platform;
-- rates recomputed from the sums. Rows exist for the days of dim_dates with an active or reporting account.
-- Weekly manual reports land whole on their Sunday, counted in weekly_report_accounts_count, with the
-- engagement rate over follower-days (see fct_unit_daily).
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

expected_account_days as (
    select
        accounts.platform,
        accounts.unit_code,
        dates.date_day as metric_date
    from accounts
    inner join dates
        on {{ account_is_active('accounts', 'dates.date_day') }}
),

expected_scoped as (
    {{ with_geographic_scopes('expected_account_days', 'units') }}
),

expected as (
    select
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        metric_date,
        count(*) as accounts_expected_count
    from expected_scoped
    group by platform, scope_type, scope_unit_code, scope_name, metric_date
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

reported_scoped as (
    {{ with_geographic_scopes('reported_inputs', 'units') }}
),

reported as (
    select
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        metric_date,
        count(*) as accounts_reporting_count,
        count(*) filter (where collection_method = 'manual') as accounts_reporting_manual_count,
        count(*) filter (where reporting_period_days = 7) as weekly_report_accounts_count,
        {{ metric_sum_columns() }}
    from reported_scoped
    group by platform, scope_type, scope_unit_code, scope_name, metric_date
),

combined as (
    select
        coalesce(expected.platform, reported.platform) as platform,
        coalesce(expected.scope_type, reported.scope_type) as scope_type,
        coalesce(expected.scope_unit_code, reported.scope_unit_code) as scope_unit_code,
        coalesce(expected.scope_name, reported.scope_name) as scope_name,
        coalesce(expected.metric_date, reported.metric_date) as metric_date,
        coalesce(expected.accounts_expected_count, 0) as accounts_expected_count,
        coalesce(reported.accounts_reporting_count, 0) as accounts_reporting_count,
        coalesce(reported.accounts_reporting_manual_count, 0) as accounts_reporting_manual_count,
        coalesce(reported.weekly_report_accounts_count, 0) as weekly_report_accounts_count,
        reported.* exclude (
            platform, scope_type, scope_unit_code, scope_name, metric_date,
            accounts_reporting_count, accounts_reporting_manual_count, weekly_report_accounts_count
        )
    from expected
    full outer join reported
        on
            expected.platform = reported.platform
            and expected.scope_unit_code = reported.scope_unit_code
            and expected.metric_date = reported.metric_date
),

final as (
    select
        *,
        {{ rollup_rate_columns() }}
    from combined
)

select * from final
