-- One row per account and metric_date across the five API platforms and manual reports.
-- Precedence when the same account-day arrived both ways: the API row wins whole (no column mixing);
-- a manual report fills only the days without API data. Within one collection method the latest
-- fetched_at wins, so a corrected manual report replaces the figures it corrects. An API row on a Sunday
-- wins over a weekly manual report landed there too (reporting_period_days then says 1: the row used).
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='metric_date') }}
-- Incremental: rebuilds the days from the earliest one whose staging rows changed (a row depends only on its
-- own account-day's staging rows).
{%- set staging_sources = ['instagram', 'facebook', 'youtube', 'x', 'tiktok', 'manual'] %}
{%- set rebuild_from = incremental_rebuild_from() %}

with

{% for staging_source in staging_sources %}
    {{ staging_source }}_account_days as (
        select * from {{ ref('stg_' ~ staging_source ~ '__account_days') }}
        where {{ incremental_window('metric_date', rebuild_from) }}
    ),

{% endfor %}
candidates as (
    {% for staging_source in staging_sources %}
        select
            {% for column in account_day_columns() %}
                {{ column }},
            {% endfor %}
            {% if staging_source == 'manual' %}report_file{% else %}null::varchar as report_file{% endif %}
        from {{ staging_source }}_account_days
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

ranked as (
    select
        *,
        bool_or(collection_method = 'api') over account_day as has_api_data,
        bool_or(collection_method = 'manual') over account_day as has_manual_report,
        row_number() over (
            partition by account_id, metric_date
            order by case collection_method when 'api' then 0 else 1 end, fetched_at desc, run_id desc
        ) as precedence_rank
    from candidates
    window account_day as (partition by account_id, metric_date)
)

select * exclude (precedence_rank)
from ranked
where precedence_rank = 1
