{# One row per workflow event, latest landed version per event_id. #}
with

workflow_event_versions as (

    select * from {{ ref('stg_landing__workflow_event_versions') }}

),

final as (

    {{ latest_version(
        'workflow_event_versions', ['event_id'], [
            'event_id', 'run_id', 'use_case_id', 'actor_id', 'batch_id',
            'event_type', 'review_outcome', 'exception_type', 'quality_score',
            'is_ai_assisted', 'occurred_at', 'ingested_at',
        ]
    ) }}

)

select * from final
