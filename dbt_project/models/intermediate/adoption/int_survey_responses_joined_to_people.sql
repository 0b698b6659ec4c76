{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per survey response with its business unit: the response's own,
    else the people row valid on the day it was submitted, else 'unassigned'.
#}
with

survey_responses as (

    select * from {{ ref('stg_landing__survey_responses') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

directory_matches as (

    select
        survey_responses.response_id,
        people.business_unit_id,
        row_number() over (
            partition by survey_responses.response_id
            order by people.valid_from desc, people.business_unit_id asc
        ) as match_rank
    from survey_responses
    left join people
        on
            survey_responses.user_id = people.user_id
            and (people.valid_from is null or survey_responses.submitted_date >= people.valid_from)
            and (people.valid_to is null or survey_responses.submitted_date <= people.valid_to)

),

final as (

    select
        survey_responses.response_id,
        survey_responses.user_id,
        coalesce(
            survey_responses.business_unit_id,
            directory_matches.business_unit_id,
            'unassigned'
        ) as business_unit_id,
        coalesce(survey_responses.use_case_id, 'unassigned') as use_case_id,
        survey_responses.satisfaction_score,
        survey_responses.trust_score,
        survey_responses.reported_minutes_saved_per_week,
        survey_responses.submitted_date,
        survey_responses.week_start,
        survey_responses.submitted_at
    from survey_responses
    left join directory_matches
        on
            survey_responses.response_id = directory_matches.response_id
            and directory_matches.match_rank = 1

)

select * from final
