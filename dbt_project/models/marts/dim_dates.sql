-- One row per calendar day (reporting days are Asia/Jakarta days). By default the spine runs from the first
-- to the last metric_date seen in the lake (account-days or fetch attempts), or is just yesterday (WIB) while
-- the lake is empty; the vars date_spine_start / date_spine_end fix either bound.
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
),

final as (
    select
        date_day,
        isoyear(date_day)::integer as iso_year,
        weekofyear(date_day)::integer as iso_week,
        isoyear(date_day)::varchar || '-W' || lpad(weekofyear(date_day)::varchar, 2, '0') as iso_year_week,
        date_trunc('week', date_day)::date as week_start_date,
        (date_trunc('week', date_day) + interval 6 day)::date as week_end_date,
        isodow(date_day)::integer as day_of_week,
        dayname(date_day) as day_name,
        isodow(date_day) in (6, 7) as is_weekend,
        date_trunc('month', date_day)::date as month_start_date,
        year(date_day)::integer as calendar_year
    from spine
)

select * from final
