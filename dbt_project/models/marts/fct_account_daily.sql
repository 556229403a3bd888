{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='metric_date',
        on_schema_change='append_new_columns'
    )
}}
-- One row per account and metric_date: the day's snapshot and activity with growth and rates.
-- Incremental: each run deletes and re-inserts whole metric_dates from the earliest of
--   (a) the newest loaded metric_date minus var account_daily_lookback_days, and
--   (b) the earliest metric_date among rows fetched after the newest fetched_at already loaded
--       (late manual reports, backfills),
-- through the end, so the deltas of every later observation are recomputed too. Deltas and growth come from
-- int_account_days_enriched, which windows over the full history, so the rebuilt days never lose their
-- previous observation. A full refresh rebuilds everything.
with

enriched as (
    select * from {{ ref('int_account_days_enriched') }}
),

{% if is_incremental() %}
    loaded as (
        select
            max(metric_date) as max_metric_date,
            max(fetched_at) as max_fetched_at
        from {{ this }}
    ),

    late_rows as (
        select min(enriched.metric_date) as first_late_metric_date
        from enriched
        where enriched.fetched_at > (select loaded.max_fetched_at from loaded)
    ),

    rebuild_window as (
        -- Null when the table is empty: everything is (re)inserted.
        select
            least(
                loaded.max_metric_date - {{ var('account_daily_lookback_days') }}::integer,
                late_rows.first_late_metric_date
            ) as rebuild_from_date
        from loaded
        cross join late_rows
    ),

{% endif %}
final as (
    select
        enriched.account_id,
        enriched.platform,
        enriched.unit_code,
        enriched.metric_date,
        enriched.collection_method,
        enriched.source,
        enriched.fetched_at,
        enriched.run_id,
        enriched.followers_count,
        enriched.following_count,
        enriched.posts_total_count,
        enriched.new_posts_count,
        enriched.views_count,
        enriched.reach_count,
        enriched.likes_count,
        enriched.comments_count,
        enriched.shares_count,
        enriched.saves_count,
        enriched.engagements_count,
        enriched.views_lifetime_count,
        enriched.likes_lifetime_count,
        enriched.previous_metric_date,
        enriched.days_since_previous_observation,
        enriched.previous_followers_count,
        enriched.follower_growth_count,
        enriched.follower_growth_rate,
        enriched.engagement_rate
    from enriched
    {% if is_incremental() %}
        cross join rebuild_window
        where
            rebuild_window.rebuild_from_date is null
            or enriched.metric_date >= rebuild_window.rebuild_from_date
    {% endif %}
)

select * from final
