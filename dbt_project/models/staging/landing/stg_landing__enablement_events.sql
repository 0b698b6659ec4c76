{# One row per enablement event, latest landed version per event_id. #}
with

enablement_events as (

    select * from {{ source('landing', 'enablement_events') }} as enablement_events
    where enablement_events._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key('enablement_events', ['event_id'], [
        'event_id', 'user_id', 'occurred_at', 'activity', 'level',
        'business_unit_id', '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.event_id as {{ dbt.type_string() }}) as event_id,
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.activity as {{ dbt.type_string() }}) as activity,
        cast(deduplicated.level as {{ dbt.type_string() }}) as training_level,
        -- dates
        cast(deduplicated.occurred_at as date) as event_date,
        -- timestamps
        cast(deduplicated.occurred_at as {{ dbt.type_timestamp() }})
            as occurred_at,
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
