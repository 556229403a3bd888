-- One row per account-day, anomaly type and metric that a rule flags, with the event the day belongs to
-- (event_start_date..event_end_date: consecutive days one cause explains). dq_system_events reads how many
-- accounts of a platform share a flag on a day; dq_anomalies keeps the flags no system event explains.
--
-- Rules (thresholds are dbt vars, defaults in dbt_project.yml; signals from dq_account_day_signals):
-- - follower_jump / follower_drop: a run of consecutive days on which followers grew (fell) by at least
--   dq_follower_day_z robust spreads beyond the account's usual daily change (median/MAD of the previous 28
--   days) and dq_follower_day_rate of its followers; the run is flagged when its whole excess reaches
--   dq_follower_step_rate of the followers before it, dq_follower_step_min accounts and dq_follower_step_z
--   spreads (times the square root of its days). One day is a step, several a ramp (bought followers
--   delivered over a week): one event either way.
-- - counter_decrease: a lifetime counter (posts, YouTube views, TikTok likes) below its last clean value.
-- - value_glitch: a counter that left its value and came back (the span is the event, the return is not
--   flagged again); duplicated_load: every value of the day scaled by one factor.
-- - frozen: every reported value repeats the day before for dq_frozen_min_days days or more, and a run that
--   long is unlikely given how often the account stands still.
-- - engagement_spike / views_spike: the day's audience at least dq_spike_ratio times and dq_spike_z robust
--   spreads above what was expected with its peers' movement (dq_audience_scores), and dq_spike_min more;
--   adjacent spike days are one event.
-- - posting_silence / inactive: dq_posting_runs.
-- A table, not incremental: a follower run or a spike event grows for as long as its days continue, however
-- far back it started (and its inputs are tables).
{%- set critical = var('dq_critical') %}

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

follower_days as (
    select
        account_id,
        metric_date,
        followers_count,
        previous_followers_count,
        metric_date - previous_follower_date as covered_days,
        follower_change_per_day - coalesce(follower_change_median, 0) as excess_per_day,
        greatest(1.4826 * coalesce(follower_change_mad, 0), 1) as spread,
        coalesce(follower_change_median, 0) as usual_change_per_day
    from signals
    where is_clean and follower_change_per_day is not null and follower_change_days >= 7
),

follower_directions as (
    select
        *,
        case
            when
                excess_per_day >= {{ var('dq_follower_day_z') }} * spread
                and excess_per_day >= {{ var('dq_follower_day_rate') }} * previous_followers_count
                then 1
            when
                -excess_per_day >= {{ var('dq_follower_day_z') }} * spread
                and -excess_per_day >= {{ var('dq_follower_day_rate') }} * previous_followers_count
                then -1
            else 0
        end as direction
    from follower_days
),

follower_run_keys as (
    select
        *,
        row_number() over (partition by account_id order by metric_date)
        - row_number() over (partition by account_id, direction order by metric_date) as run_key
    from follower_directions
),

follower_runs as (
    select
        account_id,
        any_value(direction) as direction,
        min(metric_date) - (arg_min(covered_days, metric_date) - 1)::integer as run_start_date,
        max(metric_date) as run_end_date,
        arg_min(previous_followers_count, metric_date) as followers_before,
        arg_max(followers_count, metric_date) as followers_after,
        sum(excess_per_day * covered_days) as excess,
        sum(covered_days) as run_days,
        avg(spread) as spread,
        avg(usual_change_per_day) as usual_change_per_day
    from follower_run_keys
    where direction <> 0
    group by account_id, run_key
    having
        abs(sum(excess_per_day * covered_days))
        >= {{ var('dq_follower_step_rate') }} * arg_min(previous_followers_count, metric_date)
        and abs(sum(excess_per_day * covered_days)) >= {{ var('dq_follower_step_min') }}
        and abs(sum(excess_per_day * covered_days)) / (avg(spread) * sqrt(sum(covered_days)))
        >= {{ var('dq_follower_step_z') }}
),

