-- Facebook Page account-days in the conformed schema. page_follows replaces the removed page_fans,
-- page_media_view replaces page_impressions, and the Page's own engagement figure (page_post_engagements:
-- reactions, comments, shares and clicks) is the engagements count; no per-type breakdown is fetched.
with

raw_account_days as (
    select * from {{ lake_rows('facebook', 'account_daily') }}
),

conformed as (
    select
        account_id,
        'facebook' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        page_follows::bigint as followers_count,
        null::bigint as following_count,
        null::bigint as posts_total_count,
        posts_published::bigint as new_posts_count,
        page_media_view::bigint as views_count,
        page_posts_impressions_unique::bigint as reach_count,
        null::bigint as likes_count,
        null::bigint as comments_count,
        null::bigint as shares_count,
        null::bigint as saves_count,
        page_post_engagements::bigint as engagements_count,
        null::bigint as views_lifetime_count,
        null::bigint as likes_lifetime_count,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
