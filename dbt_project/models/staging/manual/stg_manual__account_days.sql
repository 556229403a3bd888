-- Manual regional reports in the conformed schema (the report template already uses conformed names).
-- Reported views/likes/... are the figures of the row's period: the day, or for a weekly report (one row on
-- the week's Sunday, reporting_period_days = 7) the whole week. Files written before reporting_period_days
-- existed have it null, read as 1 (a weekly report taken in before then cannot be told from a daily row).
with

raw_account_days as (
    select * from {{ lake_rows('manual', 'account_daily') }}
),

conformed as (
    select
        account_id,
        lower(trim(platform)) as platform,
        unit_code,
        metric_date,
        coalesce(reporting_period_days, 1)::integer as reporting_period_days,
        'manual' as collection_method,
        source,
        fetched_at,
        run_id,
        followers_count::bigint as followers_count,
        following_count::bigint as following_count,
        posts_total_count::bigint as posts_total_count,
        new_posts_count::bigint as new_posts_count,
        views_count::bigint as views_count,
        reach_count::bigint as reach_count,
        likes_count::bigint as likes_count,
        comments_count::bigint as comments_count,
        shares_count::bigint as shares_count,
        saves_count::bigint as saves_count,
        null::bigint as engagements_count,
        null::bigint as views_lifetime_count,
        null::bigint as likes_lifetime_count,
        report_file,
        file_sha256,
        {{ lake_file_columns() }}
    from raw_account_days
)

select * from conformed
