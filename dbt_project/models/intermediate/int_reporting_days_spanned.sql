-- One row per reporting day (a calendar day in Asia/Jakarta) of the data window: from the first to the last
-- metric_date seen in the lake (account-days or fetch attempts), or just yesterday (WIB) while the lake is
-- empty. The vars date_spine_start / date_spine_end fix either bound. dim_dates adds the calendar to it.
with

account_days as (
    select metric_date from {{ ref('int_account_days_unioned') }}
),

fetch_logs as (
    select metric_date from {{ ref('stg_lake__fetch_logs') }}
),

observed as (
    select metric_date from account_days
    union all
    select metric_date from fetch_logs
),

bounds as (
    select
        coalesce(
            {{ "'" ~ var('date_spine_start') ~ "'::date" if var('date_spine_start') else 'null::date' }},
            min(metric_date),
            (current_timestamp at time zone 'Asia/Jakarta')::date - 1
        ) as start_date,
        coalesce(
            {{ "'" ~ var('date_spine_end') ~ "'::date" if var('date_spine_end') else 'null::date' }},
            max(metric_date),
            (current_timestamp at time zone 'Asia/Jakarta')::date - 1
        ) as end_date
    from observed
),

spine as (
    select spine_days.date_day::date as date_day
    from bounds
    cross join
        generate_series(
            bounds.start_date::timestamp, bounds.end_date::timestamp, interval 1 day
        ) as spine_days (date_day)
)

select * from spine
