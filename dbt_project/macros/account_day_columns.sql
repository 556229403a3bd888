{#
    The conformed account-day schema every stg_<source>__account_days model produces (same names, same order,
    same types), so the intermediate layer can union them by position. reporting_period_days is the number of
    days the row's figures cover, ending on metric_date (1, or 7 for a weekly manual report).
#}
{% macro account_day_identity_columns() -%}
    {{ return([
        'account_id', 'platform', 'unit_code', 'metric_date', 'reporting_period_days',
        'collection_method', 'source', 'fetched_at', 'run_id'
    ]) }}
{%- endmacro %}


{# The metrics, in catalogue order, are the specification's conformed metrics (pipelines/platform_spec). #}
{% macro account_day_metric_columns() -%}
    {{ return(platform_spec()['conformed_metrics']) }}
{%- endmacro %}


{% macro account_day_columns() -%}
    {{ return(account_day_identity_columns() + account_day_metric_columns()) }}
{%- endmacro %}
