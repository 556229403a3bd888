-- One row per unit, with the province each unit rolls up to (a province is its own province; the national
-- unit has none, so province rollups never double count it).
with

units as (
    select * from {{ ref('stg_registry__units') }}
),

with_province as (
    select
        units.*,
        case
            when units.unit_level = 'province' then units.unit_code
            when units.unit_level = 'regency' and parents.unit_level = 'province' then parents.unit_code
        end as province_unit_code
    from units
    left join units as parents
        on units.parent_unit_code = parents.unit_code
),

final as (
    select
        with_province.unit_code,
        with_province.unit_name,
        with_province.unit_level,
        with_province.parent_unit_code,
        with_province.region_code,
        with_province.timezone,
        with_province.province_unit_code,
        provinces.unit_name as province_name
    from with_province
    left join units as provinces
        on with_province.province_unit_code = provinces.unit_code
)

select * from final
