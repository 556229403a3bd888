{#-
    Row-level rule: every row must satisfy the boolean SQL expression (a null result counts as satisfied).
    Usable on a model or under a column (column_name is accepted and unused: the expression names it).
-#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
