-- One row per account-day and metric with the account's own baseline that day, from its own previous
-- dq_baseline_days days only (so a day is judged before it is known how the following days went, and a
-- daily run recomputes only its window):
-- - engagements_count, views_count (the audience): `own_level_log`, the median of ln(1 + per-day value), and
--   `deviation_log`, today's distance from it; likewise the account's posting activity (ln(0.25 + activity):
--   `activity_deviation_log` says how much more or less than usual it posted in the last days, which
--   dq_peer_movements weighs by how much posting moved everyone's audience that day).
-- - new_posts_count (posting): posts per day (a stale day, nothing changed, counts 0), `usual_per_day` the
--   mean over the same days.
-- `own_mad_log` is the MAD of the log audience over the same days (the spread until enough peer-adjusted days
-- exist to measure it on those). A baseline needs dq_baseline_min_days observed days (four weekly manual
-- reports, whose posting is not compared day by day).
-- A table: its windows are bounded (dq_baseline_days before each day), but it reads dq_account_day_signals,
-- a table (an incremental model follows only its incremental parents' changes).
{%- set baseline_days = var('dq_baseline_days') %}

with

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

metric_days as (
    {%- set audience_metrics = [
        ('engagements_count', 'engagements_per_day'), ('views_count', 'views_per_day')
    ] %}
    {%- for metric, value in audience_metrics %}
        select
            account_id,
            metric_date,
            platform,
            peer_group,
            collection_method,
            reporting_period_days,
            '{{ metric }}' as metric,
            {{ value }} as value_per_day,
            posting_activity
        from signals
        where {{ value }} is not null and posting_activity is not null
        union all
    {%- endfor %}
    select
        account_id,
        metric_date,
        platform,
        peer_group,
        collection_method,
        reporting_period_days,
        'new_posts_count' as metric,
        case when is_stale and not is_frozen then 0 else new_posts_per_day end as value_per_day,
        null as posting_activity
    from signals
    where new_posts_per_day is not null or (is_stale and not is_frozen)
),

logged as (
    select
        *,
        ln(1 + value_per_day) as log_value,
        ln(0.25 + posting_activity) as log_activity
    from metric_days
),

baselines as (
    select
        *,
        median(log_value) over own_history as own_level_log,
        mad(log_value) over own_history as own_mad_log,
        median(log_activity) over own_history as own_activity_log,
        avg(value_per_day) over own_history as usual_per_day,
        count(*) over own_history as baseline_days_count
    from logged
    window own_history as (
        partition by account_id, metric order by metric_date
        range between interval {{ baseline_days }} days preceding and interval 1 days preceding
    )
),

final as (
    select
        account_id,
        metric_date,
        platform,
        peer_group,
        collection_method,
        reporting_period_days,
        metric,
        value_per_day,
        posting_activity,
        log_value,
        own_level_log,
        own_mad_log,
        case when metric <> 'new_posts_count' then log_value - own_level_log end as deviation_log,
        case
            when metric <> 'new_posts_count' and reporting_period_days = 1
                then log_activity - own_activity_log
            when metric <> 'new_posts_count' then 0
        end as activity_deviation_log,
        case when metric = 'new_posts_count' then usual_per_day end as usual_per_day,
        baseline_days_count,
        baseline_days_count >= case
            when reporting_period_days = 7 then 4 else {{ var('dq_baseline_min_days') }}
        end as has_baseline
    from baselines
)

select * from final
