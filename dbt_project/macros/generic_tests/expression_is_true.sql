{#- Row-level rule: every row must satisfy the boolean SQL expression (null counts as satisfied). -#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
