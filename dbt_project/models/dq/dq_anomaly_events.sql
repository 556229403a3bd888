-- One row per anomaly event: the consecutive flagged days of one account that one cause explains (a glitch
-- and its return, a ramp of bought followers, a silence, adjacent spike days), with its start, end, type,
-- severity (the worst of its days), the metrics flagged and the explanation of its last day.
with

anomalies as (
    select * from {{ ref('dq_anomalies') }}
),

final as (
    select
        event_id,
        account_id,
        any_value(unit_code) as unit_code,
        any_value(unit_name) as unit_name,
        any_value(unit_level) as unit_level,
        any_value(province_unit_code) as province_unit_code,
        any_value(platform) as platform,
        any_value(collection_method) as collection_method,
        anomaly_type,
        min(event_start_date) as start_date,
        max(event_end_date) as end_date,
        (max(event_end_date) - min(event_start_date) + 1)::bigint as days_count,
        count(distinct metric_date)::bigint as flagged_days_count,
        string_agg(distinct metric, ', ' order by metric) as metrics,
        case when bool_or(severity = 'critical') then 'critical' else 'warning' end as severity,
        arg_max(observed_value, metric_date) as observed_value,
        arg_max(expected_low, metric_date) as expected_low,
        arg_max(expected_high, metric_date) as expected_high,
        arg_max(peer_movement_pct, metric_date) as peer_movement_pct,
        arg_max(explanation, metric_date) as explanation,
        arg_max(explanation_en, metric_date) as explanation_en
    from anomalies
    group by event_id, account_id, anomaly_type
)

select * from final
