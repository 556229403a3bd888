-- One row per account, day, flag type and metric that data quality raised: the scorecard's only door into the
-- dq models (dq_missing_reports, dq_anomalies), so a change there is one edit here.
-- flag_category: missing (nothing arrived), suspect (a figure that looks wrong: it distorts totals, so the
-- scorecard also shows totals without these account-days) or behaviour (posting silence, inactivity: the
-- figures are right, the unit is quiet).
{%- set suspect_types = [
    'follower_jump', 'follower_drop', 'counter_decrease', 'frozen', 'engagement_spike'
] %}
{%- set suspect_list = "'" ~ suspect_types | join("', '") ~ "'" %}

with

missing_reports as (
    select * from {{ ref('dq_missing_reports') }}
),

anomalies as (
    select * from {{ ref('dq_anomalies') }}
),

missing as (
    select
        account_id,
        metric_date,
        unit_code,
        platform,
        'missing' as flag_category,
        'missing' as flag_type,
        'all' as metric,
        reason,
        null::varchar as severity,
        null::double as observed_value,
        null::double as expected_low,
        null::double as expected_high,
        consecutive_missing_days,
        is_ongoing,
        explanation,
        explanation_en
    from missing_reports
),

flagged as (
    select
        account_id,
        metric_date,
        unit_code,
        platform,
        case
            when anomaly_type in ({{ suspect_list }}) then 'suspect'
            else 'behaviour'
        end as flag_category,
        anomaly_type as flag_type,
        metric,
        null::varchar as reason,
        severity,
        observed_value,
        expected_low,
        expected_high,
        null::bigint as consecutive_missing_days,
        null::boolean as is_ongoing,
        explanation,
        explanation_en
    from anomalies
),

final as (
    select * from missing
    union all
    select * from flagged
)

select * from final
