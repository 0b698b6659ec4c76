{#
    Weekly active users per business unit never exceed the distinct users
    with a request or active vendor row that week (no fan-out in the joins),
    and every business unit week with activity appears in fct_adoption_weekly.
#}
with

user_days as (

    select * from {{ ref('int_active_user_days_unioned') }}

),

adoption as (

    select * from {{ ref('fct_adoption_weekly') }}

),

expected as (

    select
        user_days.week_start,
        user_days.business_unit_id,
        count(distinct user_days.user_id) as active_users
    from user_days
    group by 1, 2

),

failures as (

    select
        expected.week_start,
        expected.business_unit_id,
        expected.active_users as expected_active_users,
        adoption.active_users
    from expected
    left join adoption
        on
            expected.week_start = adoption.week_start
            and expected.business_unit_id = adoption.business_unit_id
    where adoption.active_users is null or adoption.active_users <> expected.active_users

)

select * from failures
