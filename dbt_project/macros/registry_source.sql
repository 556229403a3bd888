{#
  The unit and account registry: the bundled seed, or the user's own CSV when MEDSOS_REGISTRY_DIR is set.

  The user's files are read in place with read_csv (every column as text; staging casts) instead of being
  pointed at through `seed-paths`: dbt writes each seed's compiled SQL to target/run/<project>/<seed path>,
  and for a seed path outside the project that join lands on the CSV itself and overwrites it.
  ref() is always called so the seed stays in the lineage.
#}
{% macro registry_source(seed_name) %}
    {%- set seed_relation = ref(seed_name) -%}
    {%- set user_dir = env_var('MEDSOS_REGISTRY_DIR', '') -%}
    {%- if user_dir -%}
        read_csv('{{ user_dir }}/{{ seed_name }}.csv', header = true, all_varchar = true)
    {%- else -%}
        {{ seed_relation }}
    {%- endif -%}
{% endmacro %}
