-- One row per league, member unit and ISO week: the scorecard's league tables. Leagues: the provinces of the
-- nation (league_level province: each province with its regencies/cities, all platforms together) and, per
-- province, its regencies/cities (league_level regency: each one's own accounts).
--
-- The composite (0-100) weighs four components, each scored 0-1 (weights: dbt vars scorecard_weight_*):
-- - growth: follower growth rate without suspect account-days, scored as the share of the league it beats
--   (ties count half; no figure scores 0) - growth has no target, so it is judged against the peers;
-- - engagement: engagement rate without suspect account-days, scored the same way;
-- - posting: posting days up to the content-calendar target / target days, over the unit-platforms whose
--   target could be judged (when none could, e.g. weekly manual reports with undated posts, the composite is
--   the weighted mean of the other three);
-- - completeness: expected account-days that arrived / expected account-days.
-- Only complete ISO weeks are scored and ranked; rank_change_count compares with the week before
-- (positive = moved up), and composite_score_trend holds the scores of up to four weeks ending this one.
{%- set weights = {
    'growth': var('scorecard_weight_growth', 0.25),
    'engagement': var('scorecard_weight_engagement', 0.25),
    'posting': var('scorecard_weight_posting', 0.25),
    'completeness': var('scorecard_weight_completeness', 0.25),
} %}
{%- set summed = [
    'followers_count', 'follower_growth_count', 'clean_follower_growth_count', 'growth_base_followers_count',
    'rated_engagements_count', 'rated_followers_count', 'clean_rated_engagements_count',
    'clean_rated_followers_count', 'posting_target_days_count', 'posting_days_credited_count',
    'account_days_expected_count', 'missing_account_days_count', 'flagged_account_days_count',
    'flagged_accounts_count', 'critical_flagged_account_days_count', 'missing_accounts_count',
    'accounts_expected_count',
] %}
{%- set week_columns = [
    'iso_year', 'iso_week', 'iso_year_week', 'week_start_date', 'week_end_date', 'is_complete_week'
] %}

with

unit_platform_weeks as (
    select * from {{ ref('rpt_scorecard_unit_platform_weekly') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

nation as (
    select coalesce(min(unit_code) filter (where unit_level = 'national'), 'national') as unit_code
    from units
),

province_members as (
    select
        (select nation.unit_code from nation) as league_unit_code,
        'province' as league_level,
        unit_platform_weeks.province_unit_code as unit_code,
        {{ week_columns | join(', ') }},
        {%- for column in summed %}
            sum({{ column }})::bigint as {{ column }},
        {%- endfor %}
        count(distinct unit_platform_weeks.unit_code) as units_count
    from unit_platform_weeks
    where unit_platform_weeks.province_unit_code is not null
    group by unit_platform_weeks.province_unit_code, {{ week_columns | join(', ') }}
),

regency_members as (
    select
        province_unit_code as league_unit_code,
        'regency' as league_level,
        unit_code,
        {{ week_columns | join(', ') }},
        {%- for column in summed %}
            sum({{ column }})::bigint as {{ column }},
        {%- endfor %}
        1 as units_count
    from unit_platform_weeks
    where unit_level = 'regency' and province_unit_code is not null
    group by province_unit_code, unit_code, {{ week_columns | join(', ') }}
),

members as (
    select * from province_members
    union all
    select * from regency_members
),

rated as (
    select
        *,
        {{ safe_divide('follower_growth_count', 'growth_base_followers_count') }} as follower_growth_rate,
        {{ safe_divide('clean_follower_growth_count', 'growth_base_followers_count') }}
            as clean_follower_growth_rate,
        {{ safe_divide('rated_engagements_count', 'rated_followers_count') }} as engagement_rate,
        {{ safe_divide('clean_rated_engagements_count', 'clean_rated_followers_count') }}
            as clean_engagement_rate,
        {{ safe_divide('posting_days_credited_count', 'posting_target_days_count') }}
            as posting_compliance_rate,
        {{ safe_divide(
            'account_days_expected_count - missing_account_days_count', 'account_days_expected_count'
        ) }} as completeness_rate,
        count(*) over league_week as league_members_count
    from members
    window league_week as (partition by league_unit_code, iso_year, iso_week)
),

-- Share of the league beaten (ties count half); a unit without the figure beats nobody.
scored as (
    select
        *,
        {%- for component in ['clean_follower_growth_rate', 'clean_engagement_rate'] %}
            case
                when {{ component }} is not null
                    then coalesce(
                            (
                                rank()
                                    over (
                                        partition by league_unit_code, iso_year, iso_week
                                        order by {{ component }} asc nulls first
                                    )
                                - 1
                                + (
                                    count(*) over (
                                        partition by league_unit_code, iso_year, iso_week, {{ component }}
                                    ) - 1
                                )
                                / 2
                            )
                            / nullif(league_members_count - 1, 0),
                            0.5
                        )
                else 0
            end as {{ 'growth' if 'growth' in component else 'engagement' }}_score,
        {%- endfor %}
        coalesce(completeness_rate, 0) as completeness_score,
        posting_compliance_rate as posting_score
    from rated
),

composite as (
    select
        * replace (
            case when is_complete_week then growth_score end as growth_score,
            case when is_complete_week then engagement_score end as engagement_score,
            case when is_complete_week then completeness_score end as completeness_score,
            case when is_complete_week then posting_score end as posting_score
        ),
        case
            when is_complete_week
                then round(
                        100 * (
                            {{ weights.growth }} * growth_score
                            + {{ weights.engagement }} * engagement_score
                            + {{ weights.completeness }} * completeness_score
                            + coalesce({{ weights.posting }} * posting_score, 0)
                        )
                        / (
                            {{ weights.growth }} + {{ weights.engagement }} + {{ weights.completeness }}
                            + case when posting_score is null then 0 else {{ weights.posting }} end
                        ),
                        1
                    )
        end as composite_score
    from scored
),

ranked as (
    select
        *,
        {%- for rank_column, value_column in [
            ('composite_rank', 'composite_score'),
            ('growth_rank', 'clean_follower_growth_rate'),
            ('engagement_rank', 'clean_engagement_rate'),
            ('posting_rank', 'posting_compliance_rate'),
            ('completeness_rank', 'completeness_rate'),
        ] %}
        case
            when is_complete_week
                then rank() over (
                        partition by league_unit_code, iso_year, iso_week
                        order by {{ value_column }} desc nulls last
                        )
        end as {{ rank_column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from composite
),

with_history as (
    select
        ranked.*,
        list(ranked.composite_score) over recent_weeks as composite_score_trend,
        list(ranked.iso_year_week) over recent_weeks as trend_iso_year_weeks
    from ranked
    window recent_weeks as (
        partition by ranked.league_unit_code, ranked.unit_code
        order by ranked.week_start_date
        range between interval 21 day preceding and current row
    )
),

with_last_week as (
    {{ with_previous_period(
        'with_history', ['league_unit_code', 'unit_code'], 'week_start_date', 'interval 7 day',
        ['composite_rank', 'composite_score'], 'previous_week'
    ) }}
),

final as (
    select
        with_last_week.league_unit_code,
        with_last_week.league_level,
        with_last_week.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        with_last_week.* exclude (league_unit_code, league_level, unit_code),  -- noqa: RF02
        {{ weights.growth }} as growth_weight,
        {{ weights.engagement }} as engagement_weight,
        {{ weights.posting }} as posting_weight,
        {{ weights.completeness }} as completeness_weight,
        with_last_week.previous_week_composite_rank - with_last_week.composite_rank as rank_change_count,
        round(with_last_week.composite_score - with_last_week.previous_week_composite_score, 1)
            as composite_score_change
    from with_last_week
    left join units
        on with_last_week.unit_code = units.unit_code
)

select * from final
