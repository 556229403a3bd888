{#
    Data tests of an incremental model check the rows its last build rewrote: the rows from its rebuilt_from day
    on (all rows after a full build; none when nothing changed). The other rows were checked by the build that
    wrote them, so a daily build's tests cost what its new days cost, not what the history costs. A test's own
    `where` config still applies; a full refresh (rebuilt_from null) checks everything.
    Overrides dbt's get_where_subquery, which wraps the model a generic test reads.
#}
{% macro duckdb__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- set filters = [] -%}
    {%- if where -%}{%- do filters.append('(' ~ where ~ ')') -%}{%- endif -%}
    {%- if tested and tested.config.materialized == 'incremental' and tested.config.unique_key
        and relation.identifier == (tested.alias or tested.name) -%}
        {%- do filters.append(
            tested.config.unique_key ~ " >= coalesce((select latest.rebuilt_from from ("
            ~ incremental_latest_build_sql(relation.identifier) ~ ") as latest), '-infinity'::date)"
        ) -%}
    {%- endif -%}
    {%- if filters -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
