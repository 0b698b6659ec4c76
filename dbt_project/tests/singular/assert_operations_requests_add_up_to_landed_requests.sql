{# Every landed (deduplicated, committed) request is counted exactly once in fct_operations_weekly and in fct_trust_weekly. #}
with

landed as (

    select count(*) as requests from {{ ref('stg_landing__requests') }}

),

operations as (

    select coalesce(sum(requests), 0) as requests from {{ ref('fct_operations_weekly') }}

),

trust as (

    select coalesce(sum(requests), 0) as requests from {{ ref('fct_trust_weekly') }}

),

final as (

    select
        landed.requests as landed_requests,
        operations.requests as operations_requests,
        trust.requests as trust_requests
    from landed
    cross join operations
    cross join trust

)

select * from final
where
    landed_requests <> operations_requests
    or landed_requests <> trust_requests
