{#
    One row per licence seat (user × tool × assignment date), latest landed
    version. removed_on null = still assigned; removed_on is the last day held.
#}
with

licenses as (

    select * from {{ source('landing', 'licenses') }} as licenses
    where licenses._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key('licenses', ['user_id', 'tool', 'assigned_on'], [
        'user_id', 'tool', 'assigned_on', 'removed_on', '_batch_id',
        '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        {{ dbt.concat([
            'deduplicated.user_id', "'|'", 'deduplicated.tool', "'|'",
            dbt.cast('deduplicated.assigned_on', dbt.type_string()),
        ]) }} as license_id,
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.tool as {{ dbt.type_string() }}) as tool,
        -- dates
        cast(deduplicated.assigned_on as date) as assigned_date,
        cast(deduplicated.removed_on as date) as removed_date,
        -- timestamps
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
