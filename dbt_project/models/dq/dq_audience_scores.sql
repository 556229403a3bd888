-- One row per account-day and audience metric (engagements_count; views_count, which YouTube derives from its
-- lifetime viewCount) with a baseline: how the day compares with what was expected for it.
--
-- Expected = the account's own level (dq_account_baselines: median of its previous dq_baseline_days days)
-- moved by its peers' common movement that day (dq_peer_movements: its platform's nationwide movement plus
-- its province's own, when the province has dq_peer_min_accounts accounts) and by its own posting as much as
-- posting moved everyone that day (posting_log = the day's posting_beta x its posting deviation). A season in
-- which everyone is seen less, a weekend, a national or provincial campaign day move the expectation, not the
-- account's score. A weekly manual report is judged against its week's average movement.
-- Engagements of an account that also has views are judged given the day's views (`reach_log`: their
-- peer-adjusted deviation times the platform's slope of engagements on views): reach moves both, so what
-- engagements do beyond it is their own (score_z); level_z scores them against their level and peers only
-- (a viral day raises both: dq_anomaly_candidates calls that an engagement spike, not a views spike).
-- Scores = (observed - expected) / spread in log units; the spread is the robust spread (1.4826 x MAD) of
-- the account's own adjusted deviations over the same previous days, shrunk towards its platform's typical
-- spread while it has few of them, at least the Poisson noise of the expected count and
-- dq_audience_min_spread.
-- A table, not incremental: reach_log uses the platform's slope of engagements on views over the whole
-- history and the spread priors are the platform's median over the whole history, so every new day moves
-- every older score. Incremental only if both are bounded to trailing windows (a detection change).
{%- set baseline_days = var('dq_baseline_days') %}
{%- set prior_days = var('dq_spread_prior_days') %}

with

baselines as (
    select * from {{ ref('dq_account_baselines') }}
    where metric <> 'new_posts_count' and has_baseline
),

movements as (
    select * from {{ ref('dq_peer_movements') }}
),

judged as (
    select
        baselines.*,
        coalesce(
            case
                when baselines.reporting_period_days = 7 then platform.movement_7d_log
                else platform.movement_log
            end,
            0
        ) as platform_movement_log,
        coalesce(platform.posting_beta, 0) * baselines.activity_deviation_log as posting_log,
        coalesce(
            case
                when baselines.reporting_period_days = 7 then province.movement_7d_log
                else province.movement_log
            end,
            0
        ) as province_movement_log
    from baselines
    left join movements as platform
        on
            baselines.metric_date = platform.metric_date
            and platform.scope = 'platform'
            and baselines.platform = platform.scope_code
            and baselines.metric = platform.metric
    left join movements as province
        on
            baselines.metric_date = province.metric_date
            and province.scope = 'province'
            and baselines.peer_group = province.scope_code
            and baselines.metric = province.metric
),

deviations as (
    select
        *,
        platform_movement_log + province_movement_log as peer_movement_log,
        deviation_log - platform_movement_log - province_movement_log - posting_log as peer_adjusted_log
    from judged
),

-- Engagements are judged given the day's views where the account has both: the reach that moves both is
-- shared (a viral post raises both, and is the views' spike); what engagements do beyond it is their own.
with_views as (
    select
        *,
        case
            when metric = 'engagements_count'
                then max(case when metric = 'views_count' then peer_adjusted_log end) over account_day
        end as views_adjusted_log
    from deviations
    window account_day as (partition by account_id, metric_date)
),

with_reach as (
    select
        *,
        -- No slope (0) where the platform's views never varied: regr_slope is then NaN (0/0), which would
        -- pass every threshold.
        coalesce(
            views_adjusted_log * nullif(
                regr_slope(peer_adjusted_log, views_adjusted_log) over (partition by platform, metric), 'nan'
            ),
            0
        )
            as reach_log
    from with_views
),

own_spreads as (
    select
        *,
        peer_adjusted_log - reach_log as judged_log,
        own_level_log + peer_movement_log + posting_log + reach_log as expected_log,
        mad(peer_adjusted_log - reach_log) over own_history as own_judged_mad,
        mad(peer_adjusted_log) over own_history as own_level_mad,
        count(peer_adjusted_log) over own_history as own_spread_days
    from with_reach
    window own_history as (
        partition by account_id, metric order by metric_date
        range between interval {{ baseline_days }} days preceding and interval 1 days preceding
    )
),

-- An account's spread from its own days, shrunk towards its platform's typical spread while it has few of
-- them (dq_spread_prior_days days' worth of the platform's median spread).
spreads as (
    select
        *,
        sqrt(
            (
                coalesce(own_spread_days * own_judged_mad ^ 2, 0)
                + {{ prior_days }} * coalesce(prior_judged_mad, own_mad_log) ^ 2
            )
            / (own_spread_days + {{ prior_days }})
        ) as judged_mad,
        sqrt(
            (
                coalesce(own_spread_days * own_level_mad ^ 2, 0)
                + {{ prior_days }} * coalesce(prior_level_mad, own_mad_log) ^ 2
            )
            / (own_spread_days + {{ prior_days }})
        ) as level_mad
    from (
        select
            *,
            median(case when own_spread_days >= 2 * {{ var('dq_baseline_min_days') }} then own_judged_mad end)
                over platform_metric as prior_judged_mad,
            median(case when own_spread_days >= 2 * {{ var('dq_baseline_min_days') }} then own_level_mad end)
                over platform_metric as prior_level_mad
        from own_spreads
        window platform_metric as (partition by platform, metric)
    ) as with_priors
),

final as (
    select
        account_id,
        metric_date,
        platform,
        peer_group,
        collection_method,
        reporting_period_days,
        metric as audience_metric,
        value_per_day as audience_per_day,
        posting_activity,
        posting_log,
        own_level_log,
        platform_movement_log,
        province_movement_log,
        peer_movement_log,
        reach_log,
        expected_log,
        greatest(exp(expected_log) - 1, 0) as expected_audience,
        {{ dq_log_spread('judged_mad', 'expected_log') }} as spread_log,
        judged_log / {{ dq_log_spread('judged_mad', 'expected_log') }} as score_z,
        (value_per_day + 1) / exp(expected_log) as ratio_to_expected,
        greatest(exp(expected_log - reach_log) - 1, 0) as level_expected_audience,
        {{ dq_log_spread('level_mad', 'expected_log - reach_log') }} as level_spread_log,
        peer_adjusted_log / {{ dq_log_spread('level_mad', 'expected_log - reach_log') }} as level_z,
        (value_per_day + 1) / exp(expected_log - reach_log) as level_ratio
    from spreads
)

select * from final
