{# One row per KPI definition (seeds/kpis.csv). #}
with

kpis as (

    select * from {{ ref('kpis') }}

),

final as (

    select
        -- ids
        cast(kpis.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpis.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(kpis.name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpis.unit as {{ dbt.type_string() }}) as unit,
        cast(kpis.direction as {{ dbt.type_string() }}) as direction,
        -- numerics
        cast(kpis.baseline_value as {{ type_double() }})
            as configured_baseline_value,
        cast(kpis.target_value as {{ type_double() }}) as target_value,
        -- dates
        cast(kpis.baseline_start as date) as baseline_start_date,
        cast(kpis.baseline_end as date) as baseline_end_date,
        cast(kpis.target_date as date) as target_date,
        cast(kpis.defined_on as date) as target_defined_date
    from kpis

)

select * from final
