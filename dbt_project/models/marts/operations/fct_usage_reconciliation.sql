{{ config(materialized='table') }}
{#
    One row per usage_date × provider × source of providers' aggregated
    reports (usage_daily, CONTRACTS.md §5.3): what the source reports beside
    the per-call totals of the same provider and day, and the differences.
    - Per call: requests whose operation is a model call (not `invoke_agent`
      or `execute_tool`, CONTRACTS.md §5.1), by request day (UTC) and provider;
      `per_call_cost_usd` is the cost fct_operations_weekly counts (reported,
      else catalogue-priced). A day with no call has zeros.
    - Reported: the source's rows of the day summed over models and business
      units; a measure the source does not report stays null (Anthropic's
      usage report counts no requests, cost reports no tokens), and so does
      its difference.
    - Difference = reported − per call: positive when the provider saw more
      than was logged call by call (calls that bypass the gateway), negative
      when the log holds calls the provider does not bill.
    Aggregates are compared here, never added to the operations marts.
#}
with

usage_daily as (

    select * from {{ ref('int_usage_daily_converted') }}

),

requests as {{ inline_cte() }} (

    select * from {{ ref('int_requests_enriched') }}

),

calls_aggregated_to_days as (

    select
        requests.request_date as usage_date,
        requests.provider,
        count(*) as per_call_requests,
        cast(sum(requests.input_tokens) as {{ dbt.type_bigint() }}) as per_call_input_tokens,
        cast(sum(requests.output_tokens) as {{ dbt.type_bigint() }}) as per_call_output_tokens,
        sum(requests.cost_usd) as per_call_cost_usd
    from requests
    where requests.operation not in ('invoke_agent', 'execute_tool')
    group by 1, 2

),

sources_aggregated_to_days as (

    select
        usage_daily.usage_date,
        usage_daily.provider,
        usage_daily.source,
        cast(sum(usage_daily.requests) as {{ dbt.type_bigint() }}) as reported_requests,
        cast(sum(usage_daily.input_tokens) as {{ dbt.type_bigint() }}) as reported_input_tokens,
        cast(sum(usage_daily.output_tokens) as {{ dbt.type_bigint() }}) as reported_output_tokens,
        sum(usage_daily.source_cost) as reported_source_cost,
        min(usage_daily.source_currency) as min_currency,
        max(usage_daily.source_currency) as max_currency,
        sum(usage_daily.cost_usd) as reported_cost_usd,
        count(usage_daily.source_cost) as costed_rows,
        max(case when usage_daily.is_cost_unconverted then 1 else 0 end)
            as unconverted_rows
    from usage_daily
    group by 1, 2, 3

),

final as (

    select
        -- strings
        sources.provider,
        sources.source,
        case
            when sources.costed_rows = 0 then null
            when sources.min_currency = sources.max_currency then sources.min_currency
            else 'mixed'
        end as reported_currency,
        -- numerics
        coalesce(calls.per_call_requests, 0) as per_call_requests,
        coalesce(calls.per_call_input_tokens, 0) as per_call_input_tokens,
        coalesce(calls.per_call_output_tokens, 0) as per_call_output_tokens,
        coalesce(calls.per_call_cost_usd, 0) as per_call_cost_usd,
        sources.reported_requests,
        sources.reported_input_tokens,
        sources.reported_output_tokens,
        case
            when sources.min_currency = sources.max_currency
                then sources.reported_source_cost
        end as reported_source_cost,
        case
            when sources.unconverted_rows = 0 then sources.reported_cost_usd
        end as reported_cost_usd,
        sources.reported_requests - coalesce(calls.per_call_requests, 0)
            as requests_difference,
        sources.reported_input_tokens - coalesce(calls.per_call_input_tokens, 0)
            as input_tokens_difference,
        sources.reported_output_tokens - coalesce(calls.per_call_output_tokens, 0)
            as output_tokens_difference,
        case
            when sources.unconverted_rows = 0
                then sources.reported_cost_usd - coalesce(calls.per_call_cost_usd, 0)
        end as cost_usd_difference,
        -- booleans
        sources.unconverted_rows > 0 as is_cost_unconverted,
        -- dates
        sources.usage_date
    from sources_aggregated_to_days as sources
    left join calls_aggregated_to_days as calls
        on
            sources.usage_date = calls.usage_date
            and sources.provider = calls.provider

)

select * from final
