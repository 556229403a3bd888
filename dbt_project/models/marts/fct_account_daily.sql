-- One row per account and metric_date: the day's snapshot and activity in the conformed metrics, with what
-- the warehouse derives from the account's previous observation. Follower growth is measured against the
-- last known follower count even across gaps; daily values come from lifetime-counter deltas where a
-- platform gives only totals (the delta rule: macros/counter_delta.sql); engagements are derived from their
-- parts; rates are the day's. A delta that spans a gap is attributed to the observed day
-- (days_since_previous_observation tells how many days it covers), so weekly and monthly sums stay
-- complete. A weekly manual report (reporting_period_days = 7) keeps its week's activity whole on the Sunday
-- it lands on; its engagement rate is per follower-day (engagements / (followers x 7)), the same daily rate a
-- daily row gives, so it never shows as a 7x spike.
-- Incremental: rebuilds from the earliest changed day to the end (a change moves the next observation's
-- deltas); each account's last row before those days seeds the comparisons, so the history is never re-read.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='metric_date') }}
{%- set rebuild_from = incremental_rebuild_from() %}

with

account_days as (
    select
        *,
        false as is_seed
    from {{ ref('int_account_days_unioned') }}
    where {{ incremental_window('metric_date', rebuild_from) }}
),

{% if rebuild_from and rebuild_from < '9999' %}
    {%- set recent_from = "'" ~ rebuild_from ~ "'::date - " ~ var('previous_observation_scan_days') %}
    {%- set unseeded = accounts_without_recent_rows(ref('int_account_days_unioned'), rebuild_from, recent_from) %}
    -- The last observation of each account before the rebuilt days, as the row its lags compare with: its own
    -- lifetime counters and the last follower count known on it. Only the recent days are read, and the older
    -- history of the (few) accounts silent all that time.
    previous_observations as (
        select
            account_id,
            max(metric_date) as metric_date,
            arg_max(coalesce(followers_count, previous_followers_count), metric_date) as followers_count,
            arg_max(posts_total_count, metric_date) as posts_total_count,
            arg_max(views_lifetime_count, metric_date) as views_lifetime_count,
            arg_max(likes_lifetime_count, metric_date) as likes_lifetime_count,
            true as is_seed
        from {{ this }}
        where
            metric_date < '{{ rebuild_from }}'::date
            and (
                metric_date >= {{ recent_from }}
                {%- if unseeded is none %} or true
                {%- elif unseeded %} or account_id in ({{ unseeded }})
                {%- endif %}
            )
        group by account_id
    ),

    observations as (
        select * from account_days
        union all by name
        select * from previous_observations
    ),
{% else %}
    observations as (
        select * from account_days
    ),
{% endif %}

with_previous as (
    select
        *,
        lag(metric_date) over account_history as previous_metric_date,
        -- Followers are a snapshot: compare with the last known value, skipping rows without one.
        lag(followers_count ignore nulls) over account_history as previous_followers_count,
        -- Lifetime counters compare with the immediately previous row only: skipping a manual row that
        -- reported the daily figure itself would count that day twice.
        lag(posts_total_count) over account_history as previous_posts_total_count,
        lag(views_lifetime_count) over account_history as previous_views_lifetime_count,
        lag(likes_lifetime_count) over account_history as previous_likes_lifetime_count
    from observations
    window account_history as (partition by account_id order by metric_date)
),

derived as (
    select
        * replace (
            coalesce(
                new_posts_count, {{ counter_delta('posts_total_count', 'previous_posts_total_count') }}
            ) as new_posts_count,
            coalesce(
                views_count, {{ counter_delta('views_lifetime_count', 'previous_views_lifetime_count') }}
            ) as views_count,
            coalesce(
                likes_count, {{ counter_delta('likes_lifetime_count', 'previous_likes_lifetime_count') }}
            ) as likes_count
        ),
        metric_date - previous_metric_date as days_since_previous_observation,
        {{ audience_change('followers_count', 'previous_followers_count') }} as follower_growth_count
    from with_previous
    where not is_seed
),

with_engagements as (
    select
        * replace (
            -- A platform's own engagement figure (Facebook) is kept; otherwise the sum of the parts that
            -- exist, and null when none does (X, YouTube).
            coalesce(
                engagements_count,
                case
                    when coalesce(likes_count, comments_count, shares_count, saves_count) is not null
                        then
                            coalesce(likes_count, 0) + coalesce(comments_count, 0)
                            + coalesce(shares_count, 0) + coalesce(saves_count, 0)
                end
            ) as engagements_count
        )
    from derived
),

final as (
    select
        {% for column in account_day_columns() %}
            {{ column }},
        {% endfor %}
        has_api_data,
        has_manual_report,
        report_file,
        previous_metric_date,
        days_since_previous_observation,
        previous_followers_count,
        follower_growth_count,
        {{ safe_divide('follower_growth_count', 'previous_followers_count') }} as follower_growth_rate,
        {{ safe_divide('engagements_count', 'followers_count * reporting_period_days') }} as engagement_rate
    from with_engagements
)

select * from final
