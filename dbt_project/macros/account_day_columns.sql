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


{% macro account_day_metric_columns() -%}
    {{ return([
        'followers_count', 'following_count', 'posts_total_count', 'new_posts_count',
        'views_count', 'reach_count', 'likes_count', 'comments_count', 'shares_count', 'saves_count',
        'engagements_count', 'views_lifetime_count', 'likes_lifetime_count'
    ]) }}
{%- endmacro %}


{% macro account_day_columns() -%}
    {{ return(account_day_identity_columns() + account_day_metric_columns()) }}
{%- endmacro %}
