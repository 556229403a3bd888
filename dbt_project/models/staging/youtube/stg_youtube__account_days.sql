-- YouTube channel-days in the conformed schema. channels.list statistics are lifetime counters only:
-- daily views and new videos are derived downstream from the deltas of view_count and video_count.
-- Subscribers are null when the channel hides them. No likes/comments at channel level: no engagements.
with

raw_account_days as (
    select * from {{ lake_rows('youtube', 'account_daily') }}
),

conformed as (
    select
        account_id,
        'youtube' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        case when not coalesce(hidden_subscriber_count, false) then subscriber_count::bigint end
            as followers_count,
        null::bigint as following_count,
        video_count::bigint as posts_total_count,
        null::bigint as new_posts_count,
        null::bigint as views_count,
        null::bigint as reach_count,
        null::bigint as likes_count,
        null::bigint as comments_count,
        null::bigint as shares_count,
        null::bigint as saves_count,
        null::bigint as engagements_count,
        view_count::bigint as views_lifetime_count,
        null::bigint as likes_lifetime_count,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
