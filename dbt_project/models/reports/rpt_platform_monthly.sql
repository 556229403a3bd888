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
        sum(accounts_expected_count) as accounts_expected_count,
        sum(accounts_reporting_count) as accounts_reporting_count,
        sum(account_days_expected_count) as account_days_expected_count,
        sum(account_days_reported_count) as account_days_reported_count,
        {{ metric_sum_columns() }}
    from scoped
    group by
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        month_start_date,
        month_label,
        days_in_spine_count,
        is_complete_month
),

rated as (
    select
        *,
        {{ rollup_rate_columns() }}
    from aggregated
),

final as (
    select
        this_month.*,
        last_month.followers_count as previous_month_followers_count,
        last_month.follower_growth_count as previous_month_follower_growth_count,
        last_month.follower_growth_rate as previous_month_follower_growth_rate,
        last_month.engagement_rate as previous_month_engagement_rate,
        last_month.new_posts_count as previous_month_new_posts_count
    from rated as this_month
    left join rated as last_month
        on
            this_month.platform = last_month.platform
            and this_month.scope_unit_code = last_month.scope_unit_code
            and (this_month.month_start_date - interval 1 month)::date = last_month.month_start_date
)

select * from final
