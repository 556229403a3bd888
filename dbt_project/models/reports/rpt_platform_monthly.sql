-- One row per platform, scope (the nation or one province) and calendar month: rpt_unit_monthly summed over
-- the scope's units, rates recomputed from the sums. Follower growth is against the month's starting
-- followers (growth_base_followers_count); previous_month_* make "this month against last month" one query.
-- Filter scope_type = 'national' for the whole country; never add scopes together.
with

unit_months as (
    select * from {{ ref('rpt_unit_monthly') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

scoped as (
    {{ with_geographic_scopes('unit_months', 'units') }}
),

aggregated as (
    select
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        month_start_date,
        month_label,
        days_in_spine_count,
        is_complete_month,
        sum(accounts_expected_count)::bigint as accounts_expected_count,
        sum(accounts_reporting_count)::bigint as accounts_reporting_count,
        sum(account_days_expected_count)::bigint as account_days_expected_count,
        sum(account_days_reported_count)::bigint as account_days_reported_count,
        {{ metric_sum_columns() }}
    from scoped
    group by all
),

rated as (
    select
        *,
        {{ rollup_rate_columns() }}
    from aggregated
),

final as (
    {{ with_previous_period(
        'rated', ['platform', 'scope_unit_code'], 'month_start_date', 'interval 1 month',
        ['followers_count', 'follower_growth_count', 'follower_growth_rate', 'engagement_rate', 'new_posts_count'], 'previous_month'
    ) }}
)

select * from final
