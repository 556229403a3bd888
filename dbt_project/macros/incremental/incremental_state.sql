{#
    Bookkeeping of the date-incremental models (docs/operators/dbt.md, "Incremental builds").

    incremental_state.model_builds: one row per build of an incremental model (append-only, so models built side
    by side never contend for a row):
        rebuilt_from     the first day (or week start) the build rewrote; null = everything, 9999-12-31 = nothing;
        has_changes      whether it changed anything its children must follow;
        changes_through  the latest change of its incremental parents it has taken in (its watermark);
        context_hash     fingerprint of its non-incremental inputs, code and vars (a change rebuilds it whole).
    A model's latest row is its state; a child rebuilds from the earliest rebuilt_from among its parents' rows
    with changes after its own changes_through. The data tests of an incremental model check the rows from its
    latest rebuilt_from on. It lives in the build database, so a copy of it (publishing) carries it along.
#}
{% macro incremental_state_setup() -%}
    create schema if not exists incremental_state;
    create table if not exists incremental_state.model_builds (
        model varchar not null,
        built_at timestamptz not null,
        rebuilt_from date,
        has_changes boolean not null,
        changes_through timestamptz,
        context_hash varchar
    );
{%- endmacro %}


{# The build's own timestamp: every change a dbt invocation logs carries the same one. #}
{% macro incremental_build_time() -%}
    '{{ run_started_at.isoformat() }}'::timestamptz
{%- endmacro %}


{# Name of a DuckDB session variable private to the model being built (set while compiling it). #}
{% macro incremental_variable(name) -%}
    {{ return('incremental_' ~ name ~ '__' ~ this.identifier) }}
{%- endmacro %}


{% macro set_incremental_variable(name, sql_value) -%}
    {%- do run_query('set variable ' ~ incremental_variable(name) ~ ' = ' ~ sql_value) -%}
{%- endmacro %}


{#
    Post-hook of every model (dbt_project.yml): after an incremental model's build, record what it rewrote and
    what it has taken in, in the same transaction as the build. Does nothing for other models.
#}
{% macro record_incremental_build() -%}
    {%- if model.config.materialized == 'incremental' -%}
        insert into incremental_state.model_builds
        values (
            '{{ this.identifier }}',
            {{ incremental_build_time() }},
            getvariable('{{ incremental_variable("rebuild_from") }}'),
            getvariable('{{ incremental_variable("changed") }}'),
            getvariable('{{ incremental_variable("changes_through") }}'),
            getvariable('{{ incremental_variable("context_hash") }}')
        );
    {%- endif -%}
{%- endmacro %}


{# The latest build of a model (a subquery over its rows). #}
{% macro incremental_latest_build_sql(model_name) -%}
    select * from incremental_state.model_builds
    where model = '{{ model_name }}'
    order by built_at desc
    limit 1
{%- endmacro %}
