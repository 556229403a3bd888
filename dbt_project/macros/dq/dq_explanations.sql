{#-
    Plain one-sentence explanations of data-quality flags for PR officers, in Indonesian ('id') or English
    ('en'). Numbers use each language's separators: 1.234.567 and 12,5 % in Indonesian, 1,234,567 and 12.5 %
    in English.
-#}
{% macro dq_fmt_count(expr, lang) -%}
    {%- if lang == 'id' -%}
        replace(format('{:,}', round({{ expr }})::bigint), ',', '.')
    {%- else -%}
        format('{:,}', round({{ expr }})::bigint)
    {%- endif -%}
{%- endmacro %}


{% macro dq_fmt_pct(expr, lang) -%}
    {%- if lang == 'id' -%}
        replace(format('{:.1f}', 100 * ({{ expr }})), '.', ',') || ' %'
    {%- else -%}
        format('{:.1f}', 100 * ({{ expr }})) || ' %'
    {%- endif -%}
{%- endmacro %}


{% macro dq_counter_name(expr, lang) -%}
    case {{ expr }}
    {%- if lang == 'id' %}
        when 'posts_total_count' then 'unggahan'
        when 'views_lifetime_count' then 'tayangan'
        when 'likes_lifetime_count' then 'suka'
    {%- else %}
        when 'posts_total_count' then 'posts'
        when 'views_lifetime_count' then 'views'
        when 'likes_lifetime_count' then 'likes'
    {%- endif %}
        else {{ expr }}
    end
{%- endmacro %}


{% macro dq_anomaly_explanation(alias, lang) -%}
    {%- set t = alias ~ '.' -%}
    {%- set change = t ~ 'observed_value - ' ~ t ~ 'reference_value' -%}
    {%- set change_rate = '(' ~ change ~ ') / nullif(' ~ t ~ 'reference_value, 0)' -%}
    {%- set fall = '-(' ~ change ~ ')' -%}
    {%- set fall_rate = '-(' ~ change_rate ~ ')' -%}
    case {{ t }}anomaly_type
    {%- if lang == 'id' %}
        when 'follower_jump' then
            'Pengikut naik ' || {{ dq_fmt_count(change, 'id') }}
            || ' (' || {{ dq_fmt_pct(change_rate, 'id') }}
            || ') dalam sehari, jauh di atas pola biasanya; periksa kemungkinan pembelian pengikut.'
        when 'follower_drop' then
            'Pengikut turun ' || {{ dq_fmt_count(fall, 'id') }}
            || ' (' || {{ dq_fmt_pct(fall_rate, 'id') }}
            || ') dalam sehari; periksa apakah akun diretas atau pengikut palsu dibersihkan.'
        when 'counter_decrease' then
            'Total ' || {{ dq_counter_name(t ~ 'metric', 'id') }} || ' seumur akun turun dari '
            || {{ dq_fmt_count(t ~ 'reference_value', 'id') }} || ' menjadi '
            || {{ dq_fmt_count(t ~ 'observed_value', 'id') }}
            || ', padahal angka total tidak boleh berkurang; periksa penghapusan konten atau salah isi.'
        when 'frozen' then
            'Semua angka sama persis dengan hari sebelumnya selama ' || {{ t }}run_days
            || ' hari berturut-turut; data kemungkinan tidak diperbarui.'
        when 'engagement_spike' then
            'Interaksi ' || {{ dq_fmt_count(t ~ 'observed_value', 'id') }}
            || ' jauh di atas perkiraan (paling tinggi ' || {{ dq_fmt_count(t ~ 'expected_high', 'id') }}
            || ') padahal akun lain di provinsi yang sama tidak ikut naik; periksa apakah wajar.'
        when 'posting_silence' then
            'Tidak ada unggahan baru selama ' || {{ t }}run_days || ' hari, '
            || case
                when {{ t }}detection_method = 'audience'
                    then 'dan jangkauan audiens turun jauh di bawah biasanya.'
                else 'padahal biasanya akun ini mengunggah '
                    || replace(format('{:.1f}', 7 * {{ t }}reference_value), '.', ',') || ' kali per minggu.'
            end
        when 'inactive' then
            'Tidak ada unggahan baru sama sekali selama ' || {{ t }}run_days || ' hari yang teramati.'
    {%- else %}
        when 'follower_jump' then
            'Followers rose by ' || {{ dq_fmt_count(change, 'en') }}
            || ' (' || {{ dq_fmt_pct(change_rate, 'en') }}
            || ') in one day, far above the usual pattern; check for bought followers.'
        when 'follower_drop' then
            'Followers fell by ' || {{ dq_fmt_count(fall, 'en') }}
            || ' (' || {{ dq_fmt_pct(fall_rate, 'en') }}
            || ') in one day; check whether the account was hacked or purged of fake followers.'
        when 'counter_decrease' then
            'Lifetime ' || {{ dq_counter_name(t ~ 'metric', 'en') }} || ' fell from '
            || {{ dq_fmt_count(t ~ 'reference_value', 'en') }} || ' to '
            || {{ dq_fmt_count(t ~ 'observed_value', 'en') }}
            || ', but a lifetime total never goes down; check for deleted content or a wrong figure.'
        when 'frozen' then
            'Every figure has repeated the previous day''s for ' || {{ t }}run_days
            || ' days in a row; the data is probably not being updated.'
        when 'engagement_spike' then
            'Engagements of ' || {{ dq_fmt_count(t ~ 'observed_value', 'en') }}
            || ' are far above the expected (at most ' || {{ dq_fmt_count(t ~ 'expected_high', 'en') }}
            || ') while other accounts in the province did not rise; check whether this is genuine.'
        when 'posting_silence' then
            'No new posts for ' || {{ t }}run_days || ' days, '
            || case
                when {{ t }}detection_method = 'audience'
                    then 'and the audience has fallen far below normal.'
                else 'although this account usually posts '
                    || format('{:.1f}', 7 * {{ t }}reference_value) || ' times a week.'
            end
        when 'inactive' then
            'No new posts at all in the ' || {{ t }}run_days || ' days observed.'
    {%- endif %}
    end
{%- endmacro %}
