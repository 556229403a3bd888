{#
    Bookkeeping of the date-incremental models (docs/operators/dbt.md, "Incremental builds").

    incremental_state.model_changes: one row per build of an incremental model that changed something:
        changed_from = the earliest day (or week start) the build rewrote, null = everything. A child model
        rebuilds from the earliest change its incremental parents logged since its own last build.
    incremental_state.model_watermarks: per model, the parents' changes it has consumed (changes_through), the
        fingerprint of its non-incremental inputs (registry, units, spine start, vars: a change there rebuilds
        it whole), and the day it last rebuilt from (rebuilt_from, null = everything; the data tests of an
        incremental model check the rows from there on).
    Both live in the build database, so a copy of it (publishing) carries them along, and a full refresh of
    a model simply overwrites its row.
#}
{% macro incremental_state_setup() -%}
    create schema if not exists incremental_state;
    create table if not exists incremental_state.model_changes (
        model varchar not null,
        changed_from date,
        changed_at timestamptz not null
    );
    create table if not exists incremental_state.model_watermarks (
        model varchar primary key,
        changes_through timestamptz,
        context_hash varchar,
        rebuilt_from date,
        built_at timestamptz not null
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
    Post-hook of every model (dbt_project.yml): after an incremental model's build, log what it rewrote
    and record its watermark, in the same transaction as the build. Does nothing for other models.
#}
{% macro record_incremental_build() -%}
    {%- if model.config.materialized == 'incremental' -%}
        insert into incremental_state.model_changes
        select '{{ this.identifier }}', getvariable('{{ incremental_variable("rebuild_from") }}'),
            {{ incremental_build_time() }}
        where getvariable('{{ incremental_variable("changed") }}');
        insert or replace into incremental_state.model_watermarks
        values (
            '{{ this.identifier }}',
            getvariable('{{ incremental_variable("changes_through") }}'),
            getvariable('{{ incremental_variable("context_hash") }}'),
            getvariable('{{ incremental_variable("rebuild_from") }}'),
            {{ incremental_build_time() }}
        );
    {%- endif -%}
{%- endmacro %}
