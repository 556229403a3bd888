{#
    The registry's activity rule in one place: an account counts on `day` from its active_from through its
    active_to (open-ended while active_to is null). The same rule as pipelines.registry.Account.is_active_on.
#}
{% macro account_is_active(accounts, day) -%}
    {{ accounts }}.active_from <= {{ day }}
    and ({{ accounts }}.active_to is null or {{ accounts }}.active_to >= {{ day }})
{%- endmacro %}