follower_steps as (
    select
        signals.account_id,
        signals.metric_date,
        case when runs.direction > 0 then 'follower_jump' else 'follower_drop' end as anomaly_type,
        'followers_count' as metric,
        case
            when abs(runs.excess) >= {{ critical.follower_rate }} * runs.followers_before then 'critical'
            else 'warning'
        end
            as severity,
        signals.followers_count::double as observed_value,
        runs.followers_before + (signals.metric_date - runs.run_start_date + 1)
        * (runs.usual_change_per_day - {{ var('dq_follower_step_z') }} * runs.spread) as expected_low,
        runs.followers_before + (signals.metric_date - runs.run_start_date + 1)
        * (runs.usual_change_per_day + {{ var('dq_follower_step_z') }} * runs.spread) as expected_high,
        runs.followers_before::double as reference_value,
        runs.excess / (runs.spread * sqrt(runs.run_days)) as score,
        case when runs.run_days > 1 then 'ramp' else 'step' end as detection_method,
        runs.run_start_date as event_start_date,
        runs.run_end_date as event_end_date,
        null::double as peer_movement_log
    from follower_runs as runs
    inner join signals
        on
            runs.account_id = signals.account_id
            and signals.metric_date between runs.run_start_date and runs.run_end_date
    where signals.is_clean
),

