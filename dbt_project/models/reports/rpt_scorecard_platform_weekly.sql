-- One row per platform, scope (the nation or one province) and ISO week: rpt_platform_weekly's figures as
-- they are, plus what the scorecard's national summary shows beside them - the figures without account-days
-- flagged as suspect (clean_*), reporting completeness, posting compliance against the content calendar and
-- last week's figures - summed from rpt_scorecard_unit_platform_weekly over the scope's units.
with

platform_weeks as (
    select * from {{ ref('rpt_platform_weekly') }}
),

unit_platform_weeks as (
    select * from {{ ref('rpt_scorecard_unit_platform_weekly') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

scoped as (
    {{ with_geographic_scopes('unit_platform_weeks', 'units') }}
),

additions as (
    select
        platform,
        scope_unit_code,
        iso_year,
        iso_week,
        sum(flagged_account_days_count)::bigint as flagged_account_days_count,
        sum(flagged_accounts_count)::bigint as flagged_accounts_count,
        sum(critical_flagged_account_days_count)::bigint as critical_flagged_account_days_count,
        sum(clean_follower_growth_count)::bigint as clean_follower_growth_count,
        sum(clean_rated_engagements_count)::bigint as clean_rated_engagements_count,
        sum(clean_rated_followers_count)::bigint as clean_rated_followers_count,
        sum(missing_account_days_count)::bigint as missing_account_days_count,
        sum(missing_accounts_count)::bigint as missing_accounts_count,
        count(*) filter (where is_posting_target_met is not null) as posting_units_judged_count,
        count(*) filter (where is_posting_target_met) as posting_units_met_count,
        sum(posting_target_days_count)::bigint as posting_target_days_count,
        sum(posting_days_credited_count)::bigint as posting_days_credited_count
    from scoped
    group by platform, scope_unit_code, iso_year, iso_week
),

combined as (
    select
        platform_weeks.platform,
        platform_weeks.scope_type,
        platform_weeks.scope_unit_code,
        platform_weeks.scope_name,
        platform_weeks.iso_year,
        platform_weeks.iso_week,
        platform_weeks.iso_year_week,
        platform_weeks.week_start_date,
        platform_weeks.week_end_date,
        platform_weeks.is_complete_week,
        platform_weeks.accounts_expected_count::bigint as accounts_expected_count,
        platform_weeks.accounts_reporting_count::bigint as accounts_reporting_count,
        platform_weeks.account_days_expected_count::bigint as account_days_expected_count,
        platform_weeks.followers_count::bigint as followers_count,
        platform_weeks.follower_growth_count::bigint as follower_growth_count,
        platform_weeks.growth_base_followers_count::bigint as growth_base_followers_count,
        platform_weeks.follower_growth_rate,
        platform_weeks.engagement_rate,
        platform_weeks.new_posts_count::bigint as new_posts_count,
        additions.* exclude (platform, scope_unit_code, iso_year, iso_week),  -- noqa: RF02
        {{ safe_divide(
            'additions.clean_follower_growth_count', 'platform_weeks.growth_base_followers_count'
        ) }} as clean_follower_growth_rate,
        {{ safe_divide('additions.clean_rated_engagements_count', 'additions.clean_rated_followers_count') }}
            as clean_engagement_rate,
        {{ safe_divide(
            'platform_weeks.account_days_expected_count - additions.missing_account_days_count',
            'platform_weeks.account_days_expected_count'
        ) }} as completeness_rate,
        {{ safe_divide('additions.posting_days_credited_count', 'additions.posting_target_days_count') }}
            as posting_compliance_rate
    from platform_weeks
    left join additions
        on
            platform_weeks.platform = additions.platform
            and platform_weeks.scope_unit_code = additions.scope_unit_code
            and platform_weeks.iso_year = additions.iso_year
            and platform_weeks.iso_week = additions.iso_week
),

final as (
    {{ with_previous_period(
        'combined', ['platform', 'scope_unit_code'], 'week_start_date', 'interval 7 day',
        ['followers_count', 'follower_growth_count', 'follower_growth_rate', 'engagement_rate',
         'posting_compliance_rate', 'completeness_rate'],
        'previous_week'
    ) }}
)

select * from final
