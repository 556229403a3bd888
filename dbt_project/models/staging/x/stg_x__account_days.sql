-- X account-days in the conformed schema. public_metrics are lifetime snapshots: new posts are derived
-- downstream from the tweet_count delta. like_count counts posts the account liked (given, not received),
-- so it is not a likes metric, and public_metrics carry no daily engagement: engagements stay null.
with

raw_account_days as (
    select * from {{ lake_rows('x', 'account_daily') }}
),

conformed as (
    select
        account_id,
        'x' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        followers_count::bigint as followers_count,
        following_count::bigint as following_count,
        tweet_count::bigint as posts_total_count,
        null::bigint as new_posts_count,
        null::bigint as views_count,
        null::bigint as reach_count,
        null::bigint as likes_count,
        null::bigint as comments_count,
        null::bigint as shares_count,
        null::bigint as saves_count,
        null::bigint as engagements_count,
        null::bigint as views_lifetime_count,
        null::bigint as likes_lifetime_count,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
