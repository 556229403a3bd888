-- Post-day observations of every platform in one conformed shape (the lake already stores the conformed post
-- schema; the platform's own type stays in native_type). post_key = platform:post_id, as ids of two platforms
-- may look alike. Metrics are lifetime values as observed on metric_date.
with

{% for platform in var('post_platforms') %}
    {{ platform }}_posts as (
        select
            '{{ platform }}' as platform,
            *
        from {{ lake_rows(platform, 'posts') }}
    ),
{% endfor %}

unioned as (
    {% for platform in var('post_platforms') %}
        select * from {{ platform }}_posts
        {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
),

conformed as (
    select
        platform || ':' || post_id as post_key,
        platform,
        post_id,
        account_id,
        unit_code,
        metric_date,
        published_at,
        published_date,
        age_days::integer as age_days,
        content_type,
        native_type,
        duration_s::bigint as duration_s,
        views_count::bigint as views_count,
        reach_count::bigint as reach_count,
        likes_count::bigint as likes_count,
        comments_count::bigint as comments_count,
        shares_count::bigint as shares_count,
        saves_count::bigint as saves_count,
        fetched_at,
        run_id,
        source,
        {{ lake_file_columns() }}
    from unioned
)

select * from conformed
