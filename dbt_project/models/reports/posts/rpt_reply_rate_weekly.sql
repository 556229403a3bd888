-- Responsiveness per ISO week (of the comment): reply rate = comments the account answered / comments, and
-- the median minutes to the first answer (answered comments only), per scope = a unit and every unit below
-- it: a regency alone, a province with its regencies, the national unit with everyone. Medians are taken
-- over the comments of the scope, never averaged from lower levels. Platform 'all' pools the platforms that
-- expose replies (Instagram, Facebook Pages, YouTube); X and TikTok are not measured (post_metric_catalogue
-- says why).
with

responses as (
    select * from {{ ref('fct_comment_responses') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

comments as (
    select
        responses.*,
        date_trunc('week', responses.commented_date)::date as week_start_date,
        units.unit_level,
        units.province_unit_code
    from responses
    left join units on responses.unit_code = units.unit_code
),

national_unit as (
    select unit_code from units
    where unit_level = 'national'
),

scoped as (
    -- each comment counts for its own unit, its province (when the unit is a regency) and the nation
    select
        unit_code as scope_unit_code,
        unit_level as scope_level,
        *
    from comments
    union all
    select
        province_unit_code as scope_unit_code,
        'province' as scope_level,
        *
    from comments
    where unit_level = 'regency' and province_unit_code is not null
    union all
    select
        national_unit.unit_code as scope_unit_code,
        'national' as scope_level,
        comments.*
    from comments
    cross join national_unit
    where comments.unit_level != 'national'
),

by_platform as (
    select
        scope_unit_code,
        scope_level,
        platform,
        week_start_date,
        count(*) as comments_count,
        count(*) filter (where has_account_reply) as answered_comments_count,
        median(first_reply_minutes) as median_first_reply_minutes
    from scoped
    group by grouping sets (
        (scope_unit_code, scope_level, platform, week_start_date),
        (scope_unit_code, scope_level, week_start_date)
    )
),

final as (
    select
        by_platform.scope_unit_code,
        by_platform.scope_level,
        units.unit_name as scope_unit_name,
        coalesce(by_platform.platform, 'all') as platform,
        by_platform.week_start_date,
        strftime(by_platform.week_start_date, '%G-W%V') as iso_year_week,
        by_platform.comments_count,
        by_platform.answered_comments_count,
        {{ safe_divide('by_platform.answered_comments_count', 'by_platform.comments_count') }} as reply_rate,
        by_platform.median_first_reply_minutes
    from by_platform
    left join units on by_platform.scope_unit_code = units.unit_code
)

select * from final
