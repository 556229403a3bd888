-- One row per registered account (a unit's presence on one platform), with its unit's place in the hierarchy.
with

accounts as (
    select * from {{ ref('stg_registry__accounts') }}
),

units as (
    select * from {{ ref('dim_units') }}
),

final as (
    select
        accounts.account_id,
        accounts.platform,
        accounts.platform_user_id,
        accounts.handle,
        accounts.unit_code,
        units.unit_name,
        units.unit_level,
        units.province_unit_code,
        units.province_name,
        accounts.collection_method,
        accounts.active_from,
        accounts.active_to
    from accounts
    left join units
        on accounts.unit_code = units.unit_code
)

select * from final
