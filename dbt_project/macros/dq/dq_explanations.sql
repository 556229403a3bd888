{#-
    Plain one-sentence explanations of data-quality findings for PR officers, in Indonesian ('id') or English
    ('en'). Numbers use each language's separators: 1.234.567 and 12,5 % in Indonesian, 1,234,567 and 12.5 %
    in English. Every anomaly sentence names what the account was judged against: its peers' movement that
    day (audience, posting) or how many of its platform's accounts showed the same (counter rules).
-#}
{% macro dq_fmt_count(expr, lang) -%}
    {%- if lang == 'id' -%}
        replace(format('{:,}', round({{ expr }})::bigint), ',', '.')
    {%- else -%}
        format('{:,}', round({{ expr }})::bigint)
    {%- endif -%}
{%- endmacro %}


{% macro dq_fmt_pct(expr, lang, signed=false) -%}
    {%- set pattern = '{:+.1f}' if signed else '{:.1f}' -%}
    {%- if lang == 'id' -%}
        replace(format('{{ pattern }}', 100 * ({{ expr }})), '.', ',') || ' %'
    {%- else -%}
        format('{{ pattern }}', 100 * ({{ expr }})) || ' %'
    {%- endif -%}
{%- endmacro %}


{% macro dq_counter_name(expr, lang) -%}
    case {{ expr }}
    {%- if lang == 'id' %}
        when 'followers_count' then 'pengikut'
        when 'posts_total_count' then 'total unggahan'
        when 'views_lifetime_count' then 'total tayangan'
        when 'likes_lifetime_count' then 'total suka'
    {%- else %}
        when 'followers_count' then 'followers'
        when 'posts_total_count' then 'lifetime posts'
        when 'views_lifetime_count' then 'lifetime views'
        when 'likes_lifetime_count' then 'lifetime likes'
    {%- endif %}
        else {{ expr }}
    end
{%- endmacro %}


{#- "(only 1 of 486 instagram accounts that day)": how rare the same flag was on the platform. -#}
{% macro dq_peers_phrase(t, lang) -%}
    {%- if lang == 'id' -%}
        coalesce(' (' || {{ t }}peers_flagged_count || ' dari ' || {{ t }}peers_count || ' akun ' || {{ t }}platform
        || ' hari itu)', '')
    {%- else -%}
        coalesce(' (' || {{ t }}peers_flagged_count || ' of ' || {{ t }}peers_count || ' ' || {{ t }}platform
        || ' accounts that day)', '')
    {%- endif -%}
{%- endmacro %}


{#- "while comparable accounts moved -12,0 %": the peer movement the account was judged against. -#}
{% macro dq_peer_movement_phrase(t, lang, what) -%}
    {%- if lang == 'id' -%}
        coalesce(', sementara ' || '{{ what }}' || ' akun sejenis (platform dan provinsi yang sama) berubah '
        || {{ dq_fmt_pct('(' ~ t ~ 'peer_movement_pct / 100)', 'id', signed=true) }} || ' dari biasanya', '')
    {%- else -%}
        coalesce(', while comparable accounts'' (same platform and province) ' || '{{ what }}' || ' moved '
        || {{ dq_fmt_pct('(' ~ t ~ 'peer_movement_pct / 100)', 'en', signed=true) }} || ' from their usual', '')
    {%- endif -%}
{%- endmacro %}


{% macro dq_anomaly_explanation(alias, lang) -%}
    {%- set t = alias ~ '.' -%}
    {%- set change = t ~ 'observed_value - ' ~ t ~ 'reference_value' -%}
    {%- set change_rate = '(' ~ change ~ ') / nullif(' ~ t ~ 'reference_value, 0)' -%}
    {%- set fall = '-(' ~ change ~ ')' -%}
    {%- set fall_rate = '-(' ~ change_rate ~ ')' -%}
    {%- set days = '(' ~ t ~ 'event_end_date - ' ~ t ~ 'event_start_date + 1)' -%}
    case {{ t }}anomaly_type
    {%- if lang == 'id' %}
        when 'follower_jump' then
            'Pengikut naik ' || {{ dq_fmt_count(change, 'id') }} || ' (' || {{ dq_fmt_pct(change_rate, 'id') }}
            || ') dalam ' || {{ days }} || ' hari, jauh di atas pertumbuhan biasanya' || {{ dq_peers_phrase(t, 'id') }}
            || '; periksa kemungkinan pembelian pengikut.'
        when 'follower_drop' then
            'Pengikut turun ' || {{ dq_fmt_count(fall, 'id') }} || ' (' || {{ dq_fmt_pct(fall_rate, 'id') }}
            || ') dalam ' || {{ days }} || ' hari' || {{ dq_peers_phrase(t, 'id') }}
            || '; periksa apakah akun diretas atau pengikut palsu dibersihkan.'
        when 'counter_decrease' then
            'Angka ' || {{ dq_counter_name(t ~ 'metric', 'id') }} || ' seumur akun turun dari '
            || {{ dq_fmt_count(t ~ 'reference_value', 'id') }} || ' menjadi '
            || {{ dq_fmt_count(t ~ 'observed_value', 'id') }} || {{ dq_peers_phrase(t, 'id') }}
            || ', padahal angka total tidak boleh berkurang; periksa penghapusan konten atau salah isi.'
        when 'value_glitch' then
            'Angka ' || {{ dq_counter_name(t ~ 'metric', 'id') }} || ' sempat tercatat '
            || {{ dq_fmt_count(t ~ 'observed_value', 'id') }} || ' (sebelumnya '
            || {{ dq_fmt_count(t ~ 'reference_value', 'id') }} || ') lalu kembali normal' || {{ dq_peers_phrase(t, 'id') }}
            || ': kesalahan data sesaat dari sumber, bukan perubahan nyata; angka hari itu jangan dipakai.'
        when 'duplicated_load' then
            'Semua angka hari ini ' || replace(format('{:.1f}', {{ t }}observed_value), '.', ',')
            || ' kali angka sebelumnya' || {{ dq_peers_phrase(t, 'id') }}
            || ': data kemungkinan termuat ganda; angka hari itu jangan dipakai.'
        when 'frozen' then
            'Semua angka sama persis dengan hari sebelumnya selama ' || {{ t }}observed_value::bigint
            || ' hari berturut-turut' || {{ dq_peers_phrase(t, 'id') }} || '; data kemungkinan tidak diperbarui.'
        when 'engagement_spike' then
            'Interaksi ' || {{ dq_fmt_count(t ~ 'observed_value', 'id') }}
            || ' jauh di atas perkiraan (paling tinggi ' || {{ dq_fmt_count(t ~ 'expected_high', 'id') }} || ')'
            || {{ dq_peer_movement_phrase(t, 'id', 'interaksi') }} || '; periksa apakah wajar.'
        when 'views_spike' then
            'Tayangan ' || {{ dq_fmt_count(t ~ 'observed_value', 'id') }}
            || ' jauh di atas perkiraan (paling tinggi ' || {{ dq_fmt_count(t ~ 'expected_high', 'id') }} || ')'
            || {{ dq_peer_movement_phrase(t, 'id', 'tayangan') }} || '; periksa apakah wajar.'
        when 'posting_silence' then
            'Tidak ada unggahan baru selama ' || {{ days }} || ' hari, '
            || case
                when {{ t }}detection_method = 'audience'
                    then 'dan jangkauan audiens turun jauh di bawah biasanya'
                else 'padahal biasanya akun ini mengunggah '
                    || replace(format('{:.1f}', 7 * {{ t }}reference_value), '.', ',') || ' kali per minggu'
            end
            || {{ dq_peer_movement_phrase(t, 'id', 'unggahan') }} || '.'
        when 'inactive' then
            'Tidak ada unggahan baru sama sekali selama ' || {{ days }} || ' hari yang teramati.'
    {%- else %}
        when 'follower_jump' then
            'Followers rose by ' || {{ dq_fmt_count(change, 'en') }} || ' (' || {{ dq_fmt_pct(change_rate, 'en') }}
            || ') in ' || {{ days }} || ' day(s), far above the usual growth' || {{ dq_peers_phrase(t, 'en') }}
            || '; check for bought followers.'
        when 'follower_drop' then
            'Followers fell by ' || {{ dq_fmt_count(fall, 'en') }} || ' (' || {{ dq_fmt_pct(fall_rate, 'en') }}
            || ') in ' || {{ days }} || ' day(s)' || {{ dq_peers_phrase(t, 'en') }}
            || '; check whether the account was hacked or purged of fake followers.'
        when 'counter_decrease' then
            'The ' || {{ dq_counter_name(t ~ 'metric', 'en') }} || ' fell from '
            || {{ dq_fmt_count(t ~ 'reference_value', 'en') }} || ' to '
            || {{ dq_fmt_count(t ~ 'observed_value', 'en') }} || {{ dq_peers_phrase(t, 'en') }}
            || ', but a lifetime total never goes down; check for deleted content or a wrong figure.'
        when 'value_glitch' then
            'The ' || {{ dq_counter_name(t ~ 'metric', 'en') }} || ' read '
            || {{ dq_fmt_count(t ~ 'observed_value', 'en') }} || ' (before: '
            || {{ dq_fmt_count(t ~ 'reference_value', 'en') }} || ') and then came back' || {{ dq_peers_phrase(t, 'en') }}
            || ': a passing error in the source, not a real change; do not use that day''s figures.'
        when 'duplicated_load' then
            'Every figure of the day is ' || format('{:.1f}', {{ t }}observed_value)
            || ' times the previous one' || {{ dq_peers_phrase(t, 'en') }}
            || ': the data was probably loaded twice; do not use that day''s figures.'
        when 'frozen' then
            'Every figure has repeated the previous day''s for ' || {{ t }}observed_value::bigint
            || ' days in a row' || {{ dq_peers_phrase(t, 'en') }} || '; the data is probably not being updated.'
        when 'engagement_spike' then
            'Engagements of ' || {{ dq_fmt_count(t ~ 'observed_value', 'en') }}
            || ' are far above the expected (at most ' || {{ dq_fmt_count(t ~ 'expected_high', 'en') }} || ')'
            || {{ dq_peer_movement_phrase(t, 'en', 'engagements') }} || '; check whether this is genuine.'
        when 'views_spike' then
            'Views of ' || {{ dq_fmt_count(t ~ 'observed_value', 'en') }}
            || ' are far above the expected (at most ' || {{ dq_fmt_count(t ~ 'expected_high', 'en') }} || ')'
            || {{ dq_peer_movement_phrase(t, 'en', 'views') }} || '; check whether this is genuine.'
        when 'posting_silence' then
            'No new posts for ' || {{ days }} || ' days, '
            || case
                when {{ t }}detection_method = 'audience'
                    then 'and the audience has fallen far below normal'
                else 'although this account usually posts '
                    || format('{:.1f}', 7 * {{ t }}reference_value) || ' times a week'
            end
            || {{ dq_peer_movement_phrase(t, 'en', 'posting') }} || '.'
        when 'inactive' then
            'No new posts at all in the ' || {{ days }} || ' days observed.'
    {%- endif %}
    end
{%- endmacro %}


{% macro dq_missing_explanation(alias, lang) -%}
    {%- set t = alias ~ '.' -%}
    {%- set code_word = 'kode' if lang == 'id' else 'code' -%}
    {%- set code = "coalesce(', " ~ code_word ~ " ' || " ~ t ~ "error_code, '')" -%}
    case {{ t }}reason_detail
    {%- if lang == 'id' %}
        when 'no_manual_report' then 'Laporan manual untuk hari ini belum diterima.'
        when 'not_fetched' then 'Belum ada upaya pengambilan data untuk hari ini.'
        when 'rejected_at_ingestion' then 'Data sudah diambil tetapi ditolak pemeriksaan mutu dan dikarantina.'
        when 'token_missing' then 'Akun belum pernah dihubungkan: unit belum memberikan token akses.'
        when 'token_invalid' then 'Token akses kedaluwarsa atau dicabut: unit perlu menghubungkan ulang akunnya.'
        when 'permission_denied' then 'Izin akses kurang: unit perlu memberikan ulang izin yang diminta.'
        when 'account_not_found' then 'Akun tidak ditemukan di platform: periksa ID akun di registri.'
        when 'account_suspended' then 'Akun ditangguhkan oleh platform: unit perlu menghubungi platform.'
        when 'quota_exceeded' then 'Kuota harian API habis: diambil ulang otomatis setelah kuota pulih.'
        when 'rate_limited' then 'Dibatasi laju oleh platform: diambil ulang otomatis setelah waktu tunggu.'
        else 'Pengambilan data dari platform gagal (' || {{ t }}fetch_status || {{ code }} || ').'
    end
    || case when {{ t }}is_platform_wide then ' Gangguan ini menimpa ' || {{ t }}platform_missing_count || ' dari '
        || {{ t }}platform_expected_count || ' akun ' || {{ t }}platform || ' hari itu: gangguan platform, bukan unit.'
        else '' end
    {%- else %}
        when 'no_manual_report' then 'No manual report has been received for this day.'
        when 'not_fetched' then 'No fetch was attempted for this day.'
        when 'rejected_at_ingestion' then 'Figures were fetched but failed the ingestion checks and were quarantined.'
        when 'token_missing' then 'Account never connected: the unit has not granted an access token.'
        when 'token_invalid' then 'The access token expired or was revoked: the unit must connect the account again.'
        when 'permission_denied' then 'A permission is missing: the unit must grant the requested permissions again.'
        when 'account_not_found' then 'The platform does not know the account: check its id in the registry.'
        when 'account_suspended' then 'The platform suspended the account: the unit must contact the platform.'
        when 'quota_exceeded' then 'The daily API quota ran out: fetched again automatically once it resets.'
        when 'rate_limited' then 'Rate-limited by the platform: fetched again automatically after the wait.'
        else 'The platform returned an error when fetching (' || {{ t }}fetch_status || {{ code }} || ').'
    end
    || case when {{ t }}is_platform_wide then ' This hit ' || {{ t }}platform_missing_count || ' of '
        || {{ t }}platform_expected_count || ' ' || {{ t }}platform || ' accounts that day: a platform outage, not the unit.'
        else '' end
    {%- endif %}
{%- endmacro %}


{% macro dq_system_explanation(lang) -%}
    {%- set scope_id -%}
        case scope when 'national' then 'Semua akun' when 'platform' then 'Akun ' || scope_code
        else 'Akun provinsi ' || scope_code end
    {%- endset -%}
    {%- set scope_en -%}
        case scope when 'national' then 'All accounts' when 'platform' then scope_code || ' accounts'
        else 'The accounts of province ' || scope_code end
    {%- endset -%}
    {%- set dates -%}
        strftime(start_date, '%Y-%m-%d')
        || case when end_date > start_date then '..' || strftime(end_date, '%Y-%m-%d') else '' end
    {%- endset -%}
    {%- if lang == 'id' -%}
        case event_type
            when 'platform_outage' then
                'Platform ' || scope_code || ' tidak dapat diambil datanya pada ' || {{ dates }} || ' ('
                || accounts_affected_count || ' dari ' || accounts_count || ' akun): gangguan platform, bukan unit.'
            when 'platform_data_fault' then
                'Data ' || scope_code || ' pada ' || {{ dates }} || ' bermasalah untuk ' || accounts_affected_count
                || ' dari ' || accounts_count || ' akun sekaligus (' || metrics || '): kesalahan sumber data, bukan akun.'
            else
                {{ scope_id }} || ' bergerak bersama pada ' || {{ dates }}
                || coalesce(': unggahan ' || {{ dq_fmt_pct('posts_ratio - 1', 'id', signed=true) }}, '')
                || coalesce(', audiens ' || {{ dq_fmt_pct('audience_ratio - 1', 'id', signed=true) }}, '')
                || ' dibanding biasanya (' || accounts_affected_count || ' dari ' || accounts_count
                || ' akun). Perubahan bersama seperti ini (musim, kampanye, perubahan platform) tidak dinilai sebagai anomali akun.'
        end
    {%- else -%}
        case event_type
            when 'platform_outage' then
                'No ' || scope_code || ' figures could be fetched on ' || {{ dates }} || ' ('
                || accounts_affected_count || ' of ' || accounts_count || ' accounts): a platform outage, not the units.'
            when 'platform_data_fault' then
                scope_code || ' data on ' || {{ dates }} || ' is wrong for ' || accounts_affected_count || ' of '
                || accounts_count || ' accounts at once (' || metrics || '): a source fault, not the accounts.'
            else
                {{ scope_en }} || ' moved together on ' || {{ dates }}
                || coalesce(': posts ' || {{ dq_fmt_pct('posts_ratio - 1', 'en', signed=true) }}, '')
                || coalesce(', audience ' || {{ dq_fmt_pct('audience_ratio - 1', 'en', signed=true) }}, '')
                || ' against the usual (' || accounts_affected_count || ' of ' || accounts_count
                || ' accounts). A shared movement like this (a season, a campaign, a platform change) is not judged an account anomaly.'
        end
    {%- endif -%}
{%- endmacro %}
