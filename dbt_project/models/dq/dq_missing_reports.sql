-- One row per expected account-day with no figures (dq_expected_account_days where nothing arrived), with
-- the reason the head office can act on and the consecutive-missing streak it belongs to.
-- `reason` (coarse, stable): never_connected (the unit never granted a token: fetch status missing_token),
-- fetch_failed (the platform answered with an error), rejected_at_ingestion (fetched, but the partition
-- failed
-- the ingestion gate and was quarantined), not_fetched (no attempt recorded), no_manual_report (manual
-- account).
-- `reason_detail` maps every fetch-log status to who must act: token_missing, token_invalid (auth_failed:
-- expired or revoked), permission_denied, account_not_found, account_suspended (a person), quota_exceeded,
-- rate_limited (wait: the pipeline retries), platform_error (failed: transient trouble that outlived the
-- retries), other_error (a status this model does not know yet), and the three non-fetch reasons as they are.
-- `is_platform_wide`: at least dq_outage_share of the platform's API accounts expected that day are missing
-- for a platform reason (anything but never_connected): a platform outage, reported once in dq_system_events
-- while each account-day stays here.
-- A table, not incremental: the streak columns (streak_length_days, streak_end_date, is_ongoing) of a run
-- that continues today change on every one of its days back to its start, and a never-connected account's
-- run starts on the window's first day. It reads the incremental dq_expected_account_days whole (cheap).
with

expected as (
    select * from {{ ref('dq_expected_account_days') }}
),

-- A re-run replaces a fetch-log partition, but keep only the latest attempt should two ever coexist.
fetch_attempts as (
    select *
    from {{ ref('stg_lake__fetch_logs') }}
    qualify row_number() over (partition by account_id, metric_date order by fetched_at desc, run_id desc) = 1
),

units as (
    select * from {{ ref('dim_units') }}
),

missing as (
    select
        expected.account_id,
        expected.metric_date,
        expected.unit_code,
        expected.platform,
        expected.collection_method,
        expected.province_unit_code,
        fetch_attempts.status as fetch_status,
        fetch_attempts.error_code,
        fetch_attempts.error_message,
        fetch_attempts.http_status,
        fetch_attempts.attempts::bigint as fetch_attempts_count,
        case
            when expected.collection_method = 'manual' then 'no_manual_report'
            when fetch_attempts.status = 'missing_token' then 'never_connected'
            when fetch_attempts.status is null then 'not_fetched'
            when fetch_attempts.is_ok then 'rejected_at_ingestion'
            else 'fetch_failed'
        end as reason,
        case
            when expected.collection_method = 'manual' then 'no_manual_report'
            when fetch_attempts.status is null then 'not_fetched'
            when fetch_attempts.is_ok then 'rejected_at_ingestion'
            when fetch_attempts.status = 'missing_token' then 'token_missing'
            when fetch_attempts.status = 'auth_failed' then 'token_invalid'
            when fetch_attempts.status = 'permission_denied' then 'permission_denied'
            when fetch_attempts.status = 'not_found' then 'account_not_found'
            when fetch_attempts.status = 'suspended' then 'account_suspended'
            when fetch_attempts.status = 'quota_exceeded' then 'quota_exceeded'
            when fetch_attempts.status = 'rate_limited' then 'rate_limited'
            when fetch_attempts.status = 'failed' then 'platform_error'
            else 'other_error'
        end as reason_detail
    from expected
    left join fetch_attempts
        on
            expected.account_id = fetch_attempts.account_id
            and expected.metric_date = fetch_attempts.metric_date
    where not expected.is_received
),

-- A platform's share of API accounts missing for a platform reason that day.
platform_days as (
    select
        platform,
        metric_date,
        count(*) as platform_expected_count
    from expected
    where collection_method = 'api'
    group by platform, metric_date
),

platform_missing as (
    select
        missing.*,
        platform_days.platform_expected_count,
        count(*) filter (where missing.collection_method = 'api' and missing.reason <> 'never_connected')
            over (
                partition by missing.platform, missing.metric_date
            ) as platform_missing_count
    from missing
    left join platform_days
        on missing.platform = platform_days.platform and missing.metric_date = platform_days.metric_date
),

platform_wide as (
    select
        *,
        coalesce(
            collection_method = 'api'
            and reason <> 'never_connected'
            and platform_missing_count >= {{ var('dq_outage_share') }} * platform_expected_count
            and platform_missing_count >= {{ var('dq_peer_min_accounts') }},
            false
        ) as is_platform_wide
    from platform_missing
),

-- Gaps and islands: consecutive missing days of an account share metric_date minus their rank.
islands as (
    select
        *,
        metric_date - (row_number() over (partition by account_id order by metric_date))::integer as island
    from platform_wide
),

streaks as (
    select
        *,
        row_number() over streak as consecutive_missing_days,
        count(*) over streak_whole as streak_length_days,
        min(metric_date) over streak_whole as streak_start_date,
        max(metric_date) over streak_whole as streak_end_date
    from islands
    window
        streak as (partition by account_id, island order by metric_date),
        streak_whole as (partition by account_id, island)
),

account_last_days as (
    select
        account_id,
        max(metric_date) as last_expected_date
    from expected
    group by account_id
),

final as (
    select
        streaks.account_id,
        streaks.metric_date,
        streaks.unit_code,
        units.unit_name,
        units.unit_level,
        streaks.province_unit_code,
        streaks.platform,
        streaks.collection_method,
        streaks.reason,
        streaks.reason_detail,
        streaks.fetch_status,
        streaks.error_code,
        streaks.error_message,
        streaks.http_status,
        streaks.fetch_attempts_count,
        streaks.is_platform_wide,
        streaks.platform_expected_count::bigint as platform_expected_count,
        streaks.platform_missing_count::bigint as platform_missing_count,
        streaks.consecutive_missing_days::bigint as consecutive_missing_days,
        streaks.streak_length_days::bigint as streak_length_days,
        streaks.streak_start_date,
        streaks.streak_end_date,
        -- The streak is still running if it reaches the account's last expected day.
        streaks.streak_end_date = account_last_days.last_expected_date as is_ongoing,
        {{ dq_missing_explanation('streaks', 'id') }} as explanation,
        {{ dq_missing_explanation('streaks', 'en') }} as explanation_en
    from streaks
    left join units
        on streaks.unit_code = units.unit_code
    left join account_last_days
        on streaks.account_id = account_last_days.account_id
)

select * from final
