{#
    One platform's account-days in the conformed schema (account_day_columns(), same names, order and types),
    built from the platform specification (platform_spec(), generated from pipelines/platform_spec): each
    conformed metric takes the lake field that feeds it (null while the flag named by null_when is true), or
    null when the platform provides it only through a derivation downstream or not at all.
#}
{% macro platform_account_days(platform) -%}
    {%- set metrics = [] -%}
    {%- for metric in account_day_metric_columns() -%}
        {%- do metrics.append(conformed_metric(platform, metric) ~ ' as ' ~ metric) -%}
    {%- endfor -%}
    {#- Incremental staging: the rows of new lake file versions only, with the version they came from. -#}
    {%- do metrics.append(lake_file_columns()) -%}
with

raw_account_days as (
    select * from {{ lake_rows(platform, 'account_daily') }}
),

conformed as (
    select
        account_id,
        '{{ platform }}' as platform,
        unit_code,
        metric_date,
        1 as reporting_period_days,  -- an API row is one day's snapshot and activity
        'api' as collection_method,
        source,
        fetched_at,
        run_id,
        {{ metrics | join(',\n        ') }}
    from raw_account_days
)

select * from conformed
{%- endmacro %}


{# The SQL of one conformed metric on one platform: its feeding field as BIGINT, else null. #}
{% macro conformed_metric(platform, metric) -%}
    {%- set feeding = platform_spec()['platforms'][platform]['fields']
        | selectattr('feeds', 'defined') | selectattr('feeds', 'equalto', metric) | list -%}
    {%- if not feeding -%}
        null::bigint
    {%- elif feeding[0].get('null_when') -%}
        case when not coalesce({{ feeding[0]['null_when'] }}, false) then {{ feeding[0]['name'] }}::bigint end
    {%- else -%}
        {{ feeding[0]['name'] }}::bigint
    {%- endif -%}
{%- endmacro %}
