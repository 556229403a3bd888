{#-
    The common movement of a group of account-days (dq_peer_movements: a province, the nation), from each
    account's log deviation: `level_log` (its judged deviation) and `raw_log` (as it was, weekday included)
    for the audience, the ratio of summed posts to summed `expected` posts for posting; how many accounts
    moved up or down (by dq_peer_moved_ratio, or any post more or fewer than expected), the median's standard
    error (1.253 x the robust spread / sqrt(n)) and the posts observed and expected. Used inside a
    `group by ..., metric`.
-#}
{% macro dq_common_movement(level_log, raw_log, expected) -%}
    {%- set moved = 'ln(' ~ var('dq_peer_moved_ratio') ~ ')' -%}
    {%- set posts_log = 'ln((sum(value_per_day) + 0.5) / (sum(' ~ expected ~ ') + 0.5))' -%}
    case when metric = 'new_posts_count' then {{ posts_log }} else median({{ level_log }}) end as movement_log,
        case when metric = 'new_posts_count' then {{ posts_log }} else median({{ raw_log }}) end
            as raw_movement_log,
        null::double as posting_beta,
        count(*) as accounts_count,
        count(*) filter (where {{ raw_log }} >= {{ moved }} or value_per_day > {{ expected }})
            as accounts_up_count,
        count(*) filter (where {{ raw_log }} <= -{{ moved }} or value_per_day < {{ expected }})
            as accounts_down_count,
        1.253 * 1.4826 * mad({{ raw_log }}) / sqrt(count(*)) as movement_se_log,
        sum(value_per_day) as observed_posts,
        sum({{ expected }}) as expected_posts
{%- endmacro %}
