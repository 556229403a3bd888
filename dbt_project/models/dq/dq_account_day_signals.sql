-- One row per observed account-day with the signals the anomaly rules score (dq_anomalies reads this).
--
-- Stale data: a day whose every reported value repeats the previous day's is `is_stale`; stale days are
-- treated as not observed when computing daily rates, so the catch-up after a stale stretch is spread over
-- the days it covers instead of looking like a spike. Daily figures derived from lifetime counters
-- (new posts from a posts total, TikTok likes, YouTube views) and follower growth are per day
-- (divided by the days since the previous fresh observation); a weekly manual report's activity is
-- divided by its seven days.
--
-- Follower changes get a robust baseline (median/MAD of the previous 28 days' daily changes); posting
-- activity (today's and the two previous days' posts, fading) feeds the audience model (dq_audience_scores).
{%- set state_columns = account_day_metric_columns() %}
{%- set frozen_min_days = var('dq_frozen_min_days', 3) %}
{%- set frozen_max_chance = var('dq_frozen_max_chance', 0.0001) %}

with

enriched as (
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
        enriched.account_id,
        enriched.metric_date,
        enriched.platform,
        enriched.unit_code,
        coalesce(accounts.province_unit_code, 'national') as peer_group,
        enriched.collection_method,
        coalesce(enriched.reporting_period_days, 1) as reporting_period_days,
        isodow(enriched.metric_date) as day_of_week,
        enriched.followers_count,
        enriched.posts_total_count,
        enriched.views_lifetime_count,
        enriched.likes_lifetime_count,
        enriched.new_posts_count,
        enriched.engagements_count,
        enriched.views_count,
        reported.views_count is null and enriched.views_count is not null as is_views_derived,
        reported.new_posts_count is null and enriched.new_posts_count is not null as is_new_posts_derived,
        reported.likes_count is null and enriched.likes_count is not null as is_engagements_derived,
        enriched.days_since_previous_observation = 1 as follows_previous_day,
        -- Every reported value in one comparable string (null shown as '-'), and whether any exists.
        {{ dq_state_fingerprint('reported', state_columns) }} as reported_state,
        {{ dq_any_value('reported', state_columns) }} as has_reported_value
    from enriched
    inner join reported
        on
            enriched.account_id = reported.account_id
            and enriched.metric_date = reported.metric_date
    left join accounts
        on enriched.account_id = accounts.account_id
),

-- Stale: the previous row is the day before and every reported value (at least one) repeats it.
with_stale as (
    select
        *,
        coalesce(
            follows_previous_day
            and has_reported_value
            and reported_state = lag(reported_state) over (partition by account_id order by metric_date),
            false
        ) as is_stale
    from days
),

-- Gaps and islands over stale days: a stale run is consecutive stale days.
stale_islands as (
    select
        *,
        case
            when is_stale
                then metric_date
                    - (row_number() over (partition by account_id, is_stale order by metric_date))::integer
        end as stale_island
    from with_stale
),

stale_runs as (
    select
        *,
        case when is_stale then count(*) over (partition by account_id, stale_island) end as stale_run_days,
        case when is_stale then min(metric_date) over (partition by account_id, stale_island) end
            as stale_run_start_date,
        count(*) filter (where is_stale) over (partition by account_id) as account_stale_days,
        count(*) over (partition by account_id) as account_observed_days
    from stale_islands
),

-- Previous fresh (non-stale) observation of each counter, and the days since.
with_fresh_previous as (
    select
        *,
        lag(case when not is_stale and followers_count is not null then metric_date end ignore nulls)
            over account_history as previous_follower_date,
        lag(case when not is_stale then followers_count end ignore nulls)
            over account_history as previous_followers_count,
        lag(case when not is_stale then metric_date end ignore nulls)
            over account_history
            as previous_fresh_date,
        lag(posts_total_count) over account_history as previous_posts_total_count,
        lag(views_lifetime_count) over account_history as previous_views_lifetime_count,
        lag(likes_lifetime_count) over account_history as previous_likes_lifetime_count,
        lag(
            case when not is_stale then posts_total_count end ignore nulls
        ) over account_history as previous_fresh_posts_total_count,
        lag(
            case when not is_stale then likes_lifetime_count end ignore nulls
        ) over account_history as previous_fresh_likes_lifetime_count,
        lag(
            case when not is_stale then views_lifetime_count end ignore nulls
        ) over account_history as previous_fresh_views_lifetime_count
    from stale_runs
    window account_history as (partition by account_id order by metric_date)
),

per_day as (
    select
        *,
        case
            when not is_stale
                then (followers_count - previous_followers_count)::double
                    / (metric_date - previous_follower_date)
        end as follower_change_per_day,
        case
            when is_stale then null
            when is_new_posts_derived
                then greatest(posts_total_count - previous_fresh_posts_total_count, 0)::double
                    / (metric_date - previous_fresh_date)
            else new_posts_count::double / reporting_period_days
        end as new_posts_per_day,
        case
            when is_stale then null
            when is_engagements_derived and likes_lifetime_count >= previous_fresh_likes_lifetime_count
                then (likes_lifetime_count - previous_fresh_likes_lifetime_count)::double
                    / (metric_date - previous_fresh_date)
            when is_engagements_derived then null
            else engagements_count::double / reporting_period_days
        end as engagements_per_day,
        case
            when is_stale then null
            when is_views_derived and views_lifetime_count >= previous_fresh_views_lifetime_count
                then (views_lifetime_count - previous_fresh_views_lifetime_count)::double
                    / (metric_date - previous_fresh_date)
            when is_views_derived then null
            else views_count::double / reporting_period_days
        end as views_per_day
    from with_fresh_previous
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
        -- Recent posting activity: today's posts plus the two days before, fading (posts keep drawing an
        -- audience for a few days). Null when any of the three days is unknown.
        new_posts_per_day
        + 0.5 * lag(new_posts_per_day) over account_history
        + 0.25 * lag(new_posts_per_day, 2) over account_history as posting_activity
    from per_day
    window
        account_history as (partition by account_id order by metric_date),
        recent_weeks as (
            partition by account_id order by metric_date
            range between interval 28 days preceding and interval 1 days preceding
        )
),

final as (
    select
        *,
        -- Frozen: a stale run long enough and too unlikely to be the account's own stillness.
        coalesce(
            stale_run_days >= {{ frozen_min_days }} and stale_run_log_chance <= ln({{ frozen_max_chance }}),
            false
        ) as is_frozen
    from scored
)

select * from final
