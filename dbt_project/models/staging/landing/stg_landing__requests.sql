{#
    One row per request, latest landed version per (tool, request_id), from
    committed batches only. Telemetry without a user keeps a null user_id.
#}
with

requests as (

    select * from {{ source('landing', 'requests') }}
    where _batch_id in (
        select batch_id from {{ source('ledger', 'batches') }}
    )

),

deduplicated as (

    {{ latest_per_key('requests', ['tool', 'request_id'], [
        'request_id', 'occurred_at', 'user_id', 'business_unit_id',
        'use_case_id', 'tool', 'provider', 'model', 'operation',
        'input_tokens', 'output_tokens', 'latency_ms', 'status', 'cost_usd',
        'data_classification', 'policy_action', 'feedback_score',
        '_batch_id', '_ingested_at',
    ]) }}

),

final as (

    select
        -- ids
        cast(deduplicated.request_id as {{ dbt.type_string() }}) as request_id,
        cast(deduplicated.user_id as {{ dbt.type_string() }}) as user_id,
        cast(deduplicated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(deduplicated.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(deduplicated._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(deduplicated.tool as {{ dbt.type_string() }}) as tool,
        cast(deduplicated.provider as {{ dbt.type_string() }}) as provider,
        cast(deduplicated.model as {{ dbt.type_string() }}) as model,
        cast(deduplicated.operation as {{ dbt.type_string() }}) as operation,
        cast(deduplicated.status as {{ dbt.type_string() }}) as status,
        cast(deduplicated.data_classification as {{ dbt.type_string() }})
            as data_classification,
        cast(
            coalesce(deduplicated.policy_action, 'allowed')
            as {{ dbt.type_string() }}
        ) as policy_action,
        -- numerics
        cast(deduplicated.input_tokens as {{ dbt.type_bigint() }})
            as input_tokens,
        cast(deduplicated.output_tokens as {{ dbt.type_bigint() }})
            as output_tokens,
        cast(deduplicated.latency_ms as {{ type_double() }}) as latency_ms,
        cast(deduplicated.cost_usd as {{ type_double() }})
            as reported_cost_usd,
        cast(deduplicated.feedback_score as {{ dbt.type_int() }})
            as feedback_score,
        -- dates
        cast(deduplicated.occurred_at as date) as request_date,
        {{ week_start('deduplicated.occurred_at') }} as week_start,
        -- timestamps
        cast(deduplicated.occurred_at as {{ dbt.type_timestamp() }})
            as occurred_at,
        cast(deduplicated._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from deduplicated

)

select * from final
