{# One row per business unit (seeds/business_units.csv). #}
with

business_units as (

    select * from {{ ref('business_units') }}

),

final as (

    select
        -- ids
        cast(business_units.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        -- strings
        cast(business_units.name as {{ dbt.type_string() }})
            as business_unit_name,
        -- numerics
        cast(business_units.eligible_headcount as {{ dbt.type_int() }})
            as eligible_headcount
    from business_units

)

select * from final
