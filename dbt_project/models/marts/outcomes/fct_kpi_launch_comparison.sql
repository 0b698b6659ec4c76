{#
    One row per KPI (of a use case): the mean of the KPI's period actuals
    before launch (periods ending before production_date) and after it
    (periods starting on or after it), with the number of periods on each
    side, the change, and the improvement in the KPI's direction (positive =
    better). Observed values only; straddling periods are left out.
#}
with

kpi_progress as (

    select * from {{ ref('fct_kpi_progress') }}

),

kpis as (

    select * from {{ ref('stg_config__kpis') }}

),

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

periods_sided as (

    select
        kpi_progress.kpi_id,
        kpi_progress.actual_value,
        case
            when kpi_progress.period_end_date < use_cases.production_date then 'before'
            when kpi_progress.period_start >= use_cases.production_date then 'after'
        end as launch_side
    from kpi_progress
    inner join kpis
        on kpi_progress.kpi_id = kpis.kpi_id
    inner join use_cases
        on kpis.use_case_id = use_cases.use_case_id

),

sides_aggregated as (

    select
        periods_sided.kpi_id,
        avg(case when periods_sided.launch_side = 'before' then periods_sided.actual_value end)
            as mean_before_launch,
        avg(case when periods_sided.launch_side = 'after' then periods_sided.actual_value end)
            as mean_after_launch,
        sum(case when periods_sided.launch_side = 'before' then 1 else 0 end)
            as periods_before_launch,
        sum(case when periods_sided.launch_side = 'after' then 1 else 0 end) as periods_after_launch
    from periods_sided
    group by 1

),

final as (

    select
        -- ids
        cast(kpis.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpis.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(kpis.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpis.unit as {{ dbt.type_string() }}) as unit,
        cast(kpis.direction as {{ dbt.type_string() }}) as direction,
        -- numerics
        cast(sides_aggregated.mean_before_launch as {{ type_double() }}) as mean_before_launch,
        cast(sides_aggregated.mean_after_launch as {{ type_double() }}) as mean_after_launch,
        cast(coalesce(sides_aggregated.periods_before_launch, 0) as {{ dbt.type_bigint() }})
            as periods_before_launch,
        cast(coalesce(sides_aggregated.periods_after_launch, 0) as {{ dbt.type_bigint() }})
            as periods_after_launch,
        cast(
            sides_aggregated.mean_after_launch - sides_aggregated.mean_before_launch
            as {{ type_double() }}
        ) as change_after_launch,
        cast(
            case when kpis.direction = 'decrease' then -1 else 1 end
            * {{ pct(
                'sides_aggregated.mean_after_launch - sides_aggregated.mean_before_launch',
                'abs(sides_aggregated.mean_before_launch)',
            ) }}
            as {{ type_double() }}
        ) as improvement_pct,
        -- dates
        cast(use_cases.production_date as date) as production_date
    from kpis
    left join use_cases
        on kpis.use_case_id = use_cases.use_case_id
    left join sides_aggregated
        on kpis.kpi_id = sides_aggregated.kpi_id

)

select * from final
