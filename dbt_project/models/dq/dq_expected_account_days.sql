-- One row per account-day the head office expects figures for: every day of the data window (the days the
-- lake holds account-days or fetch attempts for) on which the account is active, whether collected by API
-- or by manual report, and whether anything arrived for it (a weekly manual report counts for its seven
-- days). The base of completeness and missing reports.
-- Manual reports come weekly, so a manual account's days count as expected only once their ISO week has
-- ended within the window: an open week's report is not late yet.
-- Incremental: rebuilds from the Monday of the week six days before the earliest changed day (a weekly report
-- covers the six days before its Sunday; a new last day completes manual accounts' weeks from their Monday);
-- everything when the registry or the window's first day changes. The window's bounds are read whole (two
-- columns), the reports from the rebuilt days on only.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='metric_date') }}
{%- set observed_days -%}
    select metric_date from {{ ref('int_account_days_unioned') }}
    union all
    select metric_date from {{ ref('stg_lake__fetch_logs') }}
{%- endset %}
{%- set rebuild_from = incremental_rebuild_from(
    lookback_days=6,
    period='week',
    context=[ref('dim_accounts'), '(select min(metric_date) as first_day from (' ~ observed_days ~ '))'],
) %}

with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

-- A weekly manual report lands on the week's Sunday as one row; it covers the seven days ending there.
received as (
    select distinct on (unioned.account_id, covered.covered_date)
        unioned.account_id,
        covered.covered_date::date as metric_date,
        unioned.collection_method as received_via
    from {{ ref('int_account_days_unioned') }} as unioned,
        unnest(
            generate_series(
                unioned.metric_date - (coalesce(unioned.reporting_period_days, 1) - 1)::integer,
                unioned.metric_date,
                interval 1 day
            )
        ) as covered (covered_date)
    where {{ incremental_window('unioned.metric_date', rebuild_from) }}
    order by unioned.account_id, covered.covered_date, unioned.reporting_period_days
),

observed_days as (
    {{ observed_days | indent(4) }}
),

data_window as (
    select
        min(metric_date) as start_date,
        max(metric_date) as end_date
    from observed_days
),

window_days as (
    select dates.*
    from dates
    inner join data_window
        on dates.date_day between data_window.start_date and data_window.end_date
    where {{ incremental_window('dates.date_day', rebuild_from) }}
),

expected as (
    select
        accounts.account_id,
        window_days.date_day as metric_date,
        accounts.unit_code,
        accounts.platform,
        accounts.collection_method,
        accounts.province_unit_code,
        window_days.iso_year,
        window_days.iso_week,
        window_days.week_start_date
    from accounts
    inner join window_days
        on {{ account_is_active('accounts', 'window_days.date_day') }}
    cross join data_window
    where
        accounts.collection_method <> 'manual'
        or window_days.week_end_date <= data_window.end_date
),

final as (
    select
        expected.*,
        received.account_id is not null as is_received,
        received.received_via
    from expected
    left join received
        on
            expected.account_id = received.account_id
            and expected.metric_date = received.metric_date
)

select * from final
