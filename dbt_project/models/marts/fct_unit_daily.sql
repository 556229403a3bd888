-- One row per unit and metric_date, for the days of the spine on which the unit has an active registered
-- account or reported one: the unit's accounts on all platforms summed. Rates are recomputed from the sums
-- (never an average of the accounts' rates).
-- Weekly manual reports: an account reporting weekly has one row a week, on Sunday, holding the whole week's
-- activity. The sums keep it whole on that Sunday (so any weekly or monthly sum of this table is exact, and
-- no daily pattern is invented), weekly_report_accounts_count says how many of the day's accounts such rows
-- are, and the engagement rate counts their followers for the seven days (follower-days), so it stays a
-- daily rate. A chart of daily activity without them reads fct_account_daily where reporting_period_days = 1.
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

unit_days as (
    select
        unit_code,
        metric_date,
        {{ daily_account_count_columns() }},
        count(distinct platform) filter (where is_reported) as platforms_reporting_count,
        {{ metric_sum_columns() }}
    from rollup_rows
    group by all
),

final as (
    select
        unit_days.unit_code,
        unit_days.metric_date,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        unit_days.* exclude (unit_code, metric_date),  -- noqa: RF02
        {{ rollup_rate_columns() }}
    from unit_days
    left join units
        on unit_days.unit_code = units.unit_code
)

select * from final
