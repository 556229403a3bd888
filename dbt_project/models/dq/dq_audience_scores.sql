-- One row per account-day with an audience figure (engagements, or views where a platform gives no
-- engagements: YouTube) and known posting activity: how that figure compares with what was expected.
--
-- Expected = the account's own robust level, adjusted for what legitimately moves an audience:
-- 1. posting: ln(1 + audience) rises with ln(0.25 + recent posting activity); the slope is estimated per
--    platform from every account's data (within-account regression), so a day with three new posts is
--    not a spike;
-- 2. the weekday: the platform's weekday profile of what posting leaves unexplained (seasonality);
-- 3. the account's level: median of the adjusted residual over the previous 28 days (at least 7 of them;
--    the following 28 days while the history is shorter), with its MAD as the spread;
-- 4. the day: the median deviation of the account's peers (same province and platform, at least four of
--    them) or of the whole platform, whichever is larger, when positive: a province-wide or national
--    campaign lifts every peer together and is not one account's anomaly.
-- score_z = (observed - expected) / spread in log units; the spread is at least the Poisson noise of the
-- expected count and 0.2.
{%- set level_days = var('dq_audience_level_days', 56) %}

with

signals as (
    select * from {{ ref('dq_account_day_signals') }}
),

audience as (
    select
        account_id,
        metric_date,
        platform,
        peer_group,
        day_of_week,
        posting_activity,
        case
            when engagements_per_day is not null then 'engagements_count'
            when views_per_day is not null then 'views_count'
        end as audience_metric,
        coalesce(engagements_per_day, views_per_day) as audience_per_day
    from signals
    where
        coalesce(engagements_per_day, views_per_day) is not null
        and posting_activity is not null
),

centred as (
    select
        *,
        ln(1 + audience_per_day) as log_audience,
        ln(0.25 + posting_activity) as log_activity,
        ln(1 + audience_per_day) - avg(ln(1 + audience_per_day)) over account_metric as log_audience_centred,
        ln(0.25 + posting_activity)
        - avg(ln(0.25 + posting_activity)) over account_metric as log_activity_centred
    from audience
    window account_metric as (partition by account_id, audience_metric)
),

with_slope as (
    select
        *,
        coalesce(
            regr_slope(log_audience_centred, log_activity_centred)
                over (partition by platform, audience_metric),
            0
        ) as posting_slope
    from centred
),

activity_residuals as (
    select
        *,
        log_audience - posting_slope * log_activity as activity_residual,
        log_audience - posting_slope * log_activity
        - avg(log_audience - posting_slope * log_activity) over (partition by account_id, audience_metric)
            as activity_residual_centred
    from with_slope
),

with_weekday as (
    select
        *,
        avg(activity_residual_centred) over (partition by platform, audience_metric, day_of_week)
            as weekday_effect
    from activity_residuals
),

adjusted as (
    select
        *,
        activity_residual - weekday_effect as adjusted_residual
    from with_weekday
),

levels as (
    select
        *,
        median(adjusted_residual) over nearby_days as level_median,
        mad(adjusted_residual) over nearby_days as level_mad,
        count(adjusted_residual) over nearby_days as level_days
    from adjusted
    window nearby_days as (
        partition by account_id, audience_metric order by metric_date
        range between interval {{ level_days }} days preceding and interval {{ level_days }} days following
        exclude current row
    )
),

baselines as (
    select *
    from levels
    where level_days >= 7
),

deviations as (
    select
        *,
        adjusted_residual - level_median as deviation,
        median(adjusted_residual - level_median) over province_day as province_shift,
        count(adjusted_residual - level_median) over province_day as province_peers,
        median(adjusted_residual - level_median) over platform_day as platform_shift
    from baselines
    window
        province_day as (partition by peer_group, platform, audience_metric, metric_date),
        platform_day as (partition by platform, audience_metric, metric_date)
),

expected as (
    select
        *,
        greatest(
            case when province_peers >= 4 then province_shift else 0 end, coalesce(platform_shift, 0), 0
        ) as peer_shift,
        level_median + posting_slope * log_activity + weekday_effect
        + greatest(
            case when province_peers >= 4 then province_shift else 0 end, coalesce(platform_shift, 0), 0
        ) as expected_log
    from deviations
),

final as (
    select
        account_id,
        metric_date,
        platform,
        peer_group,
        audience_metric,
        audience_per_day,
        posting_activity,
        posting_slope,
        weekday_effect,
        level_days,
        level_median,
        level_mad,
        peer_shift,
        province_peers,
        expected_log,
        exp(expected_log) - 1 as expected_audience,
        greatest(1.4826 * level_mad, 1 / sqrt(1 + greatest(exp(expected_log) - 1, 0)), 0.2) as spread_log,
        (log_audience - expected_log)
        / greatest(1.4826 * level_mad, 1 / sqrt(1 + greatest(exp(expected_log) - 1, 0)), 0.2) as score_z,
        (audience_per_day + 1) / exp(expected_log) as ratio_to_expected
    from expected
)

select * from final
