-- One row per reporting day of the data window (int_reporting_days_spanned) with its calendar: ISO week
-- (Monday to Sunday), day of week, month, year.
with

days as (
    select * from {{ ref('int_reporting_days_spanned') }}
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
    from days
)

select * from final
