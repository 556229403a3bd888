-- Comment observations of the platforms whose APIs let the account's replies be read (Instagram, Facebook
-- Pages, YouTube; see post_metric_catalogue for why X and TikTok have none). Only ids and times: no
-- commenter and no text ever reach the warehouse.
with

{% for platform in var('comment_platforms') %}
    {{ platform }}_comments as (
        select
            '{{ platform }}' as platform,
            *
        from {{ lake_rows(platform, 'comments') }}
    ),
{% endfor %}

unioned as (
    {% for platform in var('comment_platforms') %}
        select * from {{ platform }}_comments
        {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
),

conformed as (
    select
        platform || ':' || comment_id as comment_key,
        platform || ':' || post_id as post_key,
        platform,
        comment_id,
        account_id,
        unit_code,
        metric_date,
        commented_at,
        has_account_reply,
        first_account_reply_at,
        reply_count::bigint as reply_count,
        fetched_at,
        {{ lake_file_columns() }}
    from unioned
)

select * from conformed
