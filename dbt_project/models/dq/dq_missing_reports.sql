-- One row per expected account-day with no figures (dq_expected_account_days where nothing arrived), with
-- the reason the head office can act on and the consecutive-missing streak it belongs to.
-- Reasons: never_connected (the unit never granted a token: fetch log status missing_token),
-- fetch_failed (the platform answered with an error; status, code and message from the fetch log),
-- rejected_at_ingestion (fetched, but the partition failed the ingestion gate and was quarantined),
-- not_fetched (no fetch attempt recorded for that day), no_manual_report (manual account, no report).
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
        fetch_attempts.attempts as fetch_attempts_count,
        case
            when expected.collection_method = 'manual' then 'no_manual_report'
            when fetch_attempts.status = 'missing_token' then 'never_connected'
            when fetch_attempts.status is null then 'not_fetched'
            when fetch_attempts.is_ok then 'rejected_at_ingestion'
            else 'fetch_failed'
        end as reason
    from expected
    left join fetch_attempts
        on
            expected.account_id = fetch_attempts.account_id
            and expected.metric_date = fetch_attempts.metric_date
    where not expected.is_received
),

-- Gaps and islands: consecutive missing days of an account share metric_date minus their rank.
islands as (
    select
        *,
        metric_date - (row_number() over (partition by account_id order by metric_date))::integer as island
    from missing
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
        streaks.fetch_status,
        streaks.error_code,
        streaks.error_message,
        streaks.http_status,
        streaks.fetch_attempts_count,
        streaks.consecutive_missing_days,
        streaks.streak_length_days,
        streaks.streak_start_date,
        streaks.streak_end_date,
        -- The streak is still running if it reaches the account's last expected day.
        streaks.streak_end_date = account_last_days.last_expected_date as is_ongoing,
        case streaks.reason
            when 'never_connected'
                then 'Akun belum pernah dihubungkan: unit belum memberikan token akses.'
            when 'fetch_failed'
                then 'Pengambilan data dari platform gagal (' || streaks.fetch_status
                    || coalesce(', kode ' || streaks.error_code, '') || ').'
            when 'rejected_at_ingestion'
                then 'Data sudah diambil tetapi ditolak pemeriksaan mutu dan dikarantina.'
            when 'not_fetched'
                then 'Belum ada upaya pengambilan data untuk hari ini.'
            else 'Laporan manual untuk hari ini belum diterima.'
        end as explanation,
        case streaks.reason
            when 'never_connected'
                then 'Account never connected: the unit has not granted an access token.'
            when 'fetch_failed'
                then 'The platform returned an error when fetching (' || streaks.fetch_status
                    || coalesce(', code ' || streaks.error_code, '') || ').'
            when 'rejected_at_ingestion'
                then 'Figures were fetched but failed the ingestion checks and were quarantined.'
            when 'not_fetched'
                then 'No fetch was attempted for this day.'
            else 'No manual report has been received for this day.'
        end as explanation_en
    from streaks
    left join units
        on streaks.unit_code = units.unit_code
    left join account_last_days
        on streaks.account_id = account_last_days.account_id
)

select * from final
