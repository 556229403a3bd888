{#
    Analysts see clean schema names: a model configured with +schema: marts lands in `marts`, not in
    `<target schema>_marts`. Models without a custom schema land in the target schema (main).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
