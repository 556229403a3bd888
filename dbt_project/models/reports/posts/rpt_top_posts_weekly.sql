-- The posts that carried each ISO week (of publication): the 10 with the most engagements per platform
-- nationally, and each unit's best 3 per platform. Figures at the latest observation (settled once the post's
-- observation window has passed). Engagements are comparable within a platform only, hence per platform.
with

posts as (
    select * from {{ ref('dim_posts') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

ranked as (
    select
        *,
        date_trunc('week', published_date)::date as week_start_date,
        row_number() over (
            partition by platform, date_trunc('week', published_date)
            order by engagements_count desc nulls last, views_count desc nulls last, post_key asc
        ) as platform_rank,
        row_number() over (
            partition by unit_code, platform, date_trunc('week', published_date)
            order by engagements_count desc nulls last, views_count desc nulls last, post_key asc
        ) as unit_rank
    from posts
),

final as (
    select
        ranked.week_start_date,
        strftime(ranked.week_start_date, '%G-W%V') as iso_year_week,
        ranked.platform,
        ranked.post_key,
        ranked.post_id,
        ranked.unit_code,
        units.unit_name,
        units.unit_level,
        ranked.account_id,
        ranked.published_at,
        ranked.content_type,
        ranked.views_count,
        ranked.engagements_count,
        ranked.platform_rank,
        ranked.unit_rank,
        ranked.platform_rank <= 10 as is_national_top
    from ranked
    left join units on ranked.unit_code = units.unit_code
    where ranked.platform_rank <= 10 or ranked.unit_rank <= 3
)

select * from final
