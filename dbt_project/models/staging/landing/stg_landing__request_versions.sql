{#
    One row per landed version of a request (committed batches only, every
    version: a request re-sent or corrected lands again under the same
    tool × request_id). Incremental models read versions, pick the days they
    rebuild, and keep the latest version themselves; everything else reads
    stg_landing__requests. The trace columns (CONTRACTS.md §5.1) are null
    where no landed file holds them (a home whose requests predate them).
#}
{%- set landed = landed_columns(source('landing', 'requests')) %}
with

requests as (

    select * from {{ source('landing', 'requests') }} as requests
    where requests._batch_id in (
        select batches.batch_id from {{ source('ledger', 'batches') }} as batches
    )

),

final as (

    select
        -- ids
        cast(requests.request_id as {{ dbt.type_string() }}) as request_id,
        cast(requests.user_id as {{ dbt.type_string() }}) as user_id,
        cast(requests.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        cast(requests.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(requests._batch_id as {{ dbt.type_string() }}) as batch_id,
        {# traces (CONTRACTS.md §5.1): ids in lower-case hex, null outside traces #}
        {%- for column in ['trace_id', 'span_id', 'parent_span_id', 'agent_id'] %}
        {{ optional_column('requests', column, dbt.type_string(), landed) }} as {{ column }},
        {%- endfor %}
        -- strings
        cast(requests.tool as {{ dbt.type_string() }}) as tool,
        cast(requests.provider as {{ dbt.type_string() }}) as provider,
        cast(requests.model as {{ dbt.type_string() }}) as model,
        cast(requests.operation as {{ dbt.type_string() }}) as operation,
        {%- for column in ['agent_name', 'tool_name'] %}
        {{ optional_column('requests', column, dbt.type_string(), landed) }} as {{ column }},
        {%- endfor %}
        cast(requests.status as {{ dbt.type_string() }}) as status,
        cast(requests.data_classification as {{ dbt.type_string() }})
            as data_classification,
        cast(
            coalesce(requests.policy_action, 'allowed')
            as {{ dbt.type_string() }}
        ) as policy_action,
        -- numerics
        cast(requests.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(requests.output_tokens as {{ dbt.type_bigint() }})
            as output_tokens,
        cast(requests.latency_ms as {{ type_double() }}) as latency_ms,
        cast(requests.cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(requests.feedback_score as {{ dbt.type_int() }}) as feedback_score,
        cast(requests._source_row as {{ dbt.type_bigint() }})
            as source_row_number,
        -- dates
        cast(requests.occurred_at as date) as request_date,
        {{ week_start('requests.occurred_at') }} as week_start,
        -- timestamps
        cast(requests.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(requests._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from requests

)

select * from final
