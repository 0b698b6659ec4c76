{#
    One row per user × day with a vendor activity row, with the business unit
    of the people-directory row valid that day (the latest valid_from wins
    when rows overlap). Requests resolve theirs in int_requests_enriched.
#}
with

activities as (

    select * from {{ ref('stg_landing__activities') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

user_days as (

    select distinct activities.user_id, activities.activity_date
    from activities

),

directory_matches as (

    select
        user_days.user_id,
        user_days.activity_date,
        people.business_unit_id,
        row_number() over (
            partition by user_days.user_id, user_days.activity_date
            order by people.valid_from desc, people.business_unit_id
        ) as match_rank
    from user_days
    left join people
        on
            user_days.user_id = people.user_id
            and (
                people.valid_from is null
                or people.valid_from <= user_days.activity_date
            )
            and (
                people.valid_to is null
                or user_days.activity_date <= people.valid_to
            )

),

final as (

    select
        -- ids
        directory_matches.user_id,
        directory_matches.business_unit_id as directory_business_unit_id,
        -- dates
        directory_matches.activity_date
    from directory_matches
    where directory_matches.match_rank = 1

)

select * from final
