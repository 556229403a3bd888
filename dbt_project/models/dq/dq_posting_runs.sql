-- One row per account-day inside a flagged stretch without posts: posting_silence or inactive
-- (dq_anomalies takes its rows from here).
--
-- A run is consecutive observed days (stale days skipped: they say nothing) with no new post. Evidence
-- that a run is not the account's normal rhythm:
-- - posts: how many posts the account would have made in the run at its usual rate (posts per observed
--   day over its whole history, run included: under "nothing changed" that is the rate to test with) and
--   the platform's weekday pattern. At dq_silence_expected_posts (8) the chance of a natural run is e^-8.
-- - audience: an account that goes quiet loses its audience day by day, beyond what fewer posts explain;
--   every run day with an audience score (dq_audience_scores) below -1 adds (-z - 1). Rare posters (a
--   YouTube channel with one video a month) show a silence only this way.
-- A run of at least dq_silence_min_days (3) is a posting_silence when the posts evidence reaches its
-- threshold (the whole run is flagged), or when the audience evidence reaches dq_silence_audience_evidence
-- (20, e.g. ten days at z = -3; natural quiet spells stay well below) - then the stretch from two days
-- before the audience first fell to the last day it was low is flagged.
-- An account with no post at all over at least dq_inactive_min_days (28) observed days whose audience,
-- relative to its followers, is under half that of comparable accounts (same platform, unit level and
-- collection method), or
-- unknown, is inactive on every observed day. (A rare poster with a normal audience is neither.)
{%- set silence_expected = var('dq_silence_expected_posts', 8) %}
{%- set silence_audience = var('dq_silence_audience_evidence', 20) %}
{%- set silence_min_days = var('dq_silence_min_days', 3) %}
{%- set inactive_min_days = var('dq_inactive_min_days', 28) %}

with

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

audience as (
    select * from {{ ref('dq_audience_scores') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

-- Days with a known post count. A stale day (nothing changed) had no new post, unless the data was
-- frozen: then the unchanged count says nothing.
known_posts as (
    select
        signals.account_id,
        signals.metric_date,
        signals.platform,
        signals.day_of_week,
        case when signals.is_stale then 0 else signals.new_posts_per_day end as new_posts_per_day,
        audience.score_z as audience_z
    from signals
    left join audience
        on
            signals.account_id = audience.account_id
            and signals.metric_date = audience.metric_date
    where
        signals.new_posts_per_day is not null
        or (signals.is_stale and not signals.is_frozen and signals.new_posts_count is not null)
),

posting_days as (
    select
        *,
        new_posts_per_day = 0 as is_silent,
        row_number() over (partition by account_id order by metric_date)
        - row_number() over (partition by account_id, new_posts_per_day = 0 order by metric_date) as run_key
    from known_posts
),

-- The platform's weekday pattern of posting (share of an average day), from all accounts' data.
weekday_factors as (
    select
        platform,
        day_of_week,
        avg(new_posts_per_day) / nullif(avg(avg(new_posts_per_day)) over (partition by platform), 0) as factor
    from posting_days
    group by platform, day_of_week
),

account_posting as (
    select
        account_id,
        count(*) as observed_days,
        sum(new_posts_per_day) as posts
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

silent_runs as (
    select
        posting_days.account_id,
        posting_days.run_key,
        min(posting_days.metric_date) as run_start_date,
        max(posting_days.metric_date) as run_end_date,
        sum(weekday_factors.factor) as run_weekday_weight
    from posting_days
    inner join weekday_factors
        on
            posting_days.platform = weekday_factors.platform
            and posting_days.day_of_week = weekday_factors.day_of_week
    where posting_days.is_silent
    group by posting_days.account_id, posting_days.run_key
),

scored_runs as (
    select
        silent_runs.*,
        account_posting.observed_days,
        account_posting.posts,
        relative_audience.relative_log_audience,
        account_posting.posts / account_posting.observed_days as usual_posts_per_day,
        account_posting.posts
        / account_posting.observed_days
        * silent_runs.run_weekday_weight as expected_posts,
        silent_runs.run_end_date - silent_runs.run_start_date + 1 as run_days
    from silent_runs
    inner join account_posting
        on silent_runs.account_id = account_posting.account_id
    left join relative_audience
        on silent_runs.account_id = relative_audience.account_id
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

low_audience_stretches as (
    select
        account_id,
        run_key,
        sum(starts_stretch::integer) over (
            partition by account_id, run_key order by metric_date
        ) as stretch_key,
        metric_date,
        deficit
    from low_audience_days
),

audience_spans as (
    select
        low_audience_stretches.account_id,
        'posting_silence' as anomaly_type,
        'audience' as evidence,
        greatest(min(low_audience_stretches.metric_date) - 2, any_value(scored_runs.run_start_date))
            as flag_start_date,
        max(low_audience_stretches.metric_date) as flag_end_date,
        any_value(scored_runs.usual_posts_per_day) as usual_posts_per_day,
        any_value(scored_runs.expected_posts) as expected_posts,
        sum(low_audience_stretches.deficit) as audience_evidence
    from low_audience_stretches
    inner join scored_runs
        on
            low_audience_stretches.account_id = scored_runs.account_id
            and low_audience_stretches.run_key = scored_runs.run_key
    group by
        low_audience_stretches.account_id, low_audience_stretches.run_key, low_audience_stretches.stretch_key
    having
        sum(low_audience_stretches.deficit) >= {{ silence_audience }}
        and max(low_audience_stretches.metric_date) - min(low_audience_stretches.metric_date) + 1
        >= {{ silence_min_days }}
),

posts_spans as (
    select
        scored_runs.account_id,
        case when scored_runs.posts = 0 then 'inactive' else 'posting_silence' end as anomaly_type,
        'posts' as evidence,
        case when scored_runs.posts = 0 then account_spans.first_date else scored_runs.run_start_date end
            as flag_start_date,
        case when scored_runs.posts = 0 then account_spans.last_date else scored_runs.run_end_date end
            as flag_end_date,
        scored_runs.usual_posts_per_day,
        scored_runs.expected_posts,
        0 as audience_evidence
    from scored_runs
    inner join account_spans
        on scored_runs.account_id = account_spans.account_id
    where
        (
            scored_runs.posts = 0
            and scored_runs.observed_days >= {{ inactive_min_days }}
            and coalesce(scored_runs.relative_log_audience <= ln(0.5), true)
        )
        or (
            scored_runs.posts > 0
            and scored_runs.run_days >= {{ silence_min_days }}
            and scored_runs.expected_posts >= {{ silence_expected }}
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
        (spans.flag_end_date - spans.flag_start_date + 1)::integer as run_days,
        spans.usual_posts_per_day,
        spans.expected_posts,
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
