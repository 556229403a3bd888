-- Accounts (one unit's presence on one platform) from the registry seed: types cast,
-- active_to null when empty.
with

registry_accounts as (
    select * from {{ registry_source('registry_accounts') }}
),

cleaned as (
    select
        trim(account_id) as account_id,
        trim(unit_code) as unit_code,
        lower(trim(platform)) as platform,
        nullif(trim(handle), '') as handle,
        trim(platform_user_id) as platform_user_id,
        lower(trim(collection_method)) as collection_method,
        active_from::date as active_from,
        nullif(trim(active_to::varchar), '')::date as active_to
    from registry_accounts
)

select * from cleaned
