{#- A ratio that is null (not an error, not infinity) when the denominator is null or zero. -#}
{% macro safe_divide(numerator, denominator) -%}
    ({{ numerator }})::double / nullif(({{ denominator }})::double, 0)
{%- endmacro %}
