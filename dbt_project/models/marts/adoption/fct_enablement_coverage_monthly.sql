{#
    One row per month_start × business_unit_id × training_level ('any',
    'beginner', 'intermediate', 'advanced'): of the month's active users,
    those who completed training at that level (any level for 'any') on or
    before the month's last day, and champions.
#}
with

active_user_months as (

    select * from {{ ref('int_active_user_days_aggregated_to_months') }}

),

enablement_events as (

    select * from {{ ref('stg_landing__enablement_events') }}

),

levels as (

    select
        'any' as training_level,
        0 as level_order
    union all
    select
        'beginner' as training_level,
        1 as level_order
    union all
    select
        'intermediate' as training_level,
        2 as level_order
    union all
    select
        'advanced' as training_level,
        3 as level_order

),

user_months as (

    select distinct
        active_user_months.month_start,
        active_user_months.business_unit_id,
        active_user_months.user_id
    from active_user_months

),

trainings as (

    select
        enablement_events.user_id,
        enablement_events.training_level,
        min(enablement_events.event_date) as first_completed_date
    from enablement_events
    where enablement_events.activity = 'training_completed'
    group by 1, 2

),

champions as (

    select
        enablement_events.user_id,
        min(enablement_events.event_date) as joined_date
    from enablement_events
    where enablement_events.activity = 'champion_joined'
    group by 1

),

user_month_levels as (

    select
        user_months.month_start,
        user_months.business_unit_id,
        user_months.user_id,
        levels.training_level,
        {{ bool_or(
            'trainings.first_completed_date < '
            ~ dbt.dateadd('month', 1, 'user_months.month_start')
        ) }} as is_trained,
        {{ bool_or(
            'champions.joined_date < ' ~ dbt.dateadd('month', 1, 'user_months.month_start')
        ) }} as is_champion
    from user_months
    cross join levels
    left join trainings
        on
            user_months.user_id = trainings.user_id
            and (levels.training_level = 'any' or levels.training_level = trainings.training_level)
    left join champions
        on user_months.user_id = champions.user_id
    group by 1, 2, 3, 4

),

final as (

    select
        -- ids
        cast(user_month_levels.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(user_month_levels.training_level as {{ dbt.type_string() }}) as training_level,
        -- numerics
        cast(count(*) as {{ dbt.type_bigint() }}) as active_users,
        cast(
            sum(case when user_month_levels.is_trained then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as trained_active_users,
        cast(
            {{ pct('sum(case when user_month_levels.is_trained then 1 else 0 end)', 'count(*)') }}
            as {{ type_double() }}
        ) as enablement_coverage_pct,
        cast(
            sum(case when user_month_levels.is_champion then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as champion_active_users,
        -- dates
        cast(user_month_levels.month_start as date) as month_start
    from user_month_levels
    group by
        user_month_levels.month_start,
        user_month_levels.business_unit_id,
        user_month_levels.training_level

)

select * from final
