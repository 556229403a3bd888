-- One row per flagged account-day-metric: the anomaly type, its severity, what was observed, the range that
-- was expected, and one plain sentence (Indonesian in `explanation`, English in `explanation_en`).
--
-- Rules (thresholds are dbt vars with the defaults below; signals come from dq_account_day_signals):
-- - follower_jump / follower_drop: followers change by at least dq_follower_step_rate (5 %) of the
--   audience and dq_follower_step_min (20) accounts per day, far outside the account's own recent daily
--   changes (robust z of at least dq_follower_step_z against the median/MAD of the previous 28 days).
-- - counter_decrease: a lifetime counter (posts, YouTube views, TikTok likes) goes down.
-- - frozen: every reported value repeats the day before for dq_frozen_min_days (3) days or more, and a run
--   that long is unlikely (below dq_frozen_max_chance, 1e-4) given how often the account stands still.
-- - engagement_spike: engagements at least dq_spike_ratio (5x) what dq_audience_scores expected for the
--   day (given posting, weekday, the account's level and its peers), dq_spike_z (3) robust spreads above
--   it and dq_spike_min (20) more.
-- - posting_silence / inactive: stretches without posts, decided in dq_posting_runs (usual posting rate,
--   weekday pattern, audience decline; inactive = no post at all and an audience far below comparable
--   accounts').
{%- set step_rate = var('dq_follower_step_rate', 0.05) %}
{%- set step_min = var('dq_follower_step_min', 20) %}
{%- set step_z = var('dq_follower_step_z', 6) %}
{%- set frozen_min_days = var('dq_frozen_min_days', 3) %}
{%- set spike_z = var('dq_spike_z', 3) %}
{%- set spike_ratio = var('dq_spike_ratio', 5) %}
{%- set spike_min = var('dq_spike_min', 20) %}

with

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

audience as (
    select * from {{ ref('dq_audience_scores') }}
),

posting_runs as (
    select * from {{ ref('dq_posting_runs') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

follower_steps as (
    select
        account_id,
        metric_date,
        case when follower_change_rate > 0 then 'follower_jump' else 'follower_drop' end as anomaly_type,
        'followers_count' as metric,
        case when abs(follower_change_rate) >= 0.2 then 'critical' else 'warning' end as severity,
        followers_count::double as observed_value,
        previous_followers_count + (metric_date - previous_follower_date) * (
            coalesce(follower_change_median, 0)
            - {{ step_z }} * greatest(1.4826 * coalesce(follower_change_mad, 0), 1)
        ) as expected_low,
        previous_followers_count + (metric_date - previous_follower_date) * (
            coalesce(follower_change_median, 0)
            + {{ step_z }} * greatest(1.4826 * coalesce(follower_change_mad, 0), 1)
        ) as expected_high,
        (follower_change_per_day - coalesce(follower_change_median, 0))
        / greatest(1.4826 * coalesce(follower_change_mad, 0), 1) as score,
        case when follower_change_days >= 7 then 'own_history' else 'rule' end as detection_method,
        previous_followers_count::double as reference_value,
        null::date as run_start_date,
        null::integer as run_days
    from signals
    where
        abs(follower_change_rate) >= {{ step_rate }}
        and abs(follower_change_per_day) >= {{ step_min }}
        and abs(follower_change_per_day - coalesce(follower_change_median, 0))
        >= {{ step_z }} * greatest(1.4826 * coalesce(follower_change_mad, 0), 1)
),

counter_decreases as (
    {%- for counter in ['posts_total_count', 'views_lifetime_count', 'likes_lifetime_count'] %}
        select
            account_id,
            metric_date,
            'counter_decrease' as anomaly_type,
            '{{ counter }}' as metric,
            case
                when {{ counter }} < 0.9 * previous_{{ counter }} then 'critical' else 'warning'
            end as severity,
            {{ counter }}::double as observed_value,
            previous_{{ counter }}::double as expected_low,
            null::double as expected_high,
            (previous_{{ counter }} - {{ counter }})::double as score,
            'rule' as detection_method,
            previous_{{ counter }}::double as reference_value,
            null::date as run_start_date,
            null::integer as run_days
        from signals
        where {{ counter }} < previous_{{ counter }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

frozen as (
    select
        account_id,
        metric_date,
        'frozen' as anomaly_type,
        'all' as metric,
        case when stale_run_days >= 7 then 'critical' else 'warning' end as severity,
        stale_run_days::double as observed_value,
        0::double as expected_low,
        ({{ frozen_min_days }} - 1)::double as expected_high,
        stale_run_days::double as score,
        'rule' as detection_method,
        followers_count::double as reference_value,
        stale_run_start_date as run_start_date,
        stale_run_days::integer as run_days
    from signals
    where is_frozen
),

engagement_spikes as (
    select
        account_id,
        metric_date,
        'engagement_spike' as anomaly_type,
        audience_metric as metric,
        case when ratio_to_expected >= 10 then 'critical' else 'warning' end as severity,
        audience_per_day as observed_value,
        greatest(exp(expected_log - {{ spike_z }} * spread_log) - 1, 0) as expected_low,
        exp(expected_log + {{ spike_z }} * spread_log) - 1 as expected_high,
        score_z as score,
        'own_level_and_peers' as detection_method,
        expected_audience as reference_value,
        null::date as run_start_date,
        null::integer as run_days
    from audience
    where
        audience_metric = 'engagements_count'
        and score_z >= {{ spike_z }}
        and ratio_to_expected >= {{ spike_ratio }}
        and audience_per_day - expected_audience >= {{ spike_min }}
),

silences as (
    select
        posting_runs.account_id,
        posting_runs.metric_date,
        posting_runs.anomaly_type,
        'new_posts_count' as metric,
        case
            when posting_runs.anomaly_type = 'posting_silence' and posting_runs.run_days >= 14 then 'critical'
            else 'warning'
        end as severity,
        0::double as observed_value,
        null::double as expected_low,
        posting_runs.expected_posts as expected_high,
        posting_runs.expected_posts + posting_runs.audience_evidence as score,
        posting_runs.evidence as detection_method,
        posting_runs.usual_posts_per_day as reference_value,
        posting_runs.run_start_date,
        posting_runs.run_days
    from posting_runs
    -- Frozen data explains an unchanged post count: the frozen flag says it already.
    anti join frozen
        on
            posting_runs.account_id = frozen.account_id
            and posting_runs.metric_date = frozen.metric_date
),

flags as (
    select * from follower_steps
    union all
    select * from counter_decreases
    union all
    select * from frozen
    union all
    select * from engagement_spikes
    union all
    select * from silences
),

final as (
    select
        flags.account_id,
        flags.metric_date,
        signals.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        signals.platform,
        signals.collection_method,
        flags.anomaly_type,
        flags.metric,
        flags.severity,
        flags.observed_value,
        round(flags.expected_low, 2) as expected_low,
        round(flags.expected_high, 2) as expected_high,
        round(flags.reference_value, 2) as reference_value,
        round(flags.score, 3) as score,
        flags.detection_method,
        flags.run_start_date,
        flags.run_days,
        {{ dq_anomaly_explanation('flags', 'id') }} as explanation,
        {{ dq_anomaly_explanation('flags', 'en') }} as explanation_en
    from flags
    inner join signals
        on
            flags.account_id = signals.account_id
            and flags.metric_date = signals.metric_date
    left join units
        on signals.unit_code = units.unit_code
)

select * from final
