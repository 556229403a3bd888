{#- Grain test for composite keys: no two rows share the same values of all listed columns. -#}
{% test unique_combination(model, combination_of_columns) %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as duplicate_rows_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
