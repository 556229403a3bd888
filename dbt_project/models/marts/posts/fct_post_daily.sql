-- One row per post and observed day: the post's lifetime figures as they stood that day (they grow, then
-- settle) and the day's growth against the previous observation. engagements_count = likes + comments +
-- shares + saves over the metrics the platform gives (an absent metric adds nothing; all absent: null).
with

observations as (
    select * from {{ ref('stg_platforms__posts') }}
),

with_engagements as (
    select
        *,
        case
            when coalesce(likes_count, comments_count, shares_count, saves_count) is not null
                then
                    coalesce(likes_count, 0)
                    + coalesce(comments_count, 0)
                    + coalesce(shares_count, 0)
                    + coalesce(saves_count, 0)
        end as engagements_count
    from observations
),

final as (
    select
        post_key,
        metric_date,
        platform,
        post_id,
        account_id,
        unit_code,
        published_date,
        age_days,
        content_type,
        views_count,
        reach_count,
        likes_count,
        comments_count,
        shares_count,
        saves_count,
        engagements_count,
        -- growth since the previous observation (null on the first one, or after a gap)
        views_count - lag(views_count) over by_post as views_growth_count,
        engagements_count - lag(engagements_count) over by_post as engagements_growth_count,
        metric_date = max(metric_date) over (partition by post_key) as is_latest_observation
    from with_engagements
    window by_post as (partition by post_key order by metric_date)
)

select * from final
