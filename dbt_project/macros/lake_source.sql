{#
    Reads a raw lake table declared as a dbt-duckdb source (its external_location is a read_parquet() over a
    glob) and falls back to an empty relation typed from the source's declared columns when no file matches
    yet: a platform never fetched or no manual report so far must not break the build. A declared column that
    no file has yet (a field added to the specification after the files were written) reads as a typed null.
    Calling source() here also records the lineage edge dbt and Dagster need.
#}
{% macro lake_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set location = relation.external if execute else none -%}
    {%- if location and lake_glob_is_empty(location.split("'")[1]) -%}
        ({{ lake_empty_relation(source_name, table_name) }})
    {%- elif location -%}
        {{ lake_relation_with_declared_columns(source_name, table_name, relation) }}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}


{% macro lake_relation_with_declared_columns(source_name, table_name, relation) -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set found = run_query('select * from ' ~ relation ~ ' limit 0').column_names | map('lower') | list -%}
    {%- set nulls = [] -%}
    {%- for column in node.columns.values() if column.name not in found -%}
        {%- do nulls.append('cast(null as ' ~ column.data_type ~ ') as ' ~ column.name) -%}
    {%- endfor -%}
    {%- if nulls -%}
        (select *, {{ nulls | join(', ') }} from {{ relation }})
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}


{% macro lake_glob_is_empty(glob_path) -%}
    {%- set sql = "select count(*) as n from glob('" ~ glob_path | replace("'", "''") ~ "')" -%}
    {%- set result = run_query(sql) -%}
    {{ return(result.columns[0].values()[0] == 0) }}
{%- endmacro %}


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
