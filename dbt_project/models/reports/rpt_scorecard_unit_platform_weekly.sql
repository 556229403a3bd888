-- One row per unit, platform and ISO week (as rpt_unit_weekly), with what the scorecard adds to it:
-- - the part of the week's sums that comes from account-days data quality marks as suspect (a follower jump
--   or drop, a falling lifetime counter, frozen data, an engagement spike) and the same figures without them
--   (clean_*): growth and engagement rate "without flagged account-days";
-- - reporting completeness: expected account-days against those data quality lists as missing;
-- - posting compliance credit: posting days up to the target, counted only where the target could be judged.
with

unit_weeks as (
    select * from {{ ref('rpt_unit_weekly') }}
),

account_days as (
    select * from {{ ref('fct_account_daily') }}
),

flags as (
    select * from {{ ref('rpt_scorecard_account_day_flags') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

suspect_days as (
    select
        account_id,
        metric_date,
        bool_or(severity = 'critical') as is_critical
    from flags
    where flag_category = 'suspect'
    group by account_id, metric_date
),

suspect_inputs as (
    select
        account_days.account_id,
        account_days.unit_code,
        account_days.platform,
        account_days.metric_date,
        suspect_days.is_critical,
        {{ account_day_rollup_inputs() }}
    from account_days
    inner join suspect_days
        on
            account_days.account_id = suspect_days.account_id
            and account_days.metric_date = suspect_days.metric_date
),

suspect_weeks as (
    select
        suspect_inputs.unit_code,
        suspect_inputs.platform,
        dates.iso_year,
        dates.iso_week,
        count(*) as flagged_account_days_count,
        count(distinct suspect_inputs.account_id) as flagged_accounts_count,
        count(*) filter (where suspect_inputs.is_critical) as critical_flagged_account_days_count,
        sum(suspect_inputs.follower_growth_count)::bigint as flagged_follower_growth_count,
        sum(suspect_inputs.rated_engagements_count)::bigint as flagged_rated_engagements_count,
        sum(suspect_inputs.rated_followers_count)::bigint as flagged_rated_followers_count
    from suspect_inputs
    inner join dates
        on suspect_inputs.metric_date = dates.date_day
    group by suspect_inputs.unit_code, suspect_inputs.platform, dates.iso_year, dates.iso_week
),

missing_weeks as (
    select
        flags.unit_code,
        flags.platform,
        dates.iso_year,
        dates.iso_week,
        count(*) as missing_account_days_count,
        count(distinct flags.account_id) as missing_accounts_count
    from flags
    inner join dates
        on flags.metric_date = dates.date_day
    where flags.flag_category = 'missing'
    group by flags.unit_code, flags.platform, dates.iso_year, dates.iso_week
),

combined as (
    select
        unit_weeks.unit_code,
        unit_weeks.unit_name,
        unit_weeks.unit_level,
        unit_weeks.province_unit_code,
        unit_weeks.platform,
        unit_weeks.iso_year,
        unit_weeks.iso_week,
        unit_weeks.iso_year_week,
        unit_weeks.week_start_date,
        unit_weeks.week_end_date,
        unit_weeks.is_complete_week,
        unit_weeks.accounts_expected_count::bigint as accounts_expected_count,
        unit_weeks.account_days_expected_count::bigint as account_days_expected_count,
        unit_weeks.followers_count::bigint as followers_count,
        unit_weeks.follower_growth_count::bigint as follower_growth_count,
        unit_weeks.growth_base_followers_count::bigint as growth_base_followers_count,
        unit_weeks.rated_engagements_count::bigint as rated_engagements_count,
        unit_weeks.rated_followers_count::bigint as rated_followers_count,
        unit_weeks.follower_growth_rate,
        unit_weeks.engagement_rate,
        unit_weeks.posting_days_count::bigint as posting_days_count,
        unit_weeks.posting_days_per_week_target,
        unit_weeks.has_undated_posts,
        unit_weeks.is_posting_target_met,
        coalesce(suspect_weeks.flagged_account_days_count, 0) as flagged_account_days_count,
        coalesce(suspect_weeks.flagged_accounts_count, 0) as flagged_accounts_count,
        coalesce(suspect_weeks.critical_flagged_account_days_count, 0) as critical_flagged_account_days_count,
        (unit_weeks.follower_growth_count - coalesce(suspect_weeks.flagged_follower_growth_count, 0))::bigint
            as clean_follower_growth_count,
        (
            unit_weeks.rated_engagements_count - coalesce(suspect_weeks.flagged_rated_engagements_count, 0)
        )::bigint as clean_rated_engagements_count,
        (unit_weeks.rated_followers_count - coalesce(suspect_weeks.flagged_rated_followers_count, 0))::bigint
            as clean_rated_followers_count,
        least(
            coalesce(missing_weeks.missing_account_days_count, 0), unit_weeks.account_days_expected_count
        )::bigint as missing_account_days_count,
        coalesce(missing_weeks.missing_accounts_count, 0) as missing_accounts_count,
        case
            when unit_weeks.is_posting_target_met is not null then unit_weeks.posting_days_per_week_target
        end::bigint as posting_target_days_count,
        case
            when unit_weeks.is_posting_target_met is not null
                then least(unit_weeks.posting_days_count, unit_weeks.posting_days_per_week_target)
        end::bigint as posting_days_credited_count
    from unit_weeks
    left join suspect_weeks
        on
            unit_weeks.unit_code = suspect_weeks.unit_code
            and unit_weeks.platform = suspect_weeks.platform
            and unit_weeks.iso_year = suspect_weeks.iso_year
            and unit_weeks.iso_week = suspect_weeks.iso_week
    left join missing_weeks
        on
            unit_weeks.unit_code = missing_weeks.unit_code
            and unit_weeks.platform = missing_weeks.platform
            and unit_weeks.iso_year = missing_weeks.iso_year
            and unit_weeks.iso_week = missing_weeks.iso_week
),

final as (
    select
        *,
        {{ safe_divide('clean_follower_growth_count', 'growth_base_followers_count') }}
            as clean_follower_growth_rate,
        {{ safe_divide('clean_rated_engagements_count', 'clean_rated_followers_count') }}
            as clean_engagement_rate,
        {{ safe_divide(
            'account_days_expected_count - missing_account_days_count', 'account_days_expected_count'
        ) }} as completeness_rate
    from combined
)

select * from final
