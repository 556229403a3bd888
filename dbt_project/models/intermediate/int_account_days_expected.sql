-- Expected versus reported, once for the whole warehouse: one row per account and reporting day on which the
-- account is active in the registry (expected), plus every reported account-day outside that (an account
-- missing from the registry, or a day outside its active range). The daily and weekly rollups and the
-- data-quality models count expected, reporting and missing accounts from here; metric values come from
-- fct_account_daily on the same (account_id, metric_date).
-- is_reported: the account-day has its own row (API or manual, after the precedence rule).
-- is_received: it has its own row, or a weekly manual report covers it (the report lands on the week's
-- Sunday and covers that day and the six before it); received_via says by which method.
-- Incremental: rebuilds from six days before the earliest changed day (a weekly report covers the six days
-- before its Sunday); everything when the registry or the spine's first day changes.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='metric_date') }}
{%- set rebuild_from = incremental_rebuild_from(
    lookback_days=6,
    context=[
        ref('stg_registry__accounts'),
        '(select min(date_day) as first_day from ' ~ ref('int_reporting_days_spanned') ~ ')',
    ],
) %}

with

accounts as (
    select * from {{ ref('stg_registry__accounts') }}
),

days as (
    select * from {{ ref('int_reporting_days_spanned') }}
    where {{ incremental_window('date_day', rebuild_from) }}
),

account_days as (
    select * from {{ ref('int_account_days_unioned') }}
    where {{ incremental_window('metric_date', rebuild_from) }}
),

expected as (
    select
        accounts.account_id,
        accounts.platform,
        accounts.unit_code,
        days.date_day as metric_date
    from accounts
    inner join days
        on {{ account_is_active('accounts', 'days.date_day') }}
),

reported as (
    select
        account_id,
        platform,
        unit_code,
        metric_date,
        collection_method,
        reporting_period_days
    from account_days
    where metric_date in (select days.date_day from days)
),

-- Each day a reported row covers; an own daily row wins over a weekly report covering the same day.
received as (
    select distinct on (reported.account_id, covered.covered_date)
        reported.account_id,
        covered.covered_date::date as metric_date,
        reported.collection_method as received_via
    from reported,
        unnest(
            generate_series(
                reported.metric_date - (reported.reporting_period_days - 1)::integer,
                reported.metric_date,
                interval 1 day
            )
        ) as covered (covered_date)
    order by reported.account_id, covered.covered_date, reported.reporting_period_days
),

final as (
    select
        coalesce(expected.account_id, reported.account_id) as account_id,
        coalesce(expected.platform, reported.platform) as platform,
        coalesce(expected.unit_code, reported.unit_code) as unit_code,
        coalesce(expected.metric_date, reported.metric_date) as metric_date,
        expected.account_id is not null as is_expected,
        reported.account_id is not null as is_reported,
        reported.collection_method,
        reported.reporting_period_days,
        received.account_id is not null as is_received,
        received.received_via
    from expected
    full outer join reported
        on
            expected.account_id = reported.account_id
            and expected.metric_date = reported.metric_date
    left join received
        on
            coalesce(expected.account_id, reported.account_id) = received.account_id
            and coalesce(expected.metric_date, reported.metric_date) = received.metric_date
)

select * from final
