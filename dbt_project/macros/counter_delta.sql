{#
    Daily value derived from a lifetime counter: current minus previous observation. A counter that went down
    (deleted posts, YouTube removing invalid views, TikTok likes of a deleted video) gives no trustworthy daily
    value, so the result is null rather than negative or clamped to zero.
#}
{% macro counter_delta(current_value, previous_value) -%}
    case
        when {{ current_value }} >= {{ previous_value }}
            then {{ current_value }} - {{ previous_value }}
    end
{%- endmacro %}
