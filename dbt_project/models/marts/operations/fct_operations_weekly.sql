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

requests as (

    select * from {{ ref('int_requests_enriched') }}

),

aggregated as (

    select
        requests.week_start,
        requests.use_case_id,
        requests.model,
        count(*) as requests,
        sum(case when requests.is_error then 1 else 0 end) as errored_requests,
        sum(case when requests.status = 'timeout' then 1 else 0 end)
            as timed_out_requests,
        {{ percentile_cont('case when requests.is_success then requests.latency_ms end', 0.5) }}
            as latency_p50_ms,
        {{ percentile_cont('case when requests.is_success then requests.latency_ms end', 0.95) }}
            as latency_p95_ms,
        sum(requests.input_tokens) as input_tokens,
        sum(requests.output_tokens) as output_tokens,
        sum(requests.cost_usd) as cost_usd,
        sum(coalesce(requests.reported_cost_usd, 0)) as reported_cost_usd,
        sum(coalesce(requests.priced_cost_usd, 0)) as priced_cost_usd,
        sum(case when requests.cost_source = 'unpriced' then 1 else 0 end)
            as unpriced_requests
    from requests
    group by 1, 2, 3

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
