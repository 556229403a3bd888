-- One row per day, peer scope and metric: how the accounts of the scope moved together that day, against
-- each one's own baseline (dq_account_baselines; API accounts, whose days are days).
-- Scopes: `platform` (every account of one platform, nationwide), `province` (every account of a province's
-- units, all platforms, after the platform's movement is taken out: what the province did on its own) and
-- `national` (every account, for reporting).
-- - audience metrics (engagements_count, views_count): the median of the accounts' deviation_log (a median of
--   ratios to each account's own level: one account's spike does not move it). What an account posted moves
--   its own audience: `posting_beta` is, per platform and day, the slope of the accounts' deviations on their
--   posting deviations (how much posting mattered that day: in a fasting month everyone posts less and is
--   seen less, but not each in proportion to its own posts), and `movement_log` the median of what posting
--   leaves. dq_audience_scores expects an account at its own level + movement_log + posting_beta x its own
--   posting deviation (+ its province's movement_log).
-- - new_posts_count: movement_log = ln(posts / usual posts) summed over the scope (counts are mostly 0 or 1:
--   a ratio of sums, not a median).
-- `raw_movement_log` is the plain median movement (the audience as it was, posting included): it carries the
-- weekday (everyone posts less on Sunday), so `usual_movement_log` is its median on the same weekday over the
-- previous dq_baseline_days days and `shift_log` what is left: the day's unusual common movement, from which
-- dq_system_events reads seasons, campaigns and platform shifts; shift_z how far outside noise it is (the
-- median's standard error; Poisson for posts); has_usual whether dq_system_usual_weeks same weekdays are
-- behind it.
-- movement_7d_log averages the last seven days (a weekly manual report is judged against its week).
-- A table: its windows are bounded (dq_baseline_days), but it reads dq_account_baselines, a table.
{%- set moved = 'ln(' ~ var('dq_peer_moved_ratio') ~ ')' %}
{#- Standard error of a median: 1.253 x the robust spread (1.4826 x MAD) / sqrt(n). #}
{%- set se = '1.253 * 1.4826 * mad' %}

with

baselines as (
    select * from {{ ref('dq_account_baselines') }}
    where collection_method = 'api' and has_baseline
),

audience as (
    select * from baselines
    where metric <> 'new_posts_count'
),

posting as (
    select * from baselines
    where metric = 'new_posts_count'
),

-- How much posting moved the platform's audience that day.
posting_betas as (
    select
        metric_date,
        platform,
        metric,
        least(
            greatest(coalesce(regr_slope(deviation_log, activity_deviation_log), 0), 0),
            {{ var('dq_peer_max_posting_beta') }}
        ) as posting_beta
    from audience
    group by metric_date, platform, metric
),

audience_adjusted as (
    select
        audience.*,
        posting_betas.posting_beta,
        audience.deviation_log - posting_betas.posting_beta * audience.activity_deviation_log as adjusted_log
    from audience
    inner join posting_betas
        on
            audience.metric_date = posting_betas.metric_date
            and audience.platform = posting_betas.platform
            and audience.metric = posting_betas.metric
),

platform_audience as (
    select
        metric_date,
        'platform' as scope,
        platform as scope_code,
        metric,
        median(adjusted_log) as movement_log,
        median(deviation_log) as raw_movement_log,
        any_value(posting_beta) as posting_beta,
        count(*) as accounts_count,
        count(*) filter (where deviation_log >= {{ moved }}) as accounts_up_count,
        count(*) filter (where deviation_log <= -{{ moved }}) as accounts_down_count,
        {{ se }}(deviation_log) / sqrt(count(*)) as movement_se_log,
        null::double as observed_posts,
        null::double as expected_posts
    from audience_adjusted
    group by metric_date, platform, metric
),

platform_posting as (
    select
        metric_date,
        'platform' as scope,
        platform as scope_code,
        metric,
        ln((sum(value_per_day) + 0.5) / (sum(usual_per_day) + 0.5)) as movement_log,
        ln((sum(value_per_day) + 0.5) / (sum(usual_per_day) + 0.5)) as raw_movement_log,
        null::double as posting_beta,
        count(*) as accounts_count,
        count(*) filter (where value_per_day > usual_per_day) as accounts_up_count,
        count(*) filter (where value_per_day < usual_per_day) as accounts_down_count,
        null::double as movement_se_log,
        sum(value_per_day) as observed_posts,
        sum(usual_per_day) as expected_posts
    from posting
    group by metric_date, platform, metric
),

platform_moves as (
    select * from platform_audience
    union all
    select * from platform_posting
),

province_inputs as (
    select
        peer_group,
        metric_date,
        platform,
        metric,
        value_per_day,
        usual_per_day,
        deviation_log,
        adjusted_log
    from audience_adjusted
    union all
    select
        peer_group,
        metric_date,
        platform,
        metric,
        value_per_day,
        usual_per_day,
        null as deviation_log,
        null as adjusted_log
    from posting
),

-- What a province's accounts did beyond their platforms' national movement.
province_rows as (
    select
        province_inputs.peer_group,
        province_inputs.metric_date,
        province_inputs.metric,
        province_inputs.value_per_day,
        province_inputs.adjusted_log - platform_moves.movement_log as relative_log,
        province_inputs.deviation_log - platform_moves.raw_movement_log as raw_relative_log,
        province_inputs.usual_per_day * exp(platform_moves.movement_log) as expected_per_day
    from province_inputs
    inner join platform_moves
        on
            province_inputs.metric_date = platform_moves.metric_date
            and province_inputs.platform = platform_moves.scope_code
            and province_inputs.metric = platform_moves.metric
    where province_inputs.peer_group <> 'national'
),

province_moves as (
    select
        metric_date,
        'province' as scope,
        peer_group as scope_code,
        metric,
        {{ dq_common_movement('relative_log', 'raw_relative_log', 'expected_per_day') }}
    from province_rows
    group by metric_date, peer_group, metric
    having count(*) >= {{ var('dq_peer_min_accounts') }}
),

national_moves as (
    select
        metric_date,
        'national' as scope,
        'ID' as scope_code,
        metric,
        {{ dq_common_movement('deviation_log', 'deviation_log', 'usual_per_day') }}
    from baselines
    group by metric_date, metric
),

moves as (
    select * from platform_moves
    union all
    select * from province_moves
    union all
    select * from national_moves
),

usual as (
    select
        *,
        -- A province's movement is already relative to its platforms' (weekday included): its usual is 0.
        case
            when scope = 'province' then 0
            else coalesce(median(raw_movement_log) over same_weekday, 0)
        end as usual_movement_log,
        case when scope = 'province' then 99 else count(raw_movement_log) over same_weekday end
            as usual_weeks_count
    from moves
    window same_weekday as (
        partition by scope, scope_code, metric, isodow(metric_date) order by metric_date
        range between interval {{ var('dq_baseline_days') }} days preceding and interval 1 days preceding
    )
),

final as (
    select
        metric_date,
        scope,
        scope_code,
        metric,
        movement_log,
        avg(movement_log) over last_week as movement_7d_log,
        posting_beta,
        raw_movement_log,
        usual_movement_log,
        raw_movement_log - usual_movement_log as shift_log,
        case
            when metric = 'new_posts_count'
                then (observed_posts - expected_posts * exp(usual_movement_log))
                    / sqrt(expected_posts * exp(usual_movement_log) + 1)
            else (raw_movement_log - usual_movement_log) / nullif(movement_se_log, 0)
        end as shift_z,
        usual_weeks_count >= {{ var('dq_system_usual_weeks') }} as has_usual,
        accounts_count::bigint as accounts_count,
        accounts_up_count::bigint as accounts_up_count,
        accounts_down_count::bigint as accounts_down_count
    from usual
    window last_week as (
        partition by scope, scope_code, metric order by metric_date
        range between interval 6 days preceding and current row
    )
)

select * from final
