{#
    One row per week_start × business_unit_id × provider × model of shadow-AI
    requests: requests to a model absent from the catalogue or not approved
    in it (CONTRACTS.md §4). The business unit is the request's own, else the
    directory's, else 'unassigned' (as in fct_trust_weekly, whose
    shadow_ai_requests these rows add up to).
    - requesting_users: distinct identified people with such a request (for
      suppression under the minimum group size).
#}
with

requests as (

    select * from {{ ref('int_requests_enriched') }}

),

shadow_requests_aggregated as (

    select
        requests.week_start,
        requests.business_unit_id,
        requests.provider,
        requests.model,
        max(case when requests.is_in_catalogue then 1 else 0 end)
            as in_catalogue_flag,
        count(*) as requests,
        {{ count_distinct('requests.user_id') }} as requesting_users
    from requests
    where requests.is_shadow_ai
    group by 1, 2, 3, 4

),

final as (

    select
        -- ids
        cast(shadow_requests_aggregated.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        -- strings
        cast(shadow_requests_aggregated.provider as {{ dbt.type_string() }})
            as provider,
        cast(shadow_requests_aggregated.model as {{ dbt.type_string() }})
            as model,
        -- numerics
        cast(shadow_requests_aggregated.requests as {{ dbt.type_bigint() }})
            as requests,
        cast(shadow_requests_aggregated.requesting_users as {{ dbt.type_bigint() }})
            as requesting_users,
        -- booleans
        shadow_requests_aggregated.in_catalogue_flag = 1 as is_in_catalogue,
        -- dates
        cast(shadow_requests_aggregated.week_start as date) as week_start
    from shadow_requests_aggregated

)

select * from final
