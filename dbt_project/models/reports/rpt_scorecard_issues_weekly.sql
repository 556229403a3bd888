-- One row per account, ISO week and flag type that data quality raised in that week: the scorecard's lists of
-- units that did not report (flag_type missing: days missing, the reason and the streak as of the week's last
-- missing day) and of figures that look wrong (suspect) or quiet accounts (behaviour). The detail columns
-- (reason, observed value, expected range, explanation) are those of the week's most severe, latest flag.
with

flags as (
    select * from {{ ref('rpt_scorecard_account_day_flags') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

weekly as (
    select
        flags.account_id,
        dates.iso_year,
        dates.iso_week,
        flags.flag_type,
        any_value(flags.flag_category) as flag_category,
        any_value(dates.iso_year_week) as iso_year_week,
        any_value(dates.week_start_date) as week_start_date,
        case when bool_or(flags.severity = 'critical') then 'critical' else max(flags.severity) end
            as severity,
        count(distinct flags.metric_date) as flagged_days_count,
        min(flags.metric_date) as first_flag_date,
        max(flags.metric_date) as last_flag_date,
        string_agg(distinct flags.metric, ', ' order by flags.metric) as metrics,
        -- The details of the most severe flag, latest first.
        arg_max(
            {
                'reason': flags.reason,
                'observed_value': flags.observed_value,
                'expected_low': flags.expected_low,
                'expected_high': flags.expected_high,
                'consecutive_missing_days': flags.consecutive_missing_days,
                'is_ongoing': flags.is_ongoing,
                'explanation': flags.explanation,
                'explanation_en': flags.explanation_en
            },
            (coalesce(flags.severity = 'critical', false), flags.metric_date)
        ) as details
    from flags
    inner join dates
        on flags.metric_date = dates.date_day
    group by flags.account_id, dates.iso_year, dates.iso_week, flags.flag_type
),

final as (
    select
        weekly.account_id,
        accounts.platform,
        accounts.handle,
        accounts.unit_code,
        accounts.unit_name,
        accounts.unit_level,
        accounts.province_unit_code,
        accounts.province_name,
        weekly.iso_year,
        weekly.iso_week,
        weekly.iso_year_week,
        weekly.week_start_date,
        weekly.flag_category,
        weekly.flag_type,
        weekly.severity,
        weekly.flagged_days_count,
        weekly.first_flag_date,
        weekly.last_flag_date,
        weekly.metrics,
        weekly.details.reason,
        weekly.details.observed_value,
        weekly.details.expected_low,
        weekly.details.expected_high,
        weekly.details.consecutive_missing_days as missing_streak_days,
        weekly.details.is_ongoing,
        weekly.details.explanation,
        weekly.details.explanation_en
    from weekly
    left join accounts
        on weekly.account_id = accounts.account_id
)

select * from final
