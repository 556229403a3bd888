{#
    Lake staging models read only what changed in the lake since their last build.

    A staging model over lake tables is `materialized='incremental', incremental_strategy='lake_files'` and reads
    each table with lake_rows(source, table) instead of source(); it passes lake_file_columns() through. Every
    row remembers the file version it came from (lake_file, its modification time and size). A build lists the
    lake files that are the truth now (the layout contract of pipelines/lake_layout.py: month files of compacted
    months, and day files of the other months) and reads only the versions it has not loaded yet: new day
    partitions, partitions rewritten by a retry or a late manual report, month files written by a compaction.
    The lake_files strategy then deletes the rows of every version that is no longer the truth (rewritten,
    compacted away, deleted) and inserts the new rows; days whose rows changed in content (not merely moved
    into a month file) are logged as the model's change (incremental_state), from the earliest such day on.
#}
{% macro lake_rows(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or model.resource_type != 'model' -%}{{ return(relation) }}{%- endif -%}
    {%- set listing = lake_listing_variable(source_name, table_name) -%}
    {%- set day_glob = relation.external.split("'")[1] -%}
    {%- if '/date=*/' not in day_glob -%}
        {{ exceptions.raise_compiler_error(source_name ~ '.' ~ table_name
            ~ ': the lake layout needs a `/date=*/` folder in the source glob, not ' ~ day_glob) }}
    {%- endif -%}
    {%- set month_glob = day_glob.split('/date=')[0] ~ '/month=*/data.parquet' -%}
    {#- The layout contract: month files are listed first, then the day files of the months not compacted
        (only their folders are listed: a compacted month's leftover day files are never looked at). -#}
    {%- do lake_list_files(listing, [month_glob], append=false) -%}
    {%- set compacted = run_query("select distinct regexp_extract(unnest(getvariable('" ~ listing
        ~ "')).lake_file, '/month=([0-9]{4}-[0-9]{2})/', 1) as month order by month").columns[0].values() -%}
    {%- set day_globs = [] -%}
    {%- for months in lake_uncompacted_month_patterns(compacted | list) -%}
        {%- do day_globs.append(day_glob.replace('/date=*/', '/date=' ~ months ~ '*/')) -%}
    {%- endfor -%}
    {%- do lake_list_files(listing, day_globs, append=true) -%}
    {%- set loaded -%}
        {%- if is_incremental()
            and 'lake_file' in (adapter.get_columns_in_relation(this) | map(attribute='name')) -%}
            select distinct {{ lake_file_columns() }} from {{ this }}
        {%- else -%}
            select null::varchar as lake_file, null::timestamptz as lake_file_modified_at,
                null::bigint as lake_file_size_bytes
            where false
        {%- endif -%}
    {%- endset -%}
    {%- do run_query('set variable ' ~ listing ~ '_new = (select coalesce(list(listed.lake_file order by '
        ~ 'listed.lake_file), []) from (select unnest(getvariable(\'' ~ listing ~ '\'), recursive := true)) '
        ~ 'as listed anti join (' ~ loaded ~ ') as loaded using (' ~ lake_file_columns() ~ '))') -%}
    {#- Until the strategy knows better: a full build rewrites everything. -#}
    {%- do set_incremental_variable('rebuild_from', 'null::date') -%}
    {%- do set_incremental_variable('changed', 'true') -%}
    {%- do set_incremental_variable('changes_through', 'null::timestamptz') -%}
    {%- do set_incremental_variable('context_hash', "''") -%}
    {%- set new_files = run_query("select len(getvariable('" ~ listing ~ "_new'))").columns[0].values()[0] -%}
    {%- set typed = lake_typed_empty_relation(source_name, table_name) -%}
    {%- if new_files == 0 -%}
        {{ return('(' ~ typed ~ ')') }}
    {%- endif -%}
    (
        {{ typed }}
        union all by name
        select
            raw_rows.* exclude (filename),
            listed.lake_file,
            listed.lake_file_modified_at,
            listed.lake_file_size_bytes
        from read_parquet(
            getvariable('{{ listing }}_new'), hive_partitioning = false, union_by_name = true, filename = true
        ) as raw_rows
        inner join (select unnest(getvariable('{{ listing }}'), recursive := true)) as listed
            on raw_rows.filename = listed.lake_file
    )
{%- endmacro %}


{# The bookkeeping columns a lake staging model passes through (and the strategy compares). #}
{% macro lake_file_columns() -%}
    lake_file, lake_file_modified_at, lake_file_size_bytes
{%- endmacro %}


{% macro lake_listing_variable(source_name, table_name) -%}
    {{ return(incremental_variable('lake_files_' ~ source_name ~ '__' ~ table_name)) }}
{%- endmacro %}


{#
    Set (or append to) list variable `listing` the files matching any of `globs`, with their version (structs):
    the names are globbed first, then only those files are opened for their size and modification time.
#}
{% macro lake_list_files(listing, globs, append) -%}
    {%- set matched = [] -%}
    {%- for glob in globs -%}
        {%- do matched.append("select file from glob('" ~ glob | replace("'", "''") ~ "')") -%}
    {%- endfor -%}
    {%- set names -%}
        select coalesce(list(distinct matched.file), []::varchar []) as names
        from ({{ matched | join(' union all ') }}) as matched
    {%- endset -%}
    {%- do run_query('set variable ' ~ listing ~ '_names = (' ~ names ~ ')') -%}
    {%- set versions -%}
        select coalesce(list({
            'lake_file': files.filename,
            'lake_file_modified_at': files.last_modified,
            'lake_file_size_bytes': files.size
        } order by files.filename), [])
        from read_blob(getvariable('{{ listing }}_names')) as files
    {%- endset -%}
    {%- if append -%}
        {%- set versions = 'list_concat(getvariable(\'' ~ listing ~ '\'), (' ~ versions ~ '))' -%}
    {%- endif -%}
    {%- do run_query('set variable ' ~ listing ~ ' = (' ~ versions ~ ')') -%}
{%- endmacro %}


{#
    Glob prefixes of `date=` folders covering exactly the months not in `compacted` (sorted 'YYYY-MM'
    strings): before the first compacted month, between compacted months, after the last one. A prefix is a
    month ('2026-09') or character classes meaning earlier/later than a month ('2026-1[1-9]': Nov–Dec 2026,
    '202[7-9]': 2027–2029, ...). No compacted month: every folder ('').
#}
{% macro lake_uncompacted_month_patterns(compacted) -%}
    {%- if not compacted -%}{{ return(['']) }}{%- endif -%}
    {%- set patterns = [] -%}
    {%- set first, last = compacted[0], compacted[-1] -%}
    {%- for i in [0, 1, 2, 3, 5, 6] -%}
        {%- set digit = first[i] | int -%}
        {%- if digit > 0 -%}{%- do patterns.append(first[:i] ~ '[0-' ~ (digit - 1) ~ ']') -%}{%- endif -%}
        {%- set digit = last[i] | int -%}
        {%- if digit < 9 -%}{%- do patterns.append(last[:i] ~ '[' ~ (digit + 1) ~ '-9]') -%}{%- endif -%}
    {%- endfor -%}
    {%- for year in range(first[:4] | int, (last[:4] | int) + 1) -%}
        {%- for month_number in range(1, 13) -%}
            {%- set month = year ~ '-' ~ '%02d' | format(month_number) -%}
            {%- if first < month < last and month not in compacted -%}
                {%- do patterns.append(month) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(patterns) }}
{%- endmacro %}


{# The source's declared columns, typed and empty, plus the bookkeeping columns. #}
{% macro lake_typed_empty_relation(source_name, table_name) -%}
    select
        empty_source.*,
        null::varchar as lake_file,
        null::timestamptz as lake_file_modified_at,
        null::bigint as lake_file_size_bytes
    from ({{ lake_empty_relation(source_name, table_name) }}) as empty_source
{%- endmacro %}


{#
    The strategy: delete the rows of file versions that are no longer in the listing, insert the new rows, and
    set the model's change (rebuild_from = the earliest day whose rows differ in content) for the post-hook.
#}
{% macro get_incremental_lake_files_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set listings = [] -%}
    {%- for source_table in model.sources -%}
        {%- set listing = lake_listing_variable(source_table[0], source_table[1]) -%}
        {%- do listings.append("getvariable('" ~ listing ~ "')") -%}
    {%- endfor -%}
    {%- set listed -%}
        (select unnest(list_concat({{ listings | join(', ') }}), recursive := true))
    {%- endset -%}
    {#- Rows of file versions that are no longer listed: rewritten, compacted away or deleted. -#}
    {%- set is_stale -%}
        not exists (
            select 1 from {{ listed }} as listed
            where
                listed.lake_file = loaded.lake_file
                and listed.lake_file_modified_at = loaded.lake_file_modified_at
                and listed.lake_file_size_bytes = loaded.lake_file_size_bytes
        )
    {%- endset -%}
    set variable {{ incremental_variable('rebuild_from') }} = (
        with
        removed as (
            select metric_date, {{ lake_rows_fingerprint() }}
            from {{ target }} as loaded where {{ is_stale }} group by metric_date
        ),
        added as (
            select metric_date, {{ lake_rows_fingerprint() }}
            from {{ arg_dict['temp_relation'] }} group by metric_date
        )
        select coalesce(min(coalesce(removed.metric_date, added.metric_date)), '9999-12-31'::date)
        from removed
        full outer join added
            on removed.metric_date = added.metric_date
        where
            removed.rows_hash is distinct from added.rows_hash
            or removed.rows_count is distinct from added.rows_count
    );
    set variable {{ incremental_variable('changed') }} = (
        getvariable('{{ incremental_variable("rebuild_from") }}') < '9999-12-31'::date
    );
    delete from {{ target }} as loaded where {{ is_stale }};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{# Content of a day's rows, whatever file holds them: a multiset hash and a count. #}
{% macro lake_rows_fingerprint() -%}
    sum(hash(*columns(* exclude ({{ lake_file_columns() }}))))::hugeint as rows_hash,
    count(*) as rows_count
{%- endmacro %}


{#
    The date_window strategy (see incremental_rebuild_from): delete the rows from the first rebuilt day (or
    week/month start) on and insert the rebuilt rows. When the model rebuilds everything (no watermark yet, its
    code or context changed) every row goes (on_schema_change sync_all_columns has already given the table the
    model's current columns and types). unique_key names the model's date column.
#}
{% macro get_incremental_date_window_sql(arg_dict) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set rebuild_from = incremental_rebuild_from_value() -%}
    delete from {{ arg_dict['target_relation'] }}
    {%- if rebuild_from is not none %}
    where {{ arg_dict['unique_key'] }} >= '{{ rebuild_from }}'::date
    {%- endif %};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
