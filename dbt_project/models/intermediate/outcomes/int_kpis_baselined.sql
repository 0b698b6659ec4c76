{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per KPI with its resolved baseline: the configured
    `baseline_value`, else the mean of the KPI's observations whose period
    starts between `baseline_start` and `baseline_end` (CONTRACTS.md §2).
#}
with

kpis as (

    select * from {{ ref('stg_config__kpis') }}

),

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

observed_baselines as (

    select
        kpis.kpi_id,
        avg(kpi_observations.observed_value) as observed_baseline_value,
        count(kpi_observations.observed_value) as baseline_observations_count
    from kpis
    inner join kpi_observations
        on
            kpis.kpi_id = kpi_observations.kpi_id
            and kpis.baseline_start_date <= kpi_observations.period_start
            and kpis.baseline_end_date >= kpi_observations.period_start
    group by kpis.kpi_id

),

final as (

    select
        kpis.*,
        coalesce(
            kpis.configured_baseline_value,
            observed_baselines.observed_baseline_value
        ) as baseline_value,
        case
            when kpis.configured_baseline_value is not null then 'configured'
            when observed_baselines.observed_baseline_value is not null
                then 'observed_mean'
        end as baseline_source,
        coalesce(observed_baselines.baseline_observations_count, 0)
            as baseline_observations_count
    from kpis
    left join observed_baselines
        on kpis.kpi_id = observed_baselines.kpi_id

)

select * from final
