{# One row per use case × launch-checklist item (seeds/launch_checklist.csv). #}
with

launch_checklist as (

    select * from {{ ref('launch_checklist') }}

),

final as (

    select
        -- ids
        cast(launch_checklist.use_case_id as {{ dbt.type_string() }})
            as use_case_id,
        -- strings
        cast(launch_checklist.item as {{ dbt.type_string() }}) as item,
        -- dates
        cast(launch_checklist.completed_on as date) as completed_date
    from launch_checklist

)

select * from final
