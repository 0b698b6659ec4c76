{{ config(materialized='table') }}
{#
    One row per licence seat × week in which the seat was held for at least a
    day, with the holder's business unit (people row valid at the week's
    start, else 'unassigned') and whether the holder used that tool that week
    (a request with the tool or an active vendor activity row for it, as
    int_active_user_days_unioned records).
#}
with

licenses as (

    select * from {{ ref('stg_landing__licenses') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

tool_weeks_used as (

    select distinct
        active_user_weeks.user_id,
        active_user_weeks.tool,
        active_user_weeks.week_start
    from active_user_weeks

),

seat_weeks as (

    select
        licenses.license_id,
        licenses.user_id,
        licenses.tool,
        weeks.week_start
    from licenses
    inner join weeks
        on
            licenses.assigned_date <= {{ dbt.dateadd('day', 6, 'weeks.week_start') }}
            and (
                licenses.removed_date is null
                or licenses.removed_date >= weeks.week_start
            )

),

directory_matches as (

    select
        seat_weeks.license_id,
        seat_weeks.week_start,
        people.business_unit_id,
        row_number() over (
            partition by seat_weeks.license_id, seat_weeks.week_start
            order by people.valid_from desc, people.business_unit_id asc
        ) as match_rank
    from seat_weeks
    left join people
        on
            seat_weeks.user_id = people.user_id
            and (people.valid_from is null or seat_weeks.week_start >= people.valid_from)
            and (people.valid_to is null or seat_weeks.week_start <= people.valid_to)

),

final as (

    select
        -- ids
        seat_weeks.license_id,
        seat_weeks.user_id,
        coalesce(directory_matches.business_unit_id, 'unassigned') as business_unit_id,
        -- strings
        seat_weeks.tool,
        -- booleans
        tool_weeks_used.user_id is not null as is_used,
        -- dates
        seat_weeks.week_start
    from seat_weeks
    left join directory_matches
        on
            seat_weeks.license_id = directory_matches.license_id
            and seat_weeks.week_start = directory_matches.week_start
            and directory_matches.match_rank = 1
    left join tool_weeks_used
        on
            seat_weeks.user_id = tool_weeks_used.user_id
            and seat_weeks.tool = tool_weeks_used.tool
            and seat_weeks.week_start = tool_weeks_used.week_start

)

select * from final
