{#
    One row per landed version of a workflow event (committed batches only,
    every version of an event_id). int_workflow_runs_assembled reads versions
    and keeps the latest itself, for the runs it rebuilds.
#}
with

workflow_events as (

    select * from {{ source('landing', 'workflow_events') }} as workflow_events
    where workflow_events._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

final as (

    select
        -- ids
        cast(workflow_events.event_id as {{ dbt.type_string() }}) as event_id,
        cast(workflow_events.run_id as {{ dbt.type_string() }}) as run_id,
        cast(workflow_events.use_case_id as {{ dbt.type_string() }})
            as use_case_id,
        cast(workflow_events.actor_id as {{ dbt.type_string() }}) as actor_id,
        cast(workflow_events._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(workflow_events.event_type as {{ dbt.type_string() }})
            as event_type,
        cast(workflow_events.review_outcome as {{ dbt.type_string() }})
            as review_outcome,
        cast(workflow_events.exception_type as {{ dbt.type_string() }})
            as exception_type,
        -- numerics
        cast(workflow_events.quality_score as {{ type_double() }})
            as quality_score,
        cast(workflow_events._source_row as {{ dbt.type_bigint() }})
            as source_row_number,
        -- booleans
        workflow_events.ai_assisted as is_ai_assisted,
        -- timestamps
        cast(workflow_events.occurred_at as {{ dbt.type_timestamp() }})
            as occurred_at,
        cast(workflow_events._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from workflow_events

)

select * from final
