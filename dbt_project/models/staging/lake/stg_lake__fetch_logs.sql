-- Fetch outcomes of all platforms in one relation: one row per account attempted per metric_date.
-- A platform never fetched contributes no rows (lake_rows reads an empty, typed relation).
with

{% for platform in ['instagram', 'facebook', 'youtube', 'x', 'tiktok'] %}
    {{ platform }}_fetch_logs as (
        select * from {{ lake_rows(platform, 'fetch_log') }}
    ),

{% endfor %}
unioned as (
    {% for platform in ['instagram', 'facebook', 'youtube', 'x', 'tiktok'] %}
        select
            account_id,
            '{{ platform }}' as platform,
            unit_code,
            metric_date,
            status,
            error_code,
            error_message,
            http_status::integer as http_status,
            attempts::integer as attempts,
            fetched_at,
            run_id,
            status = 'ok' as is_ok,
            {{ lake_file_columns() }}
        from {{ platform }}_fetch_logs
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
