{#
    One row per week_start × use_case_id with tagged requests ('unassigned'
    for untagged requests and vendor activity): active users and requests.
#}
with

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

final as (

    select
        -- ids
        cast(active_user_weeks.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- numerics
        cast({{ count_distinct('active_user_weeks.user_id') }} as {{ dbt.type_bigint() }})
            as active_users,
        cast(sum(active_user_weeks.requests_count) as {{ dbt.type_bigint() }}) as requests,
        -- dates
        cast(active_user_weeks.week_start as date) as week_start
    from active_user_weeks
    group by active_user_weeks.week_start, active_user_weeks.use_case_id

)

select * from final
