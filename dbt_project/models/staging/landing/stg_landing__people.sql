{#
    One row per user × validity interval of the people directory, latest
    landed version per (user_id, valid_from). Open bounds stay null:
    valid_from null = since always, valid_to null = still valid (inclusive).
#}
with

people as (

    select
        people.*,
        coalesce(
            people.valid_from, cast('1900-01-01' as date)
        ) as valid_from_key
    from {{ source('landing', 'people') }} as people
    where people._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

deduplicated as (

    {{ latest_per_key('people', ['user_id', 'valid_from_key'], [
        'user_id', 'business_unit_id', 'job_function', 'is_manager',
        'valid_from', 'valid_to', '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.job_function as {{ dbt.type_string() }})
            as job_function,
        -- booleans
        coalesce(deduplicated.is_manager, false) as is_manager,
        -- dates
        cast(deduplicated.valid_from as date) as valid_from,
        cast(deduplicated.valid_to as date) as valid_to,
        -- timestamps
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
