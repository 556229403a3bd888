{#
    Date-incremental models: which days to rebuild.

    A model configured `materialized='incremental', incremental_strategy='date_window', unique_key=<date column>`
    calls incremental_rebuild_from() while compiling. On a full build (first build, --full-refresh) it returns
    none: everything. On an incremental build it returns the first day to rebuild, from the changes its
    incremental parents recorded since its own last build (incremental_state.model_builds):
      - the earliest day a parent rewrote, minus `lookback_days` (days before a change that it affects, e.g.
        the six days a weekly report covers), truncated to the start of its `period` ('week', 'month');
      - everything (none) when the model has no watermark yet, a parent rewrote everything, its table lacks a
        documented column, or its context changed: the relations in `context` (registry, units, targets: small
        tables read whole), its own code, the macros it calls and the vars;
      - '9999-12-31' when nothing changed: the build selects no rows and rewrites nothing.
    The model filters its inputs with incremental_window(); the date_window strategy deletes the rows from that
    day on and inserts the new ones; record_incremental_build() (post-hook) logs the change for the children.
#}
{% macro incremental_rebuild_from(lookback_days=0, period='day', context=[]) -%}
    {#- Parsing, and unit tests (their inputs are fixtures): a full build. -#}
    {%- if not execute or model.resource_type != 'model' -%}{{ return(none) }}{%- endif -%}
    {%- set parents = incremental_parent_models() -%}
    {%- set state = incremental_state_read(parents) -%}
    {%- set context_hash = incremental_context_hash(context) -%}
    {%- set rebuild_from = none -%}
    {%- set changed = true -%}
    {%- if is_incremental() and state.has_watermark and state.previous_context_hash == context_hash
        and not state.everything_changed and not incremental_table_lacks_documented_columns() -%}
        {%- if state.first_changed is none -%}
            {%- set rebuild_from = '9999-12-31' -%}
            {%- set changed = false -%}
        {%- else -%}
            {%- set first_day = (state.first_changed | string)[:10] -%}
            {%- set rebuild_from = run_query(
                "select " ~ period_start_sql("'" ~ first_day ~ "'::date - " ~ lookback_days ~ "::integer", period)
            ).columns[0].values()[0] | string -%}
        {%- endif -%}
    {%- endif -%}
    {%- do set_incremental_variable(
        'rebuild_from', "'" ~ rebuild_from ~ "'::date" if rebuild_from else 'null::date'
    ) -%}
    {%- do set_incremental_variable('changed', changed) -%}
    {%- do set_incremental_variable('context_hash', "'" ~ context_hash ~ "'") -%}
    {%- do set_incremental_variable(
        'changes_through',
        "'" ~ state.changes_through ~ "'::timestamptz" if state.changes_through else 'null::timestamptz'
    ) -%}
    {{ return(rebuild_from) }}
{%- endmacro %}


{# The first day the current build of this model rewrites (none: everything), as set while compiling it. #}
{% macro incremental_rebuild_from_value() -%}
    {%- set value = run_query("select getvariable('" ~ incremental_variable('rebuild_from') ~ "')::varchar")
        .columns[0].values()[0] -%}
    {{ return(value) }}
{%- endmacro %}


{#
    The filter of a model's inputs for the days it rebuilds (`true` on a full build); `history_days` reads that
    many days more before them, for windows that look back (the rebuilt rows then filter to rebuild_from).
#}
{% macro incremental_window(date_column, rebuild_from, history_days=0) -%}
    {%- if rebuild_from -%}
        {{ date_column }} >= '{{ rebuild_from }}'::date - {{ history_days }}::integer
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro period_start_sql(date_sql, period) -%}
    {%- if period == 'day' -%}
        ({{ date_sql }})::date
    {%- else -%}
        date_trunc('{{ period }}', {{ date_sql }})::date
    {%- endif -%}
{%- endmacro %}


{# A table without a column its YAML documents was built by older code: it is rebuilt whole. #}
{% macro incremental_table_lacks_documented_columns() -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {{ return(model.columns.keys() | reject('in', existing) | list | length > 0) }}
{%- endmacro %}


{# Names of the incremental models this model reads directly. #}
{% macro incremental_parent_models() -%}
    {%- set parents = [] -%}
    {%- for node_id in model.depends_on.nodes if node_id in graph.nodes -%}
        {%- set node = graph.nodes[node_id] -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- do parents.append(node.alias or node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parents) }}
{%- endmacro %}


{#
    This model's watermark (its latest build) and its parents' changes since then. While the state table does
    not exist yet (dbt compile on a new database: on-run-start creates it) the model has no watermark.
#}
{% macro incremental_state_read(parents) -%}
    {%- set empty = {'has_watermark': false, 'previous_context_hash': none, 'everything_changed': false,
                     'first_changed': none, 'changes_through': none} -%}
    {%- set exists = run_query(
        "select count(*) from duckdb_tables() where schema_name = 'incremental_state' and table_name = 'model_builds'"
    ).columns[0].values()[0] == 1 -%}
    {%- if not exists -%}{{ return(empty) }}{%- endif -%}
    {%- set parent_list = "'" ~ (parents | join("', '")) ~ "'" if parents else "null" -%}
    {%- set sql -%}
        with
        watermark as ({{ incremental_latest_build_sql(this.identifier) }}),
        parent_changes as (
            select * from incremental_state.model_builds where model in ({{ parent_list }}) and has_changes
        ),
        unseen as (
            select * from parent_changes
            where built_at > coalesce((select watermark.changes_through from watermark), '-infinity')
        )
        select
            (select count(*) from watermark) > 0 as has_watermark,
            (select any_value(watermark.context_hash) from watermark) as previous_context_hash,
            coalesce((select bool_or(unseen.rebuilt_from is null) from unseen), false) as everything_changed,
            (select min(unseen.rebuilt_from) from unseen) as first_changed,
            (select max(parent_changes.built_at) from parent_changes)::varchar as changes_through
    {%- endset -%}
    {%- set row = run_query(sql).rows[0] -%}
    {{ return({'has_watermark': row[0], 'previous_context_hash': row[1], 'everything_changed': row[2],
               'first_changed': row[3], 'changes_through': row[4]}) }}
{%- endmacro %}


{#
    Fingerprint of what the model depends on besides its incremental parents: its own code, the macros it
    calls, the vars, and the content of the `context` relations (small tables, or a one-row select such as
    the spine's first day).
#}
{% macro incremental_context_hash(context) -%}
    {%- set code = [model.checksum.checksum] -%}
    {%- for macro_sql in project_macro_sql(model.depends_on.macros) -%}
        {%- do code.append(macro_sql) -%}
    {%- endfor -%}
    {%- do code.append(var('date_spine_start') | string) -%}
    {%- do code.append(var('date_spine_end') | string) -%}
    {%- set data_hash = '' -%}
    {%- if context -%}
        {%- set parts = [] -%}
        {%- for relation in context -%}
            {%- do parts.append(
                "(select sum(hash(context_rows))::hugeint from " ~ relation ~ " as context_rows)"
            ) -%}
        {%- endfor -%}
        {%- set data_hash = run_query(
            "select concat_ws('/', " ~ parts | join(', ') ~ ")"
        ).columns[0].values()[0] -%}
    {%- endif -%}
    {{ return(local_md5(code | join('\n') ~ '\n' ~ data_hash)) }}
{%- endmacro %}


{# The code of the project's macros among `macro_ids`, and of the project macros they call, recursively. #}
{% macro project_macro_sql(macro_ids) -%}
    {%- set seen = [] -%}
    {%- set sql = [] -%}
    {%- set pending = macro_ids | list -%}
    {%- set prefix = 'macro.' ~ project_name ~ '.' -%}
    {%- for _ in range(500) if pending -%}
        {%- set macro_id = pending.pop() -%}
        {%- if macro_id.startswith(prefix) and macro_id not in seen -%}
            {%- set macro = context[macro_id[prefix | length:]].macro -%}
            {%- do seen.append(macro_id) -%}
            {%- do sql.append(macro.macro_sql) -%}
            {%- do pending.extend(macro.depends_on.macros) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(sql | sort) }}
{%- endmacro %}


{#
    The accounts with rows in `relation` from `rebuild_from` on but none in this model's table between
    `recent_from` and `rebuild_from`: their previous observation lies further back. Returns them as a quoted,
    comma-separated SQL list ('' when there are none, none when there are too many to list: read everything).
#}
{% macro accounts_without_recent_rows(relation, rebuild_from, recent_from) -%}
    {%- set sql -%}
        select
            count(*),
            coalesce(string_agg('''' || replace(account_id, '''', '''''') || '''', ', ' order by account_id), '')
        from (
            select account_id from {{ relation }} where metric_date >= '{{ rebuild_from }}'::date
            except
            select account_id from {{ this }}
            where metric_date >= {{ recent_from }} and metric_date < '{{ rebuild_from }}'::date
        )
    {%- endset -%}
    {%- set row = run_query(sql).rows[0] -%}
    {{ return(row[1] if row[0] <= 1000 else none) }}
{%- endmacro %}
