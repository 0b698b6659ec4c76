{#
    One row per week_start × tool with licence seats held that week: seats,
    seats used (the holder used that tool that week), idle seats and
    utilisation (used ÷ held × 100).
#}
with

license_weeks as (

    select * from {{ ref('int_license_weeks_spined') }}

),

final as (

    select
        -- strings
        cast(license_weeks.tool as {{ dbt.type_string() }}) as tool,
        -- numerics
        cast(count(*) as {{ dbt.type_bigint() }}) as licensed_seats,
        cast(sum(case when license_weeks.is_used then 1 else 0 end) as {{ dbt.type_bigint() }})
            as used_seats,
        cast(sum(case when license_weeks.is_used then 0 else 1 end) as {{ dbt.type_bigint() }})
            as idle_licenses,
        cast(
            {{ pct('sum(case when license_weeks.is_used then 1 else 0 end)', 'count(*)') }}
            as {{ type_double() }}
        ) as license_utilisation_pct,
        -- dates
        cast(license_weeks.week_start as date) as week_start
    from license_weeks
    group by license_weeks.week_start, license_weeks.tool

)

select * from final
