{#
    A relation with no rows typed from a lake source's declared columns: what lake_rows()
    (macros/incremental/lake_files.sql) reads while no lake file exists yet, so a platform never fetched or no
    manual report so far does not break the build.
#}
{% macro lake_empty_relation(source_name, table_name) -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set columns = node.columns.values() | list -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Source " ~ source_name ~ "." ~ table_name ~ " declares no columns to type its empty fallback."
        ) }}
    {%- endif -%}
    select
    {%- for column in columns %}
        cast(null as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
    where false
{%- endmacro %}
