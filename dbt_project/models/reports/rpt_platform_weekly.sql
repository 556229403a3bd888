-- One row per platform, scope (the nation or one province) and ISO week: follower growth (absolute and %),
-- engagement rate and posting, recomputed from the accounts' weekly sums. Filter scope_type = 'national'
-- for the leadership overview; never add scopes together (each province is also inside the nation).
-- Weekly manual reports count whole (one row per account and week); posting_account_days_count counts days
-- known from daily rows only (a weekly report gives its posts, in new_posts_count, but not their days).
-- Incremental: rebuilds the ISO weeks fct_account_weekly rewrote; everything when the units change.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='week_start_date') }}
{%- set rebuild_from = incremental_rebuild_from(period='week', context=[ref('dim_units')]) %}

with

account_weeks as (
    select * from {{ ref('fct_account_weekly') }}
    where {{ incremental_window('week_start_date', rebuild_from) }}
),

units as (
    select * from {{ ref('dim_units') }}
),

scoped as (
    {{ with_geographic_scopes('account_weeks', 'units') }}
),

aggregated as (
    select
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        iso_year,
        iso_week,
        iso_year_week,
        week_start_date,
        week_end_date,
        days_in_spine_count,
        is_complete_week,
        {{ weekly_account_count_columns() }},
        sum(posting_days_count)::bigint as posting_account_days_count,
        {{ metric_sum_columns() }}
    from scoped
    group by all
),

final as (
    select
        *,
        {{ rollup_rate_columns() }}
    from aggregated
)

select * from final
