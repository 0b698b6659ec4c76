{#
    One row per use case (seeds/use_cases.csv). Blank owner names count as
    not named.
#}
with

use_cases as (

    select * from {{ ref('use_cases') }}

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(use_cases.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(use_cases.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        -- strings
        cast(use_cases.name as {{ dbt.type_string() }}) as use_case_name,
        cast(use_cases.stage as {{ dbt.type_string() }}) as stage,
        {%- for owner in ['outcome_owner', 'platform_owner', 'risk_owner', 'measurement_owner'] %}
        cast(nullif(trim(use_cases.{{ owner }}), '') as {{ dbt.type_string() }})
            as {{ owner }},
        {%- endfor %}
        cast(use_cases.risk_tier as {{ dbt.type_string() }}) as risk_tier,
        cast(nullif(trim(use_cases.exit_criterion), '') as {{ dbt.type_string() }})
            as exit_criterion,
        -- numerics
        cast(use_cases.value_score as {{ dbt.type_int() }}) as value_score,
        cast(use_cases.feasibility_score as {{ dbt.type_int() }})
            as feasibility_score,
        cast(use_cases.risk_score as {{ dbt.type_int() }}) as risk_score,
        cast(use_cases.scale_score as {{ dbt.type_int() }}) as scale_score,
        -- dates
        cast(use_cases.pilot_start_date as date) as pilot_start_date,
        cast(use_cases.production_date as date) as production_date
    from use_cases

)

select * from final
