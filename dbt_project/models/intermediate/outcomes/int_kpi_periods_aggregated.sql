{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per KPI × period start: the actual value is the mean of that
    period's observations (across business units). When a KPI is reported at
    several grains for the same period start, the coarsest grain's end is used.
#}
with

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

final as (

    select
        -- ids
        kpi_observations.kpi_id,
        -- numerics
        avg(kpi_observations.observed_value) as actual_value,
        count(*) as observations_count,
        -- dates
        kpi_observations.period_start,
        max(kpi_observations.period_end_exclusive) as period_end_exclusive
    from kpi_observations
    group by kpi_observations.kpi_id, kpi_observations.period_start

)

select * from final
