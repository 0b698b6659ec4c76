{#
    One row per review period (month, fiscal quarter) × reading scope × KPI
    of rpt_kpi_values × KPI observation period starting within the 26 weeks
    (182 days) before the review period's end, through that end: the actual
    values (fct_kpi_progress) the KPI table's sparkline draws.
#}
with

kpi_values as (

    select * from {{ ref('rpt_kpi_values') }}

),

kpi_progress as (

    select * from {{ ref('fct_kpi_progress') }}

),

final as (

    select
        -- ids
        kpi_values.scope_id,
        kpi_values.kpi_id,
        -- strings
        kpi_values.period_grain,
        -- numerics
        kpi_progress.actual_value,
        -- dates
        kpi_values.period_start,
        kpi_progress.period_start as observation_period_start
    from kpi_values
    inner join kpi_progress
        on
            kpi_values.kpi_id = kpi_progress.kpi_id
            and kpi_values.period_end >= kpi_progress.period_start
            {#- 26 weeks #}
            and kpi_progress.period_start >= {{ dbt.dateadd('day', -182, 'kpi_values.period_end') }}

)

select * from final
