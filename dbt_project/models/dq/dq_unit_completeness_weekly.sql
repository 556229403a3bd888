-- One row per unit and ISO week: how many of the expected account-days arrived, for the unit's own accounts
-- and rolled up over everything below it (regency -> province -> national), with how many of its child
-- units and regencies were silent (nothing at all arrived from them that week).
-- Completeness percentages are recomputed from the summed counts at every level, never averaged.
-- Incremental: rebuilds the weeks from the one of the earliest changed expected day (dq_expected_account_days
-- rebuilds whole weeks); everything when the unit hierarchy changes.
{{ config(materialized='incremental', incremental_strategy='date_window', unique_key='week_start_date') }}
{%- set rebuild_from = incremental_rebuild_from(period='week', context=[ref('dim_units')]) %}

with recursive

units as (
    select * from {{ ref('dim_units') }}
),

expected as (
    select * from {{ ref('dq_expected_account_days') }}
    where {{ incremental_window('week_start_date', rebuild_from) }}
),

-- Every unit paired with itself and each of its ancestors: the levels its figures roll up into.
ancestry as (
    select
        unit_code,
        unit_code as rollup_unit_code,
        parent_unit_code as next_parent_code
    from units
    union all
    select
        ancestry.unit_code,
        parents.unit_code as rollup_unit_code,
        parents.parent_unit_code as next_parent_code
    from ancestry
    inner join units as parents
        on ancestry.next_parent_code = parents.unit_code
),

own_weeks as (
    select
        unit_code,
        iso_year,
        iso_week,
        min(week_start_date) as week_start_date,
        count(*) as expected_account_days,
        count(*) filter (where is_received) as received_account_days,
        count(distinct account_id) as accounts_count
    from expected
    group by unit_code, iso_year, iso_week
),

rollup_weeks as (
    select
        ancestry.rollup_unit_code as unit_code,
        own_weeks.iso_year,
        own_weeks.iso_week,
        min(own_weeks.week_start_date) as week_start_date,
        sum(own_weeks.expected_account_days)::bigint as expected_account_days,
        sum(own_weeks.received_account_days)::bigint as received_account_days,
        sum(own_weeks.accounts_count)::bigint as accounts_count
    from own_weeks
    inner join ancestry
        on own_weeks.unit_code = ancestry.unit_code
    group by ancestry.rollup_unit_code, own_weeks.iso_year, own_weeks.iso_week
),

-- Direct children of each unit, judged on their whole subtree.
child_weeks as (
    select
        units.parent_unit_code as unit_code,
        rollup_weeks.iso_year,
        rollup_weeks.iso_week,
        count(*) as child_units_count,
        count(*) filter (where rollup_weeks.received_account_days = 0) as silent_child_units_count
    from rollup_weeks
    inner join units
        on rollup_weeks.unit_code = units.unit_code
    where units.parent_unit_code is not null
    group by units.parent_unit_code, rollup_weeks.iso_year, rollup_weeks.iso_week
),

-- Regencies anywhere below each unit (a province's own regencies; all of them for the national unit).
regency_weeks as (
    select
        ancestry.rollup_unit_code as unit_code,
        own_weeks.iso_year,
        own_weeks.iso_week,
        count(*) as regencies_count,
        count(*) filter (where own_weeks.received_account_days = 0) as silent_regencies_count,
        count(*) filter (
            where own_weeks.received_account_days < own_weeks.expected_account_days
        ) as incomplete_regencies_count
    from own_weeks
    inner join units
        on own_weeks.unit_code = units.unit_code
    inner join ancestry
        on own_weeks.unit_code = ancestry.unit_code
    where units.unit_level = 'regency' and ancestry.rollup_unit_code <> own_weeks.unit_code
    group by ancestry.rollup_unit_code, own_weeks.iso_year, own_weeks.iso_week
),

final as (
    select
        rollup_weeks.unit_code,
        units.unit_name,
        units.unit_level,
        units.parent_unit_code,
        units.province_unit_code,
        rollup_weeks.iso_year,
        rollup_weeks.iso_week,
        rollup_weeks.iso_year::varchar
        || '-W'
        || lpad(rollup_weeks.iso_week::varchar, 2, '0') as iso_year_week,
        rollup_weeks.week_start_date,
        coalesce(own_weeks.expected_account_days, 0) as own_expected_account_days,
        coalesce(own_weeks.received_account_days, 0) as own_received_account_days,
        round(100.0 * own_weeks.received_account_days / nullif(own_weeks.expected_account_days, 0), 2)
            as own_completeness_pct,
        rollup_weeks.accounts_count,
        rollup_weeks.expected_account_days,
        rollup_weeks.received_account_days,
        rollup_weeks.expected_account_days - rollup_weeks.received_account_days as missing_account_days,
        round(100.0 * rollup_weeks.received_account_days / nullif(rollup_weeks.expected_account_days, 0), 2)
            as completeness_pct,
        coalesce(child_weeks.child_units_count, 0) as child_units_count,
        coalesce(child_weeks.silent_child_units_count, 0) as silent_child_units_count,
        coalesce(regency_weeks.regencies_count, 0) as regencies_count,
        coalesce(regency_weeks.silent_regencies_count, 0) as silent_regencies_count,
        coalesce(regency_weeks.incomplete_regencies_count, 0) as incomplete_regencies_count
    from rollup_weeks
    inner join units
        on rollup_weeks.unit_code = units.unit_code
    left join own_weeks
        on
            rollup_weeks.unit_code = own_weeks.unit_code
            and rollup_weeks.iso_year = own_weeks.iso_year
            and rollup_weeks.iso_week = own_weeks.iso_week
    left join child_weeks
        on
            rollup_weeks.unit_code = child_weeks.unit_code
            and rollup_weeks.iso_year = child_weeks.iso_year
            and rollup_weeks.iso_week = child_weeks.iso_week
    left join regency_weeks
        on
            rollup_weeks.unit_code = regency_weeks.unit_code
            and rollup_weeks.iso_year = regency_weeks.iso_year
            and rollup_weeks.iso_week = regency_weeks.iso_week
)

select * from final
