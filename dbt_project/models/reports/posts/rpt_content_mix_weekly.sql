-- One row per unit, platform, ISO week of publication and content type: how many posts of the type went out,
-- their share of the unit's posts on the platform that week, and how they performed at their latest
-- observation (views and engagements per post; engagement rate per post = engagements per post / the
-- account's followers at the end of the week). Rates are recomputed from sums, never averaged.
with

posts as (
    select * from {{ ref('dim_posts') }}
),

account_days as (
    select * from {{ ref('fct_account_daily') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

post_weeks as (
    select
        *,
        date_trunc('week', published_date)::date as week_start_date
    from posts
),

followers_at_week_end as (
    select
        account_id,
        date_trunc('week', metric_date)::date as week_start_date,
        arg_max(followers_count, metric_date) as followers_count
    from account_days
    where followers_count is not null
    group by account_id, date_trunc('week', metric_date)::date
),

by_type as (
    select
        post_weeks.unit_code,
        post_weeks.platform,
        post_weeks.week_start_date,
        post_weeks.content_type,
        count(*) as posts_count,
        sum(post_weeks.views_count)::bigint as views_count,
        sum(post_weeks.engagements_count)::bigint as engagements_count,
        count(post_weeks.engagements_count) as posts_with_engagements_count,
        sum(followers_at_week_end.followers_count)::bigint as followers_posts_count
    from post_weeks
    left join followers_at_week_end
        on
            post_weeks.account_id = followers_at_week_end.account_id
            and post_weeks.week_start_date = followers_at_week_end.week_start_date
    group by all
),

final as (
    select
        by_type.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        by_type.platform,
        by_type.week_start_date,
        strftime(by_type.week_start_date, '%G-W%V') as iso_year_week,
        by_type.content_type,
        by_type.posts_count,
        {{ safe_divide('by_type.posts_count',
            'sum(by_type.posts_count) over (partition by by_type.unit_code, by_type.platform, by_type.week_start_date)')
        }} as posts_share_rate,
        by_type.views_count,
        by_type.engagements_count,
        by_type.posts_with_engagements_count,
        by_type.followers_posts_count,
        {{ safe_divide('by_type.views_count', 'by_type.posts_count') }} as views_per_post_rate,
        {{ safe_divide('by_type.engagements_count', 'by_type.posts_with_engagements_count') }}
            as engagements_per_post_rate,
        -- sum over posts of engagements / sum over posts of followers: engagement rate per post
        {{ safe_divide('by_type.engagements_count', 'by_type.followers_posts_count') }} as engagement_rate
    from by_type
    left join units on by_type.unit_code = units.unit_code
)

select * from final
