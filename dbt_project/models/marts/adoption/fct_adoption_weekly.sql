{#
    One row per week_start × business_unit_id (every configured business unit
    every week, plus 'unassigned' in weeks where activity could not be placed),
    CONTRACTS.md §3/§4:
    - active_users: people with ≥ 1 request (any status) or an active vendor
      activity row that week; the business unit is the request's, else the
      people row valid that day;
    - penetration_pct = active_users ÷ eligible_headcount × 100;
    - new_users: active for the first time ever (any business unit) that week;
      returning_users = active_users − new_users;
    - licensed_users: holders of a seat held during the week; idle_licenses:
      seats whose tool the holder did not use that week.
#}
with

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

license_weeks as (

    select * from {{ ref('int_license_weeks_spined') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

first_weeks as (

    select
        active_user_weeks.user_id,
        min(active_user_weeks.week_start) as first_week_start
    from active_user_weeks
    group by 1

),

user_weeks as (

    select distinct
        active_user_weeks.user_id,
        active_user_weeks.business_unit_id,
        active_user_weeks.week_start
    from active_user_weeks

),

active_aggregated as (

    select
        user_weeks.week_start,
        user_weeks.business_unit_id,
        count(*) as active_users,
        sum(case when first_weeks.first_week_start = user_weeks.week_start then 1 else 0 end)
            as new_users
    from user_weeks
    inner join first_weeks
        on user_weeks.user_id = first_weeks.user_id
    group by 1, 2

),

licenses_aggregated as (

    select
        license_weeks.week_start,
        license_weeks.business_unit_id,
        {{ count_distinct('license_weeks.user_id') }} as licensed_users,
        sum(case when license_weeks.is_used then 0 else 1 end) as idle_licenses
    from license_weeks
    group by 1, 2

),

grid as (

    select
        weeks.week_start,
        business_units.business_unit_id
    from weeks
    cross join business_units
    union
    select
        active_aggregated.week_start,
        active_aggregated.business_unit_id
    from active_aggregated
    union
    select
        licenses_aggregated.week_start,
        licenses_aggregated.business_unit_id
    from licenses_aggregated

),

final as (

    select
        -- ids
        cast(grid.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- numerics
        cast(coalesce(active_aggregated.active_users, 0) as {{ dbt.type_bigint() }})
            as active_users,
        cast(business_units.eligible_headcount as {{ dbt.type_bigint() }})
            as eligible_headcount,
        cast(
            {{ pct(
                'coalesce(active_aggregated.active_users, 0)', 'business_units.eligible_headcount'
            ) }}
            as {{ type_double() }}
        ) as penetration_pct,
        cast(coalesce(active_aggregated.new_users, 0) as {{ dbt.type_bigint() }}) as new_users,
        cast(
            coalesce(active_aggregated.active_users, 0)
            - coalesce(active_aggregated.new_users, 0)
            as {{ dbt.type_bigint() }}
        ) as returning_users,
        cast(coalesce(licenses_aggregated.licensed_users, 0) as {{ dbt.type_bigint() }})
            as licensed_users,
        cast(coalesce(licenses_aggregated.idle_licenses, 0) as {{ dbt.type_bigint() }})
            as idle_licenses,
        -- dates
        cast(grid.week_start as date) as week_start
    from grid
    left join business_units
        on grid.business_unit_id = business_units.business_unit_id
    left join active_aggregated
        on
            grid.week_start = active_aggregated.week_start
            and grid.business_unit_id = active_aggregated.business_unit_id
    left join licenses_aggregated
        on
            grid.week_start = licenses_aggregated.week_start
            and grid.business_unit_id = licenses_aggregated.business_unit_id

)

select * from final
