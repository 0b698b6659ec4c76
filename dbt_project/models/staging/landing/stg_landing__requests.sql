{#
    One row per request, latest landed version per (tool, request_id), from
    committed batches only. Telemetry without a user keeps a null user_id.
#}
with

request_versions as (

    select * from {{ ref('stg_landing__request_versions') }}

),

final as (

    {{ latest_version(
        'request_versions', ['tool', 'request_id'], [
            'request_id', 'user_id', 'business_unit_id', 'use_case_id',
            'batch_id', 'trace_id', 'span_id', 'parent_span_id', 'agent_id',
            'tool', 'provider', 'model', 'operation', 'agent_name', 'tool_name',
            'status',
            'data_classification', 'policy_action', 'input_tokens',
            'output_tokens', 'latency_ms', 'reported_cost_usd',
            'feedback_score', 'request_date', 'week_start', 'occurred_at',
            'ingested_at',
        ]
    ) }}

)

select * from final
