{{ config(materialized='table') }}
{#
    One row per user × day × business unit × use case on which the user was
    active (CONTRACTS.md §4): at least one request of any status, or a vendor
    activity row with is_active. The business unit is the request's own, else
    the people row valid that day, else 'unassigned'; activity rows take the
    directory's. Vendor activity carries no use case ('unassigned').
#}
with

requests as (

    select * from {{ ref('int_requests_enriched') }}

),

activities as (

    select * from {{ ref('stg_landing__activities') }}

),

user_days as (

    select * from {{ ref('int_user_days_joined_to_people') }}

),

request_days as (

    select
        requests.user_id,
        requests.business_unit_id,
        requests.use_case_id,
        requests.request_date as activity_date,
        count(*) as requests_count
    from requests
    where requests.user_id is not null
    group by 1, 2, 3, 4

),

activity_days as (

    select
        activities.user_id,
        coalesce(user_days.directory_business_unit_id, 'unassigned')
            as business_unit_id,
        'unassigned' as use_case_id,
        activities.activity_date,
        0 as requests_count
    from activities
    left join user_days
        on
            activities.user_id = user_days.user_id
            and activities.activity_date = user_days.activity_date
    where activities.is_active

),

unioned as (

    select * from request_days
    union all
    select * from activity_days

),

final as (

    select
        -- ids
        unioned.user_id,
        unioned.business_unit_id,
        unioned.use_case_id,
        -- numerics
        sum(unioned.requests_count) as requests_count,
        -- dates
        unioned.activity_date,
        {{ week_start('unioned.activity_date') }} as week_start,
        {{ period_start('month', 'unioned.activity_date') }} as month_start
    from unioned
    group by
        unioned.user_id,
        unioned.business_unit_id,
        unioned.use_case_id,
        unioned.activity_date

)

select * from final
