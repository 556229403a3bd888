{#
    Puts the previous period's figures on each row, so "this period against the last" is one query: `relation`
    (a CTE) left-joined to itself on `keys` and on `period_column` one `step` earlier (a DuckDB interval, e.g.
    'interval 7 day' or 'interval 1 month'); each of `columns` comes back as `<prefix>_<column>`.
#}
{% macro with_previous_period(relation, keys, period_column, step, columns, prefix) -%}
    {%- set previous_columns = [] -%}
    {%- for column in columns -%}
        {%- set _ = previous_columns.append('last_period.' ~ column ~ ' as ' ~ prefix ~ '_' ~ column) -%}
    {%- endfor -%}
    {%- set key_matches = [] -%}
    {%- for key in keys -%}
        {%- set _ = key_matches.append('this_period.' ~ key ~ ' = last_period.' ~ key) -%}
    {%- endfor -%}
    select
        this_period.*,
        {{ previous_columns | join(',\n        ') }}
    from {{ relation }} as this_period
    left join {{ relation }} as last_period
        on
            {{ key_matches | join('\n            and ') }}
            and (this_period.{{ period_column }} - {{ step }})::date = last_period.{{ period_column }}
{%- endmacro %}
