-- One row per scope (national, province), platform, ISO week of publication and content type: what the
-- scope's units published that week, for the scorecard's content-mix section. Shares and per-post figures are
-- recomputed from the scope's sums (never averaged over units).
with

content_mix as (
    select
        unit_code,
        platform,
        week_start_date,
        iso_year_week,
        content_type,
        posts_count,
        engagements_count,
        posts_with_engagements_count
    from {{ ref('rpt_content_mix_weekly') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

scoped as (
    {{ with_geographic_scopes('content_mix', 'units') }}
),

scope_sums as (
    select
        scope_type,
        scope_unit_code,
        scope_name,
        platform,
        week_start_date,
        iso_year_week,
        content_type,
        sum(posts_count)::bigint as posts_count,
        sum(engagements_count)::bigint as engagements_count,
        sum(posts_with_engagements_count)::bigint as posts_with_engagements_count
    from scoped
    group by all
),

final as (
    select
        *,
        {{ safe_divide('posts_count',
            'sum(posts_count) over (partition by scope_unit_code, platform, week_start_date)') }}
            as posts_share_rate,
        {{ safe_divide('engagements_count', 'posts_with_engagements_count') }} as engagements_per_post_rate
    from scope_sums
)

select * from final
