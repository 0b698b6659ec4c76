{#
    One row per week_start (organisation-wide, every week of the spine):
    active users split into new (first active week ever) and returning, plus
    lapsed users (active the previous week, not this week) and reactivated
    users (returning after at least one inactive week).
#}
with

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

user_weeks as (

    select distinct
        active_user_weeks.user_id,
        active_user_weeks.week_start
    from active_user_weeks

),

user_weeks_sequenced as (

    select
        user_weeks.user_id,
        user_weeks.week_start,
        lag(user_weeks.week_start) over (
            partition by user_weeks.user_id order by user_weeks.week_start
        ) as previous_active_week,
        lead(user_weeks.week_start) over (
            partition by user_weeks.user_id order by user_weeks.week_start
        ) as next_active_week
    from user_weeks

),

activity_aggregated as (

    select
        user_weeks_sequenced.week_start,
        count(*) as active_users,
        sum(case when user_weeks_sequenced.previous_active_week is null then 1 else 0 end)
            as new_users,
        sum(
            case
                when
                    user_weeks_sequenced.previous_active_week
                    < {{ dbt.dateadd('day', -7, 'user_weeks_sequenced.week_start') }}
                    then 1
                else 0
            end
        ) as reactivated_users
    from user_weeks_sequenced
    group by 1

),

lapses_aggregated as (

    select
        cast({{ dbt.dateadd('day', 7, 'user_weeks_sequenced.week_start') }} as date) as week_start,
        count(*) as lapsed_users
    from user_weeks_sequenced
    where
        user_weeks_sequenced.next_active_week is null
        or user_weeks_sequenced.next_active_week
        > {{ dbt.dateadd('day', 7, 'user_weeks_sequenced.week_start') }}
    group by 1

),

final as (

    select
        -- numerics
        cast(coalesce(activity_aggregated.active_users, 0) as {{ dbt.type_bigint() }})
            as active_users,
        cast(coalesce(activity_aggregated.new_users, 0) as {{ dbt.type_bigint() }}) as new_users,
        cast(
            coalesce(activity_aggregated.active_users, 0)
            - coalesce(activity_aggregated.new_users, 0)
            as {{ dbt.type_bigint() }}
        ) as returning_users,
        cast(coalesce(activity_aggregated.reactivated_users, 0) as {{ dbt.type_bigint() }})
            as reactivated_users,
        cast(coalesce(lapses_aggregated.lapsed_users, 0) as {{ dbt.type_bigint() }})
            as lapsed_users,
        -- dates
        cast(weeks.week_start as date) as week_start
    from weeks
    left join activity_aggregated
        on weeks.week_start = activity_aggregated.week_start
    left join lapses_aggregated
        on weeks.week_start = lapses_aggregated.week_start

)

select * from final
