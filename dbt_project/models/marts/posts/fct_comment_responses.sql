-- One row per top-level comment on an observed post: whether the account answered it and how long the first
-- answer took. A comment is followed while its post is observed (MEDSOS_POST_OBSERVE_DAYS): an answer given
-- later is not seen. The earliest answer any observation saw is the first one (a deleted answer stays
-- counted).
with

observations as (
    select * from {{ ref('stg_platforms__comments') }}
),

comments as (
    select
        comment_key,
        any_value(post_key) as post_key,
        any_value(platform) as platform,
        any_value(account_id) as account_id,
        any_value(unit_code) as unit_code,
        min(commented_at) as commented_at,
        min(first_account_reply_at) as first_account_reply_at,
        max(metric_date) as last_observed_date
    from observations
    group by comment_key
),

final as (
    select
        comment_key,
        post_key,
        platform,
        account_id,
        unit_code,
        commented_at,
        (commented_at at time zone 'Asia/Jakarta')::date as commented_date,
        first_account_reply_at,
        first_account_reply_at is not null as has_account_reply,
        date_diff('second', commented_at, first_account_reply_at) / 60.0 as first_reply_minutes,
        last_observed_date
    from comments
)

select * from final
