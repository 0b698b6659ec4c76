{#
    One row per week_start × use_case_id × model (untagged usage =
    'unassigned'), CONTRACTS.md §3/§4:
    - error_rate_pct: requests with status error or timeout ÷ all × 100;
    - latency_p50_ms / latency_p95_ms: continuous percentiles of latency_ms
      over success requests only (null when the week has none), rounded to
      the microsecond (3 decimals of a millisecond);
    - cost_usd: reported cost, else catalogue-priced; the split is kept in
      reported_cost_usd and priced_cost_usd (a modelled estimate).
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

latencies as (

    select * from {{ ref('int_request_latencies_aggregated_to_weeks') }} as request_latencies
    where request_latencies.scope = 'use_case_model'

),

weeks_aggregated as (

    select
        request_days.week_start,
        request_days.use_case_id,
        request_days.model,
        sum(request_days.requests) as requests,
        sum(request_days.errored_requests) as errored_requests,
        sum(request_days.timed_out_requests) as timed_out_requests,
        sum(request_days.input_tokens) as input_tokens,
        sum(request_days.output_tokens) as output_tokens,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        sum(request_days.unpriced_requests) as unpriced_requests
    from request_days
    group by 1, 2, 3

),

aggregated as (

    select
        weeks_aggregated.*,
        latencies.latency_p50_ms,
        latencies.latency_p95_ms
    from weeks_aggregated
    left join latencies
        on
            weeks_aggregated.week_start = latencies.week_start
            and weeks_aggregated.use_case_id = latencies.use_case_id
            and weeks_aggregated.model = latencies.model

),

final as (

    select
        -- ids
        cast(aggregated.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(aggregated.model as {{ dbt.type_string() }}) as model,
        -- numerics
        cast(aggregated.requests as {{ dbt.type_bigint() }}) as requests,
        cast(aggregated.errored_requests as {{ dbt.type_bigint() }}) as errored_requests,
        cast(aggregated.timed_out_requests as {{ dbt.type_bigint() }})
            as timed_out_requests,
        cast({{ pct('aggregated.errored_requests', 'aggregated.requests') }} as {{ type_double() }})
            as error_rate_pct,
        cast(round(aggregated.latency_p50_ms, 3) as {{ type_double() }}) as latency_p50_ms,
        cast(round(aggregated.latency_p95_ms, 3) as {{ type_double() }}) as latency_p95_ms,
        cast(aggregated.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(aggregated.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(aggregated.cost_usd as {{ type_double() }}) as cost_usd,
        cast(aggregated.reported_cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(aggregated.priced_cost_usd as {{ type_double() }}) as priced_cost_usd,
        cast(aggregated.unpriced_requests as {{ dbt.type_bigint() }}) as unpriced_requests,
        -- dates
        cast(aggregated.week_start as date) as week_start
    from aggregated

)

select * from final
