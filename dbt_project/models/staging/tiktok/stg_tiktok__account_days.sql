-- TikTok account-days in the conformed schema. user/info gives lifetime counters; likes_count is the lifetime
-- total of likes received, so daily likes are derived downstream from its delta. videos_published (counted
-- from the video list) is the day's new posts.
with

raw_account_days as (
    select * from {{ lake_rows('tiktok', 'account_daily') }}
),

conformed as (
    select
        account_id,
        'tiktok' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        follower_count::bigint as followers_count,
        following_count::bigint as following_count,
        video_count::bigint as posts_total_count,
        videos_published::bigint as new_posts_count,
        null::bigint as views_count,
        null::bigint as reach_count,
        null::bigint as likes_count,
        null::bigint as comments_count,
        null::bigint as shares_count,
        null::bigint as saves_count,
        null::bigint as engagements_count,
        null::bigint as views_lifetime_count,
        likes_count::bigint as likes_lifetime_count,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
