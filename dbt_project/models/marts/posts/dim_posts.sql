-- One row per post ever observed: what it is (platform, account, unit, when it went out, content type) and
-- its figures at the latest observation (the "settled" lifetime values once its observation window ends).
with

daily as (
    select * from {{ ref('fct_post_daily') }}
),

observed as (
    select
        post_key,
        min(metric_date) as first_observed_date,
        max(metric_date) as last_observed_date,
        count(*) as observations_count
    from daily
    group by post_key
),

latest as (
    select * from daily
    where is_latest_observation
),

posts as (
    select * from {{ ref('stg_platforms__posts') }}
    qualify row_number() over (partition by post_key order by metric_date desc) = 1
),

final as (
    select
        latest.post_key,
        latest.platform,
        latest.post_id,
        latest.account_id,
        latest.unit_code,
        posts.published_at,
        latest.published_date,
        latest.content_type,
        posts.native_type,
        posts.duration_s,
        observed.first_observed_date,
        observed.last_observed_date,
        observed.observations_count,
        latest.age_days as last_observed_age_days,
        latest.views_count,
        latest.reach_count,
        latest.likes_count,
        latest.comments_count,
        latest.shares_count,
        latest.saves_count,
        latest.engagements_count
    from latest
    inner join observed on latest.post_key = observed.post_key
    inner join posts on latest.post_key = posts.post_key
)

select * from final
