{#
    Reads a raw lake table declared as a dbt-duckdb source (its external_location is a read_parquet() over a
    glob of day partitions) and falls back to an empty relation typed from the source's declared columns when no
    file matches yet: a platform never fetched or no manual report so far must not break the build.
    Calling source() here also records the lineage edge dbt and Dagster need.

    Compacted months (pipelines/lake_layout.py has the contract): `<table>/month=YYYY-MM/data.parquet` holds a
    whole month. The month files are listed FIRST (at compile time, so the list is one snapshot) and read by
    name; day files are read only for months not in that list. A month thus comes whole from its month file or
    whole from its day files, never both and never neither, even while a compaction runs.
#}
{% macro lake_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set location = relation.external if execute else none -%}
    {%- if not location -%}
        {{ relation }}
    {%- else -%}
        {%- set day_glob = location.split("'")[1] -%}
        {%- set month_files = lake_month_files(day_glob) -%}
        {%- set months = [] -%}
        {%- for path in month_files -%}{%- do months.append(path.split('/month=')[1][:7]) -%}{%- endfor -%}
        {%- set open_days = lake_open_day_files(day_glob, months) -%}
        {%- if not month_files and not open_days -%}
            ({{ lake_empty_relation(source_name, table_name) }})
        {%- elif not month_files -%}
            {{ relation }}
        {%- else -%}
            {%- set files = "[" ~ lake_sql_values(month_files) ~ "]" -%}
            {%- set month_read = "select * from " ~ location.replace("'" ~ day_glob ~ "'", files) -%}
            {%- set day_read = "select * from " ~ relation ~ " where strftime(metric_date, '%Y-%m') not in ("
                ~ lake_sql_values(months) ~ ")" -%}
            ({{ month_read }}{{ " union all by name " ~ day_read if open_days }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro lake_month_files(day_glob) -%}
    {%- set month_glob = day_glob.split('/date=')[0] ~ '/month=*/data.parquet' -%}
    {%- set sql = "select file from glob('" ~ month_glob | replace("'", "''") ~ "') order by file" -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro %}


{# Day files of months that are not compacted (leftover day files of compacted months do not count). #}
{% macro lake_open_day_files(day_glob, compacted_months) -%}
    {%- set sql -%}
        select count(*) from glob('{{ day_glob | replace("'", "''") }}')
        where regexp_extract(file, 'date=([0-9]{4}-[0-9]{2})', 1) not in ({{ lake_sql_values([''] + compacted_months) }})
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro lake_sql_values(values) -%}
    {%- for value in values -%}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}
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
