{#
    Aggregates of account-day (or account-week) rows shared by every rollup. Counts are summed; ratios are
    never summed or averaged: each rollup keeps the numerator and denominator it needs and recomputes the
    rate from those sums.
      - rated_* : engagements and follower-days (followers x reporting_period_days) of the rows reporting
        both, so an account without engagement figures (X, YouTube) does not dilute the engagement rate, and
        a weekly manual report (a week's engagements on one row) counts its followers for the seven days its
        engagements cover: the rate stays a daily rate, never a 7x spike;
      - growth_base_followers_count: the previous follower count of the rows that have a growth figure.
#}
{% macro metric_sum_columns() -%}
    sum(followers_count) as followers_count,
    sum(follower_growth_count) as follower_growth_count,
    sum(growth_base_followers_count) as growth_base_followers_count,
    sum(new_posts_count) as new_posts_count,
    sum(views_count) as views_count,
    sum(reach_count) as reach_count,
    sum(likes_count) as likes_count,
    sum(comments_count) as comments_count,
    sum(shares_count) as shares_count,
    sum(saves_count) as saves_count,
    sum(engagements_count) as engagements_count,
    sum(rated_engagements_count) as rated_engagements_count,
    sum(rated_followers_count) as rated_followers_count
{%- endmacro %}


{#- Per-row inputs of metric_sum_columns() for an account-day row of fct_account_daily. -#}
{% macro account_day_rollup_inputs() -%}
    followers_count,
    follower_growth_count,
    case when follower_growth_count is not null then previous_followers_count end
        as growth_base_followers_count,
    new_posts_count,
    views_count,
    reach_count,
    likes_count,
    comments_count,
    shares_count,
    saves_count,
    engagements_count,
    case when followers_count is not null then engagements_count end as rated_engagements_count,
    case when engagements_count is not null then followers_count * reporting_period_days end
        as rated_followers_count
{%- endmacro %}


{#- The two rates, recomputed from the sums above. -#}
{% macro rollup_rate_columns() -%}
    {{ safe_divide('follower_growth_count', 'growth_base_followers_count') }} as follower_growth_rate,
    {{ safe_divide('rated_engagements_count', 'rated_followers_count') }} as engagement_rate
{%- endmacro %}


{#
    Repeats each row of `rows_relation` (which carries unit_code) once for the national scope and once for its
    province (regency and province units; the national unit has no province), adding scope_type,
    scope_unit_code and scope_name. `units_relation` is dim_units or a CTE over it.
#}
{% macro with_geographic_scopes(rows_relation, units_relation) -%}
    select
        'national' as scope_type,
        national.scope_unit_code,
        national.scope_name,
        scoped_rows.*
    from {{ rows_relation }} as scoped_rows
    cross join (
        select
            coalesce(min(unit_code) filter (where unit_level = 'national'), 'national') as scope_unit_code,
            coalesce(min(unit_name) filter (where unit_level = 'national'), 'National') as scope_name
        from {{ units_relation }}
    ) as national
    union all
    select
        'province' as scope_type,
        scope_units.province_unit_code as scope_unit_code,
        scope_units.province_name as scope_name,
        scoped_rows.*
    from {{ rows_relation }} as scoped_rows
    inner join {{ units_relation }} as scope_units
        on scoped_rows.unit_code = scope_units.unit_code
    where scope_units.province_unit_code is not null
{%- endmacro %}
