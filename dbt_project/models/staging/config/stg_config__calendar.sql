{# One row per calendar setting (seeds/calendar.csv, CONTRACTS.md §5.2). #}
with

calendar as (

    select * from {{ ref('calendar') }}

),

final as (

    select
        -- strings
        cast(trim(calendar.setting) as {{ dbt.type_string() }}) as setting,
        cast(trim(calendar.value) as {{ dbt.type_string() }}) as setting_value
    from calendar

)

select * from final
