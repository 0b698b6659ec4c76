{#
    One row per month_start × business_unit_id (configured units every month
    with data, plus 'unassigned' where used): monthly active users, their
    penetration of eligible headcount, and repeat users (active on ≥ 2
    distinct weeks of the month).
#}
with

active_user_months as (

    select * from {{ ref('int_active_user_days_aggregated_to_months') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

user_months as (

    select
        active_user_months.month_start,
        active_user_months.business_unit_id,
        active_user_months.user_id,
        active_user_months.active_weeks_count as active_weeks,
        active_user_months.active_days_count as active_days
    from active_user_months

),

months_aggregated as (

    select
        user_months.month_start,
        user_months.business_unit_id,
        count(*) as active_users,
        sum(case when user_months.active_weeks >= 2 then 1 else 0 end) as repeat_users,
        sum(user_months.active_days) as active_user_days
    from user_months
    group by 1, 2

),

grid as (

    select
        months.month_start,
        business_units.business_unit_id
    from (select distinct months_aggregated.month_start from months_aggregated) as months
    cross join business_units
    union
    select
        months_aggregated.month_start,
        months_aggregated.business_unit_id
    from months_aggregated

),

final as (

    select
        -- ids
        cast(grid.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- numerics
        cast(coalesce(months_aggregated.active_users, 0) as {{ dbt.type_bigint() }})
            as active_users,
        cast(business_units.eligible_headcount as {{ dbt.type_bigint() }}) as eligible_headcount,
        cast(
            {{ pct(
                'coalesce(months_aggregated.active_users, 0)', 'business_units.eligible_headcount'
            ) }}
            as {{ type_double() }}
        ) as penetration_pct,
        cast(coalesce(months_aggregated.repeat_users, 0) as {{ dbt.type_bigint() }})
            as repeat_users,
        cast(
            {{ pct('months_aggregated.repeat_users', 'months_aggregated.active_users') }}
            as {{ type_double() }}
        ) as repeat_usage_pct,
        cast(coalesce(months_aggregated.active_user_days, 0) as {{ dbt.type_bigint() }})
            as active_user_days,
        -- dates
        cast(grid.month_start as date) as month_start
    from grid
    left join business_units
        on grid.business_unit_id = business_units.business_unit_id
    left join months_aggregated
        on
            grid.month_start = months_aggregated.month_start
            and grid.business_unit_id = months_aggregated.business_unit_id

)

select * from final
