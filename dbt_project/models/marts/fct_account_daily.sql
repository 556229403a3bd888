{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='metric_date',
        on_schema_change='append_new_columns'
    )
}}
-- One row per account and metric_date: the day's snapshot and activity with growth and rates.
-- reporting_period_days is 7 on a weekly manual report (the week's activity on its Sunday; see
-- int_account_days_enriched for what its daily figures and rates mean), 1 otherwise.
-- Incremental: each run deletes and re-inserts whole metric_dates from the earliest of
--   (a) the newest loaded metric_date minus var account_daily_lookback_days,
--   (b) the earliest metric_date among rows fetched after the newest fetched_at already loaded
--       (late manual reports, backfills), and
--   (c) the earliest loaded metric_date without reporting_period_days (all of them when a table built before
--       the column existed gets it now through on_schema_change), so such a table is filled in one run,
-- through the end, so the deltas of every later observation are recomputed too. Deltas and growth come from
-- int_account_days_enriched, which windows over the full history, so the rebuilt days never lose their
-- previous observation. A full refresh rebuilds everything.
{%- set has_reporting_period = is_incremental()
    and 'reporting_period_days' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) %}

with

enriched as (
    select * from {{ ref('int_account_days_enriched') }}
),

{% if is_incremental() %}
    loaded as (
        select
            max(metric_date) as max_metric_date,
            max(fetched_at) as max_fetched_at,
            {% if has_reporting_period -%}
                min(metric_date) filter (where reporting_period_days is null)
            {%- else -%}
                min(metric_date)
            {%- endif %} as first_unflagged_metric_date
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
                late_rows.first_late_metric_date,
                loaded.first_unflagged_metric_date
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
        enriched.reporting_period_days,
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
