-- One row per account-day inside a flagged stretch without posts: posting_silence or inactive
-- (dq_anomaly_candidates takes its rows from here).
--
-- A run is consecutive observed days with no new post (a stale day, nothing changed, counts as none; a frozen
-- one says nothing). Evidence that a run is not the account's normal rhythm:
-- - posts: the account's usual rate before the run began (dq_account_baselines: k posts in its n baseline
--   days) against the run's days moved by its peers' posting those days (dq_peer_movements: its platform's
--   and its province's; weekends, a fasting month or a provincial disaster lower it for everyone): the chance
--   that one rate gave both is (n / (n + m))^k for m peer-adjusted run days. At dq_silence_evidence (8) nats,
--   a chance of e^-8, and dq_silence_rhythm_factor times the evidence of any run the account itself had in
--   the previous dq_baseline_days days (an office that always pauses for a week is not silent after six
--   days).
-- - audience: an account that goes quiet loses its audience beyond what its peers do; every run day with a
--   peer-adjusted audience score (dq_audience_scores) of -1 or lower adds (-z - 1). Rare posters show a
--   silence only this way. At dq_silence_audience_evidence (20) the stretch from two days before the audience
--   first fell to the last day it was low is flagged.
-- A run counts at dq_silence_min_days (3) days. An account with no post at all over at least
-- dq_inactive_min_days (28) observed days whose audience, relative to its followers, is under half that of
-- comparable accounts (same platform, unit level and collection method), or unknown, is inactive on every
-- observed day.
-- A table, not incremental: an account's posting rate and its audience per follower (against comparable
-- accounts') are taken over its whole history, so a new day moves every older run's evidence.
with

posting as (
    select * from {{ ref('dq_account_baselines') }}
    where metric = 'new_posts_count'
),

movements as (
    select * from {{ ref('dq_peer_movements') }}
    where metric = 'new_posts_count'
),

audience as (
    select
        account_id,
        metric_date,
        avg(score_z) as audience_z
    from {{ ref('dq_audience_scores') }}
    group by account_id, metric_date
),

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

posting_days as (
    select
        posting.account_id,
        posting.metric_date,
        posting.platform,
        posting.reporting_period_days,
        posting.value_per_day as new_posts_per_day,
        posting.usual_per_day,
        posting.has_baseline,
        posting.baseline_days_count * posting.reporting_period_days as baseline_days,
        exp(
            coalesce(
                case
                    when posting.reporting_period_days = 7 then platform.movement_7d_log else
                        platform.movement_log
                end,
                0
            )
            + coalesce(
                case
                    when posting.reporting_period_days = 7 then province.movement_7d_log else
                        province.movement_log
                end,
                0
            )
        ) as peer_posting_factor,
        audience.audience_z,
        posting.value_per_day = 0 as is_silent,
        row_number() over (partition by posting.account_id order by posting.metric_date)
        - row_number() over (
            partition by posting.account_id, posting.value_per_day = 0 order by posting.metric_date
        ) as run_key
    from posting
    left join movements as platform
        on
            posting.metric_date = platform.metric_date
            and platform.scope = 'platform'
            and posting.platform = platform.scope_code
    left join movements as province
        on
            posting.metric_date = province.metric_date
            and province.scope = 'province'
            and posting.peer_group = province.scope_code
    left join audience
        on posting.account_id = audience.account_id and posting.metric_date = audience.metric_date
),

silent_runs as (
    select
        account_id,
        run_key,
        min(metric_date) - (arg_min(reporting_period_days, metric_date) - 1) as run_start_date,
        max(metric_date) as run_end_date,
        arg_min(usual_per_day, metric_date) as usual_posts_per_day,
        arg_min(has_baseline, metric_date) as has_baseline,
        arg_min(baseline_days, metric_date) as baseline_days,
        sum(reporting_period_days * peer_posting_factor) as peer_adjusted_days,
        exp(avg(ln(peer_posting_factor))) as peer_posting_factor
    from posting_days
    where is_silent
    group by account_id, run_key
),

-- Evidence, in nats: -ln of the chance that the k posts of the baseline's n days and none in the run's m
-- (peer-adjusted) days came from one rate: k x ln((n + m) / n). For a long baseline this is the expected
-- posts of the run; a short one (four posts in two weeks) proves less.
runs_evidence as (
    select
        *,
        run_end_date - run_start_date + 1 as run_days,
        usual_posts_per_day * peer_adjusted_days as expected_posts,
        usual_posts_per_day
        * baseline_days
        * ln((baseline_days + peer_adjusted_days) / baseline_days) as evidence
    from silent_runs
),

scored_runs as (
    select
        *,
        max(evidence) over (
            partition by account_id order by run_start_date
            range between interval {{ var('dq_baseline_days') }} days preceding and interval 1 days preceding
        ) as previous_longest_evidence
    from runs_evidence
),

account_posting as (
    select
        account_id,
        count(*) as observed_days,
        sum(new_posts_per_day * reporting_period_days) as posts
    from posting_days
    group by account_id
),

account_spans as (
    select
        account_id,
        min(metric_date) as first_date,
        max(metric_date) as last_date
    from signals
    group by account_id
),

-- Audience per follower against comparable accounts (same platform, unit level and collection method:
-- a manual report counts engagements from other parts than an API does), in log units.
account_audience as (
    select
        signals.account_id,
        signals.platform,
        accounts.unit_level,
        accounts.collection_method,
        median(
            ln(1 + coalesce(signals.views_per_day, signals.engagements_per_day))
            - ln(1 + signals.followers_count)
        ) as log_audience_per_follower
    from signals
    inner join accounts
        on signals.account_id = accounts.account_id
    group by signals.account_id, signals.platform, accounts.unit_level, accounts.collection_method
),

relative_audience as (
    select
        account_id,
        log_audience_per_follower
        - median(log_audience_per_follower) over (
            partition by platform, unit_level, collection_method
        ) as relative_log_audience
    from account_audience
),

-- Audience evidence: days of a silent run with an audience score of -1 or lower, grouped into stretches
-- that tolerate up to three days between low days.
low_audience_days as (
    select
        account_id,
        run_key,
        metric_date,
        -audience_z - 1 as deficit,
        coalesce(
            metric_date - lag(metric_date) over (partition by account_id, run_key order by metric_date) > 3,
            true
        ) as starts_stretch
    from posting_days
    where is_silent and audience_z <= -1
),

audience_spans as (
    select
        stretches.account_id,
        'posting_silence' as anomaly_type,
        'audience' as evidence,
        greatest(min(stretches.metric_date) - 2, any_value(scored_runs.run_start_date)) as flag_start_date,
        max(stretches.metric_date) as flag_end_date,
        any_value(scored_runs.usual_posts_per_day) as usual_posts_per_day,
        any_value(scored_runs.expected_posts) as expected_posts,
        any_value(scored_runs.peer_posting_factor) as peer_posting_factor,
        sum(stretches.deficit) as audience_evidence
    from (
        select
            *,
            sum(starts_stretch::integer)
                over (partition by account_id, run_key order by metric_date)
                as stretch_key
        from low_audience_days
    ) as stretches
    inner join scored_runs
        on stretches.account_id = scored_runs.account_id and stretches.run_key = scored_runs.run_key
    group by stretches.account_id, stretches.run_key, stretches.stretch_key
    having
        sum(stretches.deficit) >= {{ var('dq_silence_audience_evidence') }}
        and max(stretches.metric_date) - min(stretches.metric_date) + 1 >= {{ var('dq_silence_min_days') }}
),

posts_spans as (
    select
        scored_runs.account_id,
        case when account_posting.posts = 0 then 'inactive' else 'posting_silence' end as anomaly_type,
        'posts' as evidence,
        case when account_posting.posts = 0 then account_spans.first_date else scored_runs.run_start_date end
            as flag_start_date,
        case when account_posting.posts = 0 then account_spans.last_date else scored_runs.run_end_date end
            as flag_end_date,
        scored_runs.usual_posts_per_day,
        scored_runs.expected_posts,
        scored_runs.peer_posting_factor,
        0 as audience_evidence
    from scored_runs
    inner join account_posting
        on scored_runs.account_id = account_posting.account_id
    inner join account_spans
        on scored_runs.account_id = account_spans.account_id
    left join relative_audience
        on scored_runs.account_id = relative_audience.account_id
    where
        (
            account_posting.posts = 0
            and account_posting.observed_days >= {{ var('dq_inactive_min_days') }}
            and coalesce(relative_audience.relative_log_audience <= ln(0.5), true)
        )
        or (
            account_posting.posts > 0
            and scored_runs.has_baseline
            and scored_runs.run_days >= {{ var('dq_silence_min_days') }}
            and scored_runs.evidence >= {{ var('dq_silence_evidence') }}
            and scored_runs.evidence >= {{ var('dq_silence_rhythm_factor') }}
            * coalesce(scored_runs.previous_longest_evidence, 0)
        )
),

spans as (
    select * from posts_spans
    union all
    select * from audience_spans
),

final as (
    select
        signals.account_id,
        signals.metric_date,
        spans.anomaly_type,
        spans.evidence,
        spans.flag_start_date as run_start_date,
        spans.flag_end_date as run_end_date,
        (spans.flag_end_date - spans.flag_start_date + 1)::bigint as run_days,
        spans.usual_posts_per_day,
        spans.expected_posts,
        spans.peer_posting_factor,
        spans.audience_evidence
    from spans
    inner join signals
        on
            spans.account_id = signals.account_id
            and signals.metric_date between spans.flag_start_date and spans.flag_end_date
    -- A day inside both a posts span and an audience span is reported once, on the posts evidence.
    qualify row_number() over (
            partition by signals.account_id, signals.metric_date order by spans.evidence desc
        ) = 1
)

select * from final