counter_decreases as (
    {%- for counter in ['posts_total_count', 'views_lifetime_count', 'likes_lifetime_count'] %}
        select
            account_id,
            metric_date,
            'counter_decrease' as anomaly_type,
            '{{ counter }}' as metric,
            case
                when
                    {{ counter }} < (1 - {{ critical.counter_rate }}) * previous_{{ counter }}
                    then 'critical'
                else 'warning'
            end as severity,
            {{ counter }}::double as observed_value,
            previous_{{ counter }}::double as expected_low,
            null::double as expected_high,
            previous_{{ counter }}::double as reference_value,
            (previous_{{ counter }} - {{ counter }})::double as score,
            'rule' as detection_method,
            metric_date as event_start_date,
            metric_date as event_end_date,
            null::double as peer_movement_log
        from signals
        where is_clean and {{ counter }} < previous_{{ counter }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

glitches as (
    select
        account_id,
        metric_date,
        case when is_duplicated then 'duplicated_load' else 'value_glitch' end as anomaly_type,
        case when is_duplicated then 'all' else glitch_metrics end as metric,
        'warning' as severity,
        case
            when is_duplicated then duplicate_factor
            else coalesce(
                    followers_count, posts_total_count, views_lifetime_count, likes_lifetime_count
                )::double
        end as observed_value,
        case when is_duplicated then 1 end::double as expected_low,
        case when is_duplicated then 1 end::double as expected_high,
        case
            when is_duplicated then 1
            else coalesce(
                    previous_followers_count,
                    previous_posts_total_count,
                    previous_views_lifetime_count,
                    previous_likes_lifetime_count
                )
        end::double as reference_value,
        duplicate_factor as score,
        'rule' as detection_method,
        case when is_duplicated then metric_date else glitch_start_date end as event_start_date,
        case when is_duplicated then metric_date else glitch_end_date end as event_end_date,
        null::double as peer_movement_log
    from signals
    where is_duplicated or is_glitch
),

frozen as (
    select
        account_id,
        metric_date,
        'frozen' as anomaly_type,
        'all' as metric,
        case when stale_run_days >= {{ critical.frozen_days }} then 'critical' else 'warning' end as severity,
        stale_run_days::double as observed_value,
        0::double as expected_low,
        ({{ var('dq_frozen_min_days') }} - 1)::double as expected_high,
        followers_count::double as reference_value,
        stale_run_days::double as score,
        'rule' as detection_method,
        stale_run_start_date as event_start_date,
        stale_run_start_date + (stale_run_days - 1)::integer as event_end_date,
        null::double as peer_movement_log
    from signals
    where is_frozen
),

-- An audience day is a spike beyond what was expected (score_z: for engagements, given the day's views) or,
-- for engagements, beyond the level alone on a day the views spiked too (a viral day: one engagement_spike,
-- not also a views_spike).
audience_tests as (
    select
        *,
        coalesce(
            score_z >= {{ var('dq_spike_z') }}
            and ratio_to_expected >= {{ var('dq_spike_ratio') }}
            and audience_per_day - expected_audience >= {{ var('dq_spike_min') }},
            false
        ) as is_own_spike,
        coalesce(
            level_z >= {{ var('dq_spike_z') }}
            and level_ratio >= {{ var('dq_spike_ratio') }}
            and audience_per_day - level_expected_audience >= {{ var('dq_spike_min') }},
            false
        ) as is_level_spike
    from audience
),

audience_days as (
    select
        *,
        coalesce(bool_or(audience_metric = 'views_count' and is_own_spike) over account_day, false)
            as is_views_spike_day,
        coalesce(bool_or(audience_metric = 'engagements_count' and is_level_spike) over account_day, false)
            as is_engagement_rise_day
    from audience_tests
    window account_day as (partition by account_id, metric_date)
),

spike_days as (
    select
        account_id,
        metric_date,
        audience_metric,
        audience_per_day,
        peer_movement_log,
        case audience_metric when 'engagements_count' then 'engagement_spike' else 'views_spike' end
            as anomaly_type,
        case when is_own_spike then expected_log else expected_log - reach_log end as flag_expected_log,
        case when is_own_spike then spread_log else level_spread_log end as flag_spread_log,
        case when is_own_spike then score_z else level_z end as flag_score,
        case when is_own_spike then ratio_to_expected else level_ratio end as flag_ratio,
        coalesce(
            metric_date
            - lag(metric_date) over (partition by account_id, audience_metric order by metric_date)
            > 2,
            true
        ) as starts_event
    from audience_days
    where
        (audience_metric = 'engagements_count' and (is_own_spike or (is_level_spike and is_views_spike_day)))
        or (audience_metric = 'views_count' and is_own_spike and not is_engagement_rise_day)
),

spike_events as (
    select
        *,
        sum(starts_event::integer) over (
            partition by account_id, audience_metric order by metric_date
        ) as event_key
    from spike_days
),

spikes as (
    select
        account_id,
        metric_date,
        anomaly_type,
        audience_metric as metric,
        case when flag_ratio >= {{ critical.spike_ratio }} then 'critical' else 'warning' end as severity,
        audience_per_day as observed_value,
        greatest(exp(flag_expected_log - {{ var('dq_spike_z') }} * flag_spread_log) - 1, 0) as expected_low,
        exp(flag_expected_log + {{ var('dq_spike_z') }} * flag_spread_log) - 1 as expected_high,
        greatest(exp(flag_expected_log) - 1, 0) as reference_value,
        flag_score as score,
        'own_level_and_peers' as detection_method,
        min(metric_date) over spike_event as event_start_date,
        max(metric_date) over spike_event as event_end_date,
        peer_movement_log
    from spike_events
    window spike_event as (partition by account_id, audience_metric, event_key)
),

silences as (
    select
        account_id,
        metric_date,
        anomaly_type,
        'new_posts_count' as metric,
        case
            when anomaly_type = 'posting_silence' and run_days >= {{ critical.silence_days }} then 'critical'
            else 'warning'
        end as severity,
        0::double as observed_value,
        null::double as expected_low,
        expected_posts as expected_high,
        usual_posts_per_day as reference_value,
        expected_posts + audience_evidence as score,
        evidence as detection_method,
        run_start_date as event_start_date,
        run_end_date as event_end_date,
        ln(peer_posting_factor) as peer_movement_log
    from posting_runs
),

flags as (
    select * from follower_steps
    union all
    select * from counter_decreases
    union all
    select * from glitches
    union all
    select * from frozen
    union all
    select * from spikes
    union all
    select * from silences
),

final as (
    select
        flags.*,
        signals.unit_code,
        signals.platform,
        signals.province_unit_code,
        signals.collection_method,
        md5(flags.account_id || '|' || flags.anomaly_type || '|' || flags.event_start_date::varchar)
            as event_id
    from flags
    inner join signals
        on flags.account_id = signals.account_id and flags.metric_date = signals.metric_date
    -- Frozen data explains an unchanged post count, a glitch or a duplicated load explains every other flag
    -- of the day: the day keeps only the flag of its cause.
    where
        not exists (
            select 1
            from flags as cause
            where
                cause.account_id = flags.account_id
                and cause.metric_date = flags.metric_date
                and (
                    (cause.anomaly_type = 'frozen' and flags.anomaly_type in ('posting_silence', 'inactive'))
                    or (
                        cause.anomaly_type in ('duplicated_load', 'value_glitch')
                        and flags.anomaly_type not in ('duplicated_load', 'value_glitch')
                    )
                )
        )
        -- A silence explains its audience: during it (and the days posting resumes) the expectation assumes
        -- no posts, so an audience that merely holds up, or returns with the posts, is the silence's
        -- aftermath, not a spike of its own.
        and not (
            flags.anomaly_type in ('engagement_spike', 'views_spike')
            and exists (
                select 1
                from silences as cause
                where
                    cause.account_id = flags.account_id
                    and cause.anomaly_type = 'posting_silence'
                    and flags.metric_date between cause.event_start_date
                    and cause.event_end_date + {{ var('dq_silence_aftermath_days') }}
            )
        )
)

select * from final
