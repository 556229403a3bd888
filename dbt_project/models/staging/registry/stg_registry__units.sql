-- Units (satuan kerja) from the registry seed: types cast, empty strings as null.
with

registry_units as (
    select * from {{ registry_source('registry_units') }}
),

cleaned as (
    select
        trim(unit_code) as unit_code,
        trim(unit_name) as unit_name,
        lower(trim(unit_level)) as unit_level,
        nullif(trim(parent_unit_code), '') as parent_unit_code,
        nullif(trim(region_code), '') as region_code,
        coalesce(nullif(trim(timezone), ''), 'Asia/Jakarta') as timezone
    from registry_units
)

select * from cleaned
