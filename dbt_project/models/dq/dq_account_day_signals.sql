-- One row per observed account-day with the signals the anomaly rules score (the other dq_ models read this).
--
-- Days that cannot be trusted as they are, each treated as not observed for every daily figure (so what
-- follows them is compared with the last clean day, and their aftermath is not flagged again):
-- - stale: every reported value repeats the previous day's. A stale run long and unlikely enough for the
--   account is `is_frozen`.
-- - glitch: a lifetime counter or the follower count leaves its previous value by at least dq_glitch_ratio
--   (and dq_glitch_min) and comes back within one to three rows (a counter read as 0 for a day, a digit too
--   many). `glitch_start_date`..`glitch_end_date` is the span, `glitch_metrics` the counters.
-- - duplicated: every counter that can tell moved by the same factor since the previous row (at least two of
--   them, spread within dq_dup_tolerance), or the one counter there is moved and the day's activity moved
--   with it (dq_dup_flow_tolerance), or moved by a whole factor (2 to 4, within dq_dup_integer_tolerance):
--   a load counted twice (or thrice); values only go up (the day after, back down, is its return).
--   `duplicate_factor` says by how much.
-- Daily figures (per day, over the days since the previous clean observation): follower change, new posts,
-- engagements, views; derived from lifetime counters with counter_delta() (null when a counter fell).
-- Follower changes get a robust baseline (median/MAD of the previous 28 days); `posting_activity` (today's
-- and
-- the four previous days' posts, fading) feeds the audience model.
-- A table, not incremental: is_frozen weighs a stale run against the account's stale share over its whole
-- history (account_stale_days / account_observed_days), so every new day can change any older stale row;
-- stale runs and glitch spans also reach back a whole run. Incremental only if that share is bounded to a
-- trailing window (a detection change, to be validated by the injection benchmark).
{%- set state_columns = account_day_metric_columns() %}
{%- set counters = ['followers_count', 'posts_total_count', 'views_lifetime_count', 'likes_lifetime_count'] %}
{%- set dup_counters = ['followers_count', 'following_count'] + counters[1:] %}
{%- set flows = ['reported_new_posts_count', 'reported_engagements_count', 'reported_views_count'] %}

with

-- Conformed account-days with the values derived from them (the account-day fact).
facts as (
    select * from {{ ref('fct_account_daily') }}
),

-- The values as reported (before lifetime counters were turned into daily figures).
reported as (
    select * from {{ ref('int_account_days_unioned') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

days as (
    select
        facts.account_id,
        facts.metric_date,
        facts.platform,
        facts.unit_code,
        accounts.province_unit_code,
        coalesce(accounts.province_unit_code, 'national') as peer_group,
        facts.collection_method,
        coalesce(facts.reporting_period_days, 1) as reporting_period_days,
        isodow(facts.metric_date) as day_of_week,
        facts.followers_count,
        facts.following_count,
        facts.posts_total_count,
        facts.views_lifetime_count,
        facts.likes_lifetime_count,
        -- The day's own activity where the platform reports it; null where a lifetime counter gives it.
        reported.new_posts_count as reported_new_posts_count,
        reported.views_count as reported_views_count,
        case
            when reported.likes_count is null and facts.likes_lifetime_count is not null then null
            else facts.engagements_count
        end as reported_engagements_count,
        {{ dq_state_fingerprint('reported', state_columns) }} as reported_state,
        {{ dq_any_value('reported', state_columns) }} as has_reported_value,
        row_number() over (partition by facts.account_id order by facts.metric_date) as account_row
    from facts
    inner join reported
        on
            facts.account_id = reported.account_id
            and facts.metric_date = reported.metric_date
    left join accounts
        on facts.account_id = accounts.account_id
),

tested as (
    select
        *,
        coalesce(
            metric_date - lag(metric_date) over account_rows = 1
            and has_reported_value
            and reported_state = lag(reported_state) over account_rows,
            false
        ) as is_stale,
        {%- for counter in counters %}
            {{ dq_glitch_rows(counter) }} as {{ counter }}_glitch_rows,
        {%- endfor %}
        list_filter([
            {%- for counter in dup_counters %}
                case
                    when lag({{ counter }}) over account_rows >= {{ var('dq_dup_min_value') }}
                        then {{ dq_log_ratio(counter, 'lag(' ~ counter ~ ') over account_rows') }}
                end{{ ',' if not loop.last }}
            {%- endfor %}
        ], lambda step: step is not null) as counter_steps,
        list_filter([
            {%- for flow in flows %}
                {{ dq_log_ratio(flow, 'median(' ~ flow ~ ') over recent_rows') }}{{ ',' if not loop.last }}
            {%- endfor %}
        ], lambda step: step is not null) as flow_steps
    from days
    window
        account_rows as (partition by account_id order by metric_date),
        recent_rows as (
            partition by account_id order by metric_date rows between 28 preceding and 1 preceding
        )
),

duplicate_candidates as (
    select
        *,
        coalesce(
            -- A load counted twice only ever raises the values (the day after, back down, is its return).
            list_min(counter_steps) >= ln({{ var('dq_dup_ratio') }})
            and (
                (
                    len(counter_steps) >= 2
                    and list_max(counter_steps) - list_min(counter_steps) <= {{ var('dq_dup_tolerance') }}
                )
                or (
                    len(counter_steps) = 1
                    and len(flow_steps) >= 2
                    and abs(list_median(flow_steps) - counter_steps[1]) <= {{ var('dq_dup_flow_tolerance') }}
                )
                -- One counter (a Facebook page has only its follower count) exactly doubled or tripled: a
                -- load counted twice, not a misread digit (the day's activity may be low for the season).
                or (
                    len(counter_steps) = 1
                    and round(exp(counter_steps[1])) between 2 and 4
                    and abs(counter_steps[1] - ln(greatest(round(exp(counter_steps[1])), 1)))
                    <= {{ var('dq_dup_integer_tolerance') }}
                )
            ),
            false
        ) as is_duplicate_candidate,
    {%- for counter in counters %}
        case {{ counter }}_glitch_rows
            when 1 then metric_date
            when 2 then lead(metric_date) over account_rows
            when 3 then lead(metric_date, 2) over account_rows
        end as {{ counter }}_glitch_last_date{{ ',' if not loop.last }}
    {%- endfor %}
    from tested
    window account_rows as (partition by account_id order by metric_date)
),

spans as (
    select
        *,
        -- The day after a duplicated day moves back by the inverse factor: that is its return, not a new one.
        is_duplicate_candidate
        and not coalesce(lag(is_duplicate_candidate) over account_rows, false) as is_duplicated,
    {%- for counter in counters %}
        max({{ counter }}_glitch_last_date) over last_three_rows as {{ counter }}_glitch_end,
        max(case when {{ counter }}_glitch_rows is not null then metric_date end) over last_three_rows
            as {{ counter }}_glitch_start{{ ',' if not loop.last }}
    {%- endfor %}
    from duplicate_candidates
    window
        account_rows as (partition by account_id order by metric_date),
        last_three_rows as (
            partition by account_id order by metric_date rows between 2 preceding and current row
        )
),

glitches as (
    select
        *,
        exp(counter_steps[1]) as duplicate_factor_raw,
        array_to_string(
            list_filter([
                {%- for counter in counters %}
                    case when {{ counter }}_glitch_end >= metric_date then '{{ counter }}' end
                    {{- ',' if not loop.last }}
                {%- endfor %}
            ], lambda metric: metric is not null),
            ', '
        ) as glitch_metrics,
        least(
            {%- for counter in counters %}
                case when {{ counter }}_glitch_end >= metric_date then {{ counter }}_glitch_start end
                {{- ',' if not loop.last }}
            {%- endfor %}
        ) as glitch_start_date,
        greatest(
            {%- for counter in counters %}
                case when {{ counter }}_glitch_end >= metric_date then {{ counter }}_glitch_end end
                {{- ',' if not loop.last }}
            {%- endfor %}
        ) as glitch_end_date
    from spans
),

cleaned as (
    select
        *,
        glitch_end_date is not null as is_glitch,
        not is_stale and glitch_end_date is null and not is_duplicated as is_clean
    from glitches
),

-- Previous clean observation of each counter, and its date.
with_previous as (
    select
        *,
        {%- for counter in counters %}
            lag(case when is_clean then {{ counter }} end ignore nulls) over account_rows
                as previous_{{ counter }},
            lag(case when is_clean and {{ counter }} is not null then metric_date end ignore nulls)
                over account_rows as previous_{{ counter }}_date,
        {%- endfor %}
        lag(case when is_clean then metric_date end ignore nulls) over account_rows as previous_clean_date
    from cleaned
    window account_rows as (partition by account_id order by metric_date)
),

per_day as (
    select
        *,
        case
            when is_clean
                then (followers_count - previous_followers_count)::double
                    / (metric_date - previous_followers_count_date)
        end as follower_change_per_day,
        case
            when not is_clean then null
            when reported_new_posts_count is not null
                then reported_new_posts_count::double / reporting_period_days
            else {{ counter_delta('posts_total_count', 'previous_posts_total_count') }}::double
                / (metric_date - previous_posts_total_count_date)
        end as new_posts_per_day,
        case
            when not is_clean then null
            when reported_engagements_count is not null
                then reported_engagements_count::double / reporting_period_days
            else {{ counter_delta('likes_lifetime_count', 'previous_likes_lifetime_count') }}::double
                / (metric_date - previous_likes_lifetime_count_date)
        end as engagements_per_day,
        case
            when not is_clean then null
            when reported_views_count is not null then reported_views_count::double / reporting_period_days
            else {{ counter_delta('views_lifetime_count', 'previous_views_lifetime_count') }}::double
                / (metric_date - previous_views_lifetime_count_date)
        end as views_per_day
    from with_previous
),

-- Gaps and islands over stale days: a stale run is consecutive stale days.
stale_islands as (
    select
        *,
        case
            when is_stale
                then metric_date
                    - (row_number() over (partition by account_id, is_stale order by metric_date))::integer
        end as stale_island_key
    from per_day
),

stale_runs as (
    select
        *,
        case when is_stale then count(*) over stale_island end as stale_run_days,
        case when is_stale then min(metric_date) over stale_island end as stale_run_start_date,
        count(*) filter (where is_stale) over (partition by account_id) as account_stale_days,
        count(*) over (partition by account_id) as account_observed_days
    from stale_islands
    window stale_island as (partition by account_id, stale_island_key)
),

scored as (
    select
        *,
        -- How likely a stale run this long is for this account by chance: its own share of stale days
        -- outside the run (Laplace-smoothed) to the power of the run length. Small counters (a tiny X
        -- account) legitimately stand still for days; an account that changes daily does not.
        case
            when is_stale
                then stale_run_days * ln(
                        (account_stale_days - stale_run_days + 1)::double
                        / (account_observed_days - stale_run_days + 2)
                    )
        end as stale_run_log_chance,
        follower_change_per_day / nullif(previous_followers_count, 0) as follower_change_rate,
        median(follower_change_per_day) over recent_weeks as follower_change_median,
        mad(follower_change_per_day) over recent_weeks as follower_change_mad,
        count(follower_change_per_day) over recent_weeks as follower_change_days,
        -- Recent posting activity: today's posts plus the four days before, halving each day (posts keep
        -- drawing an audience for days). Null when today or yesterday is unknown; older unknown days count 0.
        new_posts_per_day
        + 0.5 * lag(new_posts_per_day) over account_rows
        + 0.25 * coalesce(lag(new_posts_per_day, 2) over account_rows, 0)
        + 0.125 * coalesce(lag(new_posts_per_day, 3) over account_rows, 0)
        + 0.0625 * coalesce(lag(new_posts_per_day, 4) over account_rows, 0) as posting_activity
    from stale_runs
    window
        account_rows as (partition by account_id order by metric_date),
        recent_weeks as (
            partition by account_id order by metric_date
            range between interval 28 days preceding and interval 1 days preceding
        )
),

final as (
    select
        account_id,
        metric_date,
        platform,
        unit_code,
        province_unit_code,
        peer_group,
        collection_method,
        reporting_period_days,
        day_of_week,
        followers_count,
        following_count,
        posts_total_count,
        views_lifetime_count,
        likes_lifetime_count,
        previous_followers_count,
        previous_followers_count_date as previous_follower_date,
        previous_posts_total_count,
        previous_views_lifetime_count,
        previous_likes_lifetime_count,
        previous_clean_date,
        is_clean,
        is_stale,
        stale_run_days::bigint as stale_run_days,
        stale_run_start_date,
        -- Frozen: a stale run long enough and too unlikely to be the account's own stillness.
        coalesce(
            stale_run_days >= {{ var('dq_frozen_min_days') }}
            and stale_run_log_chance <= ln({{ var('dq_frozen_max_chance') }}),
            false
        ) as is_frozen,
        is_glitch,
        nullif(glitch_metrics, '') as glitch_metrics,
        glitch_start_date,
        glitch_end_date,
        is_duplicated,
        case when is_duplicated then round(duplicate_factor_raw, 2) end as duplicate_factor,
        follower_change_per_day,
        follower_change_rate,
        follower_change_median,
        follower_change_mad,
        follower_change_days,
        new_posts_per_day,
        engagements_per_day,
        views_per_day,
        posting_activity
    from scored
)

select * from final
