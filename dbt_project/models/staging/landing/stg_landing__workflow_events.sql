{{ config(materialized='table') }}
{#
    A table, not a view like the rest of staging: eight nodes read it (runs,
    week spine, data health, tests), and as a table the ~1M events of a
    10M-request organisation are deduplicated once per build, not eight times.
#}
{# One row per workflow event, latest landed version per event_id. #}
with

workflow_events as (

    select * from {{ source('landing', 'workflow_events') }}
    where _batch_id in (
        select batch_id from {{ source('ledger', 'batches') }}
    )

),

deduplicated as (

    {{ latest_per_key('workflow_events', ['event_id'], [
        'event_id', 'run_id', 'use_case_id', 'occurred_at', 'event_type',
        'actor_id', 'ai_assisted', 'review_outcome', 'quality_score',
        'exception_type', '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.event_id as {{ dbt.type_string() }}) as event_id,
        cast(deduplicated.run_id as {{ dbt.type_string() }}) as run_id,
        cast(deduplicated.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(deduplicated.actor_id as {{ dbt.type_string() }}) as actor_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.event_type as {{ dbt.type_string() }}) as event_type,
        cast(deduplicated.review_outcome as {{ dbt.type_string() }})
            as review_outcome,
        cast(deduplicated.exception_type as {{ dbt.type_string() }})
            as exception_type,
        -- numerics
        cast(deduplicated.quality_score as {{ type_double() }})
            as quality_score,
        -- booleans
        deduplicated.ai_assisted as is_ai_assisted,
        -- timestamps
        cast(deduplicated.occurred_at as {{ dbt.type_timestamp() }})
            as occurred_at,
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
