-- One row per system-wide event: a movement or a fault shared by most accounts of a scope, reported once here
-- and never as per-account anomalies.
-- - activity_drop / activity_surge: the common movement of a scope (dq_peer_movements: the nation, a
-- platform,
--   a province) beyond its usual weekday pattern by at least dq_system_shift_ratio, on consecutive days
--   (one day apart at most), at least dq_system_z standard errors outside noise (shift_z), for the audience
--   (the median account moved; at least dq_system_min_share of the accounts moved that way) or posting.
--   A fasting month, elections, year-end, a national or provincial campaign, a platform redefining a metric.
--   A platform's or province's event inside a national one of the same direction is the national one.
-- - platform_outage: at least dq_outage_share of a platform's API accounts missing on a day for a platform
--   reason (dq_missing_reports.is_platform_wide); the account rows stay in dq_missing_reports.
-- - platform_data_fault: at least dq_system_flag_share of a platform's accounts observed that day carry the
--   same counter flag (a glitch, a duplicated load, frozen data, a follower step): the platform's data, not
--   the accounts (dq_anomalies drops those flags).
with

movements as (
    select * from {{ ref('dq_peer_movements') }}
),

missing as (
    select * from {{ ref('dq_missing_reports') }}
),

candidates as (
    select * from {{ ref('dq_anomaly_candidates') }}
),

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

moved_days as (
    select
        *,
        case when shift_log > 0 then 'activity_surge' else 'activity_drop' end as event_type
    from movements
    where
        has_usual
        and abs(shift_log) >= ln({{ var('dq_system_shift_ratio') }})
        and abs(shift_z) >= {{ var('dq_system_z') }}
        and accounts_count >= {{ var('dq_system_min_accounts') }}
        and (
            metric = 'new_posts_count'
            or greatest(accounts_up_count, accounts_down_count)
            >= {{ var('dq_system_min_share') }} * accounts_count
        )
),

movement_days as (
    select
        event_type,
        scope,
        scope_code,
        metric_date,
        string_agg(distinct metric, ', ' order by metric) as metrics,
        max(accounts_count) as accounts_count,
        max(case when shift_log > 0 then accounts_up_count else accounts_down_count end)
            as accounts_affected_count,
        avg(shift_log) filter (where metric = 'new_posts_count') as posts_shift_log,
        avg(shift_log) filter (where metric <> 'new_posts_count') as audience_shift_log
    from moved_days
    group by event_type, scope, scope_code, metric_date
),

outage_days as (
    select
        'platform_outage' as event_type,
        'platform' as scope,
        platform as scope_code,
        metric_date,
        string_agg(distinct reason_detail, ', ' order by reason_detail) as metrics,
        max(platform_expected_count) as accounts_count,
        count(*) as accounts_affected_count,
        null::double as posts_shift_log,
        null::double as audience_shift_log
    from missing
    where is_platform_wide
    group by platform, metric_date
),

observed_accounts as (
    select
        platform,
        metric_date,
        count(*) as accounts_count
    from signals
    group by platform, metric_date
),

fault_types as (
    select
        candidates.platform,
        candidates.metric_date,
        candidates.anomaly_type,
        count(distinct candidates.account_id) as accounts_affected_count,
        any_value(observed_accounts.accounts_count) as accounts_count
    from candidates
    inner join observed_accounts
        on candidates.platform = observed_accounts.platform
            and candidates.metric_date = observed_accounts.metric_date
    where
        candidates.anomaly_type in (
            'value_glitch', 'duplicated_load', 'frozen', 'follower_jump', 'follower_drop', 'counter_decrease'
        )
    group by candidates.platform, candidates.metric_date, candidates.anomaly_type
    having
        count(distinct candidates.account_id)
        >= {{ var('dq_system_flag_share') }} * any_value(observed_accounts.accounts_count)
        and count(distinct candidates.account_id) >= {{ var('dq_peer_min_accounts') }}
),

fault_days as (
    select
        'platform_data_fault' as event_type,
        'platform' as scope,
        platform as scope_code,
        metric_date,
        string_agg(anomaly_type, ', ' order by anomaly_type) as metrics,
        max(accounts_count) as accounts_count,
        max(accounts_affected_count) as accounts_affected_count,
        null::double as posts_shift_log,
        null::double as audience_shift_log
    from fault_types
    group by platform, metric_date
),

event_days as (
    select * from movement_days
    union all
    select * from outage_days
    union all
    select * from fault_days
),

-- Consecutive days (one day apart at most) of one event type and scope are one event.
episode_starts as (
    select
        *,
        coalesce(
            metric_date - lag(metric_date) over (
                partition by event_type, scope, scope_code order by metric_date
            ) > 2,
            true
        ) as starts_event
    from event_days
),

episodes as (
    select
        *,
        sum(starts_event::integer) over (
            partition by event_type, scope, scope_code order by metric_date
        ) as episode_key
    from episode_starts
),

events as (
    select
        event_type,
        scope,
        scope_code,
        min(metric_date) as start_date,
        max(metric_date) as end_date,
        count(*) as moved_days_count,
        array_to_string(list_sort(list_distinct(flatten(list(string_split(metrics, ', '))))), ', ')
            as metrics,
        max(accounts_count) as accounts_count,
        max(accounts_affected_count) as accounts_affected_count,
        exp(median(posts_shift_log)) as posts_ratio,
        exp(median(audience_shift_log)) as audience_ratio
    from episodes
    group by event_type, scope, scope_code, episode_key
),

-- Reported once: a platform's or a province's movement inside a national one of the same direction.
reported as (
    select events.*
    from events
    where not (
            events.scope <> 'national'
            and events.event_type in ('activity_drop', 'activity_surge')
            and exists (
                select 1
                from events as national_events
                where
                    national_events.scope = 'national'
                    and national_events.event_type = events.event_type
                    and national_events.start_date <= events.end_date + 1
                    and national_events.end_date >= events.start_date - 1
            )
        )
),

final as (
    select
        md5(event_type || '|' || scope || '|' || scope_code || '|' || start_date::varchar) as system_event_id,
        event_type,
        scope,
        scope_code,
        case when scope = 'platform' then scope_code else 'all' end as platform,
        case when scope = 'province' then scope_code end as province_unit_code,
        start_date,
        end_date,
        (end_date - start_date + 1)::bigint as days_count,
        metrics,
        round(posts_ratio, 3) as posts_ratio,
        round(audience_ratio, 3) as audience_ratio,
        accounts_count::bigint as accounts_count,
        accounts_affected_count::bigint as accounts_affected_count,
        {{ dq_system_explanation('id') }} as explanation,
        {{ dq_system_explanation('en') }} as explanation_en
    from reported
)

select * from final
