{#
    The one delta rule of the warehouse (used by fct_account_daily and the data-quality models).

    A lifetime counter (posts_total, views_lifetime, likes_lifetime) only grows in principle: its daily value
    is the current minus the previous observation. When it went down (deleted posts, YouTube removing invalid
    views, TikTok likes of a deleted video) the day's additions are unknown, so the result is null: never
    negative, never clamped to zero (a zero would claim "nothing happened" and hide the day from checks).

    An audience count (followers, following) is a snapshot that legitimately falls (unfollows): its change is
    the signed difference, never clamped or nulled.
#}
{% macro counter_delta(current_value, previous_value) -%}
    case
        when {{ current_value }} >= {{ previous_value }}
            then {{ current_value }} - {{ previous_value }}
    end
{%- endmacro %}


{% macro audience_change(current_value, previous_value) -%}
    ({{ current_value }} - {{ previous_value }})
{%- endmacro %}
