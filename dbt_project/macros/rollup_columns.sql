{#
    Aggregates of account-day (or account-week) rows shared by every rollup. Counts are summed (as BIGINT);
    ratios are never summed or averaged: each rollup keeps the numerator and denominator it needs and
    recomputes the rate from those sums.
      - rated_* : engagements and follower-days (followers x reporting_period_days) of the rows reporting
        both, so an account without engagement figures (X, YouTube) does not dilute the engagement rate, and
        a weekly manual report (a week's engagements on one row) counts its followers for the seven days its
        engagements cover: the rate stays a daily rate, never a 7x spike;
      - growth_base_followers_count: the previous follower count of the rows that have a growth figure.
#}
{% macro metric_sum_columns(except=[]) -%}
    {%- for column in rollup_sum_column_names() if column not in except %}
    sum({{ column }})::bigint as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- Accounts expected (active in the registry) and reporting on a day (int_account_days_expected rows). -#}
{% macro daily_account_count_columns() -%}
    count(*) filter (where is_expected) as accounts_expected_count,
    count(*) filter (where is_reported) as accounts_reporting_count,
    count(*) filter (where collection_method = 'manual') as accounts_reporting_manual_count,
    count(*) filter (where reporting_period_days = 7) as weekly_report_accounts_count
{%- endmacro %}


{#- Accounts and account-days expected and reporting in a period, from fct_account_weekly rows. -#}
{% macro weekly_account_count_columns() -%}
    count(*) filter (where days_expected_count > 0) as accounts_expected_count,
    count(*) filter (where days_reported_count > 0) as accounts_reporting_count,
    sum(days_expected_count)::bigint as account_days_expected_count,
    sum(days_reported_count)::bigint as account_days_reported_count,
    sum(days_reported_manual_count)::bigint as account_days_reported_manual_count,
    count(*) filter (where weekly_reports_count > 0) as weekly_report_accounts_count
{%- endmacro %}


{#- Summed columns: counts stay BIGINT (DuckDB sums BIGINT into HUGEINT, which pandas reads as float64). -#}
{% macro rollup_sum_column_names() -%}
    {{ return([
        'followers_count', 'follower_growth_count', 'growth_base_followers_count', 'new_posts_count',
        'views_count', 'reach_count', 'likes_count', 'comments_count', 'shares_count', 'saves_count',
        'engagements_count', 'rated_engagements_count', 'rated_followers_count'
    ]) }}
{%- endmacro %}


{#-
    Per-row inputs of metric_sum_columns() for an account-day row of fct_account_daily (`relation`: its alias
    when the query joins other relations).
-#}
{% macro account_day_rollup_inputs(relation=none) -%}
    {%- set r = relation ~ '.' if relation else '' -%}
    {{ r }}followers_count,
    {{ r }}follower_growth_count,
    case when {{ r }}follower_growth_count is not null then {{ r }}previous_followers_count end
        as growth_base_followers_count,
    {{ r }}new_posts_count,
    {{ r }}views_count,
    {{ r }}reach_count,
    {{ r }}likes_count,
    {{ r }}comments_count,
    {{ r }}shares_count,
    {{ r }}saves_count,
    {{ r }}engagements_count,
    case when {{ r }}followers_count is not null then {{ r }}engagements_count end as rated_engagements_count,
    case when {{ r }}engagements_count is not null then {{ r }}followers_count * {{ r }}reporting_period_days end
        as rated_followers_count
{%- endmacro %}


{#
    The rows every rollup starts from: the shared expected-vs-reported account-days
    (int_account_days_expected: keys and flags) of the days the model rebuilds, with the inputs of
    metric_sum_columns() from fct_account_daily (null where nothing was reported).
#}
{% macro expected_account_day_rollup_rows(rebuild_from) -%}
    {%- set expected_relation = 'expected_account_days' -%}
    {%- set facts_relation = 'account_days' -%}
    with

    expected_account_days as (
        select * from {{ ref('int_account_days_expected') }}
        where {{ incremental_window('metric_date', rebuild_from) }}
    ),

    account_days as (
        select * from {{ ref('fct_account_daily') }}
        where {{ incremental_window('metric_date', rebuild_from) }}
    )

    select
        {{ expected_relation }}.*,
        {{ account_day_rollup_inputs(facts_relation) }}
    from {{ expected_relation }}
    left join {{ facts_relation }}
        on
            {{ expected_relation }}.account_id = {{ facts_relation }}.account_id
            and {{ expected_relation }}.metric_date = {{ facts_relation }}.metric_date
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
