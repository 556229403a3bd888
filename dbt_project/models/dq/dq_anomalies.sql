-- One row per flagged account-day, anomaly type and metric: the anomaly type, its severity, what was
-- observed,
-- the range that was expected, the event the day belongs to (one cause over consecutive days: a glitch and
-- its
-- return, a ramp, a silence) and one plain sentence naming what the account was judged against (Indonesian in
-- `explanation`, English in `explanation_en`). Rules: dq_anomaly_candidates.
-- A flag that a system-wide event explains (dq_system_events: the same flag on most of a platform's accounts
-- that day) is not an account's anomaly and is left out.
-- Peer columns: peer_movement_pct is how the account's peers moved that day (audience and posting rules,
-- which
-- were judged against it); peers_flagged_count / peers_count how many of the platform's accounts observed
-- that
-- day carry the same flag (counter rules: few means the account's own data).
with

candidates as (
    select * from {{ ref('dq_anomaly_candidates') }}
),

system_events as (
    select * from {{ ref('dq_system_events') }}
),

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

peer_counts as (
    select
        platform,
        metric_date,
        count(*) as peers_count
    from signals
    group by platform, metric_date
),

flag_counts as (
    select
        platform,
        metric_date,
        anomaly_type,
        count(distinct account_id) as peers_flagged_count
    from candidates
    group by platform, metric_date, anomaly_type
),

kept as (
    select candidates.*
    from candidates
    where not exists (
            select 1
            from system_events
            where
                system_events.event_type = 'platform_data_fault'
                and system_events.platform = candidates.platform
                and candidates.metric_date between system_events.start_date and system_events.end_date
                and list_contains(string_split(system_events.metrics, ', '), candidates.anomaly_type)
        )
),

described as (
    select
        kept.*,
        units.unit_name,
        units.unit_level,
        round(100 * (exp(kept.peer_movement_log) - 1), 1) as peer_movement_pct,
        flag_counts.peers_flagged_count::bigint as peers_flagged_count,
        peer_counts.peers_count::bigint as peers_count
    from kept
    left join units
        on kept.unit_code = units.unit_code
    left join peer_counts
        on kept.platform = peer_counts.platform and kept.metric_date = peer_counts.metric_date
    left join flag_counts
        on
            kept.platform = flag_counts.platform
            and kept.metric_date = flag_counts.metric_date
            and kept.anomaly_type = flag_counts.anomaly_type
),

final as (
    select
        described.account_id,
        described.metric_date,
        described.unit_code,
        described.unit_name,
        described.unit_level,
        described.province_unit_code,
        described.platform,
        described.collection_method,
        described.anomaly_type,
        described.metric,
        described.severity,
        described.observed_value,
        round(expected_low, 2) as expected_low,
        round(expected_high, 2) as expected_high,
        round(reference_value, 2) as reference_value,
        round(score, 3) as score,
        described.detection_method,
        described.event_id,
        described.event_start_date,
        described.event_end_date,
        (described.event_end_date - described.event_start_date + 1)::bigint as event_days,
        -- Kept for readers of the earlier columns: a run's start and length are its event's.
        described.event_start_date as run_start_date,
        (described.event_end_date - described.event_start_date + 1)::bigint as run_days,
        described.peer_movement_pct,
        described.peers_flagged_count,
        described.peers_count,
        {{ dq_anomaly_explanation('described', 'id') }} as explanation,
        {{ dq_anomaly_explanation('described', 'en') }} as explanation_en
    from described
)

select * from final
