{#
    One row per KPI observation, latest landed version per
    (kpi_id, period_start, grain, business_unit_id). A null business unit is
    its own key value ('all'), so the organisation-wide series dedupes too.
#}
with

kpi_observations as (

    select
        kpi_observations.*,
        coalesce(kpi_observations.business_unit_id, '__all__')
            as business_unit_key
    from {{ source('landing', 'kpi_observations') }} as kpi_observations
    where kpi_observations._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key(
        'kpi_observations',
        ['kpi_id', 'period_start', 'grain', 'business_unit_key'],
        [
            'kpi_id', 'period_start', 'grain', 'business_unit_id', 'value',
            'source', '_batch_id', '_ingested_at',
        ]
    ) }}

),

final as (

    select
        -- ids
        cast(deduplicated.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.grain as {{ dbt.type_string() }}) as grain,
        cast(deduplicated.source as {{ dbt.type_string() }}) as source_system,
        -- numerics
        cast(deduplicated.value as {{ type_double() }}) as observed_value,
        -- dates
        cast(deduplicated.period_start as date) as period_start,
        cast(
            case deduplicated.grain
                when 'day' then {{ dbt.dateadd('day', 1, 'deduplicated.period_start') }}
                when 'week' then {{ dbt.dateadd('day', 7, 'deduplicated.period_start') }}
                when 'month' then {{ dbt.dateadd('month', 1, 'deduplicated.period_start') }}
                when 'quarter' then {{ dbt.dateadd('month', 3, 'deduplicated.period_start') }}
            end
            as date
        ) as period_end_exclusive,
        -- timestamps
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
