{#
    One row per week_start × use_case_id with tagged activity
    (fct_adoption_by_use_case_weekly; 'unassigned' for untagged requests and
    vendor activity): what the use-case detail page charts for one use case,
    whatever the reader's scope (the page names the use case, not a scope).
    - active_users: distinct people with a request for the use case that
      week; requests: its requests (a request figure, shown as it is).
    - Minimum group size (CONTRACTS.md §5.5): active_users is null and
      is_suppressed when the people number 1 to min_group_size − 1. One use
      case's users are not a partition of any total the page shows (a person
      may use several use cases), so no complement is derivable and none is
      suppressed.
#}
with

adoption as (

    select * from {{ ref('fct_adoption_by_use_case_weekly') }}

),

flagged as (

    select
        adoption.*,
        coalesce({{ is_small_group('adoption.active_users') }}, false) as is_small_people_group
    from adoption

),

final as (

    select
        -- ids
        cast(flagged.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- numerics
        cast(
            case when not flagged.is_small_people_group then flagged.active_users end
            as {{ dbt.type_bigint() }}
        ) as active_users,
        cast(flagged.requests as {{ dbt.type_bigint() }}) as requests,
        -- booleans
        cast(flagged.is_small_people_group as boolean) as is_suppressed,
        -- dates
        cast(flagged.week_start as date) as week_start
    from flagged

)

select * from final
