{#
    One row per user × day × tool from vendor usage reports, latest landed
    version, committed batches only. `is_active` defaults to true.
#}
with

activity as (

    select * from {{ source('landing', 'activity') }}
    where _batch_id in (
        select batch_id from {{ source('ledger', 'batches') }}
    )

),

deduplicated as (

    {{ latest_per_key('activity', ['user_id', 'activity_date', 'tool'], [
        'user_id', 'activity_date', 'tool', 'interactions', 'generations',
        'acceptances', 'lines_suggested', 'lines_accepted', 'input_tokens',
        'output_tokens', 'is_active', '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.tool as {{ dbt.type_string() }}) as tool,
        -- numerics
        cast(deduplicated.interactions as {{ dbt.type_bigint() }})
            as interactions_count,
        cast(deduplicated.generations as {{ dbt.type_bigint() }})
            as generations_count,
        cast(deduplicated.acceptances as {{ dbt.type_bigint() }})
            as acceptances_count,
        cast(deduplicated.lines_suggested as {{ dbt.type_bigint() }})
            as lines_suggested_count,
        cast(deduplicated.lines_accepted as {{ dbt.type_bigint() }})
            as lines_accepted_count,
        cast(deduplicated.input_tokens as {{ dbt.type_bigint() }})
            as input_tokens,
        cast(deduplicated.output_tokens as {{ dbt.type_bigint() }})
            as output_tokens,
        -- booleans
        coalesce(deduplicated.is_active, true) as is_active,
        -- dates
        cast(deduplicated.activity_date as date) as activity_date,
        {{ week_start('deduplicated.activity_date') }} as week_start,
        -- timestamps
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
