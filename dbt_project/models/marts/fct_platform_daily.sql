-- One row per platform, scope and metric_date, where scope is the nation (every unit) or one province (the
-- province unit and its regencies/cities, via dim_units). Sums over the scope's accounts on the platform;
-- rates recomputed from the sums. Rows exist for the days of the spine with an active or reporting account.
-- Weekly manual reports land whole on their Sunday, counted in weekly_report_accounts_count, with the
-- engagement rate over follower-days (see fct_unit_daily).
-- Incremental: rebuilds the days its inputs rewrote; everything when the units' hierarchy changes.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='metric_date') }}
{%- set rebuild_from = incremental_rebuild_from(context=[ref('dim_units')]) %}

with

units as (
    select * from {{ ref('dim_units') }}
),

rollup_rows as (
    {{ expected_account_day_rollup_rows(rebuild_from) }}
),

scoped as (
    {{ with_geographic_scopes('rollup_rows', 'units') }}
),

platform_days as (
    select
        platform,
        scope_type,
        scope_unit_code,
        scope_name,
        metric_date,
        {{ daily_account_count_columns() }},
        {{ metric_sum_columns() }}
    from scoped
    group by all
),

final as (
    select
        *,
        {{ rollup_rate_columns() }}
    from platform_days
)

select * from final
