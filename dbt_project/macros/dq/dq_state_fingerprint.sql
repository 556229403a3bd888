{#-
    Every reported value of a row as one comparable string ('-' for null), so "did anything change since
    the previous day" is one equality test over any number of columns (dq_account_day_signals' stale days).
-#}
{% macro dq_state_fingerprint(alias, columns) -%}
    concat_ws('|'
    {%- for column in columns -%}
        , coalesce({{ alias }}.{{ column }}::varchar, '-')
    {%- endfor -%}
    )
{%- endmacro %}


{#- True when at least one of the columns holds a value. -#}
{% macro dq_any_value(alias, columns) -%}
    coalesce(
    {%- for column in columns -%}
        {{ alias }}.{{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
    ) is not null
{%- endmacro %}
