-- Instagram account-days in the conformed schema. Insight metrics are already daily totals; media_count is
-- lifetime (new posts are derived from its delta downstream); engagements are summed downstream from likes,
-- comments, shares and saves (total_interactions also counts replies, so it is not used).
with

raw_account_days as (
    select * from {{ lake_rows('instagram', 'account_daily') }}
),

conformed as (
    select
        account_id,
        'instagram' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        followers_count::bigint as followers_count,
        follows_count::bigint as following_count,
        media_count::bigint as posts_total_count,
        null::bigint as new_posts_count,
        views::bigint as views_count,
        reach::bigint as reach_count,
        likes::bigint as likes_count,
        comments::bigint as comments_count,
        shares::bigint as shares_count,
        saves::bigint as saves_count,
        null::bigint as engagements_count,
        null::bigint as views_lifetime_count,
        null::bigint as likes_lifetime_count,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
