{#
    One row per landed version of a vendor activity row (user × day × tool),
    committed batches only. The day is part of the natural key, so a version
    never moves a row to another day.
#}
with

activity as (

    select * from {{ source('landing', 'activity') }} as activity
    where activity._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

final as (

    select
        -- ids
        cast(activity.user_id as {{ dbt.type_string() }}) as user_id,
        cast(activity._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(activity.tool as {{ dbt.type_string() }}) as tool,
        -- numerics
        cast(activity.interactions as {{ dbt.type_bigint() }})
            as interactions_count,
        cast(activity.generations as {{ dbt.type_bigint() }})
            as generations_count,
        cast(activity.acceptances as {{ dbt.type_bigint() }})
            as acceptances_count,
        cast(activity.lines_suggested as {{ dbt.type_bigint() }})
            as lines_suggested_count,
        cast(activity.lines_accepted as {{ dbt.type_bigint() }})
            as lines_accepted_count,
        cast(activity.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(activity.output_tokens as {{ dbt.type_bigint() }})
            as output_tokens,
        cast(activity._source_row as {{ dbt.type_bigint() }})
            as source_row_number,
        -- booleans
        coalesce(activity.is_active, true) as is_active,
        -- dates
        cast(activity.activity_date as date) as activity_date,
        {{ week_start('activity.activity_date') }} as week_start,
        -- timestamps
        cast(activity._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from activity

)

select * from final
